"""The dashboard's figures: rates, the overdue list, task and phase progress
and indicator totals. The office's whole view reads its rates and overdue
count from the reports' tallies (reports.tallies) on every view; the rest is
added up once and kept in the shared cache until a report changes or a
deadline passes.

"Sent" indicator values are read from reports the office has received,
submitted or accepted: a draft, a report awaiting the unit head and a
returned report are still the unit's working copy. Task progress is the one
definition of reports.progress (accepted reports of the lead unit).
"""

import datetime
import hashlib
import logging
from dataclasses import dataclass
from decimal import Decimal

from django.core.cache import cache
from django.utils import timezone

from reports import indicators, rates, tallies
from reports.models import Period, Report
from reports.progress import CampaignProgress, campaign_progress, is_done
from reports.progress import average as progress_average
from tasks.models import Indicator

from .filters import default_filters, filtered_periods, scoped_reports
from .overdue import overdue_reports

logger = logging.getLogger(__name__)

SENT = [Report.Status.SUBMITTED, Report.Status.ACCEPTED]


# Recent periods bound the indicators' latest figures: units send every
# indicator in every report, so these hold the latest value.
RECENT_PERIODS = 4


def recent_periods(*, campaign, at):
    """Ids of the campaign's latest RECENT_PERIODS periods that have fallen
    due, the latest first (1 query)."""
    return list(
        Period.objects.filter(rule__campaign=campaign, due_at__lte=at)
        .order_by("-due_at", "-pk")
        .values_list("pk", flat=True)[:RECENT_PERIODS]
    )


def latest_task_progress(*, unit_ids, progress):
    """[(task id, phase id, percent or None, status or None)] for the tasks
    led by a unit in scope (every task with a lead unit when `unit_ids` is
    None), from `progress`, the campaign's reports.progress.CampaignProgress
    (no query): a task's progress is its lead unit's latest accepted one."""
    rows = []
    for task_id, lead_id, phase_id in progress.tasks:
        if unit_ids is None or lead_id in unit_ids:
            found = progress.progress.get(task_id)
            rows.append((task_id, phase_id, *((found.percent, found.status) if found else (None, None))))
    return rows


@dataclass
class PhaseProgress:
    name: str
    goal: str
    tasks: int
    done: int
    average: Decimal = None  # average latest percent, a task with none sent counting 0
    phase: object = None


def phase_progress(*, phases, tasks):
    """Progress per phase, and 贯穿全程 for tasks with no phase."""
    groups = {phase.pk: [] for phase in phases}
    groups[None] = []
    for _, phase_id, percent, status in tasks:
        groups.setdefault(phase_id, []).append((percent, status))

    def summary(name, goal, rows, phase=None):
        average = progress_average(p for p, _ in rows)
        return PhaseProgress(name, goal, len(rows), sum(1 for p, s in rows if is_done(p, s)), average, phase)

    result = [summary(phase.name, phase.goal, groups[phase.pk], phase) for phase in phases]
    if groups[None]:
        result.append(summary("贯穿全程", "不分阶段的任务", groups[None]))
    return result


@dataclass
class IndicatorTotal:
    indicator: Indicator
    value: Decimal  # by the indicator's aggregation; None when nothing was sent
    reports: int
    met: bool = None  # None when there is no target or no value

    @property
    def percent_of_target(self):
        target = self.indicator.target_value
        if self.value is None or not target:
            return None
        return min(int(self.value * 100 / target), 100)


def indicator_window(*, filters, at, campaign):
    """The dates indicator figures are added over: the chosen period range or
    phase, otherwise a calendar year (targets are set, and assessed, by
    year): this year to date, or the campaign's last or first year when it
    is over or has not begun."""
    start, end = filters.date_range()
    if start is None and end is None:
        today = timezone.localdate(at)
        year = min(max(today.year, campaign.starts_on.year), campaign.ends_on.year)
        start = datetime.date(year, 1, 1)
        if year != today.year:
            end = datetime.date(year, 12, 31)
    return start, end


def indicator_figures(*, campaign, unit_ids, filters, at, recent):
    """({indicator id: total, average, maximum, count}, {indicator id: latest
    value}) over the submitted and accepted reports in the window, by the one
    definition of reports.indicators: every unit's from the running tallies
    (4 queries, rows read bounded by the window, not the campaign's
    history), a scope of units from the values. `recent` is no longer needed:
    最新值 is each unit's latest, kept per unit."""
    window = indicator_window(filters=filters, at=at, campaign=campaign)
    return indicators.indicator_figures(campaign=campaign, unit_ids=unit_ids, window=window, at=at)


