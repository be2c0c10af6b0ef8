"""Task progress: the one definition every page and export reads.

- **A task's progress** is the percent (and status, note, period) its lead
  unit (牵头单位) gave for it in the unit's latest *accepted* (审核通过) report
  that gives it, the latest by the period's end, then its deadline, then the
  report. Only accepted reports count: a draft, a report awaiting the unit
  head or the office and a returned report are still the unit's working
  copy, not the campaign's record, and an office expects its figures to
  move only when it accepts a report. Only the lead unit's figure counts:
  the lead unit answers for the task; co-units (配合单位) report their own
  part of it, which is shown with their reports, not as the task's figure.
  A task without a lead unit, or whose lead unit has no accepted report
  giving it, has no progress (None, shown as 未填报).
- `as_of` (a date) counts only the reports of periods that ended on or
  before that day: the ranking of a month reads progress as of the month's
  last day, the year-end report as of 31 December, a workbook as of the end
  of its range. Without it, every accepted report counts.
- **The progress of a set of tasks** — a unit's (the tasks it leads), a
  phase's, the campaign's (every task with a lead unit) — is the plain mean
  of the tasks' progress, a task without progress counting 0, with one
  decimal. It is not weighted: plans do not weigh their tasks. A set with
  no task has no progress (None): a unit that leads no task is not ranked
  on progress.
- **A task is done** when its status is 已完成 or its percent is 100.

The reviewer is warned, never refused, when a report gives a task less than
the unit's previous accepted report did (`progress_drops`).
"""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import F, OuterRef, Subquery

from campaigns.models import Unit
from tasks.models import Task

from .models import Report, TaskProgress

TENTH = Decimal("0.1")


@dataclass(frozen=True)
class Progress:
    """A task's progress, as defined above."""

    percent: int
    status: str
    note: str = ""
    period: str = ""  # the reporting rule and the period it was reported for

    @property
    def done(self):
        return is_done(self.percent, self.status)

    @property
    def status_label(self):
        return TaskProgress.Status(self.status).label


def is_done(percent, status):
    return status == TaskProgress.Status.COMPLETED or percent == 100


def average(percents):
    """The mean of a set of tasks' progress (None counting 0), one decimal;
    None for no task."""
    percents = list(percents)
    if not percents:
        return None
    return (Decimal(sum(p or 0 for p in percents)) / len(percents)).quantize(TENTH, ROUND_HALF_UP)


def _latest_accepted(*, task, unit, as_of):
    """The lead unit's accepted progress rows on a task, the latest first."""
    rows = TaskProgress.objects.filter(task=task, report__unit=unit, report__status=Report.Status.ACCEPTED)
    if as_of is not None:
        rows = rows.filter(report__period__ends_on__lte=as_of)
    return rows.order_by("-report__period__ends_on", "-report__period__due_at", "-report_id")


def with_progress(tasks, *, as_of=None):
    """The Task queryset annotated with `progress_percent` and
    `progress_status` (None when the task has no progress): the queryset
    form of the definition, for pages that list tasks."""
    latest = _latest_accepted(task=OuterRef("pk"), unit=OuterRef("lead_unit"), as_of=as_of)
    return tasks.annotate(
        progress_percent=Subquery(latest.values("percent")[:1]),
        progress_status=Subquery(latest.values("status")[:1]),
    )


