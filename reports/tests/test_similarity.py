"""Copy-paste across units and periods: the office sees which reports of the
campaign share passages with the one it reviews, with the passages marked and
a link; task titles and set phrases are not copying; nothing crosses
campaigns; the check costs a fixed number of queries."""

import datetime

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from campaigns.models import Membership
from campaigns.tests.factories import CampaignFactory, MembershipFactory, UnitFactory
from reports import access, similarity, workflow
from reports.models import Report, TextFingerprint
from reports.tests.factories import PeriodFactory, ReportFactory, ReportingRuleFactory
from tasks.tests.factories import TaskFactory

pytestmark = pytest.mark.django_db

Role = Membership.Role

ORIGINAL = (
    "本周组织执法人员对城东片区十二家餐饮单位开展夜间突击检查，重点查看后厨卫生和从业人员健康证明，"
    "当场责令三家单位整改油烟净化设施。\n"
    "联合街道在青年路社区设置咨询台，向过往群众讲解控烟条例，回收意见表八十余份。"
)
PARAPHRASE = (
    "这一周执法队员在夜里突击检查了城东片区的十多家饭店，主要看厨房是否干净、员工有没有健康证，"
    "有三家的油烟设备不合格，已要求限期改正。\n"
    "与街道一起在青年路社区摆摊宣传控烟规定，共收回群众意见表八十多份。"
)
UNRELATED = "本月完成辖区学校饮用水抽检任务，共采集水样二十六份，全部送疾控中心检测，结果均符合国家标准。"
TITLE = "开展公共场所控烟专项整治行动，推动无烟党政机关建设"


def at(*args):
    return timezone.make_aware(datetime.datetime(*args))


@pytest.fixture
def campaign():
    return CampaignFactory()


@pytest.fixture
def rule(campaign):
    return ReportingRuleFactory(campaign=campaign)


@pytest.fixture
def office(campaign):
    return MembershipFactory(role=Role.OFFICE_STAFF, unit=campaign.office_unit).user


def period(rule, number):
    # The factory's weeks run from 1 January 2026: week 14 ends on 8 April.
    return rule.periods.filter(number=number).first() or PeriodFactory(rule=rule, number=number)


def sent(rule, number, text, *, unit=None, problems=""):
    """A unit's report for week `number`, sent by its liaison through the workflow."""
    unit = unit or UnitFactory()
    liaison = MembershipFactory(role=Role.LIAISON, unit=unit).user
    report = ReportFactory(period=period(rule, number), unit=unit)
    when = report.due_at - datetime.timedelta(hours=2)
    report = workflow.save_draft(
        report=report, by=liaison, at=when, expected_version=report.version, work_done=text, problems=problems
    )
    return workflow.submit(report=report, by=liaison, at=when)


def matches(report, user):
    version = report.versions.order_by("-number").first()
    text = similarity.sent_text(version.work_done, version.problems, version.next_steps)
    return similarity.similar_reports(
        report=report, text=text, visible=access.visible_reports(user), at=version.submitted_at
    )


def page(client, user, report):
    client.force_login(user)
    return client.get(reverse("reports:report_detail", args=[report.pk])).content.decode()


def test_a_report_copied_from_another_units_report_three_months_earlier_is_flagged(client, rule, office, time_machine):
    original = sent(rule, 1, ORIGINAL)
    copy = sent(rule, 14, ORIGINAL.replace("本周", "本期"))
    time_machine.move_to(at(2026, 4, 9, 9, 0), tick=False)

    found = matches(copy, office)
    assert [m.report.pk for m in found] == [original.pk]
    assert found[0].percent >= 90
    assert "重点查看后厨卫生和从业人员健康证明" in found[0].passages[0]

    html = page(client, office, copy)
    assert "文字雷同提示" in html
    assert f'href="{original.get_absolute_url()}"' in html
    assert original.unit.display_name in html
    assert "<mark>组织执法人员对城东片区十二家餐饮单位" in html
    assert "不影响审核" in html
    # A hint, never a refusal: the report can still be accepted.
    client.post(reverse("reports:review", args=[copy.pk]), {"action": "accept"})
    assert Report.objects.get(pk=copy.pk).status == Report.Status.ACCEPTED


def test_the_same_units_old_report_sent_again_is_flagged_as_its_own(client, rule, office):
    unit = UnitFactory()
    old = sent(rule, 2, ORIGINAL, unit=unit)
    again = sent(rule, 20, ORIGINAL, unit=unit)
    assert [m.report.pk for m in matches(again, office)] == [old.pk]
    assert "本单位往期" in page(client, office, again)


def test_paraphrased_and_unrelated_reports_are_not_flagged(client, rule, office):
    sent(rule, 1, ORIGINAL)
    paraphrase = sent(rule, 14, PARAPHRASE)
    unrelated = sent(rule, 14, UNRELATED)
    assert matches(paraphrase, office) == []
    assert matches(unrelated, office) == []
    assert "没有发现与本报送相同的段落" in page(client, office, paraphrase)


def test_reports_sent_more_than_a_year_earlier_are_not_compared(rule, office):
    sent(rule, 1, ORIGINAL)
    late = sent(rule, 60, ORIGINAL)
    assert matches(late, office) == []


