"""Undo where people make mistakes: the unit's 撤回 of a report nobody has
acted on, the office's 撤销审核 of its own accept or return within
REVIEW_UNDO_HOURS, and the bulk acceptance's confirmation and batch undo."""

import datetime
import uuid

import pytest
from django.urls import reverse

from campaigns.tests.factories import CampaignFactory
from reports import workflow
from reports.models import Report, ReviewEvent

# The review tests' world: the clock, the campaign, its first period and its office.
from .test_review import DUE, LATE, NOW, ON_TIME, Role, at, campaign, clock, office, owed, period, person, said  # noqa: F401

pytestmark = pytest.mark.django_db

Status = Report.Status
Action = ReviewEvent.Action


def send(report, liaison, *, when=ON_TIME, late_reason=""):
    report = Report.objects.get(pk=report.pk)
    report = workflow.save_draft(
        report=report, by=liaison, at=when, expected_version=report.version, work_done="开展普法宣传活动2场。"
    )
    return workflow.submit(report=report, by=liaison, at=when, late_reason=late_reason)


def submitted(period, **unit_fields):
    report, liaison = owed(period, **unit_fields)
    return send(report, liaison), liaison


def refreshed(report):
    return Report.objects.get(pk=report.pk)


def last_event(report):
    return report.events.order_by("-created_at", "-id").first()


# 撤回 by the unit


def test_the_liaison_withdraws_a_sent_report_to_a_draft_and_the_history_shows_it(client, period):
    report, liaison = submitted(period)
    client.force_login(liaison)
    page = client.get(reverse("reports:report_detail", args=[report.pk])).content.decode()
    assert reverse("reports:withdraw", args=[report.pk]) in page
    response = client.post(reverse("reports:withdraw", args=[report.pk]))
    assert said(response) == ["已撤回：报送回到“草稿”，内容都在，修改后可以重新报送。"]
    report = refreshed(report)
    assert (report.status, report.submitted_at, report.work_done) == (Status.DRAFT, None, "开展普法宣传活动2场。")
    event = last_event(report)
    assert (event.action, event.actor, event.from_status, event.to_status, event.created_at) == (
        Action.WITHDRAW, liaison, Status.SUBMITTED, Status.DRAFT, NOW
    )
    assert report.versions.count() == 1  # what was sent stays on record
    page = client.get(reverse("reports:report_detail", args=[report.pk])).content.decode()
    assert "撤回" in page and 'name="work_done"' in page


def test_a_report_withdrawn_before_the_deadline_and_sent_again_after_it_is_late(period):
    report, liaison = submitted(period)
    assert not report.is_late
    workflow.withdraw(report=report, by=liaison, at=ON_TIME)
    with pytest.raises(workflow.WorkflowError, match="逾期说明"):
        send(report, liaison, when=LATE)
    report = send(report, liaison, when=LATE, late_reason="撤回后补充材料。")
    assert report.is_late and report.submitted_at == LATE


def test_withdrawing_a_resubmission_after_a_return_goes_back_to_returned_and_keeps_the_first_time(period, office):
    report, liaison = submitted(period)
    workflow.return_report(report=report, by=office, at=ON_TIME, comment="请补充照片。")
    send(report, liaison, when=LATE)
    report = workflow.withdraw(report=report, by=liaison, at=NOW)
    assert (report.status, report.submitted_at, report.is_late) == (Status.RETURNED, ON_TIME, False)


def test_the_liaison_withdraws_a_report_waiting_for_the_unit_head(period):
    report, liaison = owed(period)
    person(Role.UNIT_HEAD, report.unit)
    report = send(report, liaison)
    assert report.status == Status.PENDING_SIGN_OFF
    assert workflow.withdraw(report=report, by=liaison, at=NOW).status == Status.DRAFT


@pytest.mark.parametrize("acted", ["accept", "return", "sign_off"])
def test_once_the_office_or_the_head_acted_the_liaison_cannot_withdraw(client, period, office, acted):
    report, liaison = owed(period)
    head = person(Role.UNIT_HEAD, report.unit)
    report = send(report, liaison)
    workflow.sign_off(report=report, by=head, at=ON_TIME)
    if acted == "accept":
        workflow.accept(report=report, by=office, at=ON_TIME)
    elif acted == "return":
        workflow.return_report(report=report, by=office, at=ON_TIME, comment="请补充。")
    client.force_login(liaison)
    assert reverse("reports:withdraw", args=[report.pk]) not in client.get(
        reverse("reports:report_detail", args=[report.pk])
    ).content.decode()
    before = refreshed(report)
    response = client.post(reverse("reports:withdraw", args=[report.pk]))
    assert said(response) == [
        "单位负责人已审核通过并提交办公室，不能再撤回。如需修改，请联系领导小组办公室退回。"
        if acted == "sign_off"
        else f"只能撤回已报送、尚未审核的报送；这份报送当前为“{before.get_status_display()}”，请刷新页面。"
    ]
    assert refreshed(report).status == before.status
    assert not report.events.filter(action=Action.WITHDRAW).exists()