def task_progress(*, tasks, as_of=None, detail=False, task_ids=None, lead_unit_ids=None):
    """{task id: Progress} of the tasks (a Task queryset) that have progress
    (2 queries when every task has, else at most 4; `task_ids`, the ids of
    `tasks` when the caller has read them, saves one). With `detail`, each
    has its note and period too. `task_ids` and `lead_unit_ids` (their lead
    units), when the caller has read them, go into the statements as lists
    rather than as subqueries of `tasks`.

    A unit's report gives every task the unit holds, so a task's figure is
    nearly always in its lead unit's latest accepted report: that is read
    first, a report per lead unit, and only the tasks it lacks (added since,
    or never reported) are looked up one by one."""
    tasks = tasks.filter(lead_unit__isnull=False).order_by()
    accepted = Report.objects.filter(unit=OuterRef("pk"), status=Report.Status.ACCEPTED)
    if as_of is not None:
        accepted = accepted.filter(period__ends_on__lte=as_of)
    accepted = accepted.order_by("-period__ends_on", "-period__due_at", "-pk")
    leads = tasks.values("lead_unit") if lead_unit_ids is None else sorted(lead_unit_ids)
    lead_reports = Unit.objects.filter(pk__in=leads).annotate(
        last=Subquery(accepted.values("pk")[:1])
    )
    fields = ["task_id", "percent", "status"]
    if detail:
        fields += ["note", "report__period__rule__name", "report__period__label"]

    def read(rows):
        result = {}
        for task_id, percent, status, *more in rows.order_by().values_list(*fields):
            extra = (more[0], f"{more[1]} {more[2]}") if detail else ()
            result[task_id] = Progress(percent, status, *extra)
        return result

    # The latest reports first, as a list: in one statement with the rows,
    # PostgreSQL joined every report of the lead units before filtering.
    last = [pk for pk in lead_reports.values_list("last", flat=True) if pk is not None]
    found = (
        read(
            TaskProgress.objects.filter(
                report__in=last,
                task__in=tasks.values("pk") if task_ids is None else task_ids,
                report__unit=F("task__lead_unit"),
            )
        )
        if last
        else {}
    )
    if found:
        if task_ids is None:
            missing = list(tasks.exclude(pk__in=list(found)).values_list("pk", flat=True))
        else:
            missing = [pk for pk in task_ids if pk not in found]
        if not missing:
            return found
        tasks = tasks.filter(pk__in=missing)
    latest = _latest_accepted(task=OuterRef("pk"), unit=OuterRef("lead_unit"), as_of=as_of)
    rows = tasks.annotate(row=Subquery(latest.values("pk")[:1])).values("row")
    found.update(read(TaskProgress.objects.filter(pk__in=rows)))
    return found


@dataclass
class CampaignProgress:
    """Every task with a lead unit, its progress, and the means over units."""

    tasks: list  # [(task id, lead unit id, phase id)] in plan order
    progress: dict  # task id -> Progress

    def percent(self, task_id):
        found = self.progress.get(task_id)
        return found.percent if found else None

    def of_tasks(self, task_ids):
        """The mean over these tasks (None counting 0); None for none."""
        return average(self.percent(task_id) for task_id in task_ids)

    def of_units(self, unit_ids=None):
        """The mean over the tasks these units lead (None: every unit)."""
        return self.of_tasks(t for t, lead, _ in self.tasks if unit_ids is None or lead in unit_ids)

    def by_unit(self):
        """{unit id: the mean over the tasks it leads}, for the units that lead a task."""
        led = {}
        for task_id, lead, _ in self.tasks:
            led.setdefault(lead, []).append(self.percent(task_id))
        return {unit_id: average(percents) for unit_id, percents in led.items()}

    @property
    def overall(self):
        return self.of_units(None)


def campaign_progress(*, campaign, as_of=None, detail=False):
    """The CampaignProgress of `campaign` (2 queries; 3 when a task has no
    figure in its lead unit's latest accepted report)."""
    tasks = Task.objects.filter(campaign=campaign, lead_unit__isnull=False)
    rows = list(tasks.order_by("tree_path").values_list("pk", "lead_unit_id", "phase_id"))
    return CampaignProgress(
        tasks=rows,
        progress=task_progress(
            tasks=tasks, as_of=as_of, detail=detail, task_ids=[row[0] for row in rows], lead_unit_ids={row[1] for row in rows}
        ),
    )


def progress_drops(*, report, rows):
    """{task id: the unit's previous accepted percent} for the task progress
    `rows` ({"task": id, "percent": n} dicts, as a version holds them) that
    fall below what the same unit gave for the task in its latest accepted
    report of an earlier (or the same) period (1 query). A warning for the
    reviewer, never a reason to refuse."""
    task_ids = [row["task"] for row in rows if row.get("task")]
    if not task_ids:
        return {}
    period = report.period
    earlier = (
        TaskProgress.objects.filter(
            task=OuterRef("pk"),
            report__unit=report.unit_id,
            report__status=Report.Status.ACCEPTED,
            report__period__ends_on__lte=period.ends_on,
        )
        .exclude(report=report.pk)
        .order_by("-report__period__ends_on", "-report__period__due_at", "-report_id")
    )
    previous = dict(
        Task.objects.filter(pk__in=task_ids)
        .annotate(previous=Subquery(earlier.values("percent")[:1]))
        .values_list("pk", "previous")
    )
    return {
        row["task"]: previous[row["task"]]
        for row in rows
        if previous.get(row.get("task")) is not None and (row.get("percent") or 0) < previous[row["task"]]
    }
