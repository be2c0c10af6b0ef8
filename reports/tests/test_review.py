"""The office reviews what units sent: the queue, accepting, returning,
exemptions, reopening and extensions; and who may do none of it."""

import datetime

import pytest
from django.contrib.messages import get_messages
from django.db import connection
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from campaigns.models import Membership
from campaigns.tests.factories import CampaignFactory, MembershipFactory, UnitFactory, UserFactory
from reports import access, workflow
from reports.models import ExtensionRequest, Report, ReviewEvent
from reports.tests.factories import PeriodFactory, ReportFactory, ReportingRuleFactory

pytestmark = pytest.mark.django_db

Role = Membership.Role
Status = Report.Status


def at(*args):
    return timezone.make_aware(datetime.datetime(*args))


# The factories' first period runs 1–7 January 2026, due on the 7th at 17:30.
DUE = at(2026, 1, 7, 17, 30)
ON_TIME = at(2026, 1, 6, 10, 0)
LATE = at(2026, 1, 8, 9, 0)
NOW = at(2026, 1, 8, 15, 0)


@pytest.fixture(autouse=True)
def clock(time_machine):
    time_machine.move_to(NOW, tick=False)


@pytest.fixture
def campaign():
    return CampaignFactory()


@pytest.fixture
def period(campaign):
    return PeriodFactory(rule=ReportingRuleFactory(campaign=campaign), number=1)


def person(role, unit):
    return MembershipFactory(role=role, unit=unit).user


@pytest.fixture
def office(campaign):
    return person(Role.OFFICE_STAFF, campaign.office_unit)


@pytest.fixture
def leader(campaign):
    return person(Role.LEADER, campaign.issuing_unit)


def owed(period, **unit_fields):
    """A unit that owes `period` a report, with its liaison."""
    unit = UnitFactory(**unit_fields)
    return ReportFactory(period=period, unit=unit), person(Role.LIAISON, unit)


def send(report, liaison, *, when=ON_TIME, work_done="本周在辖区社区开展普法宣传活动2场。", late_reason=""):
    report = Report.objects.get(pk=report.pk)
    report = workflow.save_draft(
        report=report, by=liaison, at=when, expected_version=report.version, work_done=work_done
    )
    return workflow.submit(report=report, by=liaison, at=when, late_reason=late_reason)


def submitted(period, **unit_fields):
    report, liaison = owed(period, **unit_fields)
    return send(report, liaison), liaison


def logged_in(client, user):
    client.force_login(user)
    return client


def said(response):
    return [str(message) for message in get_messages(response.wsgi_request)]


def url(name, obj):
    return reverse(f"reports:{name}", args=[obj.pk])


def refreshed(report):
    return Report.objects.get(pk=report.pk)


# Accepting and returning


def test_office_accepts_a_submitted_report(client, office, period):
    report, _ = submitted(period)
    response = logged_in(client, office).post(url("review", report), {"action": "accept", "comment": "内容详实。"})
    assert response.status_code == 302
    assert response.url == url("report_detail", report)
    assert refreshed(report).status == Status.ACCEPTED
    event = report.events.get(action=ReviewEvent.Action.ACCEPT)
    assert (event.actor, event.comment, event.created_at) == (office, "内容详实。", NOW)
    assert any("已审核通过" in m for m in said(response))


def test_after_a_review_the_office_lands_on_the_next_report_awaiting_review(client, office, period):
    first, _ = submitted(period, sort_order=1)
    second, _ = submitted(period, sort_order=2)
    response = logged_in(client, office).post(url("review", first), {"action": "accept"})
    assert response.url == url("report_detail", second)
    assert any(second.unit.display_name in m for m in said(response))


def test_office_returns_a_report_with_a_comment_and_the_unit_can_fix_it(client, office, period):
    report, liaison = submitted(period)
    assert not access.can_edit(liaison, report, NOW)
    response = logged_in(client, office).post(
        url("review", report), {"action": "return", "comment": "请补充活动照片和参加人数。"}
    )
    assert response.status_code == 302
    report = refreshed(report)
    assert report.status == Status.RETURNED
    assert report.events.get(action=ReviewEvent.Action.RETURN).comment == "请补充活动照片和参加人数。"
    assert access.can_edit(liaison, report, NOW)


