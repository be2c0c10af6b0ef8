"""The campaign dashboard: everything its page shows, put together from the
filters, the matrix and the cached figures."""

import datetime
from dataclasses import dataclass, field

from campaigns.models import Phase
from notifications.selectors import last_chases
from reports import rates
from reports.progress import average, is_done
from supervision.selectors import rectification_rates

from .figures import (
    campaign_figures,
    indicator_totals,
    indicator_window,
    latest_task_progress,
    phase_progress,
    recent_periods,
)
from .filters import Filters, filtered_periods, in_phase
from .matrix import Matrix, status_matrix
from .overdue import LIST_LIMIT


def trend_chart_data(rows):
    """What static/js/dashboard.js draws: labels and both rates per period."""

    def number(value):
        return None if value is None else float(value)

    return {
        "labels": [p.label for p, _ in rows],
        "submission": [number(r.submission_rate) for _, r in rows],
        "on_time": [number(r.on_time_rate) for _, r in rows],
    }



@dataclass
class CampaignDashboard:
    campaign: object
    filters: Filters
    at: datetime.datetime
    current_period: object
    current: rates.Rates
    whole: rates.Rates
    overdue: list
    overdue_count: int
    tasks: int
    tasks_done: int
    progress: object  # Decimal: the mean progress of the tasks led by units in scope, see reports.progress
    phases: list
    indicators: list
    matrix: Matrix
    trend: list
    chases: dict = field(default_factory=dict)
    indicator_window: tuple = (None, None)
    rectification: object = None  # supervision.selectors.RectificationRates

    @property
    def rectification_open(self):
        overall = self.rectification.overall
        return overall.total - overall.closed

    @property
    def rectification_units(self):
        """The units to watch: those with items still open, the most overdue first."""
        rows = [row for row in self.rectification.units if row.total > row.closed]
        return sorted(rows, key=lambda row: (-row.overdue_open, -(row.total - row.closed)))[:LIST_LIMIT]



def campaign_dashboard(*, campaign, scope, filters, at, can_chase):
    """Everything the campaign dashboard shows, in a fixed number of queries.

    `scope` is None (every unit) or the set of unit ids the user may see."""
    unit_ids = filters.unit_ids(scope)
    periods = filtered_periods(rule=filters.rule, filters=filters) if filters.rule else []
    recent = recent_periods(campaign=campaign, at=at)
    figures = campaign_figures(
        campaign=campaign, unit_ids=unit_ids, filters=filters, periods=periods, at=at, recent=recent
    )
    empty = rates.Rates(expected=0, submitted=0, on_time=0)
    rows = [(p, figures.by_period.get(p.pk, empty)) for p in reversed(periods) if p.due_at <= at]
    current_period, current = rows[-1] if rows else (None, empty)
    # Progress per phase always shows every phase; the phase filter narrows the tasks-done figure.
    all_tasks = latest_task_progress(unit_ids=unit_ids, progress=figures.progress)
    tasks = [row for row in all_tasks if in_phase(row[1], filters.phase)]
    phases = list(Phase.objects.filter(campaign=campaign).order_by("order"))
    matrix = (
        status_matrix(rule=filters.rule, periods=periods, unit_ids=unit_ids, filters=filters, at=at)
        if filters.rule
        else None
    )
    return CampaignDashboard(
        campaign=campaign,
        filters=filters,
        at=at,
        current_period=current_period,
        current=current,
        whole=figures.whole,
        overdue=figures.overdue,
        overdue_count=figures.overdue_count,
        tasks=len(tasks),
        tasks_done=sum(1 for _, _, percent, status in tasks if is_done(percent, status)),
        progress=average(percent for _, _, percent, _ in tasks),
        phases=phase_progress(phases=phases, tasks=all_tasks),
        indicators=indicator_totals(
            campaign=campaign, figures=figures.indicator_figures, latest=figures.indicator_latest
        ),
        indicator_window=indicator_window(filters=filters, at=at, campaign=campaign),
        matrix=matrix,
        trend=rows,
        chases=last_chases(unit_ids={r.unit_id for r in figures.overdue}, at=at) if can_chase else {},
        rectification=rectification_rates(campaign=campaign, unit_ids=unit_ids, at=at),
    )
