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
from core.errors import Refused
from reports.models import Report

from . import jobs, reminders
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
        transaction.on_commit(lambda: _send_now(ids))
    robots = sum(1 for _, channel in queued if channel in (Delivery.Channel.WECOM, Delivery.Channel.DINGTALK))
    return Chased(reminders=claimed, delivery_ids=ids, robot_posts=robots)


def _send_now(ids):
    if not ids:
        return
    try:
        jobs.send_deliveries.delay(ids)
    except Exception:  # noqa: BLE001 - the per-minute send_deliveries job sends them anyway
        logger.exception("Could not queue the chase's deliveries %s; the periodic job will send them", ids)
