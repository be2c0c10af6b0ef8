"""The system admin's pages (Django admin), for every registered model.

Models are read from the admin registry, so a newly registered model is
covered the moment it is registered, or fails here until it has a builder.
"""

import datetime
import itertools
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.contrib import admin
from django.contrib.auth.models import Group
from django.test import RequestFactory
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains

from accounts.models import SignInEvent, User
from audit import record
from audit.models import AuditEvent
from calendars.models import CalendarDay, HolidayYear
from calendars.tests.factories import CalendarDayFactory, HolidayYearFactory
from campaigns.models import Campaign, LeadingGroupMember, Membership, Phase, Unit
from campaigns.tests.factories import (
    CampaignFactory,
    LeadingGroupMemberFactory,
    MembershipFactory,
    PhaseFactory,
    UnitFactory,
    UserFactory,
)
from core.models import OutboxMessage
from notifications.models import CampaignWebhook, Delivery, Notification, Reminder
from notifications.tests.factories import (
    CampaignWebhookFactory,
    DeliveryFactory,
    NotificationFactory,
    ReminderFactory,
)
from reports.models import Period, Report, ReportingRule, ReviewEvent
from reports.tests.factories import (
    AttachmentFactory,
    IndicatorValueFactory,
    PeriodFactory,
    ReportFactory,
    ReportingRuleFactory,
    ReviewEventFactory,
    TaskProgressFactory,
)
from tasks.models import Indicator, Task
from tasks.tests.factories import IndicatorFactory, TaskFactory

pytestmark = pytest.mark.django_db

REGISTERED = list(admin.site._registry)
_group_names = itertools.count(1)


# One object per registered model, with the related rows its change page
# shows (inlines, many-to-many), so that rendering them is exercised too.


def _user():
    user = UserFactory()
    MembershipFactory(user=user)
    return user


def _unit():
    return UnitFactory(parent=UnitFactory())


def _campaign(**kwargs):
    campaign = CampaignFactory(**kwargs)
    _task(campaign=campaign)
    LeadingGroupMemberFactory(campaign=campaign, unit=UnitFactory(), user=UserFactory())
    _reporting_rule(campaign=campaign)
    return campaign


def _reporting_rule(**kwargs):
    rule = ReportingRuleFactory(**kwargs)
    rule.units.add(UnitFactory())
    rule.indicators.add(IndicatorFactory(campaign=rule.campaign))
    return rule


def _task(**kwargs):
    parent = TaskFactory(**kwargs)
    task = TaskFactory(campaign=parent.campaign, parent=parent, phase=PhaseFactory(campaign=parent.campaign))
    task.co_units.add(UnitFactory(), UnitFactory())
    return task


def _report():
    report = ReviewEventFactory().report
    TaskProgressFactory(report=report)
    IndicatorValueFactory(report=report)
    AttachmentFactory(report=report)
    return report


def _indicator():
    task = TaskFactory()
    return IndicatorFactory(campaign=task.campaign, task=task, target_value=90)


def _delivery():
    return DeliveryFactory(notification=NotificationFactory(), webhook=CampaignWebhookFactory(), last_error="HTTP 500")


BUILDERS = {
    AuditEvent: lambda: record(
        action="changed", object_type="campaigns.campaign", object_id="1", description="修改活动", actor=UserFactory()
    ),
    Group: lambda: Group.objects.create(name=f"办公室{next(_group_names)}"),
    User: _user,
    HolidayYear: HolidayYearFactory,
    CalendarDay: CalendarDayFactory,
    Unit: _unit,
    Membership: MembershipFactory,
    Campaign: _campaign,
    Phase: PhaseFactory,
    LeadingGroupMember: lambda: LeadingGroupMemberFactory(unit=UnitFactory(), user=UserFactory()),
    ReportingRule: _reporting_rule,
    Period: PeriodFactory,
    Report: _report,
    ReviewEvent: ReviewEventFactory,
    Task: _task,
    Indicator: _indicator,
    CampaignWebhook: CampaignWebhookFactory,
    Delivery: _delivery,
    Reminder: lambda: ReminderFactory(sent_by=UserFactory(), kind="chase_123"),
    Notification: lambda: NotificationFactory(campaign=CampaignFactory()),
    OutboxMessage: lambda: OutboxMessage.objects.create(
        task="reports.jobs.build_workbook", kwargs={"export_id": 1}, attempts=2, last_error="ConnectionError: refused"
    ),
}


