"""Reads of the supervision pages and of the dashboard, workbook and year-end
report, aggregated in the database: a fixed number of queries whatever the
number of units and items."""

from dataclasses import dataclass, field

from django.db.models import Count, F, Q

from campaigns.models import Unit
from reports.models import Report
from reports.rates import percent
from tasks.models import Task

from .models import Inspection, RectificationItem

Status = RectificationItem.Status
LIST_LIMIT = 20
# Items the unit has to act on (the home card, reminders).
UNIT_ACTION_STATUSES = [Status.OPEN, Status.IN_PROGRESS, Status.REJECTED]


def campaign_units(*, campaign):
    """The units an inspection of the campaign may cover: those that owe its
    reports or lead or support its tasks, active ones, in the usual order."""
    tasks = Task.objects.filter(campaign=campaign)
    return Unit.objects.filter(
        Q(pk__in=Report.objects.filter(period__rule__campaign=campaign).values("unit"))
        | Q(pk__in=tasks.values("lead_unit"))
        | Q(pk__in=tasks.values("co_units")),
        is_active=True,
    ).order_by("sort_order", "name")


# The ledger (整改台账)


@dataclass
class LedgerFilters:
    status: str = ""
    unit: object = None
    overdue: bool = False


def ledger_items(*, campaign, filters, at):
    items = RectificationItem.objects.filter(campaign=campaign).select_related(
        "unit", "finding__inspection"
    )
    if filters.status:
        items = items.filter(status=filters.status)
    if filters.unit is not None:
        items = items.filter(unit=filters.unit)
    if filters.overdue:
        items = items.overdue(at)
    return items.order_by("due_at", "unit__sort_order", "unit__name", "id")


def status_counts(*, campaign, at):
    """{status: count} of the campaign's items, plus "overdue" and "total", in one query."""
    items = RectificationItem.objects.filter(campaign=campaign).order_by()
    counts = items.aggregate(
        total=Count("id"),
        overdue=Count("id", filter=~Q(status=Status.CLOSED) & Q(due_at__lt=at)),
        **{status: Count("id", filter=Q(status=status)) for status in Status.values},
    )
    return counts


@dataclass(frozen=True)
class RectificationRate:
    """A unit's (or the campaign's) rectification figures at a moment.

    The rate (整改率) is closed items over items that are due: closed ones,
    and open ones whose deadline has passed. An item not yet due and not yet
    closed counts for neither: it is not late, and not done.
    """

    unit_id: int | None
    unit_name: str
    total: int
    closed: int
    closed_on_time: int
    overdue_open: int

    @property
    def due(self):
        return self.closed + self.overdue_open

    @property
    def rate(self):
        return percent(self.closed, self.due)

    @property
    def on_time_rate(self):
        """Closed on time (the accepted report sent by the deadline) over items due."""
        return percent(self.closed_on_time, self.due)


@dataclass(frozen=True)
class RectificationRates:
    overall: RectificationRate
    units: list = field(default_factory=list)

    @property
    def by_unit(self):
        return {row.unit_id: row for row in self.units}


def rectification_rates(*, campaign, unit_ids=None, at):
    """Per unit (those with items, in the usual order) and overall: total,
    closed, closed on time and overdue open items, in one query."""
    items = RectificationItem.objects.filter(campaign=campaign)
    if unit_ids is not None:
        items = items.filter(unit__in=unit_ids)
    rows = (
        items.order_by()
        .values("unit")
        .annotate(
            total=Count("id"),
            closed=Count("id", filter=Q(status=Status.CLOSED)),
            closed_on_time=Count("id", filter=Q(status=Status.CLOSED, submitted_at__lte=F("due_at"))),
            overdue_open=Count("id", filter=~Q(status=Status.CLOSED) & Q(due_at__lt=at)),
        )
        .values_list(
            "unit", "unit__name", "unit__short_name", "unit__sort_order", "total", "closed", "closed_on_time", "overdue_open"
        )
    )
    units = [
        RectificationRate(unit_id, short or name, total, closed, on_time, overdue)
        for unit_id, name, short, _, total, closed, on_time, overdue in sorted(rows, key=lambda r: (r[3], r[1]))
    ]
    overall = RectificationRate(
        None,
        "合计",
        sum(r.total for r in units),
        sum(r.closed for r in units),
        sum(r.closed_on_time for r in units),
        sum(r.overdue_open for r in units),
    )
    return RectificationRates(overall=overall, units=units)


