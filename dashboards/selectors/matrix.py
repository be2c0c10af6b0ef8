"""The status matrix: units × a window of periods, each cell a report's light."""

from dataclasses import dataclass

from django.core.paginator import Paginator
from django.db.models import Exists, OuterRef

from campaigns.models import Unit
from reports.models import Report

WINDOW = 12  # periods shown in the matrix at a time
UNITS_PER_PAGE = 30


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


def matrix_light(status, due_at, submitted_at, at):
    """Report.light, and "pending" for a report the unit head has not signed off yet."""
    if status == Report.Status.PENDING_SIGN_OFF:
        return "pending"
    return Report(status=status, due_at=due_at, submitted_at=submitted_at).light(at)


def status_matrix(*, rule, periods, unit_ids, filters, at):
    """The units owing a report of the window's periods × those periods, each
    cell the report's light (3 queries)."""
    offset = max(filters.older, 0) * WINDOW
    window = list(reversed(periods[offset : offset + WINDOW]))
    # The units owing a report of the window: what the page shows, and an
    # index probe per unit rather than a walk through the rule's history.
    owing = Report.objects.filter(period__in=[p.pk for p in window]).order_by()
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