def test_task_titles_headings_and_set_phrases_are_not_copying(rule, office):
    TaskFactory(campaign=rule.campaign, title=TITLE)
    phrase = "下步将继续加大宣传力度，巩固创建成果，确保各项工作落到实处。"
    for number in range(1, 7):
        sent(rule, number, f"开展情况：\n本期召开例会一次，第{number}周工作按计划推进。\n{phrase}")
    first = sent(rule, 8, f"开展情况\n围绕“{TITLE}”，本单位走访机关食堂，张贴禁烟标识。\n{phrase}")
    second = sent(rule, 9, f"开展情况\n围绕“{TITLE}”，组织党员志愿者劝阻吸烟行为十余次。\n{phrase}")
    assert matches(second, office) == []
    assert matches(first, office) == []


def test_another_campaigns_report_is_never_shown(client, rule, office):
    other_campaign = CampaignFactory()
    elsewhere = sent(ReportingRuleFactory(campaign=other_campaign), 1, ORIGINAL)
    copy = sent(rule, 14, ORIGINAL)
    assert matches(copy, office) == []
    admin = MembershipFactory(role=Role.OFFICE_STAFF, unit=other_campaign.office_unit).user
    admin.is_superuser = True
    admin.save()
    # Even a system admin, who may open both, sees no match across campaigns.
    assert matches(copy, admin) == []
    assert elsewhere.get_absolute_url() not in page(client, admin, copy)


def test_a_report_the_reader_may_not_open_is_never_shown(client, rule):
    sent(rule, 1, ORIGINAL)
    copy = sent(rule, 14, ORIGINAL)
    liaison = Membership.objects.get(unit=copy.unit, role=Role.LIAISON).user
    assert matches(copy, liaison) == []
    leader = MembershipFactory(role=Role.LEADER, unit=rule.campaign.issuing_unit).user
    assert "文字雷同提示" not in page(client, liaison, copy)
    assert "文字雷同提示" not in page(client, leader, copy)


def test_fingerprints_are_written_once_when_sent_and_replaced_when_sent_again(rule, office):
    report = sent(rule, 1, ORIGINAL)
    assert set(TextFingerprint.objects.filter(report=report).values_list("hash", flat=True)) == similarity.fingerprints(
        ORIGINAL
    )
    workflow.return_report(report=report, by=office, at=report.due_at, comment="请补充。")
    report = Report.objects.get(pk=report.pk)
    liaison = Membership.objects.get(unit=report.unit, role=Role.LIAISON).user
    report = workflow.save_draft(
        report=report, by=liaison, at=report.due_at, expected_version=report.version, work_done=UNRELATED
    )
    workflow.submit(report=report, by=liaison, at=report.due_at)
    assert set(TextFingerprint.objects.filter(report=report).values_list("hash", flat=True)) == similarity.fingerprints(
        UNRELATED
    )


def test_a_withdrawn_report_is_no_longer_compared(rule, office):
    report = sent(rule, 1, ORIGINAL)
    liaison = Membership.objects.get(unit=report.unit, role=Role.LIAISON).user
    workflow.withdraw(report=report, by=liaison, at=report.due_at - datetime.timedelta(hours=1))
    assert not TextFingerprint.objects.filter(report=report).exists()
    copy = sent(rule, 14, ORIGINAL)
    assert matches(copy, office) == []


def test_reports_loaded_in_bulk_are_fingerprinted_by_the_command(rule, office):
    original = ReportFactory(
        period=period(rule, 1), status=Report.Status.ACCEPTED, submitted_at=at(2026, 1, 6, 9), work_done=ORIGINAL
    )
    ReportFactory(period=period(rule, 1), status=Report.Status.DRAFT, work_done=UNRELATED)
    call_command("index_report_texts", stdout=open("/dev/null", "w"))
    call_command("index_report_texts", stdout=open("/dev/null", "w"))
    assert TextFingerprint.objects.filter(report=original).count() == len(similarity.fingerprints(ORIGINAL))
    assert TextFingerprint.objects.count() == len(similarity.fingerprints(ORIGINAL))
    copy = sent(rule, 14, ORIGINAL)
    assert [m.report.pk for m in matches(copy, office)] == [original.pk]


def test_the_review_page_costs_the_same_queries_however_many_reports_match(
    client, rule, office, time_machine, django_assert_num_queries
):
    def grow(count, number):
        for _ in range(count):
            sent(rule, number, ORIGINAL)

    grow(1, 1)
    copy = sent(rule, 14, ORIGINAL)
    time_machine.move_to(at(2026, 4, 9, 9, 0), tick=False)
    client.force_login(office)
    url = reverse("reports:report_detail", args=[copy.pk])
    client.get(url)
    with django_assert_num_queries(QUERIES):
        small = client.get(url).content.decode()
    grow(3, 2)
    with django_assert_num_queries(QUERIES):
        large = client.get(url).content.decode()
    assert small.count("查看该报送") == 1
    assert large.count("查看该报送") == 4


# The page's own queries plus the check's: task titles, the count of sent
# reports, the hashes' frequency, the candidates and the candidates' texts.
# The page's own include the 修改记录's two (the history of progress and of
# figures); it reads no extension requests, files or joint submissions
# (同时作为……报送) when the report has none (selectors.with_history_flags).
QUERIES = 10 + 5
