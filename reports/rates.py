"""Submission rate (报送率) and on-time rate (及时率), computed in the database.

One definition for every page, workbook and evaluation:
- a report is *expected* once its deadline (after any extension) has passed,
  unless the unit was exempted (免报);
- it is *submitted* if the unit ever sent it (the first submission counts,
  whatever the office did with it afterwards);
- it is *on time* if that first submission came before the deadline.

Expected reports are rows that were created when their period opened, for
the units that owed it then, so no rate can exceed 100 %.
"""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, F, Q

from .models import Report

EXEMPT = Q(status=Report.Status.EXEMPT)


def counts(*, at):
    """Aggregates for `.aggregate()` or `.annotate()` over reports."""
    due = Q(due_at__lte=at) & ~EXEMPT
    return {
        "expected": Count("id", filter=due),
        "submitted": Count("id", filter=due & Q(submitted_at__isnull=False)),
        "on_time": Count("id", filter=due & Q(submitted_at__lte=F("due_at"))),
        "exempt": Count("id", filter=EXEMPT),
        "awaiting_review": Count("id", filter=Q(status=Report.Status.SUBMITTED)),
        "returned": Count("id", filter=Q(status=Report.Status.RETURNED)),
        "accepted": Count("id", filter=Q(status=Report.Status.ACCEPTED)),
    }


def percent(part, whole):
    """A rate as a Decimal percentage with one decimal, or None when nothing was expected."""
    if not whole:
        return None
    return (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class Rates:
    expected: int
    submitted: int
    on_time: int
    exempt: int = 0
    awaiting_review: int = 0
    returned: int = 0
    accepted: int = 0

    @property
    def missing(self):
        return self.expected - self.submitted

    @property
    def late(self):
        return self.submitted - self.on_time

    @property
    def submission_rate(self):
        return percent(self.submitted, self.expected)

    @property
    def on_time_rate(self):
        return percent(self.on_time, self.expected)


def totals(reports, *, at):
    """Rates over a queryset of reports, in one query."""
    return Rates(**reports.order_by().aggregate(**counts(at=at)))


def by_unit(reports, *, at):
    """{unit id: Rates} over a queryset of reports, in one query."""
    rows = reports.order_by().values("unit").annotate(**counts(at=at))
    return {row.pop("unit"): Rates(**row) for row in rows}


def by_period(reports, *, at):
    """{period id: Rates}, in one query."""
    rows = reports.order_by().values("period").annotate(**counts(at=at))
    return {row.pop("period"): Rates(**row) for row in rows}
