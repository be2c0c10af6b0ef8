"""Reads for the report pages, aggregated in the database."""

import datetime
from typing import NamedTuple

from django.core.paginator import Paginator
from django.db.models import Count, Exists, OuterRef, Q, Sum
from django.db.models.functions import Coalesce

from campaigns import access as roles
from tasks.models import Indicator, Task

from . import access, drafting
from .models import (
    REPORT_RELATED,
    UNIT_EDIT,
    Attachment,
    ExtensionRequest,
    IndicatorValue,
    JointSubmission,
    Report,
    ReportTally,
    ReportVersion,
    ReviewEvent,
    TaskProgress,
)
from .progress import task_progress


def unit_home(*, user, at):
    """What a liaison or unit head has to do, and what their units have done."""
    reports = access.unit_reports(user).select_related(*REPORT_RELATED).order_by("due_at", "unit__sort_order")
    Status = Report.Status
    # What waits for the unit, in one query: owed, returned, awaiting sign-off.
    waiting = list(reports.filter(status__in=[*Report.OWED_STATUSES, Status.RETURNED, Status.PENDING_SIGN_OFF]))
    owed = [r for r in waiting if r.status in Report.OWED_STATUSES]
    unit_roles = (roles.Role.LIAISON, roles.Role.UNIT_HEAD)
    return {
        "my_unit_ids": {unit_id for role, unit_id in roles.memberships_of(user) if role in unit_roles},
        "open": [r for r in owed if r.due_at >= at],
        "overdue": [r for r in owed if r.due_at < at],
        "returned": [r for r in waiting if r.status == Status.RETURNED],
        "pending_sign_off": [r for r in waiting if r.status == Status.PENDING_SIGN_OFF],
        "recent": list(
            reports.filter(status__in=[Status.SUBMITTED, Status.ACCEPTED]).order_by("-submitted_at")[:10]
        ),
        "tasks": unit_tasks_with_progress(user=user),
        "attachments": list(
            Attachment.objects.filter(
                Exists(ReportVersion.attachments.through.objects.filter(attachment=OuterRef("pk"))),
                report__unit__in=roles.unit_ids(user, *unit_roles),
                removed_at__isnull=True,
            )
            .select_related("report__period", "report__unit")
            .order_by("-uploaded_at")[:20]
        ),
    }


def unit_tasks_with_progress(*, user):
    """The tasks the user's units lead or support, each with its progress as
    reports.progress defines it (`progress_percent`, `progress_status`: the
    lead unit's latest accepted figure), in 2 to 4 queries whatever the
    number of tasks: the tasks, then their progress read from each lead
    unit's latest accepted report (`progress.task_progress`), rather than a
    correlated subquery per task over its whole history."""
    units = roles.unit_ids(user, roles.Role.LIAISON, roles.Role.UNIT_HEAD)
    tasks = list(
        Task.objects.filter(
            Q(lead_unit__in=units) | Q(pk__in=Task.co_units.through.objects.filter(unit__in=units).values("task")),
            campaign__status="active",
        )
        .select_related("campaign")
        .order_by("campaign_id", "tree_path")
    )
    found = (
        task_progress(
            tasks=Task.objects.filter(pk__in=[t.pk for t in tasks]),
            task_ids=[t.pk for t in tasks if t.lead_unit_id],
            lead_unit_ids={t.lead_unit_id for t in tasks if t.lead_unit_id},
        )
        if tasks
        else {}
    )
    for task in tasks:
        progress = found.get(task.pk)
        task.progress_percent = progress.percent if progress else None
        task.progress_status = progress.status if progress else None
    return tasks


def with_history_flags(reports):
    """`reports`, each saying which of the report page's reads it has rows
    for (`has_versions`, …), in the same query: a report nobody has touched
    yet, the common case when the deadline nears, then costs the page none
    of `report_page`'s reads."""
    report = OuterRef("pk")
    return reports.annotate(
        has_versions=Exists(ReportVersion.objects.filter(report=report)),
        has_events=Exists(ReviewEvent.objects.filter(report=report)),
        has_extensions=Exists(ExtensionRequest.objects.filter(report=report)),
        has_attachments=Exists(Attachment.objects.filter(report=report, removed_at__isnull=True)),
        has_joint=Exists(JointSubmission.objects.filter(Q(report=report) | Q(answered=report))),
    )