def test_returning_without_a_comment_is_refused_and_nothing_changes(client, office, period):
    report, _ = submitted(period)
    response = logged_in(client, office).post(url("review", report), {"action": "return", "comment": "   "})
    assert response.url == url("report_detail", report)
    assert said(response) == ["退回时请填写退回意见，说明需要修改或补充的内容。"]
    assert refreshed(report).status == Status.SUBMITTED
    assert not report.events.filter(action=ReviewEvent.Action.RETURN).exists()


def test_the_office_cannot_accept_a_resubmission_it_has_not_read(client, office, period):
    report, liaison = submitted(period)
    page_version = report.version
    workflow.return_report(report=report, by=office, at=LATE, comment="请补充照片。")
    send(report, liaison, when=LATE, work_done="补充了照片。")
    response = logged_in(client, office).post(
        url("review", report), {"action": "accept", "version": page_version}
    )
    assert "请查看最新内容后再审核" in said(response)[0]
    assert refreshed(report).status == Status.SUBMITTED


def test_a_report_already_accepted_by_a_colleague_is_not_accepted_twice(client, office, period):
    report, _ = submitted(period)
    workflow.accept(report=report, by=UserFactory(), at=LATE)
    response = logged_in(client, office).post(url("review", report), {"action": "accept"})
    assert "当前为“审核通过”" in said(response)[0]
    assert report.events.filter(action=ReviewEvent.Action.ACCEPT).count() == 1


def test_a_late_report_stays_late_after_acceptance(client, office, period):
    report, liaison = owed(period)
    send(report, liaison, when=LATE, late_reason="本周执法任务集中，材料整理延误。")
    logged_in(client, office).post(url("review", report), {"action": "accept"})
    report = refreshed(report)
    assert report.status == Status.ACCEPTED
    assert report.is_late
    assert report.light(NOW) == "late"
    page = client.get(reverse("reports:review_queue"), {"status": "accepted"}).content.decode()
    assert "逾期</span>" in page
    assert "本周执法任务集中，材料整理延误。" in page


def test_action_pages_only_take_posts(client, office, period):
    report, _ = submitted(period)
    assert logged_in(client, office).get(url("review", report)).status_code == 405


# Bulk acceptance


def test_office_accepts_several_reports_at_once_and_skips_one_accepted_in_between(client, office, period):
    reports = [submitted(period)[0] for _ in range(3)]
    colleague = person(Role.OFFICE_STAFF, period.rule.campaign.office_unit)
    queue = reverse("reports:review_queue")
    data = {"reports": [r.pk for r in reports], "next": f"{queue}?status=submitted"}
    # The first post only asks to confirm (see test_undo for the page).
    assert "确认审核通过 3 份" in logged_in(client, office).post(queue, data).content.decode()
    workflow.accept(report=reports[1], by=colleague, at=LATE)
    response = client.post(queue, {**data, "confirmed": "1"})
    batch = reports[0].events.get(action=ReviewEvent.Action.ACCEPT).batch
    assert response.url == reverse("reports:review_batch", args=[batch]) + "?next=%2Freview%2F%3Fstatus%3Dsubmitted"
    assert said(response) == ["已审核通过 2 份报送；1 份已不是“已报送”状态（可能已被他人审核或退回），未作处理。"]
    assert {refreshed(r).status for r in reports} == {Status.ACCEPTED}
    assert reports[1].events.get(action=ReviewEvent.Action.ACCEPT).actor == colleague


def test_bulk_acceptance_with_nothing_ticked_asks_to_tick(client, office, period):
    submitted(period)
    response = logged_in(client, office).post(reverse("reports:review_queue"), {})
    assert said(response) == ["请先勾选要审核通过的报送。"]
    assert not Report.objects.filter(status=Status.ACCEPTED).exists()


# The queue