def indicator_totals(*, campaign, figures, latest):
    """Each indicator's figure, summed, averaged, maximised or the latest as
    the indicator says (reports.indicators.figure), from indicator_figures
    (1 query)."""
    result = []
    for indicator in Indicator.objects.filter(campaign=campaign).order_by("position", "pk"):
        row = figures.get(indicator.pk, {})
        value = indicators.figure(
            indicator,
            total=row.get("total"),
            count=row.get("count", 0),
            maximum=row.get("maximum"),
            latest=latest.get(indicator.pk),
        )
        if value is not None:
            value = Decimal(value).quantize(Decimal("0.01"))
        result.append(IndicatorTotal(indicator, value, row.get("count", 0), indicator.is_met(value)))
    return result


@dataclass
class Figures:
    """The dashboard's aggregates over the campaign's reports (see
    campaign_figures)."""

    whole: rates.Rates
    by_period: dict  # period id -> Rates, for the due periods of the filtered rule
    overdue: list
    overdue_count: int
    progress: CampaignProgress  # every task's progress, see reports.progress
    indicator_figures: dict
    indicator_latest: dict


# Cached progress lives this long at most. A report accepted or no longer
# accepted bumps Campaign.figures_version, which changes the key; the TTL only
# bounds what does not (a task's lead unit changed in the set-up).
FIGURES_TTL = 10 * 60


def progress_key(campaign):
    parts = (campaign.pk, campaign.created_at.isoformat(), campaign.figures_version)
    return "dashboard-progress-v1:" + hashlib.sha256(repr(parts).encode()).hexdigest()


def cached_progress(campaign):
    """Every task's progress (reports.progress), from the shared cache until a
    report is accepted or leaves 审核通过 (1 cache read; else 1 query)."""
    key = progress_key(campaign)
    progress = cached(key)
    if progress is None:
        progress = campaign_progress(campaign=campaign)
        keep(key, progress)
    return progress


def tallied_figures(*, campaign, periods, at):
    """The whole view's rates, by period and overdue figures from the
    tallies (reports.tallies) and the overdue list, 4 or 5 queries whatever
    the campaign's history."""
    whole, overdue_count = tallies.summary(campaign, at)
    due = [p.pk for p in periods if p.due_at <= at]
    overdue, _ = overdue_reports(
        reports=scoped_reports(campaign=campaign, unit_ids=None), at=at, count=overdue_count
    )
    return {
        "whole": whole,
        "by_period": tallies.by_period(due, at) if due else {},
        "overdue": overdue,
        "overdue_count": overdue_count,
    }


def counted_figures(*, campaign, unit_ids, periods, at):
    """A unit scope's rates, by period and overdue figures, added up from the
    scope's reports (bounded by the scope), 4 or 5 queries."""
    reports = scoped_reports(campaign=campaign, unit_ids=unit_ids)
    due = [p.pk for p in periods if p.due_at <= at]
    overdue, overdue_count = overdue_reports(reports=reports, at=at)
    return {
        "whole": rates.totals(reports, at=at),
        "by_period": rates.by_period(reports.filter(period__in=due), at=at) if due else {},
        "overdue": overdue,
        "overdue_count": overdue_count,
    }


def campaign_figures(*, campaign, unit_ids, filters, periods, at, recent):
    """The Figures for these filters, in a fixed number of queries whatever
    the campaign's history: the whole view's rates from the report tallies,
    a unit scope's from the scope's reports, the indicators from their
    tallies (reports.indicators), and the tasks' progress from the shared
    cache (it moves only when a report is accepted). Nothing a submission
    changes is cached, so no submission empties a cache."""
    indicator_rows, indicator_latest = indicator_figures(
        campaign=campaign, unit_ids=unit_ids, filters=filters, at=at, recent=recent
    )
    counted = (
        tallied_figures(campaign=campaign, periods=periods, at=at)
        if unit_ids is None
        else counted_figures(campaign=campaign, unit_ids=unit_ids, periods=periods, at=at)
    )
    return Figures(
        **counted,
        progress=cached_progress(campaign),
        indicator_figures=indicator_rows,
        indicator_latest=indicator_latest,
    )


# The cache is a courtesy: with Redis down the dashboard adds its figures up
# (about 9 queries) instead of answering 500.
def cached(key):
    try:
        return cache.get(key)
    except Exception:  # noqa: BLE001 - any cache backend's connection error
        logger.warning("Could not read the dashboard cache", exc_info=True)
        return None


def keep(key, figures, seconds=FIGURES_TTL):
    try:
        cache.set(key, figures, seconds)
    except Exception:  # noqa: BLE001 - as above
        logger.warning("Could not write the dashboard cache", exc_info=True)


def default_figures(*, campaign, at):
    """The Figures of the office's default view (every unit, no filter)."""
    filters = default_filters(campaign)
    periods = filtered_periods(rule=filters.rule, filters=filters) if filters.rule else []
    return campaign_figures(
        campaign=campaign, unit_ids=None, filters=filters, periods=periods, at=at,
        recent=recent_periods(campaign=campaign, at=at),
    )
