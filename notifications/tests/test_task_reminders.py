"""Reminders of a supervised task's deadline (任务督办) to its lead unit's
liaisons, before and after it, counted in working days, exactly once."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from calendars.models import CalendarDay
from campaigns.models import Campaign, Membership
from campaigns.tests.factories import CampaignFactory, MembershipFactory, UnitFactory, UserFactory
from notifications import reminders
from notifications.models import Notification, Reminder
from notifications.tests.test_sweep import local
from reports import deadlines
from tasks.models import Task
from tasks.tests.factories import TaskFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    office_unit = UnitFactory(name="领导小组办公室")
    campaign = CampaignFactory(office_unit=office_unit, starts_on=datetime.date(2026, 1, 1), status=Campaign.Status.ACTIVE)
    unit = UnitFactory(name="区卫生监督所")
    people = {}
    for role, name, where in (
        (Membership.Role.LIAISON, "liaison1", unit),
        (Membership.Role.UNIT_HEAD, "head1", unit),
        (Membership.Role.OFFICE_STAFF, "office1", office_unit),
    ):
        people[name] = UserFactory(username=name)
        MembershipFactory(unit=where, role=role, user=people[name])
    # Due on Saturday 14 March: it falls due on Monday 16 March.
    task = TaskFactory(campaign=campaign, lead_unit=unit, title="出台实施细则", due_on=datetime.date(2026, 3, 14))
    return campaign, unit, task, people


def sent_kinds():
    return sorted(Reminder.objects.filter(task__isnull=False).values_list("recipient__username", "kind"))


def test_reminders_before_on_and_after_the_deadline_exactly_once(world):
    campaign, unit, task, people = world
    reminders.sweep(at=local(2026, 3, 6, 9, 0))  # 6 working days left: nothing yet
    assert sent_kinds() == []
    reminders.sweep(at=local(2026, 3, 9, 9, 0))  # 5 working days left
    reminders.sweep(at=local(2026, 3, 10, 9, 0))  # 4 left: the 5-day reminder went already
    assert sent_kinds() == [("liaison1", "task_before_5wd")]
    reminders.sweep(at=local(2026, 3, 13, 9, 0))
    reminders.sweep(at=local(2026, 3, 14, 9, 0))  # Saturday: no reminders
    reminders.sweep(at=local(2026, 3, 16, 9, 0))
    reminders.sweep(at=local(2026, 3, 16, 15, 0))
    reminders.sweep(at=local(2026, 3, 17, 9, 0))
    assert sent_kinds() == [
        ("liaison1", "task_before_1wd"),
        ("liaison1", "task_before_5wd"),
        ("liaison1", "task_due"),
        ("liaison1", "task_overdue_1wd"),
    ]
    reminders.sweep(at=local(2026, 3, 23, 9, 0))  # 5 working days late: escalated to the head and the office
    assert ("head1", "escalation") in sent_kinds() and ("office1", "escalation") in sent_kinds()
    assert ("liaison1", "task_overdue_5wd") in sent_kinds()
    message = Notification.objects.filter(recipient=people["office1"]).get()
    assert "督办提醒" in message.title and "出台实施细则" in message.body and "请督促" in message.body
    assert Reminder.objects.filter(task=task).count() == 7


def test_a_holiday_moves_the_deadline_and_the_working_days(world):
    campaign, unit, task, people = world
    CalendarDay.objects.create(date=datetime.date(2026, 3, 16), is_working=False)
    reminders.sweep(at=local(2026, 3, 16, 9, 0))
    assert sent_kinds() == []
    reminders.sweep(at=local(2026, 3, 17, 9, 0))
    assert sent_kinds() == [("liaison1", "task_due")]


def test_no_reminder_once_applied_for_or_in_a_draft_campaign(world):
    campaign, unit, task, people = world
    deadlines.declare(task=task, by=people["liaison1"], at=local(2026, 3, 12, 9, 0), text="已完成")
    reminders.sweep(at=local(2026, 3, 13, 9, 0))
    assert sent_kinds() == []
    Task.objects.filter(pk=task.pk).update(status="open", declared_at=None)
    Campaign.objects.filter(pk=campaign.pk).update(status=Campaign.Status.DRAFT)
    reminders.sweep(at=local(2026, 3, 13, 9, 0))
    assert sent_kinds() == []


def test_the_sweep_costs_the_same_queries_whatever_the_number_of_tasks(world):
    campaign, unit, task, people = world
    counts = []
    for day in (16, 17):
        with CaptureQueriesContext(connection) as queries:
            reminders.due_reminders(at=local(2026, 3, day, 9, 0))
        counts.append(len(queries))
        for _ in range(10):
            TaskFactory(campaign=campaign, lead_unit=unit, due_on=datetime.date(2026, 3, 13))
    assert counts[0] == counts[1]
