"""Reminders before, at and after the deadline: to the right people, exactly once."""

import datetime
import io
import threading
import zoneinfo

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command
from django.db import connection

from campaigns.models import Membership
from campaigns.tests.factories import CampaignFactory, MembershipFactory, UnitFactory, UserFactory
from notifications import deliveries, reminders
from notifications.models import Delivery, Notification, Reminder
from reports import workflow
from reports.models import Report
from reports.services import generate_periods
from reports.tests.factories import ReportingRuleFactory
from tasks.tests.factories import TaskFactory

SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")


def local(*args):
    return datetime.datetime(*args, tzinfo=SHANGHAI)


@pytest.fixture
def office_unit(db):
    return UnitFactory(name="领导小组办公室")


@pytest.fixture
def campaign(office_unit):
    return CampaignFactory(office_unit=office_unit, starts_on=datetime.date(2026, 1, 1))


@pytest.fixture
def people(campaign, office_unit):
    """Two units with a liaison each; the first also has a head. One office clerk."""
    first, second = UnitFactory(name="区卫生监督所"), UnitFactory(name="区卫健委宣传科")
    TaskFactory(campaign=campaign, lead_unit=first).co_units.add(second)

    def member(unit, role, username):
        user = UserFactory(username=username, email=f"{username}@example.com")
        MembershipFactory(unit=unit, role=role, user=user)
        return user

    return {
        "first": first,
        "second": second,
        "liaison": member(first, Membership.Role.LIAISON, "liaison1"),
        "liaison2": member(second, Membership.Role.LIAISON, "liaison2"),
        "head": member(first, Membership.Role.UNIT_HEAD, "head1"),
        "office": member(office_unit, Membership.Role.OFFICE_STAFF, "office1"),
    }


@pytest.fixture
def rule(campaign, people):
    """Weekly, Tuesday 17:30; periods up to the week of 2026-03-10."""
    rule = ReportingRuleFactory(campaign=campaign, weekday=2, starts_on=datetime.date(2026, 3, 4))
    generate_periods(rule=rule, through=datetime.date(2026, 3, 10))
    return rule


def report_of(unit, rule):
    return Report.objects.get(unit=unit, period__rule=rule)


def dry(at):
    return sorted((item.recipient_username, item.kind, item.report.unit.name) for item in reminders.due_reminders(at=at))


# Deadline: Tuesday 2026-03-10 17:30. Lead times 24 h and 2 h; escalation after 3 days.


def test_a_week_of_reminders_before_at_and_after_the_deadline(rule, people):
    assert dry(local(2026, 3, 9, 9, 0)) == [], "more than a day before: nothing"
    assert dry(local(2026, 3, 9, 18, 0)) == [
        ("liaison1", "before_24h", "区卫生监督所"),
        ("liaison2", "before_24h", "区卫健委宣传科"),
    ]
    reminders.sweep(at=local(2026, 3, 9, 18, 0))
    assert dry(local(2026, 3, 10, 12, 0)) == [], "24-hour reminder already sent, 2-hour one not yet due"
    assert [k for _, k, _ in dry(local(2026, 3, 10, 16, 0))] == ["before_2h", "before_2h"]
    reminders.sweep(at=local(2026, 3, 10, 16, 0))
    assert [k for _, k, _ in dry(local(2026, 3, 10, 17, 35))] == ["due", "due"]
    reminders.sweep(at=local(2026, 3, 10, 17, 35))
    assert [k for _, k, _ in dry(local(2026, 3, 11, 18, 0))] == ["overdue_1d", "overdue_1d"]
    reminders.sweep(at=local(2026, 3, 11, 18, 0))
    assert dry(local(2026, 3, 11, 19, 0)) == [], "one overdue reminder a day"
    escalation = dry(local(2026, 3, 13, 18, 0))
    assert ("head1", "escalation", "区卫生监督所") in escalation
    assert ("office1", "escalation", "区卫生监督所") in escalation
    assert ("office1", "escalation", "区卫健委宣传科") in escalation
    assert ("liaison1", "overdue_3d", "区卫生监督所") in escalation
    assert not [row for row in escalation if row[0] == "liaison1" and row[1] == "escalation"]