def test_the_queue_lists_reports_awaiting_review_with_lateness_and_resubmissions(client, office, period):
    on_time, _ = submitted(period, name="区卫生监督所", short_name="监督所")
    late, late_liaison = owed(period, name="区卫计委宣传科", short_name="宣传科")
    send(late, late_liaison, when=LATE, late_reason="材料整理延误。")
    again, again_liaison = submitted(period, name="区卫计委医政科", short_name="医政科")
    workflow.return_report(report=again, by=office, at=LATE, comment="请补充照片。")
    send(again, again_liaison, when=LATE, work_done="补充了照片。")
    owed(period, name="区卫计委人事科", short_name="人事科")

    response = logged_in(client, office).get(reverse("reports:review_queue"))
    page = response.content.decode()
    assert response.status_code == 200
    for unit in ("监督所", "宣传科", "医政科"):
        assert unit in page
    assert "人事科" not in page  # owes a report, has sent nothing
    assert 'title="逾期说明：材料整理延误。"' in page
    assert "第2次报送" in page
    assert page.count('name="reports"') == 3
    assert "批量审核通过" in page
    assert url("report_detail", on_time) in page


def test_the_queue_shows_who_has_not_reported_once_the_deadline_passed(client, office, period):
    owed(period, short_name="人事科")
    page = logged_in(client, office).get(reverse("reports:review_queue"), {"status": "overdue"}).content.decode()
    assert "人事科" in page
    assert "逾期未报" in page
    assert 'name="reports"' not in page  # nothing there to accept


def test_the_queue_filters_by_campaign_and_period(client, office, period, campaign):
    submitted(period, short_name="本期单位")
    later = PeriodFactory(rule=period.rule, number=2)
    submitted(later, short_name="下期单位")
    other_campaign = CampaignFactory(office_unit=campaign.office_unit)
    submitted(PeriodFactory(rule=ReportingRuleFactory(campaign=other_campaign)), short_name="另一活动单位")
    client = logged_in(client, office)

    page = client.get(reverse("reports:review_queue"), {"campaign": campaign.pk, "period": period.pk}).content.decode()
    assert "本期单位" in page and "下期单位" not in page and "另一活动单位" not in page
    # The period list, as Period.__str__ names them, the chosen one kept.
    assert f'<option value="{period.pk}" selected>{period}</option>' in page
    assert f'<option value="{later.pk}">{later}</option>' in page
    assert '<option value="">全部周期</option>' in page
    page = client.get(reverse("reports:review_queue"), {"campaign": campaign.pk, "period": "不是周期"}).content.decode()
    assert "本期单位" in page and "下期单位" in page, "a bad period means no filter"
    page = client.get(reverse("reports:review_queue"), {"campaign": other_campaign.pk}).content.decode()
    assert "另一活动单位" in page and "本期单位" not in page


def test_the_office_finds_a_unit_in_the_queue_by_part_of_its_name(client, office, period, django_assert_max_num_queries):
    submitted(period, name="区卫生监督所", short_name="监督所")
    submitted(period, name="区卫计委宣传科", short_name="宣传科")
    owed(period, name="区卫计委人事科", short_name="人事科")
    client = logged_in(client, office)
    queue = reverse("reports:review_queue")

    with django_assert_max_num_queries(13):
        response = client.get(queue, {"unit": "监督"})
    page = response.content.decode()
    assert [report.unit.short_name for report in response.context["page"]] == ["监督所"]
    assert "宣传科" not in page
    assert dict((key, count) for key, _, count in response.context["status_tabs"])["submitted"] == 1
    assert 'value="监督"' in page, "the search stays in its box"
    assert "unit=" in page.split("逾期未报")[0], "the status tabs keep the search"

    by_full_name = client.get(queue, {"unit": "卫计委", "status": "all"}).context["page"]
    assert sorted(report.unit.short_name for report in by_full_name) == ["人事科", "宣传科"]
    assert not client.get(queue, {"unit": "不存在的单位"}).context["page"].object_list


def test_periods_falling_due_together_keep_one_order_in_the_filter(client, office, campaign):
    weekly = ReportingRuleFactory(campaign=campaign, name="周报")
    monthly = ReportingRuleFactory(campaign=campaign, name="月报")
    for rule in (weekly, monthly):
        for number in (2, 1):
            PeriodFactory(rule=rule, number=number, due_at=DUE, label=f"{rule.name}第{number}期")
    submitted(PeriodFactory(rule=weekly, number=3, due_at=DUE + datetime.timedelta(days=7), label="周报第3期"))
    client = logged_in(client, office)

    periods = list(client.get(reverse("reports:review_queue")).context["form"].fields["period"].queryset)

    assert [p.label for p in periods] == ["周报第3期", "周报第1期", "周报第2期", "月报第1期", "月报第2期"]