def _has(report, rows):
    """False only when `with_history_flags` found no such rows for the report."""
    return getattr(report, f"has_{rows}", True)


def report_page(*, report):
    """Everything the report page shows besides the form, in a fixed number
    of queries; none for the rows `with_history_flags` found missing."""
    versions = (
        list(report.versions.select_related("submitted_by").prefetch_related("attachments").order_by("number"))
        if _has(report, "versions")
        else []
    )
    events = (
        list(ReviewEvent.objects.filter(report=report).select_related("actor").order_by("created_at", "id"))
        if _has(report, "events")
        else []
    )
    extensions = (
        list(ExtensionRequest.objects.filter(report=report).select_related("requested_by", "decided_by"))
        if _has(report, "extensions")
        else []
    )
    returned_events = [e for e in events if e.action in (ReviewEvent.Action.RETURN, ReviewEvent.Action.HEAD_RETURN)]
    latest = versions[-1] if versions else None
    # The version that was returned, when the latest one answers a return.
    answered = None
    if latest is not None and len(versions) > 1 and returned_events:
        answered = versions[-2]
    return {
        "versions": versions,
        "latest_version": latest,
        "returned_version": answered,
        "events": events,
        "last_return": returned_events[-1] if returned_events else None,
        "extensions": extensions,
        "pending_extension": next((e for e in extensions if e.status == ExtensionRequest.Status.PENDING), None),
        "attachments": (
            list(report.attachments.filter(removed_at__isnull=True).select_related("uploaded_by").order_by("uploaded_at"))
            if _has(report, "attachments")
            else []
        ),
        **(joint_submissions(report=report) if _has(report, "joint") else {"also_answered": [], "answered_by": None}),
    }


class FigureChange(NamedTuple):
    """One field of a task's progress or of a figure, changed (修改记录)."""

    at: datetime.datetime
    by: object  # the user, or None when nobody was recorded
    subject: str  # 任务 一、1 …, or the indicator's name
    field: str
    before: str
    after: str
    outside_workflow: bool  # changed without the report pages


NOT_GIVEN, NOT_RECORDED, CLEARED = "（未填）", "（此前未记录）", "（已清空）"


def _decimal_text(value, measure_unit):
    return f"{value.normalize():f}{measure_unit}"


def _progress_fields(row):
    return [
        ("进展状态", TaskProgress.Status(row.status).label if row.status in TaskProgress.Status.values else row.status),
        ("完成进度", f"{row.percent}%"),
        ("进展说明", row.note or "（无）"),
    ]


def _figure_fields(row):
    return [("数值", _decimal_text(row.value, row.indicator.measure_unit if row.indicator else ""))]


def figure_changes(*, report, since, until=None):
    """Every change of the report's task progress and figures made after
    `since` (its first submission: what the unit typed before is in the first
    version), oldest first, each field from what to what, who and when; in
    two queries however many there are. With `until` (the latest submission,
    for readers who see only what was sent), the unit's edits after it are
    left out until it is sent; a change made outside the report pages is
    always shown, and flagged."""
    if since is None:
        return []
    progress = TaskProgress.history.filter(report_id=report.pk).select_related("task", "history_user")
    figures = IndicatorValue.history.filter(report_id=report.pk).select_related("indicator", "history_user")
    changes = []
    for rows, subject, fields in (
        (progress, lambda row: f"任务 {row.task.code} {row.task.title}".replace("  ", " ") if row.task else "任务", _progress_fields),
        (figures, lambda row: f"指标 {row.indicator.name}" if row.indicator else "指标", _figure_fields),
    ):
        previous = {}
        for row in rows.order_by("history_date", "history_id"):
            before = previous.get(row.id)
            seen = row.id in previous
            previous[row.id] = None if row.history_type == "-" else row
            outside = row.history_change_reason != UNIT_EDIT
            if row.history_date <= since or (until is not None and row.history_date > until and not outside):
                continue
            old = dict(fields(before)) if before is not None else {}
            for field, new in fields(row):
                was = old.get(field, NOT_GIVEN if seen or row.history_type == "+" else NOT_RECORDED)
                now = CLEARED if row.history_type == "-" else new
                if was != now:
                    changes.append(FigureChange(row.history_date, row.history_user, subject(row), field, was, now, outside))
    changes.sort(key=lambda change: change.at)
    return changes