def test_nothing_for_a_report_submitted_exempt_or_extended(rule, people):
    submitted = report_of(people["first"], rule)
    workflow.save_draft(report=submitted, by=people["liaison"], at=local(2026, 3, 9, 9, 0), expected_version=1, work_done="开展宣传活动两场。")
    workflow.submit(report=submitted, by=people["liaison"], at=local(2026, 3, 9, 10, 0))
    exempt = report_of(people["second"], rule)
    workflow.exempt(report=exempt, by=people["office"], at=local(2026, 3, 9, 10, 0), reason="集中培训")
    assert dry(local(2026, 3, 9, 18, 0)) == []
    assert dry(local(2026, 3, 12, 18, 0)) == []


def test_an_extension_moves_the_reminders_with_the_deadline(rule, people):
    report = report_of(people["first"], rule)
    request = workflow.request_extension(
        report=report, by=people["liaison"], at=local(2026, 3, 9, 9, 0), until=local(2026, 3, 13, 17, 30), reason="专项检查"
    )
    workflow.decide_extension(request=request, by=people["office"], at=local(2026, 3, 9, 10, 0), grant=True)
    kinds = [(user, kind) for user, kind, unit in dry(local(2026, 3, 10, 17, 35)) if unit == "区卫生监督所"]
    assert kinds == [], "not due: extended to Friday"
    kinds = [(user, kind) for user, kind, unit in dry(local(2026, 3, 13, 16, 0)) if unit == "区卫生监督所"]
    assert kinds == [("liaison1", "before_2h")]


def test_sweeping_twice_sends_nothing_the_second_time(rule, people):
    at = local(2026, 3, 11, 18, 0)
    first = reminders.sweep(at=at)
    second = reminders.sweep(at=at)
    assert len(first) == 2
    assert second == []
    assert Reminder.objects.count() == 2
    assert Notification.objects.count() == 2


def test_two_sweeps_that_computed_the_same_work_claim_it_once(rule, people):
    # Both workers read the due reminders before either wrote: the database decides.
    at = local(2026, 3, 11, 18, 0)
    seen_by_first, seen_by_second = reminders.due_reminders(at=at), reminders.due_reminders(at=at)
    claimed_first = reminders.claim_and_notify(seen_by_first, at=at)
    claimed_second = reminders.claim_and_notify(seen_by_second, at=at)
    assert len(claimed_first) == 2 and claimed_second == []
    assert Delivery.objects.filter(channel="email").count() == 2


@pytest.mark.django_db(transaction=True)
def test_concurrent_sweeps_in_two_threads_send_each_reminder_once(rule, people):
    at = local(2026, 3, 13, 18, 0)
    expected = len(reminders.due_reminders(at=at))
    results, errors = [], []
    barrier = threading.Barrier(2)

    def run():
        try:
            barrier.wait()
            results.append(len(reminders.sweep(at=at)))
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    # On SQLite one writer may be refused while the other holds the lock: that
    # sweep sends nothing, which is the point. No reminder is ever doubled.
    assert sum(results) == expected
    assert Reminder.objects.count() == expected
    assert all("locked" in str(error) for error in errors), errors


def test_one_digest_per_person_per_sweep(rule, people, campaign):
    second_rule = ReportingRuleFactory(campaign=campaign, name="月报", cadence="monthly", weekday=None, day_of_month=10, starts_on=datetime.date(2026, 2, 1))
    generate_periods(rule=second_rule, through=datetime.date(2026, 3, 10))
    claimed = reminders.sweep(at=local(2026, 3, 11, 18, 0))
    mine = [item for item in claimed if item.recipient_username == "liaison1"]
    assert len(mine) == 2, "the weekly and the monthly report"
    notification = Notification.objects.get(recipient=people["liaison"])
    assert "周报" in notification.body and "月报" in notification.body
    assert Delivery.objects.filter(recipient=people["liaison"], channel="email").count() == 1


def test_the_email_digest_is_sent_and_recorded(rule, people):
    reminders.sweep(at=local(2026, 3, 11, 18, 0))
    counts = deliveries.send_due(at=local(2026, 3, 11, 18, 0))
    assert counts == {"sent": 2, "failed": 0, "retry": 0}
    assert sorted(message.to[0] for message in mail.outbox) == ["liaison1@example.com", "liaison2@example.com"]
    assert "逾期1天" in mail.outbox[0].body
    assert set(Delivery.objects.filter(channel="email").values_list("status", flat=True)) == {"sent"}
    assert deliveries.send_due(at=local(2026, 3, 11, 18, 5)) == {"sent": 0, "failed": 0, "retry": 0}
    assert len(mail.outbox) == 2


