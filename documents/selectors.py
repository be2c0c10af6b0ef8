"""Reads for the documents the office drafts, aggregated in the database.

Every read takes the document's span, `bounds` = (first day, last day): a
year for the year-end report, a phase's dates, the campaign's for its final
summary. What counts: a report the office accepted (审核通过), of a period
that ends in the span. A draft, a report awaiting the unit head or the
office, and a returned report are not the record yet, whatever figures they
hold. A week that straddles New Year belongs to the year it ends in, as its
deadline does.
"""

import datetime
from collections import Counter
from decimal import Decimal

from django.db.models import Count, Q

from campaigns.models import Unit
from reports.models import Report, TaskProgress
from reports.progress import campaign_progress
from reports.workbook import indicator_figures
from tasks.models import Indicator, Task


def year_bounds(year):
    return datetime.date(year, 1, 1), datetime.date(year, 12, 31)


def span_reports(*, campaign, bounds):
    """Every report the campaign's units owed for periods ending in the span."""
    return Report.objects.filter(period__rule__campaign=campaign, period__ends_on__range=bounds).order_by()


def accepted_reports(*, campaign, bounds):
    """The span's record: the reports of the span the office accepted."""
    return span_reports(campaign=campaign, bounds=bounds).filter(status=Report.Status.ACCEPTED)


def totals(*, campaign, bounds):
    """{indicator id: Decimal} over the span's accepted reports, each summed,
    averaged, maximised or taken latest as its indicator says (the
    workbook's aggregation, so the two documents agree). An indicator nobody
    reported is missing."""
    from reports.models import IndicatorValue

    values = IndicatorValue.objects.filter(report__in=accepted_reports(campaign=campaign, bounds=bounds).values("pk"))
    return {
        indicator_id: Decimal(str(value))
        for indicator_id, ((value, _count), _units) in indicator_figures(values).items()
        if value is not None
    }


def campaign_tasks(*, campaign):
    """The task tree in plan order, with each task's co-unit ids (2 queries)."""
    tasks = list(
        Task.objects.filter(campaign=campaign)
        .order_by("tree_path")
        .only("pk", "parent_id", "code", "title", "tree_path", "depth", "lead_unit_id")
    )
    co_units = {}
    for task_id, unit_id in Task.co_units.through.objects.filter(task__campaign=campaign).values_list(
        "task_id", "unit_id"
    ):
        co_units.setdefault(task_id, []).append(unit_id)
    for task in tasks:
        task.co_unit_ids = co_units.get(task.pk, [])
    return tasks


def campaign_indicators(*, campaign):
    return list(Indicator.objects.filter(campaign=campaign).order_by("position", "pk"))


def progress_notes(*, campaign, bounds):
    """(task id, unit id, note) of the span's accepted reports, oldest first, streamed."""
    return (
        TaskProgress.objects.filter(report__in=accepted_reports(campaign=campaign, bounds=bounds).values("pk"))
        .exclude(note="")
        .order_by("report__period__ends_on", "report__period__due_at", "pk")
        .values_list("task_id", "report__unit_id", "note")
        .iterator(chunk_size=500)
    )


def task_progress(*, campaign, as_of):
    """Task progress as of a day (reports.progress), 2 queries."""
    return campaign_progress(campaign=campaign, as_of=as_of)


def report_texts(*, campaign, bounds):
    """(unit id, work done, problems, next steps) of the span's accepted
    reports, oldest first, streamed."""
    return (
        accepted_reports(campaign=campaign, bounds=bounds)
        .order_by("period__ends_on", "period__due_at", "pk")
        .values_list("unit_id", "work_done", "problems", "next_steps")
        .iterator(chunk_size=500)
    )


def units_by_id(ids):
    """{unit id: unit} in the order the office lists units."""
    return {unit.pk: unit for unit in Unit.objects.filter(pk__in=set(ids)).order_by("sort_order", "name")}


def supervision_figures(*, campaign, bounds, at):
    """The span's inspections by kind, findings and rectification items (3 queries)."""
    from supervision.models import Finding, Inspection, RectificationItem

    inspections = Inspection.objects.filter(campaign=campaign, inspected_on__range=bounds)
    by_kind = Counter(dict(inspections.order_by().values_list("kind").annotate(n=Count("pk"))))
    findings = Finding.objects.filter(inspection__in=inspections.values("pk")).count()
    items = RectificationItem.objects.filter(finding__inspection__in=inspections.values("pk"))
    # "On time" and "overdue" are the ledger's own definitions, as subqueries.
    figures = items.aggregate(
        total=Count("pk"),
        closed=Count("pk", filter=Q(status=RectificationItem.Status.CLOSED)),
        closed_on_time=Count("pk", filter=Q(pk__in=items.closed_on_time().values("pk"))),
        not_closed=Count("pk", filter=Q(pk__in=items.not_closed().values("pk"))),
        overdue=Count("pk", filter=Q(pk__in=items.overdue(at).values("pk"))),
    )
    kinds = [(label, by_kind[value]) for value, label in Inspection.Kind.choices if by_kind[value]]
    return {"inspections": sum(by_kind.values()), "by_kind": kinds, "findings": findings, **figures}

