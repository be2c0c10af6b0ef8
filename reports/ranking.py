"""The units ranked on outcomes: submission rate, on-time rate and task
progress of the reports that fell due in a month. Shared by the dashboard's
ranking and the monthly evaluation (综合评定); never app activity.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Avg, F, OuterRef, Subquery

from campaigns.models import Unit
from core.dates import month_bounds

from . import rates
from .models import Report, TaskProgress

SENT = [Report.Status.SUBMITTED, Report.Status.ACCEPTED]


@dataclass
class RankedUnit:
    unit: object
    rates: rates.Rates
    progress: Decimal  # average percent of the unit's last sent report in the month, or None
    rank: int = 0


def unit_ranking(*, campaign, month, at):
    """The units ordered by submission rate, on-time rate and task progress
    over the reports whose period fell due in `month` (3 queries)."""
    start, end = month_bounds(month)
    reports = Report.objects.filter(period__rule__campaign=campaign, period__due_at__gte=start, period__due_at__lt=end)
    by_unit = rates.by_unit(reports, at=at)
    sent = reports.filter(status__in=SENT).order_by()
    last_sent = sent.filter(unit=OuterRef("unit")).order_by("-period__due_at", "-pk").values("pk")[:1]
    last_ids = sent.alias(last=Subquery(last_sent)).filter(pk=F("last")).values("pk")
    progress = dict(
        TaskProgress.objects.filter(report__in=last_ids)
        .values("report__unit")
        .annotate(average=Avg("percent"))
        .values_list("report__unit", "average")
    )
    units = Unit.objects.filter(pk__in=list(by_unit)).order_by("sort_order", "name")
    ranked = [
        RankedUnit(
            unit,
            by_unit[unit.pk],
            None if progress.get(unit.pk) is None else Decimal(progress[unit.pk]).quantize(Decimal("0.1")),
        )
        for unit in units
    ]

    def key(row):
        missing = Decimal(-1)
        return (
            -(row.rates.submission_rate if row.rates.submission_rate is not None else missing),
            -(row.rates.on_time_rate if row.rates.on_time_rate is not None else missing),
            -(row.progress if row.progress is not None else missing),
            row.unit.sort_order,
            row.unit.name,
        )

    ranked.sort(key=key)
    previous, rank = None, 0
    for position, row in enumerate(ranked, start=1):
        this = key(row)[:3]
        if this != previous:
            rank, previous = position, this
        row.rank = rank
    return ranked
