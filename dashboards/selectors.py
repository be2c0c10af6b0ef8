"""Reads for the dashboards, aggregated in the database.

Every function here runs a fixed number of queries whatever the number of
units, periods and tasks: figures come from `values().annotate()` and
subqueries, and the matrix from one query over the window's reports that is
arranged in Python. Rates are `reports.rates`, never recomputed here.

"Sent" figures (task progress, indicator values) are read from reports the
office has received, submitted or accepted: a draft, a report awaiting the
unit head and a returned report are still the unit's working copy.
"""

import datetime
import hashlib
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.cache import cache
from django.core.paginator import Paginator
from django.db.models import Avg, Count, Exists, Max, OuterRef, Q, Sum
from django.utils import timezone

from campaigns.models import Phase, Unit
from core.dates import week_bounds
from notifications.selectors import last_chases
from reports import rates
from reports.models import ExtensionRequest, IndicatorValue, Period, Report, ReportingRule, TaskProgress
from supervision.selectors import rectification_rates
from tasks.models import Indicator, Task

SENT = [Report.Status.SUBMITTED, Report.Status.ACCEPTED]
WINDOW = 12  # periods shown in the matrix at a time
UNITS_PER_PAGE = 30
LIST_LIMIT = 30  # rows of a to-do list; the review queue has them all
WHOLE_CAMPAIGN = "none"  # the phase filter's value for tasks with no phase (贯穿全程)


def scoped_reports(*, campaign, unit_ids):
    """The campaign's reports, of `unit_ids` only unless None."""
    reports = Report.objects.filter(period__rule__campaign=campaign)
    if unit_ids is not None:
        reports = reports.filter(unit__in=unit_ids)
    return reports.order_by()


def scope_units(*, campaign, unit_ids):
    """The units that owe reports in the campaign (and are in scope)."""
    # EXISTS per unit is a probe of the report index for each of a few hundred
    # units, where IN (reports) would read the campaign's every report.
    owing = scoped_reports(campaign=campaign, unit_ids=unit_ids).filter(unit=OuterRef("pk"))
    return list(Unit.objects.filter(Exists(owing)).order_by("sort_order", "name"))


# The campaign dashboard


@dataclass
class Filters:
    """What the dashboard is narrowed to; see forms.DashboardFilterForm."""

    rule: object = None
    phase: object = None  # a Phase, WHOLE_CAMPAIGN, or None for every phase
    start: datetime.date = None
    end: datetime.date = None
    unit: object = None
    older: int = 0  # how many windows back from the latest periods
    page: object = 1

    def unit_ids(self, scope):
        """The scope's unit ids narrowed to the chosen unit (None = every unit)."""
        if self.unit is None:
            return scope
        if scope is not None and self.unit.pk not in scope:
            return set()
        return {self.unit.pk}

    def date_range(self):
        """(first day, last day) the periods must overlap, from the range and the phase's dates."""
        start, end = self.start, self.end
        if isinstance(self.phase, Phase) and not self.phase.spans_whole_campaign:
            if self.phase.starts_on and (start is None or self.phase.starts_on > start):
                start = self.phase.starts_on
            if self.phase.ends_on and (end is None or self.phase.ends_on < end):
                end = self.phase.ends_on
        return start, end


@dataclass
class Cell:
    report_id: int
    light: str


@dataclass
class Matrix:
    periods: list  # the window's periods, oldest first
    page: object  # a Paginator page of units
    rows: list  # [(unit, [Cell or None per period])]
    older: int
    has_older: bool

    @property
    def newer(self):
        return self.older - 1 if self.older > 0 else None


def filtered_periods(*, rule, filters):
    """The rule's periods in the filters' date range, the latest first."""
    periods = Period.objects.filter(rule=rule)
    start, end = filters.date_range()
    if start:
        periods = periods.filter(ends_on__gte=start)
    if end:
        periods = periods.filter(starts_on__lte=end)
    return list(periods.order_by("-starts_on").only("pk", "number", "label", "starts_on", "ends_on", "due_at"))


def matrix_light(status, due_at, submitted_at, at):
    """Report.light, and "pending" for a report the unit head has not signed off yet."""
    if status == Report.Status.PENDING_SIGN_OFF:
        return "pending"
    return Report(status=status, due_at=due_at, submitted_at=submitted_at).light(at)