def test_leader_sees_the_queue_read_only_and_cannot_accept(client, leader, period):
    report, _ = submitted(period, short_name="监督所")
    client = logged_in(client, leader)
    page = client.get(reverse("reports:review_queue")).content.decode()
    assert "监督所" in page
    assert 'name="reports"' not in page
    assert "批量审核通过" not in page
    assert client.post(url("review", report), {"action": "accept"}).status_code == 403
    assert client.post(reverse("reports:review_queue"), {"reports": [report.pk]}).status_code == 403
    assert client.post(url("exempt", report), {"reason": "免报"}).status_code == 403
    assert refreshed(report).status == Status.SUBMITTED


def test_liaison_gets_404_on_the_queue_and_on_another_units_report(client, period):
    report, _ = submitted(period)
    _, other_liaison = owed(period)
    client = logged_in(client, other_liaison)
    assert client.get(reverse("reports:review_queue")).status_code == 404
    assert client.post(reverse("reports:review_queue"), {"reports": [report.pk]}).status_code == 404
    assert client.post(url("review", report), {"action": "accept"}).status_code == 404
    assert client.post(url("exempt", report), {"reason": "免报"}).status_code == 404
    assert client.post(url("reopen", report), {"reason": "重新开放"}).status_code == 404
    assert refreshed(report).status == Status.SUBMITTED


def test_liaison_may_not_review_their_own_units_report(client, period):
    report, liaison = submitted(period)
    response = logged_in(client, liaison).post(url("review", report), {"action": "accept"})
    assert response.status_code == 403
    assert refreshed(report).status == Status.SUBMITTED


def test_office_staff_of_another_campaigns_office_get_404(client, period, campaign):
    report, _ = submitted(period, short_name="监督所")
    other_office = person(Role.OFFICE_STAFF, CampaignFactory().office_unit)
    client = logged_in(client, other_office)
    page = client.get(reverse("reports:review_queue"), {"campaign": campaign.pk}).content.decode()
    assert "监督所" not in page
    assert client.post(url("review", report), {"action": "accept"}).status_code == 404
    assert client.post(url("exempt", report), {"reason": "免报"}).status_code == 404
    assert refreshed(report).status == Status.SUBMITTED


def test_a_system_admin_reviews_like_the_office(client, period):
    report, _ = submitted(period)
    admin = UserFactory(is_superuser=True, is_staff=True)
    client = logged_in(client, admin)
    assert 'name="reports"' in client.get(reverse("reports:review_queue")).content.decode()
    client.post(url("review", report), {"action": "accept"})
    assert refreshed(report).status == Status.ACCEPTED


def test_queue_query_count_does_not_grow_with_the_reports(client, office, period, django_assert_max_num_queries):
    def grow(count):
        for _ in range(count):
            report, liaison = owed(period)
            workflow.request_extension(
                report=report, by=liaison, at=ON_TIME, until=DUE + datetime.timedelta(days=2), reason="材料未齐。"
            )
            report, liaison = owed(period)
            send(report, liaison, when=LATE, late_reason="延误。")
            workflow.return_report(report=report, by=office, at=LATE, comment="请补充。")
            send(report, liaison, when=LATE)

    client = logged_in(client, office)
    queue = reverse("reports:review_queue")
    grow(2)
    # 13: the queue's own (the page's latest versions in one; the pager's
    # count is the tab's), the navbar's bell and the check for missing
    # holiday years.
    with django_assert_max_num_queries(13):
        small = client.get(queue)
    grow(20)
    with CaptureQueriesContext(connection) as queries, django_assert_max_num_queries(13):
        large = client.get(queue)
    assert not [q for q in queries.captured_queries if q["sql"].startswith('SELECT COUNT(*) AS "__count" FROM "reports_report"')]
    assert small.content.decode().count("第2次报送") == 2
    assert large.content.decode().count("第2次报送") == 22
    assert large.content.decode().count("同意延期</button>") == 22