def previous_work_done(*, report):
    """The unit's last sent text for the same rule, to catch copy-paste."""
    return (
        Report.objects.filter(
            unit=report.unit_id, period__rule=report.period.rule_id, period__ends_on__lt=report.period.ends_on
        )
        .exclude(submitted_at=None)
        .order_by("-period__ends_on")
        .values_list("work_done", flat=True)
        .first()
    )


def report_for_form(*, report):
    """The unit's tasks and the rule's indicators with the working copy's
    values, in two queries whatever their number: each task with `current`,
    its progress row (or None); {indicator id: value}."""
    from .workflow import indicators_with_values, tasks_with_progress

    tasks = tasks_with_progress(report)
    indicators = indicators_with_values(report)
    values = {i.pk: i.current.value for i in indicators if i.current is not None}
    return tasks, indicators, values


def working_copy_content(*, report):
    """The unit's current text and figures, shaped like `version_content`."""
    status_labels = dict(TaskProgress.Status.choices)
    return {
        "work_done": report.work_done,
        "problems": report.problems,
        "next_steps": report.next_steps,
        "late_reason": report.late_reason,
        "tasks": [
            {"code": p.task.code, "title": p.task.title, "status": status_labels[p.status], "percent": p.percent, "note": p.note}
            for p in report.task_progress.select_related("task").order_by("task__tree_path")
        ],
        "indicators": [
            {"name": v.indicator.name, "measure_unit": v.indicator.measure_unit, "value": v.value}
            for v in report.indicator_values.select_related("indicator").order_by("indicator__position", "indicator_id")
        ],
    }


def version_content(*, version):
    from decimal import Decimal

    status_labels = dict(TaskProgress.Status.choices)
    return {
        "work_done": version.work_done,
        "problems": version.problems,
        "next_steps": version.next_steps,
        "late_reason": version.late_reason,
        "tasks": [{**row, "status": status_labels.get(row["status"], row["status"])} for row in version.task_progress],
        "indicators": [{**row, "value": Decimal(row["value"])} for row in version.indicator_values],
    }


# The office's review queue

QUEUE_PAGE_SIZE = 50


class QueueStatus:
    """The queue's status filter: a report status, or overdue, or all."""

    SUBMITTED, RETURNED, ACCEPTED, OVERDUE, ALL = "submitted", "returned", "accepted", "overdue", "all"
    CHOICES = [
        (SUBMITTED, "待审核"),
        (RETURNED, "已退回"),
        (ACCEPTED, "审核通过"),
        (OVERDUE, "逾期未报"),
        (ALL, "全部"),
    ]


def queue_page(*, campaign, period, status, page, at, unit_query=""):
    """What the review queue shows besides its forms: the status tabs with
    their counts, one page of reports and the pending extension requests;
    `unit_query` keeps the units whose name or short name contains it."""
    counts = queue_counts(campaign=campaign, period=period, at=at, unit_query=unit_query)
    reports = queue_reports(campaign=campaign, period=period, status=status, at=at, unit_query=unit_query)
    paginator = Paginator(reports, QUEUE_PAGE_SIZE)
    if counts[status] is not None:
        # A work tab's count is its tab's (exact: tests/test_tallies.py); no second count.
        paginator.count = counts[status]
    page = paginator.get_page(page)
    page.object_list = with_latest_version(list(page.object_list))
    return {
        "status_tabs": [(key, label, counts[key]) for key, label in QueueStatus.CHOICES],
        "page": page,
        "extensions": pending_extensions(campaign=campaign),
    }


def _queue_scope(*, campaign, period, unit_query):
    reports = Report.objects.filter(period__rule__campaign=campaign)
    if period is not None:
        reports = reports.filter(period=period)
    if unit_query:
        reports = reports.filter(Q(unit__name__icontains=unit_query) | Q(unit__short_name__icontains=unit_query))
    return reports


