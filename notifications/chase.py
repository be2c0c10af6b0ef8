"""催报: the office reminds a late unit at once, outside the sweep's rhythm.

A chase is a reminder like the sweep's, of kind "chase_<n>" where n numbers
the CHASE_INTERVAL_SECONDS window it falls in: two colleagues pressing the
button at the same moment claim it once (the reminder's unique constraint),
and a unit is chased at most once per interval.
"""

import logging
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from campaigns.models import Membership
from core import outbox
from core.errors import Refused
from reports.models import Report

from . import reminders
from .models import Delivery
from .selectors import last_chases

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Chased:
    reminders: list  # reminders.Due, one per person reminded
    delivery_ids: list  # e-mails and robot posts, sent once the transaction commits
    robot_posts: int


class ChaseRefused(Refused):
    """催报 refused (too soon, nothing overdue, not the office's campaign)."""


def chase_kind(at):
    return f"chase_{int(at.timestamp() // settings.CHASE_INTERVAL_SECONDS)}"


def chase_recipients(report):
    """The unit's active liaisons and head, each once."""
    people = {}
    for membership in (
        Membership.objects.filter(
            unit=report.unit_id,
            role__in=[Membership.Role.LIAISON, Membership.Role.UNIT_HEAD],
            is_active=True,
            user__is_active=True,
        )
        .select_related("user")
        .order_by("role", "user__username")
    ):
        people.setdefault(membership.user.pk, membership.user)
    return list(people.values())


def _moment(value):
    value = timezone.localtime(value)
    return f"{value.month}月{value.day}日 {value:%H:%M}"


def refusal(report, *, at):
    """Why `report` cannot be chased at `at` whoever asks, or None."""
    if report.status not in Report.OWED_STATUSES:
        return f"{report.unit.display_name}本期无需催报：当前状态为“{report.get_status_display()}”。"
    if at <= report.due_at:
        return f"本期报送 {_moment(report.due_at)} 才截止，尚未逾期，不能催报；截止前系统会自动提醒。"
    if report.is_locked(at):
        return "本期报送已锁定，单位已不能报送。如需补报，请先“重新开放”，再催报。"
    return None


def chase(*, report, by, at):
    """Remind the unit's liaisons and head of `report` now, on every channel.

    `report` comes with its unit and period__rule__campaign. Returns what
    was sent (Chased); raises ChaseRefused with a sentence for the office
    when the report is not owed, not late or locked, when the unit was
    chased within the interval, or when it has nobody to remind.
    """
    refused = refusal(report, at=at)
    if refused:
        raise ChaseRefused(refused)
    previous = last_chases(unit_ids=[report.unit_id], at=at).get(report.unit_id)
    if previous and previous.waiting:
        hours = f"{settings.CHASE_INTERVAL_SECONDS / 3600:g}"
        raise ChaseRefused(
            f"已于 {_moment(previous.at)} 催报过该单位，请 {hours} 小时后（{_moment(previous.again_at)} 以后）再催报。"
        )
    people = chase_recipients(report)
    if not people:
        raise ChaseRefused(
            f"{report.unit.display_name}还没有联络员或单位负责人的账号，无法催报。请系统管理员在管理后台“人员角色”中添加。"
        )
    kind = chase_kind(at)
    due = [reminders.Due(report, kind, user.pk, user.username, str(user), user.email) for user in people]
    with transaction.atomic():
        claimed = reminders.claim_and_notify(due, at=at, sent_by=by)
        if not claimed:
            # A colleague chased the same report in the same window a moment ago.
            raise ChaseRefused("该单位刚刚已被催报（可能是同事同时操作），请稍后刷新页面查看。")
        queued = [(d.pk, d.channel) for d in claimed.deliveries if d.status == Delivery.Status.PENDING]
        ids = [pk for pk, _ in queued]
        send_soon(ids)
    robots = sum(1 for _, channel in queued if channel in (Delivery.Channel.WECOM, Delivery.Channel.DINGTALK))
    return Chased(reminders=claimed, delivery_ids=ids, robot_posts=robots)


