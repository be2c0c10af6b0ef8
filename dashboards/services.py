"""The office's writes that reach across apps from the dashboards' pages."""

from collections import defaultdict

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from campaigns.models import Campaign, Membership
from notifications.services import Message, notify_each
from reports import services as report_services

MOVED_TITLE = "报送截止时间已按节假日安排调整"


@transaction.atomic
def load_holiday_notice(*, notice, text, at):
    """Load a State Council holiday notice (`calendars.notice.read_notice`),
    move the deadlines it changes and tell each unit whose deadlines moved,
    once: its liaisons and head get one message listing them.

    All or nothing. Returns (moved deadlines, number of units told).
    """
    moved = report_services.load_holiday_notice(notice=notice, text=text, at=at)
    by_unit = defaultdict(list)
    for move in moved:
        by_unit[move.campaign_id, move.unit_id].append(move)
    if not by_unit:
        return moved, 0
    campaigns = Campaign.objects.in_bulk({campaign_id for campaign_id, _ in by_unit})
    people = defaultdict(list)
    for membership in (
        Membership.objects.filter(
            unit__in={unit_id for _, unit_id in by_unit},
            role__in=[Membership.Role.LIAISON, Membership.Role.UNIT_HEAD],
            is_active=True,
            user__is_active=True,
        )
        .select_related("user")
        .order_by("user__username")
    ):
        people[membership.unit_id].append(membership.user)
    url = reverse("reports:unit_home")
    messages = []
    for (campaign_id, unit_id), moves in sorted(by_unit.items()):
        body = f"根据国务院办公厅{notice.year}年节假日安排，以下报送的截止时间已调整：\n" + "\n".join(
            f"{move.period}：{_moment(move.old_due_at)} 改为 {_moment(move.new_due_at)}"
            for move in sorted(moves, key=lambda m: (m.new_due_at, m.period))
        )
        told = set()
        for user in people[unit_id]:
            if user.pk not in told:
                told.add(user.pk)
                messages.append(
                    Message(
                        recipient_id=user.pk,
                        title=MOVED_TITLE,
                        body=body,
                        url=url,
                        campaign=campaigns[campaign_id],
                        unit_id=unit_id,
                        email=user.email,
                    )
                )
    notify_each(messages=messages, at=at)
    return moved, len({unit_id for _, unit_id in by_unit})


def _moment(value):
    value = timezone.localtime(value)
    return f"{value.month}月{value.day}日 {value:%H:%M}"