# Exemption, reopening


def test_office_exempts_a_unit_with_a_reason(client, office, period):
    report, _ = owed(period)
    client = logged_in(client, office)
    response = client.post(url("exempt", report), {"reason": ""})
    assert said(response) == ["免报时请填写理由。"]
    assert refreshed(report).status == Status.NOT_STARTED

    response = client.post(url("exempt", report), {"reason": "该单位本期集中参加市级执法培训。"})
    assert response.url == url("report_detail", report)
    assert refreshed(report).status == Status.EXEMPT
    assert report.events.get(action=ReviewEvent.Action.EXEMPT).comment == "该单位本期集中参加市级执法培训。"


def test_a_unit_that_already_reported_cannot_be_exempted(client, office, period):
    report, _ = submitted(period)
    response = logged_in(client, office).post(url("exempt", report), {"reason": "不需要了。"})
    assert said(response) == ["只能对尚未报送的单位免报。"]
    assert refreshed(report).status == Status.SUBMITTED


def test_office_reopens_a_locked_period_and_the_unit_can_report_again(client, office, period, time_machine):
    period.rule.lock_after_days = 3
    period.rule.save()
    report, liaison = owed(period)
    after_lock = DUE + datetime.timedelta(days=4)
    time_machine.move_to(after_lock, tick=False)
    assert report.is_locked(after_lock)
    assert not access.can_edit(liaison, report, after_lock)
    client = logged_in(client, office)

    response = client.post(url("reopen", report), {"reason": ""})
    assert said(response) == ["重新开放时请填写理由。"]
    response = client.post(url("reopen", report), {"reason": "该单位系统故障，经主任同意补报。"})
    assert response.url == url("report_detail", report)
    report = refreshed(report)
    assert report.reopened
    assert access.can_edit(liaison, report, after_lock)
    report = send(report, liaison, when=after_lock, late_reason="系统故障，补报。")
    assert report.status == Status.SUBMITTED and report.is_late
    assert not refreshed(report).reopened  # closed again once sent


def test_an_open_period_needs_no_reopening(client, office, period):
    report, _ = owed(period)
    response = logged_in(client, office).post(url("reopen", report), {"reason": "补报。"})
    assert said(response) == ["本期报送没有锁定，单位可以直接填报，无需重新开放。"]
    assert not refreshed(report).reopened


# Extensions


@pytest.fixture
def extension(period):
    report, liaison = owed(period)
    return workflow.request_extension(
        report=report, by=liaison, at=ON_TIME, until=DUE + datetime.timedelta(days=3), reason="负责同志出差。"
    )


def test_the_queue_shows_pending_extension_requests_with_the_requested_time(client, office, extension):
    page = logged_in(client, office).get(reverse("reports:review_queue")).content.decode()
    assert "负责同志出差。" in page
    assert 'value="2026-01-10T17:30"' in page
    assert url("extension_decide", extension) in page


def test_a_granted_extension_moves_the_deadline_and_stays_on_record(client, office, extension):
    queue = reverse("reports:review_queue")
    response = logged_in(client, office).post(
        url("extension_decide", extension),
        {"decision": "grant", "new_due_at": "2026-01-09T12:00", "comment": "同意。", "next": queue},
    )
    assert response.url == queue
    name = f"{extension.report.unit.display_name}“{extension.report.period}”"
    assert said(response) == [f"已同意延期：{name}的截止时间延至 2026-01-09 12:00。"]
    extension = ExtensionRequest.objects.get(pk=extension.pk)
    assert extension.status == ExtensionRequest.Status.GRANTED
    assert (extension.decided_by, extension.decided_at, extension.decision_comment) == (office, NOW, "同意。")
    assert extension.granted_due_at == at(2026, 1, 9, 12, 0)  # read in China Standard Time
    report = refreshed(extension.report)
    assert report.due_at == at(2026, 1, 9, 12, 0)
    assert report.period.due_at == DUE
    assert not report.is_overdue(NOW)
    assert "负责同志出差。" not in client.get(queue).content.decode()


def test_granting_without_a_time_grants_the_requested_one(client, office, extension):
    logged_in(client, office).post(url("extension_decide", extension), {"decision": "grant", "new_due_at": ""})
    assert refreshed(extension.report).due_at == extension.requested_due_at


