"""Reads for the report pages, aggregated in the database."""

from django.db.models import OuterRef, Prefetch, Q, Subquery

from campaigns import access as roles
from tasks.models import Task

from . import access
from .models import REPORT_RELATED, Attachment, ExtensionRequest, Report, ReviewEvent, TaskProgress


def unit_home(*, user, at):
    """What a liaison or unit head has to do, and what their units have done."""
    reports = access.unit_reports(user).select_related(*REPORT_RELATED).order_by("due_at", "unit__sort_order")
    Status = Report.Status
    owed = list(reports.filter(status__in=Report.OWED_STATUSES))
    return {
        "my_unit_ids": set(roles.unit_ids(user, roles.Role.LIAISON, roles.Role.UNIT_HEAD).values_list("unit_id", flat=True)),
        "open": [r for r in owed if r.due_at >= at],
        "overdue": [r for r in owed if r.due_at < at],
        "returned": list(reports.filter(status=Status.RETURNED)),
        "pending_sign_off": list(reports.filter(status=Status.PENDING_SIGN_OFF)),
        "recent": list(
            reports.filter(status__in=[Status.SUBMITTED, Status.ACCEPTED]).order_by("-submitted_at")[:10]
        ),
        "tasks": unit_tasks_with_progress(user=user),
        "attachments": list(
            Attachment.objects.filter(
                report__in=access.unit_reports(user).values("id"), versions__isnull=False, removed_at__isnull=True
            )
            .distinct()
            .select_related("report__period", "report__unit")
            .order_by("-uploaded_at")[:20]
        ),
    }


def unit_tasks_with_progress(*, user):
    """The tasks the user's units lead or support, each with the latest
    progress its unit sent (one query whatever the number of tasks)."""
    units = roles.unit_ids(user, roles.Role.LIAISON, roles.Role.UNIT_HEAD)
    latest = TaskProgress.objects.filter(
        task=OuterRef("pk"),
        report__unit__in=units,
        report__status__in=[Report.Status.SUBMITTED, Report.Status.ACCEPTED, Report.Status.PENDING_SIGN_OFF],
    ).order_by("-report__period__ends_on", "-report_id")
    return list(
        Task.objects.filter(Q(lead_unit__in=units) | Q(co_units__in=units), campaign__status="active")
        .distinct()
        .select_related("campaign", "lead_unit")
        .annotate(
            latest_percent=Subquery(latest.values("percent")[:1]),
            latest_status=Subquery(latest.values("status")[:1]),
            latest_note=Subquery(latest.values("note")[:1]),
        )
        .order_by("campaign_id", "tree_path")
    )


def report_page(*, report):
    """Everything the report page shows besides the form, in a fixed number of queries."""
    versions = list(report.versions.select_related("submitted_by").prefetch_related("attachments").order_by("number"))
    events = list(ReviewEvent.objects.filter(report=report).select_related("actor").order_by("created_at", "id"))
    extensions = list(
        ExtensionRequest.objects.filter(report=report).select_related("requested_by", "decided_by")
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
        "attachments": list(
            report.attachments.filter(removed_at__isnull=True).select_related("uploaded_by").order_by("uploaded_at")
        ),
    }


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
    """The unit's tasks and the rule's indicators with the working copy's values."""
    from .workflow import unit_tasks

    tasks = list(
        unit_tasks(report).prefetch_related(
            Prefetch("progress", queryset=TaskProgress.objects.filter(report=report), to_attr="current")
        )
    )
    indicators = list(report.period.rule.indicators.order_by("position", "id"))
    values = {v.indicator_id: v.value for v in report.indicator_values.all()}
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
