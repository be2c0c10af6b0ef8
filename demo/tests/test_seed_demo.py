import datetime
import io
import zoneinfo

import pytest
import time_machine
from django.core.management import call_command
from django.db.models import F

from accounts.models import User
from campaigns.models import Campaign, LeadingGroupMember, Membership, Phase, Unit
from reports.models import IndicatorValue, Period, Report, ReportingRule, ReviewEvent, TaskProgress
from tasks.models import Task

SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")
NOW = datetime.datetime(2026, 11, 22, 10, 0, tzinfo=SHANGHAI)
MODELS = [User, Unit, Membership, Campaign, Phase, LeadingGroupMember, Task, ReportingRule, Period, Report,
          TaskProgress, IndicatorValue, ReviewEvent]


def seed():
    out = io.StringIO()
    with time_machine.travel(NOW, tick=False):
        call_command("seed_demo", stdout=out)
    return out.getvalue()


@pytest.fixture(scope="module")
def seeded(shared_db):
    """The demo, seeded once for the module (it runs a year of reports
    through the workflow): what the first seeding printed."""
    with shared_db():
        return seed()


@pytest.fixture
def demo(seeded, db):
    return Campaign.objects.get(document_number="管卫〔2016〕41号")


def test_seeding_twice_changes_nothing(seeded, db):
    first = seeded
    counts = {model: model.objects.count() for model in MODELS}
    history = Report.history.count()
    second = seed()
    assert {model: model.objects.count() for model in MODELS} == counts
    assert Report.history.count() == history
    assert "已载入演示活动" in first
    assert "未做任何修改" in second and "已存在，未做任何修改" in second
    assert "liaison_jds" in second and "fanlina" in second


def test_demo_campaign_is_the_sample_plan_as_printed(demo):
    assert demo.title == "全区卫生系统文明执法素养提升三年行动方案（2016—2018）"
    assert demo.issuing_unit.name == "管城回族区卫生和计划生育委员会"
    assert demo.issued_on == datetime.date(2016, 4, 28)
    assert demo.addressees == "区卫生监督所，机关各相关科室"
    assert (demo.contact_person, demo.contact_phone, demo.contact_email) == ("樊丽娜", "66213720", "fangbaoke@126.com")
    assert demo.office_unit.short_name == "公卫科"
    assert "统筹协调、分步推进、长效常态" in demo.goals
    phases = list(demo.phases.values_list("order", "name", "goal", "starts_on", "ends_on"))
    assert phases == [
        (1, "教育治理年", "实现文明执法到位", datetime.date(2026, 1, 1), datetime.date(2026, 12, 31)),
        (2, "巩固提升年", "实现文明执法到人", datetime.date(2027, 1, 1), datetime.date(2027, 12, 31)),
        (3, "规范深化年", "实现文明到心", datetime.date(2028, 1, 1), datetime.date(2028, 12, 31)),
    ]
    tasks = list(demo.tasks.order_by("tree_path"))
    assert [t.code for t in tasks] == ["1、", "2、", "3、", "4、", "5、", "6、"]
    assert tasks[0].title == "加强社会主义法治理念教育"
    assert tasks[5].title == "积极开展执法人员志愿服务活动"
    assert {t.lead_unit.name for t in tasks} == {"区卫生监督所"}
    assert all(t.co_units.exists() for t in tasks)
    leading = {(m.get_position_display(), m.name) for m in demo.leading_group.all()}
    assert {("组长", "张彦军"), ("办公室主任", "李蓉")} <= leading


def test_demo_rules_are_tuesday_before_end_of_work_and_the_19th(demo):
    weekly = demo.reporting_rules.get(cadence="weekly")
    monthly = demo.reporting_rules.get(cadence="monthly")
    assert (weekly.weekday, weekly.due_time) == (2, datetime.time(17, 30))
    assert monthly.day_of_month == 19
    # Periods up to today exist, and this week's report is open but not yet due.
    current = weekly.periods.order_by("-starts_on").first()
    assert current.starts_on <= NOW.date() <= current.ends_on
    assert current.due_at > NOW


def test_demo_reports_cover_every_state(demo):
    reports = Report.objects.filter(period__rule__campaign=demo)
    statuses = set(reports.values_list("status", flat=True))
    assert statuses == set(Report.Status.values)
    assert reports.filter(submitted_at__gt=F("due_at")).exists(), "some reports are late"
    assert reports.filter(submitted_at__lte=F("due_at"), status="accepted").exists()
    overdue = reports.filter(status="not_started", due_at__lt=NOW)
    assert overdue.exists(), "some units are overdue"
    # Every returned report carries the office's comment.
    for report in reports.filter(status="returned"):
        assert report.events.filter(action="return").exclude(comment="").exists()
    # Units that owe reports each have a liaison who can log in.
    owing_units = set(reports.values_list("unit", flat=True))
    liaison_units = set(Membership.objects.filter(role="liaison").values_list("unit", flat=True))
    assert owing_units <= liaison_units
    assert len(owing_units) == 6


def test_demo_logins_work_with_the_printed_password(demo, client):
    assert client.login(username="admin", password="Demo@2026!")
    assert client.get("/admin/campaigns/campaign/").status_code == 200


def test_seed_demo_loads_the_civilised_city_demo_and_prints_its_logins(seeded, db, client):
    from assessments.models import MockAssessment

    city = Campaign.objects.get(title="卫滨区创建全国文明城市工作实施方案")
    assessment = MockAssessment.objects.get(campaign=city)
    assert assessment.status == "closed" and assessment.inspection.findings.count() == 7
    assert "第三个演示活动：卫滨区创建全国文明城市工作实施方案（已载入" in seeded
    for username in ("wmb_zhoumin", "ceping_wang", "ceping_liu", "liaison_wm_scjg"):
        assert username in seeded
        assert client.login(username=username, password="Demo@2026!")
    # fanlina's one sign-in shows this campaign too.
    assert Membership.objects.filter(user__username="fanlina", unit=city.office_unit, role="office_staff").exists()