def send_soon(ids):
    """Queue the sending of these deliveries in the chase's transaction (the
    outbox): sent once it commits, or by the relay when the broker is back."""
    if ids:
        outbox.enqueue("notifications.jobs.send_deliveries", kwargs={"ids": ids})


# 催报 of many units at once: per period, or the whole overdue list.


@dataclass(frozen=True)
class UnitChase:
    """One unit a bulk chase reminds: its overdue reports and its people."""

    unit: object
    reports: list
    people: list


@dataclass(frozen=True)
class BulkChase:
    chased: list  # UnitChase, one per unit reminded (or to remind, in a plan)
    skipped: list  # (report, why), in the order of the list
    delivery_ids: list


def chase_plan(*, reports, at):
    """Who a chase of `reports` at `at` would remind, and whom it skips and
    why (not owed, not late, locked, chased within CHASE_INTERVAL_SECONDS,
    nobody to remind), in three queries and writing nothing: the
    confirmation page shows it, and `chase_many` acts on it."""
    reports = list(
        reports.select_related("unit", "period__rule__campaign")
        .defer("work_done", "problems", "next_steps", "late_reason")
        .order_by("unit__sort_order", "unit__name", "unit_id", "due_at", "pk")
    )
    skipped, owing = [], {}
    for report in reports:
        refused = refusal(report, at=at)
        if refused:
            skipped.append((report, refused))
        else:
            owing.setdefault(report.unit_id, []).append(report)
    previous = last_chases(unit_ids=list(owing), at=at)
    people = _recipients_by_unit(list(owing))
    chased = []
    for unit_id, unit_reports in owing.items():
        last = previous.get(unit_id)
        if last and last.waiting:
            why = f"已于 {_moment(last.at)} 催报过，{_moment(last.again_at)} 以后才能再次催报。"
        elif not people.get(unit_id):
            why = "还没有联络员或单位负责人的账号，无法催报。请系统管理员在管理后台“人员角色”中添加。"
        else:
            chased.append(UnitChase(unit=unit_reports[0].unit, reports=unit_reports, people=people[unit_id]))
            continue
        skipped.extend((report, why) for report in unit_reports)
    return BulkChase(chased=chased, skipped=skipped, delivery_ids=[])


def _recipients_by_unit(unit_ids):
    """{unit id: its active liaisons and head, each once}, in one query."""
    people = {}
    for membership in (
        Membership.objects.filter(
            unit__in=unit_ids,
            role__in=[Membership.Role.LIAISON, Membership.Role.UNIT_HEAD],
            is_active=True,
            user__is_active=True,
        )
        .select_related("user")
        .order_by("unit", "role", "user__username")
    ):
        people.setdefault(membership.unit_id, {}).setdefault(membership.user.pk, membership.user)
    return {unit_id: list(users.values()) for unit_id, users in people.items()}


def chase_many(*, reports, by, at):
    """Chase every unit of `reports` that may be chased now, each once, all
    in one claim: one message per person (naming all the unit's overdue
    periods), one robot post per campaign. The units skipped, and why, come
    back with those chased. The database keeps it exactly once: a unit a
    colleague chased a moment ago is claimed by one of the two only (the
    reminder's unique constraint), and the other lists it as skipped."""
    plan = chase_plan(reports=reports, at=at)
    kind = chase_kind(at)
    due = [
        reminders.Due(report, kind, user.pk, user.username, str(user), user.email)
        for unit in plan.chased
        for report in unit.reports
        for user in unit.people
    ]
    with transaction.atomic():
        claimed = reminders.claim_and_notify(due, at=at, sent_by=by)
        claimed_units = {item.report.unit_id for item in claimed}
        queued = [d.pk for d in claimed.deliveries if d.status == Delivery.Status.PENDING]
        send_soon(queued)
    chased = [unit for unit in plan.chased if unit.unit.pk in claimed_units]
    raced = [
        (report, "刚刚已被催报（可能是同事同时操作）。")
        for unit in plan.chased
        if unit.unit.pk not in claimed_units
        for report in unit.reports
    ]
    return BulkChase(chased=chased, skipped=plan.skipped + raced, delivery_ids=queued)
