import datetime
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Max

from .models import Reminder


def chase_interval():
    return datetime.timedelta(seconds=settings.CHASE_INTERVAL_SECONDS)


@dataclass(frozen=True)
class LastChase:
    """When a unit was last chased (催报), and when it may be chased again."""

    at: datetime.datetime
    again_at: datetime.datetime
    waiting: bool  # chased within the interval: the office must wait until again_at
    by: object = None


def last_chases(*, unit_ids, at):
    """{unit id: LastChase} for the units that were ever chased, in one query."""
    rows = (
        Reminder.objects.filter(report__unit__in=unit_ids, kind__startswith="chase_")
        .values("report__unit")
        .annotate(last=Max("created_at"))
        .values_list("report__unit", "last")
    )
    interval = chase_interval()
    return {unit_id: LastChase(at=last, again_at=last + interval, waiting=last + interval > at) for unit_id, last in rows}


def last_chase(*, unit_id, at):
    """The unit's last chase with who sent it, for the report page; or None."""
    reminder = (
        Reminder.objects.filter(report__unit=unit_id, kind__startswith="chase_")
        .select_related("sent_by")
        .order_by("-created_at")
        .first()
    )
    if reminder is None:
        return None
    again_at = reminder.created_at + chase_interval()
    return LastChase(at=reminder.created_at, again_at=again_at, waiting=again_at > at, by=reminder.sent_by)