def status_matrix(*, rule, periods, unit_ids, filters, at):
    """Units × the window's periods, each cell the report's light (3 queries)."""
    offset = max(filters.older, 0) * WINDOW
    window = list(reversed(periods[offset : offset + WINDOW]))
    owing = Report.objects.filter(period__rule=rule).order_by()
    if unit_ids is not None:
        owing = owing.filter(unit__in=unit_ids)
    units = Unit.objects.filter(Exists(owing.filter(unit=OuterRef("pk")))).order_by("sort_order", "name", "pk")
    page = Paginator(units, UNITS_PER_PAGE).get_page(filters.page)
    cells = {}
    rows = (
        Report.objects.filter(period__in=[p.pk for p in window], unit__in=[u.pk for u in page])
        .order_by()
        .values_list("pk", "unit_id", "period_id", "status", "due_at", "submitted_at")
    )
    for pk, unit_id, period_id, status, due_at, submitted_at in rows:
        cells[unit_id, period_id] = Cell(pk, matrix_light(status, due_at, submitted_at, at))
    return Matrix(
        periods=window,
        page=page,
        rows=[(unit, [cells.get((unit.pk, p.pk)) for p in window]) for unit in page],
        older=max(filters.older, 0),
        has_older=len(periods) > offset + WINDOW,
    )


def trend_chart_data(rows):
    """What static/js/dashboard.js draws: labels and both rates per period."""

    def number(value):
        return None if value is None else float(value)

    return {
        "labels": [p.label for p, _ in rows],
        "submission": [number(r.submission_rate) for _, r in rows],
        "on_time": [number(r.on_time_rate) for _, r in rows],
    }


def overdue_reports(*, reports, at, limit=LIST_LIMIT):
    """(the latest overdue reports, how many there are), 2 queries."""
    overdue = reports.filter(status__in=Report.OWED_STATUSES, due_at__lt=at)
    listed = list(
        overdue.select_related("unit", "period__rule__campaign")
        .defer("work_done", "problems", "next_steps", "late_reason")
        .order_by("-due_at", "unit__sort_order", "unit__name", "pk")[:limit]
    )
    return listed, overdue.count()


def in_phase(phase_id, phase):
    if phase is None:
        return True
    if phase == WHOLE_CAMPAIGN:
        return phase_id is None
    return phase_id == phase.pk


# A task's current progress is read from the reports of the campaign's latest
# periods only: units send every task's progress in every report, so these
# hold the latest figure, and reading them costs the same at any campaign age.
RECENT_PERIODS = 4


def recent_periods(*, campaign, at):
    """Ids of the campaign's latest RECENT_PERIODS periods that have fallen
    due, the latest first (1 query)."""
    return list(
        Period.objects.filter(rule__campaign=campaign, due_at__lte=at)
        .order_by("-due_at", "-pk")
        .values_list("pk", flat=True)[:RECENT_PERIODS]
    )


def sent_progress(*, recent, unit_ids):
    """{task id: (percent, status)}: each task's latest progress sent, by any
    of the units in scope (lead or co-units), for the `recent` periods (1 query)."""
    progress = TaskProgress.objects.filter(report__period__in=recent, report__status__in=SENT)
    if unit_ids is not None:
        progress = progress.filter(report__unit__in=unit_ids)
    latest = {}
    # Reports are created as their periods open, so a later report id is a
    # later period.
    for task_id, percent, status, report_id in progress.order_by().values_list(
        "task_id", "percent", "status", "report_id"
    ):
        if task_id not in latest or report_id > latest[task_id][0]:
            latest[task_id] = (report_id, percent, status)
    return {task_id: row[1:] for task_id, row in latest.items()}


def campaign_tasks(*, campaign, unit_ids):
    """[(task id, phase id)] of the campaign's tasks that have a unit in scope (1 query)."""
    tasks = Task.objects.filter(campaign=campaign)
    if unit_ids is not None:
        tasks = tasks.filter(Q(lead_unit__in=unit_ids) | Q(co_units__in=unit_ids))
    else:
        tasks = tasks.filter(Q(lead_unit__isnull=False) | Q(co_units__isnull=False))
    return list(tasks.distinct().order_by().values_list("pk", "phase_id"))