def test_a_draft_cannot_be_withdrawn(period):
    report, liaison = owed(period)
    with pytest.raises(workflow.WorkflowError, match="草稿|未填报"):
        workflow.withdraw(report=report, by=liaison, at=NOW)


def test_a_report_past_its_lock_cannot_be_withdrawn_since_it_could_not_be_sent_again(period):
    period.rule.lock_after_days = 1
    period.rule.save()
    report, liaison = submitted(period)
    with pytest.raises(workflow.WorkflowError, match="已锁定"):
        workflow.withdraw(report=report, by=liaison, at=DUE + datetime.timedelta(days=1, seconds=1))
    assert refreshed(report).status == Status.SUBMITTED


def test_only_the_unit_may_withdraw_others_get_404(client, period, office, campaign):
    report, _ = submitted(period)
    _, other_liaison = owed(period)
    leader = person(Role.LEADER, campaign.issuing_unit)
    for user in (other_liaison, office, leader):
        client.force_login(user)
        assert client.post(reverse("reports:withdraw", args=[report.pk])).status_code == 404
    assert refreshed(report).status == Status.SUBMITTED


def test_withdraw_is_post_only(client, period):
    report, liaison = submitted(period)
    client.force_login(liaison)
    assert client.get(reverse("reports:withdraw", args=[report.pk])).status_code == 405


# 撤销审核 by the office


@pytest.mark.parametrize("review", ["accept", "return"])
def test_the_office_undoes_its_own_review_and_the_report_is_back_in_the_queue(client, period, office, review):
    report, _ = submitted(period)
    if review == "accept":
        workflow.accept(report=report, by=office, at=LATE)
    else:
        workflow.return_report(report=report, by=office, at=LATE, comment="请补充照片。")
    client.force_login(office)
    page = client.get(reverse("reports:report_detail", args=[report.pk])).content.decode()
    assert reverse("reports:undo_review", args=[report.pk]) in page
    response = client.post(reverse("reports:undo_review", args=[report.pk]))
    assert said(response)[0].startswith("已撤销审核：")
    assert refreshed(report).status == Status.SUBMITTED
    event = last_event(report)
    assert (event.action, event.actor, event.to_status, event.created_at) == (Action.UNDO_REVIEW, office, Status.SUBMITTED, NOW)
    assert event.comment == ("撤销审核通过" if review == "accept" else "撤销退回")
    workflow.accept(report=report, by=office, at=NOW)  # reviewed again as usual


def test_undo_is_allowed_up_to_the_window_and_refused_after_it(period, office, time_machine, settings):
    settings.REVIEW_UNDO_HOURS = 24
    report, _ = submitted(period)
    workflow.accept(report=report, by=office, at=LATE)
    edge = LATE + datetime.timedelta(hours=24)
    with pytest.raises(workflow.WorkflowError, match="审核已超过 24 小时，不能再撤销。"):
        workflow.undo_review(report=report, by=office, at=edge + datetime.timedelta(seconds=1))
    assert refreshed(report).status == Status.ACCEPTED
    assert workflow.undo_review(report=report, by=office, at=edge).status == Status.SUBMITTED


def test_the_undo_button_disappears_after_the_window(client, period, office, time_machine):
    report, _ = submitted(period)
    workflow.accept(report=report, by=office, at=NOW)
    client.force_login(office)
    time_machine.move_to(NOW + datetime.timedelta(hours=24, minutes=1), tick=False)
    page = client.get(reverse("reports:report_detail", args=[report.pk])).content.decode()
    assert reverse("reports:undo_review", args=[report.pk]) not in page


def test_a_colleague_cannot_undo_someone_elses_review(period, office):
    colleague = person(Role.OFFICE_STAFF, period.rule.campaign.office_unit)
    report, _ = submitted(period)
    workflow.accept(report=report, by=office, at=LATE)
    with pytest.raises(workflow.WorkflowError, match="只能撤销您本人的审核"):
        workflow.undo_review(report=report, by=colleague, at=NOW)


def test_undoing_a_return_is_refused_once_the_liaison_resubmitted_or_started_editing(period, office):
    report, liaison = submitted(period)
    workflow.return_report(report=report, by=office, at=LATE, comment="请补充照片。")
    report = refreshed(report)
    workflow.save_draft(report=report, by=liaison, at=LATE, expected_version=report.version, work_done="补充了照片。")
    with pytest.raises(workflow.WorkflowError, match="单位已开始修改"):
        workflow.undo_review(report=report, by=office, at=LATE)
    send(report, liaison, when=LATE)
    with pytest.raises(workflow.WorkflowError, match="已有新的办理"):
        workflow.undo_review(report=report, by=office, at=NOW)
    assert refreshed(report).status == Status.SUBMITTED
    assert not report.events.filter(action=Action.UNDO_REVIEW).exists()


def test_others_cannot_undo_leaders_get_403_other_offices_404(client, period, office, campaign):
    report, liaison = submitted(period)
    workflow.accept(report=report, by=office, at=LATE)
    leader = person(Role.LEADER, campaign.issuing_unit)
    stranger = person(Role.OFFICE_STAFF, CampaignFactory().office_unit)
    for user, code in ((leader, 403), (stranger, 404), (liaison, 403)):
        client.force_login(user)
        assert client.post(reverse("reports:undo_review", args=[report.pk])).status_code == code
    assert refreshed(report).status == Status.ACCEPTED