# Monthly evaluation (evaluations): a scheme with its six components; an
# evaluation with two scores; a score with manual points.


def _evaluation():
    from evaluations.models import Evaluation, Score

    office = UserFactory()
    evaluation = Evaluation.objects.create(
        campaign=CampaignFactory(),
        month=datetime.date(2026, 3, 1),
        computed_at=datetime.datetime(2026, 4, 3, 10, tzinfo=ZoneInfo("Asia/Shanghai")),
        computed_by=office,
    )
    for rank, total in ((1, 95), (2, 87)):
        Score.objects.create(
            evaluation=evaluation,
            unit=UnitFactory(),
            computed_total=total,
            total=total,
            rank=rank,
            breakdown=[{"kind": "submission_rate", "label": "报送率", "points": "30", "text": "应报4期，已报4期"}],
        )
    return evaluation


def _score():
    from evaluations.models import ManualAdjustment

    score = _evaluation().scores.order_by("rank").first()
    ManualAdjustment.objects.create(score=score, points=1, reason="承办现场会。", by=UserFactory())
    return score


def _scoring_scheme():
    from evaluations.tests.factories import scheme_for

    return scheme_for(CampaignFactory())


def _evaluation_models():
    from evaluations.models import Evaluation, Score, ScoringScheme

    return {ScoringScheme: _scoring_scheme, Evaluation: _evaluation, Score: _score}


BUILDERS.update(_evaluation_models())


# Supervision: an inspection of two units with a finding each, one of whose
# rectification items was answered and rejected (responses and events inline).


def _inspection():
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.utils import timezone

    from supervision import services
    from supervision.models import Inspection

    now = timezone.now()
    units = [UnitFactory(), UnitFactory()]
    office = UserFactory()
    inspection = services.record_inspection(
        campaign=CampaignFactory(),
        by=office,
        at=now,
        kind=Inspection.Kind.ON_SITE,
        inspected_on=timezone.localdate(now),
        inspectors="樊丽娜、李蓉",
        summary="现场检查执法文书。",
        units=[(units[0], 88), (units[1], 92.5)],
        findings=[
            services.FindingInput(unit, "执法文书填写不规范。", "规范执法文书。", timezone.localdate(now) + datetime.timedelta(days=10))
            for unit in units
        ],
        attachments=[SimpleUploadedFile("检查记录.pdf", b"%PDF-1.7\n0000")],
    )
    item = inspection.findings.first().rectification
    services.submit_response(item=item, by=UserFactory(), at=now, text="已整改。")
    services.reject(item=item, by=office, at=now, reason="缺少照片。")
    return inspection


def _supervision_models():
    from supervision.models import Inspection, RectificationItem

    return {Inspection: _inspection, RectificationItem: lambda: _inspection().findings.first().rectification}


BUILDERS.update(_supervision_models())


# Document drafts (documents): a year-end report's draft with two versions,
# the first written by the command line (no user).


def _draft():
    from django.utils import timezone

    from documents.models import Draft, DraftVersion

    campaign = CampaignFactory()
    draft = Draft.objects.create(campaign=campaign, kind="annual", year=campaign.starts_on.year, created_by=UserFactory())
    data = {"title": "关于2025年工作情况的报告", "blocks": [{"kind": "paragraph", "text": "现将工作情况报告如下："}]}
    DraftVersion.objects.create(draft=draft, number=1, data=data, note="生成初稿", created_at=timezone.now())
    DraftVersion.objects.create(draft=draft, number=2, data=data, note="编辑", created_by=UserFactory(), created_at=timezone.now())
    return draft


