"""今日工作: the office's to-do lists across its active campaigns."""

import datetime
from dataclasses import dataclass

from django.core.paginator import Paginator
from django.db.models import Count, Q

from core.dates import week_bounds
from notifications.selectors import last_chases
from reports.models import ExtensionRequest, Period, Report

from .overdue import overdue_reports

PAGE_SIZE = 50  # rows of one page of a to-do list


@dataclass
class DueGroup:
    period: Period
    owed: int
    sent: int


def today_work(*, campaigns, at, pages=None):
    """The office's to-do lists across its campaigns, in a fixed number of
    queries. The reports awaiting review and the extension requests are paged
    (`pages`: {"awaiting": n, "extensions": n}, the page numbers as typed; a
    bad one gives the first or the last page); the overdue list shows the
    latest and links to the review queue's overdue tab."""
    pages = pages or {}
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
    awaiting = Paginator(
        awaiting.select_related("unit", "period__rule__campaign")
        .defer("work_done", "problems", "next_steps", "late_reason")
        .order_by("submitted_at", "pk"),
        PAGE_SIZE,
    ).get_page(pages.get("awaiting"))
    extensions = Paginator(
        extensions.select_related("report__unit", "report__period__rule__campaign", "requested_by").order_by(
            "report__due_at", "requested_at", "pk"
        ),
        PAGE_SIZE,
    ).get_page(pages.get("extensions"))
    return {
        "campaign_ids": ids,
        "week_start": start,
        "week_end": end - datetime.timedelta(days=1),
        "due_this_week": due_this_week,
        "overdue": overdue,
        "overdue_count": overdue_count,
        "chases": last_chases(unit_ids={r.unit_id for r in overdue}, at=at),
        "awaiting": list(awaiting),
        "awaiting_page": awaiting,
        "awaiting_count": awaiting.paginator.count,
        "extensions": list(extensions),
        "extensions_page": extensions,
        "extensions_count": extensions.paginator.count,
    }