def ledger_rows(*, campaign, start=None, end=None):
    """The campaign's items as rows of a workbook sheet, oldest inspection
    first; `start`/`end` bound the inspection date (inclusive). Streams."""
    items = RectificationItem.objects.filter(campaign=campaign)
    if start is not None:
        items = items.filter(finding__inspection__inspected_on__gte=start)
    if end is not None:
        items = items.filter(finding__inspection__inspected_on__lte=end)
    kinds = dict(Inspection.Kind.choices)
    statuses = dict(Status.choices)
    rows = items.order_by("finding__inspection__inspected_on", "finding__inspection_id", "unit__sort_order", "id").values_list(
        "pk",
        "unit__name",
        "unit__short_name",
        "finding__inspection__inspected_on",
        "finding__inspection__kind",
        "finding__description",
        "requirement",
        "deadline",
        "due_at",
        "status",
        "submitted_at",
        "closed_at",
    )
    for pk, unit, short, inspected_on, kind, finding, requirement, deadline, due_at, status, submitted_at, closed_at in (
        rows.iterator()
    ):
        yield {
            "id": pk,
            "unit": unit,
            "unit_display": short or unit,
            "inspected_on": inspected_on,
            "inspection_kind": kinds.get(kind, kind),
            "finding": finding,
            "requirement": requirement,
            "deadline": deadline,
            "due_at": due_at,
            "status": status,
            "status_display": statuses.get(status, status),
            "submitted_at": submitted_at,
            "closed_at": closed_at,
            "closed_on_time": status == Status.CLOSED and submitted_at is not None and submitted_at <= due_at,
        }


# Inspections


def campaign_inspections(*, campaign):
    return (
        Inspection.objects.filter(campaign=campaign)
        .annotate(unit_count=Count("inspected_units", distinct=True), finding_count=Count("findings", distinct=True))
        .order_by("-inspected_on", "-id")
    )


def inspection_page(*, inspection):
    return {
        "inspection": inspection,
        "units": list(inspection.inspected_units.select_related("unit")),
        "findings": list(
            inspection.findings.select_related("unit", "rectification").order_by("unit__sort_order", "unit__name", "id")
        ),
        "attachments": list(inspection.attachments.all()),
        "revisions": list(inspection.revisions.select_related("actor")),
    }


def inspection_initial(*, inspection):
    """The edit form's values: the inspection as saved, a tick and a score per unit covered."""
    initial = {
        "kind": inspection.kind,
        "inspected_on": inspection.inspected_on,
        "inspectors": inspection.inspectors,
        "summary": inspection.summary,
    }
    for unit_id, score in inspection.inspected_units.values_list("unit_id", "score"):
        initial[f"unit_{unit_id}"] = True
        initial[f"score_{unit_id}"] = score
    return initial


def item_page(*, item):
    return {
        "item": item,
        "responses": list(item.responses.select_related("submitted_by", "decided_by").prefetch_related("evidence")),
        "events": list(item.events.select_related("actor")),
    }


# The unit's side


def unit_items(*, items):
    """A unit's items: those to act on first, then by deadline."""
    return list(
        items.select_related("unit", "campaign", "finding__inspection").order_by(
            "status", "due_at", "id"
        )
    )


def _listed(queryset, limit):
    """The first `limit` rows and how many there are in all, in one query
    unless the list is full."""
    rows = list(queryset[:limit])
    return rows, (len(rows) if len(rows) < limit else queryset.order_by().count())


def unit_home_items(*, items, limit=LIST_LIMIT):
    """The home card: items the unit has to act on, nearest deadline first."""
    pending = items.filter(status__in=UNIT_ACTION_STATUSES)
    rows, count = _listed(pending.select_related("unit", "campaign").order_by("due_at", "id"), limit)
    return {"items": rows, "count": count}


# The office's today page


def today_items(*, campaign_ids, at, limit=LIST_LIMIT):
    """Items awaiting verification, and overdue items the units still have to
    act on, of the office's campaigns."""
    items = RectificationItem.objects.filter(campaign__in=campaign_ids).select_related("unit", "campaign")
    awaiting, awaiting_count = _listed(items.filter(status=Status.SUBMITTED).order_by("submitted_at", "id"), limit)
    overdue, overdue_count = _listed(
        items.overdue(at).exclude(status=Status.SUBMITTED).order_by("due_at", "id"), limit
    )
    return {"awaiting": awaiting, "awaiting_count": awaiting_count, "overdue": overdue, "overdue_count": overdue_count}
