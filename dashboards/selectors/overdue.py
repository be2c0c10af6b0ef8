"""The overdue list, shown by the campaign dashboard and by 今日工作."""

from reports.models import Report

LIST_LIMIT = 30  # rows of a to-do list; the review queue has them all


def overdue_reports(*, reports, at, limit=LIST_LIMIT):
    """(the latest overdue reports, how many there are), 2 queries."""
    overdue = reports.filter(status__in=Report.OWED_STATUSES, due_at__lt=at)
    listed = list(
        overdue.select_related("unit", "period__rule__campaign")
        .defer("work_done", "problems", "next_steps", "late_reason")
        .order_by("-due_at", "unit__sort_order", "unit__name", "pk")[:limit]
    )
    return listed, overdue.count()