def _draft_models():
    from documents.models import Draft, DraftVersion

    return {Draft: _draft, DraftVersion: lambda: _draft().versions.get(number=2)}


BUILDERS.update(_draft_models())
# The assessment system (assessments): a system with one standard at a site
# type, a site, and a mock assessment of it.


def _assessment_world():
    from assessments.models import AssessmentContent, AssessmentItem, AssessmentSystem, MockAssessment, Site, SiteType, Standard

    campaign = CampaignFactory()
    office = UserFactory()
    system = AssessmentSystem.objects.create(campaign=campaign, name="全国文明城市测评体系", edition="2024年版", created_by=office)
    content = AssessmentContent.objects.create(
        item=AssessmentItem.objects.create(system=system, position=1, name="公共秩序"), position=1, name="交通秩序"
    )
    market = SiteType.objects.create(campaign=campaign, name="农贸市场")
    standard = Standard.objects.create(
        system=system, content=content, position=1, text="市场内干净整洁", score=2, methods=["实地考察"], lead_unit=UnitFactory()
    )
    standard.site_types.add(market)
    standard.co_units.add(UnitFactory())
    site = Site.objects.create(campaign=campaign, site_type=market, name="东门农贸市场", unit=UnitFactory())
    mock = MockAssessment.objects.create(
        campaign=campaign, system=system, name="第一次模拟测评", held_on=datetime.date(2026, 11, 30), created_by=office
    )
    return {AssessmentSystem: system, Standard: standard, SiteType: market, Site: site, MockAssessment: mock}


def _assessment_models():
    from assessments.models import AssessmentSystem, MockAssessment, Site, SiteType, Standard

    return {model: (lambda model=model: _assessment_world()[model]) for model in (AssessmentSystem, Standard, SiteType, Site, MockAssessment)}


BUILDERS.update(_assessment_models())


BUILDERS[SignInEvent] = lambda: SignInEvent.objects.create(
    kind=SignInEvent.Kind.FAILED, username="nobody", ip_address="10.1.2.3"
)


def build(model):
    if model not in BUILDERS:
        pytest.fail(f"{model._meta.label} is registered in the admin but has no builder in BUILDERS: add one.")
    return BUILDERS[model]()


def admin_url(model, view, *args):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


def label(model):
    return model._meta.label


def test_every_model_in_the_admin_has_a_builder():
    missing = [label(model) for model in REGISTERED if model not in BUILDERS]
    assert missing == []


# Every page opens


@pytest.mark.parametrize("model", REGISTERED, ids=label)
def test_system_admin_opens_the_list_of_every_model(admin_client, model):
    obj = build(model)
    response = admin_client.get(admin_url(model, "changelist"))
    assert response.status_code == 200
    assert response.context["cl"].queryset.filter(pk=obj.pk).exists()


@pytest.mark.parametrize("model", REGISTERED, ids=label)
def test_system_admin_opens_the_add_page_where_adding_by_hand_is_allowed(admin_client, admin_user, model):
    request = RequestFactory().get("/")
    request.user = admin_user
    may_add = admin.site._registry[model].has_add_permission(request)

    response = admin_client.get(admin_url(model, "add"))

    assert response.status_code == (200 if may_add else 403)


@pytest.mark.parametrize("model", REGISTERED, ids=label)
def test_system_admin_opens_an_objects_change_page_and_its_history(admin_client, model):
    obj = build(model)

    change = admin_client.get(admin_url(model, "change", obj.pk))
    history = admin_client.get(admin_url(model, "history", obj.pk))

    assert change.status_code == 200
    assert change.context["original"] == obj
    assert history.status_code == 200


def test_periods_reports_and_review_events_cannot_be_added_by_hand(admin_client):
    # They are obligations and records created by the system, never typed in.
    for model in (Period, Report, ReviewEvent):
        assert admin_client.get(admin_url(model, "add")).status_code == 403