def test_a_failed_email_is_retried_and_then_marked_failed_with_its_error(rule, people, settings):
    settings.EMAIL_BACKEND = "notifications.tests.failing_mail.Backend"
    reminders.sweep(at=local(2026, 3, 11, 18, 0))
    at = local(2026, 3, 11, 18, 0)
    for _ in range(deliveries.MAX_ATTEMPTS):
        deliveries.send_due(at=at)
        at += datetime.timedelta(days=1)
    email = Delivery.objects.filter(channel="email").first()
    assert email.status == "failed"
    assert email.attempts == deliveries.MAX_ATTEMPTS
    assert "SMTP 服务器拒绝" in email.last_error


def test_a_sender_that_died_mid_send_is_released_after_the_lease(rule, people):
    reminders.sweep(at=local(2026, 3, 11, 18, 0))
    Delivery.objects.filter(channel="email").update(status="sending", claimed_at=local(2026, 3, 11, 18, 0))
    assert deliveries.send_due(at=local(2026, 3, 11, 18, 5))["sent"] == 0, "still within the lease"
    assert deliveries.send_due(at=local(2026, 3, 11, 18, 30))["sent"] == 2


def test_no_routine_reminders_on_a_holiday_or_weekend(campaign, people):
    # Deadline Wednesday 2026-09-30 17:30; 2026-10-01..07 is the National Day holiday.
    rule = ReportingRuleFactory(campaign=campaign, weekday=3, starts_on=datetime.date(2026, 9, 24), shift_holidays=False)
    generate_periods(rule=rule, through=datetime.date(2026, 9, 30))
    assert dry(local(2026, 10, 2, 10, 0)) == []
    assert dry(local(2026, 10, 4, 10, 0)) == []
    # The first working day after the holiday is a Thursday.
    assert [kind for _, kind, _ in dry(local(2026, 10, 8, 10, 0)) if kind.startswith("overdue")] == ["overdue_7d", "overdue_7d"]


def test_a_make_up_working_saturday_gets_reminders(campaign, people):
    # Saturday 2026-10-10 is a make-up working day (调休).
    rule = ReportingRuleFactory(campaign=campaign, weekday=5, starts_on=datetime.date(2026, 10, 3), shift_holidays=False)
    generate_periods(rule=rule, through=datetime.date(2026, 10, 9))
    assert [kind for _, kind, _ in dry(local(2026, 10, 10, 10, 0))] == ["due", "due"]
    assert dry(local(2026, 10, 11, 10, 0)) == [], "Sunday"


def test_send_reminders_dry_run_prints_one_line_per_reminder_then_the_count(rule, people):
    out = io.StringIO()
    call_command("send_reminders", "--dry-run", "--at", "2026-03-11T18:00", stdout=out)
    lines = out.getvalue().splitlines()
    assert lines[-1] == "2 reminders"
    assert ["liaison1", "overdue_1d", "区卫生监督所", str(report_of(people["first"], rule).period)] in [
        line.split("\t") for line in lines[:-1]
    ]
    call_command("send_reminders", "--at", "2026-03-11T18:00", stdout=io.StringIO())
    out = io.StringIO()
    call_command("send_reminders", "--dry-run", "--at", "2026-03-11T18:00", stdout=out)
    assert out.getvalue().splitlines() == ["0 reminders"]


def test_send_reminders_refuses_a_bad_time(db):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="时间格式不正确"):
        call_command("send_reminders", "--dry-run", "--at", "下周二")


@pytest.mark.parametrize("size", [(6, 8), (24, 30)])
def test_a_sweep_on_city_scale_data_costs_the_same_queries_whatever_its_size(db, size, django_assert_max_num_queries):
    units, tasks = size
    with time_machine.travel(local(2026, 11, 24, 9, 0), tick=False):
        call_command("seed_scale", "--units", str(units), "--tasks", str(tasks), "--weeks", "6", stdout=io.StringIO())
        # 17: one more than before rectification items were reminded (the item query);
        # 18: one more for the supervised tasks (任务督办).
        with django_assert_max_num_queries(18):
            claimed = reminders.sweep()
    assert claimed, "the scale data has overdue and due reports"