def latest_task_progress(*, campaign, unit_ids, progress):
    """[(task id, phase id, latest percent or None, latest status or None)] for
    the campaign's tasks that have a unit in scope (1 query), from
    `progress`, the result of sent_progress: each task's progress sent by
    any of the units in scope, within the last RECENT_PERIODS periods due."""
    return [
        (task_id, phase_id, *progress.get(task_id, (None, None)))
        for task_id, phase_id in campaign_tasks(campaign=campaign, unit_ids=unit_ids)
    ]


def is_done(percent, status):
    return status == TaskProgress.Status.COMPLETED or percent == 100


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
        average = None
        if rows:
            average = (Decimal(sum(p or 0 for p, _ in rows)) / len(rows)).quantize(Decimal("0.1"))
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
    value}) over the submitted and accepted reports in the window (3 queries)."""
    start, end = indicator_window(filters=filters, at=at, campaign=campaign)
    periods = Period.objects.filter(rule__campaign=campaign)
    if start:
        periods = periods.filter(ends_on__gte=start)
    if end:
        periods = periods.filter(starts_on__lte=end)
    # Grouped from the values of the window's periods (found by index), rather
    # than aggregated with a filter over every value the campaign ever had.
    values = IndicatorValue.objects.filter(
        report__period__in=list(periods.values_list("pk", flat=True)), report__status__in=SENT
    )
    if unit_ids is not None:
        values = values.filter(report__unit__in=unit_ids)
    figures = {
        row.pop("indicator"): row
        for row in values.order_by()
        .values("indicator")
        .annotate(total=Sum("value"), average=Avg("value"), maximum=Max("value"), count=Count("id"))
    }
    latest_of = Indicator.objects.filter(campaign=campaign, aggregation=Indicator.Aggregation.LATEST).values("pk")
    latest = {}
    # The latest figure is in the latest periods: read those only.
    rows = (
        values.filter(indicator__in=latest_of, report__period__in=recent)
        .order_by("report__period__ends_on", "report__submitted_at", "pk")
        .values_list("indicator_id", "value")
    )
    for indicator_id, value in rows:
        latest[indicator_id] = value
    return figures, latest


def indicator_totals(*, campaign, figures, latest):
    """Each indicator's figure, summed, averaged, maximised or the latest as
    the indicator says, from indicator_figures (1 query)."""
    pick = {
        Indicator.Aggregation.SUM: "total",
        Indicator.Aggregation.AVERAGE: "average",
        Indicator.Aggregation.MAX: "maximum",
    }
    result = []
    for indicator in Indicator.objects.filter(campaign=campaign).order_by("position", "pk"):
        row = figures.get(indicator.pk, {})
        if indicator.aggregation == Indicator.Aggregation.LATEST:
            value = latest.get(indicator.pk)
        else:
            value = row.get(pick[indicator.aggregation])
        if value is not None:
            value = Decimal(value).quantize(Decimal("0.01"))
        result.append(IndicatorTotal(indicator, value, row.get("count", 0), indicator.is_met(value)))
    return result


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


@dataclass
class Figures:
    """The dashboard's aggregates over the campaign's reports: what is costly
    to add up and changes only when a report does or a deadline passes."""

    whole: rates.Rates
    by_period: dict  # period id -> Rates, for the due periods of the filtered rule
    overdue: list
    overdue_count: int
    progress: dict  # task id -> (percent, status), see sent_progress
    indicator_figures: dict
    indicator_latest: dict


# Cached figures live this long at most. Writes that change them bump
# Campaign.figures_version and a passing deadline changes the key, so this
# only bounds what neither covers (an extended deadline passing).
FIGURES_TTL = 10 * 60


def figures_key(*, campaign, unit_ids, filters, periods, recent, at):
    phase = filters.phase.pk if isinstance(filters.phase, Phase) else filters.phase
    parts = (
        campaign.pk,
        campaign.created_at.isoformat(),
        campaign.figures_version,
        tuple(recent),
        # The indicators' year moves with the calendar and the campaign's dates.
        indicator_window(filters=filters, at=at, campaign=campaign),
        None if unit_ids is None else tuple(sorted(unit_ids)),
        filters.rule.pk if filters.rule else None,
        tuple(p.pk for p in periods),
        phase,
        filters.start,
        filters.end,
    )
    return "dashboard-figures:" + hashlib.sha256(repr(parts).encode()).hexdigest()


def campaign_figures(*, campaign, unit_ids, filters, periods, at, recent):
    """The Figures for these filters, from the shared cache when they have not
    changed since they were added up (1 cache read; else about 8 queries)."""
    key = figures_key(campaign=campaign, unit_ids=unit_ids, filters=filters, periods=periods, recent=recent, at=at)
    figures = cache.get(key)
    if figures is not None:
        return figures
    reports = scoped_reports(campaign=campaign, unit_ids=unit_ids)
    due = [p.pk for p in periods if p.due_at <= at]
    by_period = rates.by_period(reports.filter(period__in=due), at=at) if due else {}
    overdue, overdue_count = overdue_reports(reports=reports, at=at)
    indicator_rows, indicator_latest = indicator_figures(
        campaign=campaign, unit_ids=unit_ids, filters=filters, at=at, recent=recent
    )
    figures = Figures(
        whole=rates.totals(reports, at=at),
        by_period=by_period,
        overdue=overdue,
        overdue_count=overdue_count,
        progress=sent_progress(recent=recent, unit_ids=unit_ids),
        indicator_figures=indicator_rows,
        indicator_latest=indicator_latest,
    )
    cache.set(key, figures, FIGURES_TTL)
    return figures


def campaign_rules(campaign):
    """The campaign's reporting rules, weekly ones first: the dashboard opens
    on the first (the office's weekly rhythm)."""
    return sorted(
        ReportingRule.objects.filter(campaign=campaign), key=lambda r: (r.cadence != ReportingRule.Cadence.WEEKLY, r.name)
    )


def default_filters(campaign):
    """The filters of the dashboard opened without any: its first rule,
    every phase and unit."""
    rules = campaign_rules(campaign)
    return Filters(rule=rules[0] if rules else None)


def default_figures(*, campaign, at):
    """The Figures of the office's default view (every unit, no filter)."""
    filters = default_filters(campaign)
    periods = filtered_periods(rule=filters.rule, filters=filters) if filters.rule else []
    return campaign_figures(
        campaign=campaign, unit_ids=None, filters=filters, periods=periods, at=at,
        recent=recent_periods(campaign=campaign, at=at),
    )


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
    all_tasks = latest_task_progress(campaign=campaign, unit_ids=unit_ids, progress=figures.progress)
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


# The unit ranking


# 今日工作


@dataclass
class DueGroup:
    period: Period
    owed: int
    sent: int


def today_work(*, campaigns, at):
    """The office's to-do lists across its campaigns, in a fixed number of queries."""
    ids = list(campaigns.values_list("pk", flat=True))
    start, end = week_bounds(at)
    due_this_week = [
        DueGroup(period, period.owed, period.sent)
        for period in Period.objects.filter(rule__campaign__in=ids, due_at__gte=start, due_at__lt=end)
        .select_related("rule__campaign")
        .annotate(
            owed=Count("reports", filter=~Q(reports__status=Report.Status.EXEMPT)),
            sent=Count("reports", filter=Q(reports__submitted_at__isnull=False)),
        )
        .order_by("due_at", "rule__campaign__title", "rule__name")
    ]
    reports = Report.objects.filter(period__rule__campaign__in=ids).order_by()
    overdue, overdue_count = overdue_reports(reports=reports, at=at)
    awaiting = reports.filter(status=Report.Status.SUBMITTED)
    extensions = ExtensionRequest.objects.filter(
        status=ExtensionRequest.Status.PENDING, report__period__rule__campaign__in=ids
    )
    return {
        "campaign_ids": ids,
        "week_start": start,
        "week_end": end - datetime.timedelta(days=1),
        "due_this_week": due_this_week,
        "overdue": overdue,
        "overdue_count": overdue_count,
        "chases": last_chases(unit_ids={r.unit_id for r in overdue}, at=at),
        "awaiting": list(
            awaiting.select_related("unit", "period__rule__campaign")
            .defer("work_done", "problems", "next_steps", "late_reason")
            .order_by("submitted_at", "pk")[:LIST_LIMIT]
        ),
        "awaiting_count": awaiting.count(),
        "extensions": list(
            extensions.select_related("report__unit", "report__period__rule__campaign", "requested_by").order_by(
                "report__due_at", "requested_at"
            )[:LIST_LIMIT]
        ),
        "extensions_count": extensions.count(),
    }