def queue_reports(*, campaign, period, status, at, unit_query=""):
    """The campaign's reports for one status filter, in the queue's order.
    The page shown adds their latest versions (`with_latest_version`): a
    subquery here would be run for every matching row before the sort."""
    reports = _queue_scope(campaign=campaign, period=period, unit_query=unit_query)
    if status == QueueStatus.OVERDUE:
        reports = reports.filter(status__in=Report.OWED_STATUSES, due_at__lt=at)
    elif status != QueueStatus.ALL:
        reports = reports.filter(status=status)
    # The queue shows no report text but the late reason.
    reports = reports.select_related("unit", "period__rule").defer("work_done", "problems", "next_steps")
    # Awaiting review: the longest waiting first. Anything else: the latest periods first.
    if status == QueueStatus.SUBMITTED:
        return reports.order_by("period__due_at", "submitted_at", "unit__sort_order", "unit__name", "pk")
    return reports.order_by("-period__due_at", "unit__sort_order", "unit__name", "pk")


def with_latest_version(reports):
    """`reports` (a page's) with `version_number` and `last_submitted_at` of
    their latest version (None before the first), in one query."""
    latest = {}
    versions = ReportVersion.objects.filter(report__in=[r.pk for r in reports]).order_by("report", "number")
    for report_id, number, submitted_at in versions.values_list("report", "number", "submitted_at"):
        latest[report_id] = (number, submitted_at)
    for report in reports:
        report.version_number, report.last_submitted_at = latest.get(report.pk, (None, None))
    return reports


def queue_counts(*, campaign, period, at, unit_query=""):
    """How many reports each tab of work to do would show (待审核, 已退回,
    逾期未报), in one query; the history tabs (审核通过, 全部) are not
    counted. Without a unit search, from the report tallies (a few rows a
    period rather than every report); with one, from the matching reports."""
    if unit_query:
        counts = scanned_queue_counts(_queue_scope(campaign=campaign, period=period, unit_query=unit_query), at=at)
    else:
        counts = tallied_queue_counts(campaign=campaign, period=period, at=at)
    return {**counts, QueueStatus.ACCEPTED: None, QueueStatus.ALL: None}


def tallied_queue_counts(*, campaign, period, at):
    """The work tabs' counts as sums of `ReportTally` rows: 待审核 is
    `awaiting_review` (status submitted), 已退回 `returned`, 逾期未报 the
    `owed` of the rows whose deadline (after extension) has passed. What
    `scanned_queue_counts` counts (tests/test_tallies.py)."""
    rows = ReportTally.objects.filter(campaign=campaign)
    if period is not None:
        rows = rows.filter(period=period)
    return rows.aggregate(
        **{
            QueueStatus.SUBMITTED: Coalesce(Sum("awaiting_review"), 0),
            QueueStatus.RETURNED: Coalesce(Sum("returned"), 0),
            QueueStatus.OVERDUE: Coalesce(Sum("owed", filter=Q(due_at__lt=at)), 0),
        }
    )


def scanned_queue_counts(reports, *, at):
    """The work tabs' counts of `reports`, read through `report_period_status`."""
    return reports.filter(status__in=[Report.Status.SUBMITTED, Report.Status.RETURNED, *Report.OWED_STATUSES]).aggregate(
        **{
            QueueStatus.SUBMITTED: Count("pk", filter=Q(status=Report.Status.SUBMITTED)),
            QueueStatus.RETURNED: Count("pk", filter=Q(status=Report.Status.RETURNED)),
            QueueStatus.OVERDUE: Count("pk", filter=Q(status__in=Report.OWED_STATUSES, due_at__lt=at)),
        }
    )


def pending_extensions(*, campaign):
    """The campaign's extension requests awaiting the office, the nearest deadline first."""
    return list(
        ExtensionRequest.objects.filter(status=ExtensionRequest.Status.PENDING, report__period__rule__campaign=campaign)
        .select_related("report__unit", "report__period__rule", "requested_by")
        .order_by("report__due_at", "requested_at")
    )


def next_to_review(*, user, after):
    """The report the queue lists after `after`, for reviewing one after another."""
    return (
        access.visible_reports(user)
        .filter(period__rule__campaign=after.period.rule.campaign_id, status=Report.Status.SUBMITTED)
        .exclude(pk=after.pk)
        .select_related("unit", "period__rule")
        .order_by("period__due_at", "submitted_at", "unit__sort_order", "unit__name", "pk")
        .first()
    )


