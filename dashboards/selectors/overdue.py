"""The overdue lists: reports, shown by the campaign dashboard and by 今日工作;
tasks past their deadline (任务督办), shown by the campaign dashboard."""

from reports import deadlines
from reports.models import Report
from tasks.models import Task

LIST_LIMIT = 30  # rows of a to-do list; the review queue has them all


def overdue_reports(*, reports, at, limit=LIST_LIMIT, count=None):
    """(the latest overdue reports, how many there are), 2 or 3 queries: 2
    when there are fewer than `limit` or the caller knows how many (`count`,
    from reports.tallies).

    The list reads the index of owed reports by deadline (`report_owed_due`)
    backwards: first the deadline of the `limit`-th latest one, then the rows
    due since, in the page's order; never every overdue report sorted."""
    overdue = reports.filter(status__in=Report.OWED_STATUSES, due_at__lt=at)
    cutoff = list(overdue.order_by("-due_at").values_list("due_at", flat=True)[limit - 1 : limit])
    if cutoff:
        overdue_listed = overdue.filter(due_at__gte=cutoff[0])
    else:
        overdue_listed = overdue
    listed = list(
        overdue_listed.select_related("unit", "period__rule__campaign")
        .defer("work_done", "problems", "next_steps", "late_reason")
        .order_by("-due_at", "unit__sort_order", "unit__name", "pk")[:limit]
    )
    if count is None:
        count = len(listed) if not cutoff else overdue.count()
    return listed, count


def overdue_tasks(*, campaign, unit_ids=None, today, limit=LIST_LIMIT):
    """(the tasks past their deadline and not applied for 办结, the longest
    overdue first; how many there are), 2 queries. `unit_ids`: the tasks these
    units lead only (None: every task)."""
    tasks = Task.objects.filter(campaign=campaign)
    if unit_ids is not None:
        tasks = tasks.filter(lead_unit__in=unit_ids)
    overdue = deadlines.overdue_tasks(tasks, today=today)
    listed = list(overdue.select_related("lead_unit").order_by("due_on", "tree_path")[:limit])
    for task in listed:
        task.days_overdue = (today - task.due_on).days
    return listed, overdue.count()
