"""Rectification items are reminded by the report reminders' sweep: before,
at and after the deadline, exactly once, on working days, through the same
notifications and deliveries."""

import datetime

import pytest

from calendars.models import CalendarDay
from notifications import reminders
from notifications.models import Delivery, Notification, Reminder
from supervision import services
from supervision.models import RectificationItem

# The supervision tests' world: a campaign, two units with a liaison each, a
# unit head, office staff, and a weekly rule (24 h and 2 h before, escalation after 3 days).
from supervision.tests.conftest import clock, local, record, setting  # noqa: F401


@pytest.fixture
def item(setting):
    """Due Friday 16 January 2026, 18:00 (the weekly rule: 24 h and 2 h before, escalation after 3 days)."""
    record(setting, findings=[services.FindingInput(setting.unit, "公示栏信息未更新。", "更新公示栏信息。", datetime.date(2026, 1, 16))])
    return RectificationItem.objects.get()


def item_reminders():
    return sorted(
        Reminder.objects.filter(rectification__isnull=False).values_list("recipient__username", "kind", "rectification")
    )


def test_the_liaison_is_reminded_a_day_before_exactly_once_across_two_sweeps(setting, item):
    at = local(2026, 1, 15, 19, 0)

    reminders.sweep(at=at)
    reminders.sweep(at=at + datetime.timedelta(minutes=5))

    assert item_reminders() == [("liaison", "before_24h", item.pk)]
    reminder = Reminder.objects.get(rectification=item)
    notification = reminder.notification
    assert notification.recipient == setting.liaison
    assert "整改事项“更新公示栏信息。”" in notification.body
    assert notification.body.count("更新公示栏信息") == 1
    channels = set(Delivery.objects.filter(notification=notification).values_list("channel", flat=True))
    assert Delivery.Channel.IN_APP in channels


def test_nothing_is_sent_on_a_holiday_and_the_overdue_reminder_waits_for_the_working_day(setting, item):
    CalendarDay.objects.create(date=datetime.date(2026, 1, 19), is_working=False, name="测试假日")

    reminders.sweep(at=local(2026, 1, 17, 10, 0))  # Saturday
    reminders.sweep(at=local(2026, 1, 19, 10, 0))  # the holiday
    assert item_reminders() == []

    reminders.sweep(at=local(2026, 1, 20, 10, 0))
    reminders.sweep(at=local(2026, 1, 20, 10, 5))
    assert item_reminders() == sorted(
        [("liaison", "overdue_3d", item.pk), ("head", "escalation", item.pk), ("office", "escalation", item.pk)]
    )


def test_a_closed_or_submitted_item_is_not_reminded(setting, item):
    services.submit_response(item=item, by=setting.liaison, at=local(2026, 1, 14, 9, 0), text="已更新。")
    reminders.sweep(at=local(2026, 1, 15, 19, 0))
    assert item_reminders() == []

    services.verify(item=item, by=setting.office, at=local(2026, 1, 14, 10, 0))
    reminders.sweep(at=local(2026, 1, 19, 10, 0))
    assert item_reminders() == []


def test_a_rejected_item_is_reminded_again(setting, item):
    services.submit_response(item=item, by=setting.liaison, at=local(2026, 1, 14, 9, 0), text="已更新。")
    services.reject(item=item, by=setting.office, at=local(2026, 1, 14, 10, 0), reason="照片不清楚。")

    reminders.sweep(at=local(2026, 1, 16, 18, 30))

    assert item_reminders() == [("liaison", "due", item.pk)]
    notification = Reminder.objects.get(rectification=item).notification
    assert "整改期限已于 1月16日 18:00 截止" in notification.body


def test_the_dry_run_lists_items_with_their_unit(setting, item, capsys):
    from io import StringIO

    from django.core.management import call_command

    out = StringIO()
    call_command("send_reminders", "--dry-run", "--at", "2026-01-15T19:00", stdout=out)

    assert f"liaison\tbefore_24h\t区卫生监督所\t整改事项{item.pk}" in out.getvalue().splitlines()


def test_the_database_keeps_a_reminder_to_exactly_one_target(setting, item, refused_by):
    from notifications.models import new_token

    with refused_by(Reminder, "reminder_one_target"):
        Reminder.objects.create(
            report=setting.report, rectification=item, kind="due", recipient=setting.liaison, sweep=new_token()
        )
    with refused_by(Reminder, "reminder_one_target"):
        Reminder.objects.create(kind="due", recipient=setting.liaison, sweep=new_token())