# Bulk acceptance: confirmation and batch undo


def bulk_accept(client, office, reports, *, confirmed=True):
    client.force_login(office)
    data = {"reports": [r.pk for r in reports], "next": "/review/?status=submitted"}
    if confirmed:
        data["confirmed"] = "1"
    return client.post(reverse("reports:review_queue"), data)


def test_bulk_acceptance_first_lists_what_will_happen_and_changes_nothing(client, period, office, django_assert_num_queries):
    reports = [submitted(period, short_name=f"单位{i}")[0] for i in range(3)]
    workflow.return_report(report=reports[2], by=office, at=LATE, comment="请补充。")
    client.force_login(office)
    data = {"reports": [r.pk for r in reports], "next": "/review/?status=submitted"}
    # The session and user, the campaigns and those the user manages, the
    # reports, and the base page's two (unread notifications, roles).
    with django_assert_num_queries(7):
        response = client.post(reverse("reports:review_queue"), data)
    page = response.content.decode()
    assert response.status_code == 200
    assert "确认审核通过 2 份" in page and "单位0" in page and "单位1" in page
    assert "下列 1 份已不是“已报送”状态" in page
    assert not Report.objects.filter(status=Status.ACCEPTED).exists()


def test_a_bulk_acceptance_is_one_batch_that_can_be_undone_together(client, period, office, django_assert_num_queries):
    reports = [submitted(period, short_name=f"单位{i}")[0] for i in range(3)]
    response = bulk_accept(client, office, reports)
    events = ReviewEvent.objects.filter(action=Action.ACCEPT)
    batches = set(events.values_list("batch", flat=True))
    assert len(batches) == 1 and None not in batches
    batch = batches.pop()
    assert response.url.startswith(reverse("reports:review_batch", args=[batch]))
    # The session and user, the batch, its reports' latest events, the base page's two.
    with django_assert_num_queries(6):
        page = client.get(response.url).content.decode()
    assert "撤销本次批量操作（3 份）" in page
    response = client.post(reverse("reports:undo_batch", args=[batch]), {"next": "/review/?status=submitted"})
    assert said(response) == ["已撤销本次批量操作：3 份报送回到“已报送”，可重新审核。"]
    assert {refreshed(r).status for r in reports} == {Status.SUBMITTED}
    assert ReviewEvent.objects.filter(action=Action.UNDO_REVIEW, actor=office).count() == 3
    assert "本次批量操作已不能撤销" in client.get(response.url).content.decode()


def test_a_batch_undo_leaves_what_moved_since_and_says_so(client, period, office):
    reports = [submitted(period, short_name=f"单位{i}")[0] for i in range(2)]
    response = bulk_accept(client, office, reports)
    batch = ReviewEvent.objects.filter(action=Action.ACCEPT).first().batch
    # One report undone and accepted again by hand: the batch no longer owns it.
    workflow.undo_review(report=reports[0], by=office, at=NOW)
    workflow.accept(report=reports[0], by=office, at=NOW)
    assert "撤销本次批量操作（1 份）" in client.get(response.url).content.decode()
    response = client.post(reverse("reports:undo_batch", args=[batch]))
    assert said(response) == [
        "已撤销本次批量操作：1 份报送回到“已报送”，可重新审核。",
        f"1 份未撤销：{reports[0].unit.display_name}“{reports[0].period}”：批量操作后这份报送已有新的办理，不能撤销。",
    ]
    assert (refreshed(reports[0]).status, refreshed(reports[1]).status) == (Status.ACCEPTED, Status.SUBMITTED)


def test_a_batch_cannot_be_undone_after_the_window(client, period, office, time_machine):
    reports = [submitted(period)[0] for _ in range(2)]
    bulk_accept(client, office, reports)
    batch = ReviewEvent.objects.filter(action=Action.ACCEPT).first().batch
    time_machine.move_to(NOW + datetime.timedelta(hours=24, seconds=1), tick=False)
    assert "本次批量操作已不能撤销" in client.get(reverse("reports:review_batch", args=[batch])).content.decode()
    response = client.post(reverse("reports:undo_batch", args=[batch]))
    assert "审核已超过 24 小时，不能再撤销。" in said(response)[0]
    assert {refreshed(r).status for r in reports} == {Status.ACCEPTED}


def test_someone_elses_batch_is_404(client, period, office):
    reports = [submitted(period)[0] for _ in range(2)]
    bulk_accept(client, office, reports)
    batch = ReviewEvent.objects.filter(action=Action.ACCEPT).first().batch
    colleague = person(Role.OFFICE_STAFF, period.rule.campaign.office_unit)
    client.force_login(colleague)
    assert client.get(reverse("reports:review_batch", args=[batch])).status_code == 404
    assert client.post(reverse("reports:undo_batch", args=[batch])).status_code == 404
    assert client.get(reverse("reports:review_batch", args=[uuid.uuid4()])).status_code == 404
    assert {refreshed(r).status for r in reports} == {Status.ACCEPTED}
