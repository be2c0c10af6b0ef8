"""The units ranked on outcomes: submission rate and on-time rate of the
reports that fell due in a month, and task progress as of the month's last
day (reports.progress: the mean over the tasks the unit leads). Shared by the dashboard's
ranking and the monthly evaluation (综合评定); never app activity.
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from campaigns.models import Unit
from core.dates import month_bounds

from . import rates
from .models import Report
from .progress import campaign_progress


@dataclass
class RankedUnit:
    unit: object
    rates: rates.Rates
    progress: Decimal  # the unit's task progress at the month's end (reports.progress), None when it leads no task
    rank: int = 0


def unit_ranking(*, campaign, month, at):
    """The units ordered by submission rate and on-time rate over the
    reports whose period fell due in `month`, then by task progress as of
    the month's last day (4 queries, 5 when a task has no figure in its
    lead unit's latest accepted report)."""
    start, end = month_bounds(month)
    return span_ranking(campaign=campaign, start=start, end=end, at=at)


def span_ranking(*, campaign, start, end, at):
    """unit_ranking over any span [start, end) of aware datetimes: a
    quarter, a year or a phase evaluated as a whole."""
    reports = Report.objects.filter(period__rule__campaign=campaign, period__due_at__gte=start, period__due_at__lt=end)
    by_unit = rates.by_unit(reports, at=at)
    last_day = end.date() - datetime.timedelta(days=1)
    progress = campaign_progress(campaign=campaign, as_of=last_day).by_unit()
    units = Unit.objects.filter(pk__in=list(by_unit)).order_by("sort_order", "name")
    ranked = [RankedUnit(unit, by_unit[unit.pk], progress.get(unit.pk)) for unit in units]

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