def review_batch(*, batch, by):
    """(the acceptances of one bulk action of `by` with their reports, {report
    id: the report's latest event}), in two queries."""
    events = list(
        ReviewEvent.objects.filter(batch=batch, actor=by, action=ReviewEvent.Action.ACCEPT)
        .select_related("actor", *[f"report__{name}" for name in REPORT_RELATED])
        .order_by("report__unit__sort_order", "report__unit__name", "report__period__due_at", "id")
    )
    latest = {}
    if events:
        for event in (
            ReviewEvent.objects.filter(report__in=[e.report_id for e in events])
            .select_related("actor")
            .order_by("report", "-created_at", "-id")
        ):
            latest.setdefault(event.report_id, event)
    return events, latest


# What a longer report may be drafted from: reports the office has received.
DRAFT_SOURCE_STATUSES = [Report.Status.SUBMITTED, Report.Status.ACCEPTED]


def report_draft(*, report, indicators):
    """报一次，用多次: the draft of `report` from the unit's sent reports of
    the nearest shorter cadence whose periods end within its period, and the
    unit's latest sent figures of cumulative indicators (`reports.drafting`).
    At most three queries, whatever the number of sources; None when there
    is nothing to draft from."""
    period, rule = report.period, report.period.rule
    shorter = drafting.shorter_cadences(rule.cadence)
    latest_ids = [i.pk for i in indicators if i.aggregation == Indicator.Aggregation.LATEST]
    if not shorter and not latest_ids:
        return None
    sources = []
    if shorter:
        rows = list(
            Report.objects.filter(
                unit=report.unit_id,
                period__rule__campaign=rule.campaign_id,
                period__rule__cadence__in=shorter,
                period__ends_on__range=(period.starts_on, period.ends_on),
                status__in=DRAFT_SOURCE_STATUSES,
            )
            .select_related("period__rule")
            .prefetch_related("task_progress", "indicator_values")
        )
        if rows:
            # One rule only, so that its numbers name the periods: the longest
            # shorter cadence (monthly reports for a quarter), then the rule
            # with the most reports.
            counts = {}
            for row in rows:
                counts[row.period.rule_id] = counts.get(row.period.rule_id, 0) + 1
            by_rule = {row.period.rule_id: row.period.rule for row in rows}
            chosen = max(counts, key=lambda r: (shorter.index(by_rule[r].cadence), counts[r], -r))
            sources = [
                drafting.Source(
                    rule_name=row.period.rule.name,
                    number=row.period.number,
                    starts_on=row.period.starts_on,
                    ends_on=row.period.ends_on,
                    work_done=row.work_done,
                    problems=row.problems,
                    next_steps=row.next_steps,
                    task_progress={p.task_id: (p.status, p.percent, p.note) for p in row.task_progress.all()},
                    indicator_values={v.indicator_id: v.value for v in row.indicator_values.all()},
                )
                for row in rows
                if row.period.rule_id == chosen
            ]
    cumulative = {}
    if latest_ids:
        for indicator_id, value in (
            IndicatorValue.objects.filter(
                indicator__in=latest_ids,
                report__unit=report.unit_id,
                report__status__in=DRAFT_SOURCE_STATUSES,
                report__period__ends_on__lte=period.ends_on,
            )
            .exclude(report=report)
            .order_by("indicator", "-report__period__ends_on", "-report__submitted_at")
            .values_list("indicator", "value")
        ):
            cumulative.setdefault(indicator_id, value)
    return drafting.assemble(sources=sources, indicators=indicators, cumulative=cumulative)


def joint_candidates(*, report):
    """The unit's other reports this one may also answer (同时作为……报送):
    still to be sent, under another rule of the campaign, whose period ends
    within this report's period, and not answered by another submission."""
    period = report.period
    return (
        Report.objects.filter(
            unit=report.unit_id,
            period__rule__campaign=period.rule.campaign_id,
            period__ends_on__range=(period.starts_on, period.ends_on),
            status__in=Report.EDITABLE_STATUSES,
            answered_by__isnull=True,
        )
        .exclude(period__rule=period.rule_id)
        .select_related("period__rule")
        .order_by("period__due_at", "id")
    )


def joint_submissions(*, report):
    """The reports this one also answered, and the one that answered it."""
    rows = list(
        JointSubmission.objects.filter(Q(report=report) | Q(answered=report)).select_related(
            "report__period__rule", "answered__period__rule"
        )
    )
    return {
        "also_answered": [row.answered for row in rows if row.report_id == report.pk],
        "answered_by": next((row.report for row in rows if row.answered_id == report.pk), None),
    }