def test_reminders_notifications_and_deliveries_are_records_the_admin_only_reads(admin_client):
    # What was sent, to whom, and its fate: a record the admin may not rewrite.
    for model, obj in ((Reminder, ReminderFactory()), (Notification, NotificationFactory()), (Delivery, _delivery())):
        assert admin_client.get(admin_url(model, "add")).status_code == 403
        assert admin_client.get(admin_url(model, "delete", obj.pk)).status_code == 403
        change = admin_client.get(admin_url(model, "change", obj.pk))
        assertNotContains(change, 'name="_save"')


# History


def change_form_data(response):
    """What a browser would post back from a change page, untouched."""

    def encoded(value):
        if value is None:
            return ""
        if isinstance(value, (list, tuple)):
            return [str(getattr(item, "pk", item)) for item in value]
        return str(value)

    forms = [response.context["adminform"].form]
    data = {}
    for inline in response.context["inline_admin_formsets"]:
        management = inline.formset.management_form
        data.update({management.add_prefix(name): management[name].value() for name in management.fields})
        forms.extend(inline.formset.forms)
    for form in forms:
        for name in form.fields:
            value = form[name].value()
            if value is True:
                data[form.add_prefix(name)] = "on"
            elif value is not False:
                data[form.add_prefix(name)] = encoded(value)
    return data


def test_a_change_to_a_campaign_shows_in_its_history_with_who_made_it(admin_client, admin_user):
    campaign = _campaign(title="卫生计生系统文明执法三年行动方案")
    data = change_form_data(admin_client.get(admin_url(Campaign, "change", campaign.pk)))
    data["title"] = "卫生计生系统文明执法三年行动方案（修订）"

    response = admin_client.post(admin_url(Campaign, "change", campaign.pk), data)

    assert response.status_code == 302, response.context["adminform"].form.errors
    history = admin_client.get(admin_url(Campaign, "history", campaign.pk))
    assert history.status_code == 200
    latest = history.context["page_obj"][0]
    assert latest.history_user == admin_user
    assert latest.diff_against(latest.prev_record).changed_fields == ["title"]
    shown = " ".join(history.content.decode().split())
    assert "<strong>方案名称:</strong> 卫生计生系统文明执法三年行动方案 &nbsp;&rarr;&nbsp;&nbsp;卫生计生系统文明执法三年行动方案（修订）" in shown
    assert f">{admin_user.username}</a>" in shown


# Reporting rules


def test_generating_periods_from_the_admin_creates_them_once(admin_client):
    campaign = CampaignFactory(starts_on=datetime.date(2026, 1, 1), ends_on=datetime.date(2026, 12, 31))
    task = TaskFactory(campaign=campaign)
    task.co_units.add(UnitFactory())
    rule = ReportingRuleFactory(campaign=campaign, weekday=2)
    action = {"action": "generate_selected_periods", "_selected_action": [rule.pk]}

    # Tuesdays up to 31 January 2026: the 6th, 13th, 20th, 27th, and the open period to 3 February.
    with time_machine.travel(datetime.datetime(2026, 1, 31, 10, tzinfo=ZoneInfo("Asia/Shanghai")), tick=False):
        first = admin_client.post(admin_url(ReportingRule, "changelist"), action, follow=True)
        assert Period.objects.filter(rule=rule).count() == 5
        assert Report.objects.filter(period__rule=rule).count() == 10
        second = admin_client.post(admin_url(ReportingRule, "changelist"), action, follow=True)

    assert [str(m) for m in first.context["messages"]] == ["已生成 5 个报送周期、10 份待报送任务。"]
    assert [str(m) for m in second.context["messages"]] == ["截至今日的报送周期均已生成，没有新增。"]
    assert Period.objects.filter(rule=rule).count() == 5
    assert Report.objects.filter(period__rule=rule).count() == 10