def test_a_refused_extension_stays_on_record_and_the_deadline_stands(client, office, extension):
    response = logged_in(client, office).post(
        url("extension_decide", extension), {"decision": "refuse", "comment": "请按时报送。"}
    )
    assert response.url == url("report_detail", extension.report)
    extension = ExtensionRequest.objects.get(pk=extension.pk)
    assert (extension.status, extension.decision_comment) == (ExtensionRequest.Status.REFUSED, "请按时报送。")
    assert refreshed(extension.report).due_at == DUE
    assert ExtensionRequest.objects.count() == 1


def test_an_extension_is_decided_once(client, office, extension):
    client = logged_in(client, office)
    client.post(url("extension_decide", extension), {"decision": "refuse"})
    response = client.post(url("extension_decide", extension), {"decision": "grant"})
    assert said(response)[-1] == "这份延期申请已经处理过了。"
    assert ExtensionRequest.objects.get(pk=extension.pk).status == ExtensionRequest.Status.REFUSED


def test_only_the_office_decides_extensions(client, leader, extension):
    decide = url("extension_decide", extension)
    assert logged_in(client, leader).post(decide, {"decision": "grant"}).status_code == 403
    outsider = person(Role.LIAISON, UnitFactory())
    assert logged_in(client, outsider).post(decide, {"decision": "grant"}).status_code == 404
    assert ExtensionRequest.objects.get(pk=extension.pk).status == ExtensionRequest.Status.PENDING


# The office panel on the report page


def panel(report, user, **flags):
    request = RequestFactory().get("/")
    request.user = user
    context = {
        "report": report,
        "now": NOW,
        "can_review": False,
        "can_manage": True,
        "pending_extension": None,
        "is_locked": False,
        **flags,
    }
    return render_to_string("reports/_office_panel.html", context, request=request)


def test_the_panel_offers_accept_and_return_on_a_submitted_report(office, period):
    report, _ = submitted(period)
    html = panel(report, office, can_review=True)
    assert f'action="{url("review", report)}"' in html
    assert 'value="accept"' in html and 'value="return"' in html
    assert "退回意见" in html and "required" in html
    assert "免报理由" not in html


def test_the_panel_offers_exemption_and_reopening_for_a_report_still_owed(office, period):
    report, _ = owed(period)
    html = panel(report, office, is_locked=True)
    assert f'action="{url("exempt", report)}"' in html
    assert f'action="{url("reopen", report)}"' in html
    assert 'value="accept"' not in html


def test_the_panel_offers_to_decide_a_pending_extension(office, extension):
    html = panel(extension.report, office, pending_extension=extension)
    assert "负责同志出差。" in html
    assert f'action="{url("extension_decide", extension)}"' in html
    assert 'value="2026-01-10T17:30"' in html


def test_the_panel_shows_nothing_to_those_who_may_not_act(leader, period):
    report, _ = submitted(period)
    assert panel(report, leader, can_manage=False).strip() == ""


def test_an_extension_past_three_months_after_the_campaign_is_refused_and_nothing_changes(period, office):
    report, liaison = owed(period)
    campaign = period.rule.campaign
    campaign.ends_on = datetime.date(2026, 11, 30)
    campaign.save()
    latest = workflow.latest_extension(report)
    assert latest == at(2027, 2, 28, 23, 59)
    with pytest.raises(workflow.WorkflowError, match="延期不能晚于.*（活动结束后3个月）"):
        workflow.request_extension(report=report, by=liaison, at=ON_TIME, until=at(9999, 12, 31, 17, 30), reason="材料未齐。")
    assert not ExtensionRequest.objects.exists()
    request = workflow.request_extension(report=report, by=liaison, at=ON_TIME, until=latest, reason="材料未齐。")
    with pytest.raises(workflow.WorkflowError, match="延期不能晚于"):
        workflow.decide_extension(request=request, by=office, at=ON_TIME, grant=True,
                                  new_due_at=latest + datetime.timedelta(minutes=1))
    request.refresh_from_db()
    report.refresh_from_db()
    assert request.status == ExtensionRequest.Status.PENDING and report.due_at == DUE