def test_the_admin_refuses_a_weekly_rule_without_a_weekday(admin_client):
    rule = ReportingRuleFactory(weekday=2)
    data = change_form_data(admin_client.get(admin_url(ReportingRule, "change", rule.pk)))
    data["weekday"] = ""

    response = admin_client.post(admin_url(ReportingRule, "change", rule.pk), data)

    assert response.status_code == 200
    rule.refresh_from_db()
    assert rule.weekday == 2


# Language


def test_the_admin_speaks_chinese_even_to_an_english_browser(admin_client):
    CampaignFactory()

    response = admin_client.get(admin_url(Campaign, "changelist"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")

    assertContains(response, "选择 创建活动 来修改")
    assertContains(response, "增加 创建活动")
    assertNotContains(response, "Select 创建活动 to change")


# Query counts


# Measured with 2 rows; a list must cost the same with 20 (no query per row).
CHANGELIST_QUERIES = {
    OutboxMessage: 6,
    Group: 5,
    User: 5,
    HolidayYear: 5,
    CalendarDay: 7,
    Unit: 6,
    Membership: 6,
    Campaign: 8,
    Phase: 6,
    LeadingGroupMember: 6,
    ReportingRule: 6,
    Period: 8,
    Report: 9,
    ReviewEvent: 5,
    Task: 10,
    Indicator: 6,
    CampaignWebhook: 6,
    Delivery: 6,
    Reminder: 5,
    Notification: 6,
    AuditEvent: 8,
}
CHANGELIST_QUERIES.update(dict(zip(_evaluation_models(), [5, 6, 6])))
CHANGELIST_QUERIES.update(dict(zip(_supervision_models(), [8, 8])))
CHANGELIST_QUERIES.update(dict(zip(_draft_models(), [5, 5])))
CHANGELIST_QUERIES[SignInEvent] = 7
CHANGELIST_QUERIES.update(dict(zip(_assessment_models(), [6, 6, 6, 7, 6])))


@pytest.mark.parametrize("rows", [2, 20])
@pytest.mark.parametrize("model", REGISTERED, ids=label)
def test_a_list_in_the_admin_costs_the_same_queries_for_20_rows_as_for_2(
    admin_client, django_assert_max_num_queries, model, rows
):
    if model not in CHANGELIST_QUERIES:
        pytest.fail(f"{label(model)} has no measured query count in CHANGELIST_QUERIES: measure it with 2 rows.")
    for _ in range(rows):
        build(model)

    with django_assert_max_num_queries(CHANGELIST_QUERIES[model]):
        response = admin_client.get(admin_url(model, "changelist"))

    # At least as many rows on the page as were built (holidays loaded by a migration fill it too).
    assert len(response.context["cl"].result_list) >= rows


@pytest.mark.parametrize("tasks", [2, 30])
def test_a_campaigns_page_costs_the_same_queries_for_30_tasks_as_for_2(admin_client, django_assert_max_num_queries, tasks):
    campaign = CampaignFactory()
    parent = TaskFactory(campaign=campaign)
    for _ in range(tasks - 1):
        TaskFactory(campaign=campaign, parent=parent).co_units.add(UnitFactory(), UnitFactory())

    with django_assert_max_num_queries(16):
        response = admin_client.get(admin_url(Campaign, "change", campaign.pk))

    assertContains(response, parent.title)
    assertContains(response, "管理任务")


@pytest.mark.parametrize("parts", [1, 6])
def test_a_reports_page_costs_the_same_queries_for_6_parts_as_for_1(admin_client, django_assert_max_num_queries, parts):
    period = PeriodFactory()
    report = ReportFactory(period=period, status=Report.Status.SUBMITTED, submitted_at=period.due_at)
    for _ in range(parts):
        TaskProgressFactory(report=report)
        IndicatorValueFactory(report=report)
        ReviewEventFactory(report=report)

    with django_assert_max_num_queries(14):
        response = admin_client.get(admin_url(Report, "change", report.pk))

    assert response.status_code == 200
