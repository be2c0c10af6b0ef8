"""The unit's pages: a liaison's home, the report page, attachments,
extension requests and the unit head's sign-off."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

import audit
from campaigns import access as roles
from core.http import stored_file_response
from reports import access

from .. import selectors, services, similarity, workflow
from ..forms import ExtensionRequestForm, ReportForm, SignOffForm, draft_initial, substance_warnings
from ..models import Report
from ..progress import progress_drops

REPORT_RELATED = selectors.REPORT_RELATED


def _visible_report(request, pk):
    return get_object_or_404(access.visible_reports(request.user).select_related(*REPORT_RELATED), pk=pk)


def _unit_report(request, pk, *, lock=False):
    """A report of the user's own unit: 404 for anyone else, even the office.
    `lock`: its row (its own only, as core.transitions.locked locks) until
    the caller's transaction ends."""
    reports = access.unit_reports(request.user).select_related(*REPORT_RELATED)
    return get_object_or_404(reports.select_for_update(of=("self",)) if lock else reports, pk=pk)


@login_required
def unit_home(request):
    if not roles.has_role(request.user, roles.Role.LIAISON, roles.Role.UNIT_HEAD):
        raise Http404("没有本单位的报送。")
    now = timezone.now()
    context = selectors.unit_home(user=request.user, at=now)
    return render(request, "reports/unit_home.html", {**context, "now": now, "nav_active": "unit"})


def _report_form(report, *, now, data=None, files=None):
    tasks, indicators, values = selectors.report_for_form(report=report)
    initial = {
        "version": report.version,
        "work_done": report.work_done,
        "problems": report.problems,
        "next_steps": report.next_steps,
        "late_reason": report.late_reason,
    }
    for task in tasks:
        current = task.current
        initial[f"task_{task.pk}_status"] = current.status if current else "in_progress"
        initial[f"task_{task.pk}_percent"] = current.percent if current else 0
        initial[f"task_{task.pk}_note"] = current.note if current else ""
    for indicator in indicators:
        value = values.get(indicator.pk)
        # 3 rather than 3.00 for a count a person typed as 3.
        initial[f"indicator_{indicator.pk}"] = None if value is None else f"{value.normalize():f}"
    draft = None
    if data is None and report.status == Report.Status.NOT_STARTED:
        # Never over what the unit typed: only a report nobody has saved yet.
        draft = selectors.report_draft(report=report, indicators=indicators)
    if draft is not None:
        initial.update(draft_initial(draft))
    show_late_reason = report.submitted_at is None and now > report.due_at
    form = ReportForm(
        data,
        files,
        initial=initial,
        tasks=tasks,
        indicators=indicators,
        show_late_reason=show_late_reason,
        joint_candidates=list(selectors.joint_candidates(report=report)),
    )
    form.draft_note = draft.note if draft is not None else ""
    return form


def _render_report(request, report, *, form=None, warnings=(), status=200):
    now = timezone.now()
    user = request.user
    can_edit = access.can_edit(user, report, now)
    if can_edit and form is None:
        form = _report_form(report, now=now)
    is_member = access.is_unit_member(user, report)
    can_manage = access.can_manage(user, report)
    page = selectors.report_page(report=report)
    latest = page["latest_version"]
    last_event = page["events"][-1] if page["events"] else None
    latest_content = selectors.version_content(version=latest) if latest and not is_member else None
    if latest_content and can_manage:
        # Warn the reviewer, never refuse, when a task's progress fell.
        drops = progress_drops(report=report, rows=latest.task_progress)
        for row in latest_content["tasks"]:
            row["previous"] = drops.get(row.get("task"))
    context = {
        **page,
        # The unit sees its working copy; everyone else sees what was sent.
        "working_copy": selectors.working_copy_content(report=report) if is_member and not can_edit else None,
        "latest_content": latest_content,
        "shown_attachments": page["attachments"] if is_member else (list(latest.attachments.all()) if latest else []),
        "report": report,
        "now": now,
        "light": report.light(now),
        "is_locked": report.is_locked(now),
        "locks_at": report.locks_at(),
        "is_member": is_member,
        "can_edit": can_edit,
        "form": form if can_edit else None,
        "warnings": warnings,
        "can_sign_off": access.can_sign_off(user, report),
        "can_manage": can_manage,
        "can_review": access.can_review(user, report),
        "can_withdraw": (
            is_member
            and access.can_withdraw(report, last_event)
            and (last_event.actor_id == user.pk or access.may_withdraw(user, report))
        ),
        "undoable_review": (
            workflow.can_undo_review(report, by=user, at=now, last=last_event) if can_manage and last_event else None
        ),
        "undo_hours": workflow.undo_window().total_seconds() / 3600,
        "can_request_extension": is_member and report.status in Report.OWED_STATUSES and now < report.due_at,
        "extension_form": ExtensionRequestForm(),
        "sign_off_form": SignOffForm(),
        "show_working_copy": is_member,
        # Who changed which progress or figure after the first submission;
        # readers other than the unit see only what has been sent.
        "figure_changes": selectors.figure_changes(
            report=report,
            since=page["versions"][0].submitted_at if page["versions"] else None,
            until=None if is_member or latest is None else latest.submitted_at,
        ),
        # The office reads what the unit sent beside the passages it shares
        # with other reports; a hint, never a reason to refuse.
        "similar": _similar(user, report, latest) if can_manage and latest else None,
    }
    return render(request, "reports/report_detail.html", context, status=status)


def _similar(user, report, version):
    text = similarity.sent_text(version.work_done, version.problems, version.next_steps)
    return similarity.similar_reports(
        report=report, text=text, visible=access.visible_reports(user), at=version.submitted_at
    )


@login_required
def report_detail(request, pk):
    reports = selectors.with_history_flags(access.visible_reports(request.user).select_related(*REPORT_RELATED))
    return _render_report(request, get_object_or_404(reports, pk=pk))


@login_required
def report_edit(request, pk):
    """Save the draft, or submit it ("submit" button). Files arrive with the form.

    The report is locked before the form reads the tasks' progress and the
    figures, and the save writes over exactly what the form read: one lock,
    one read of each."""
    if request.method != "POST":
        # After a form error the address bar shows this URL; reloading it
        # should bring the user back to the report, not to an error.
        return redirect(_unit_report(request, pk))
    now = timezone.now()
    form = report = None
    try:
        with transaction.atomic():
            report = _unit_report(request, pk, lock=True)
            if not access.can_edit(request.user, report, now):
                messages.error(request, workflow.not_editable_message(report, now))
                return redirect(report)
            form = _report_form(report, now=now, data=request.POST, files=request.FILES)
            if form.is_valid():
                submitting = "submit" in request.POST
                warnings = []
                if submitting and not request.POST.get("confirmed"):
                    warnings = substance_warnings(
                        work_done=form.cleaned_data["work_done"],
                        previous_work_done=selectors.previous_work_done(report=report),
                    )
                report = services.save_report(
                    report=report,
                    by=request.user,
                    at=now,
                    expected_version=form.cleaned_data["version"],
                    work_done=form.cleaned_data["work_done"],
                    problems=form.cleaned_data["problems"],
                    next_steps=form.cleaned_data["next_steps"],
                    task_progress=form.task_progress(),
                    indicator_values=form.indicator_values(),
                    files=form.cleaned_data["files"],
                    submit=submitting and not warnings,
                    late_reason=form.cleaned_data.get("late_reason", ""),
                    also_answers=form.answered_reports(),
                    held=True,
                    tasks=form.tasks,
                    indicators=form.indicators,
                )
    except workflow.WorkflowError as error:
        messages.error(request, error.message)
        report.refresh_from_db()
        return _render_report(request, report, form=form, status=409 if isinstance(error, workflow.EditConflict) else 400)
    if not form.is_valid():
        messages.error(request, "报送没有保存：请按下方红色提示修改后再试。")
        return _render_report(request, report, form=form, status=400)
    if warnings:
        # Saved as a draft; the page asks the liaison to confirm.
        report.refresh_from_db()
        return _render_report(request, report, warnings=warnings)
    if submitting:
        if report.status == Report.Status.PENDING_SIGN_OFF:
            messages.success(request, "已报送，等待单位负责人审核后提交领导小组办公室。")
        else:
            messages.success(request, "已报送领导小组办公室。" + ("本期为逾期报送，已记录逾期说明。" if report.is_late else ""))
        for other in form.answered_reports():
            messages.success(request, f"已同时作为“{other.period.rule.name} {other.period.label}”报送。")
    else:
        messages.success(request, "草稿已保存。")
    return redirect(report)


@login_required
def attachment_download(request, pk):
    attachment = get_object_or_404(access.visible_attachments(request.user), pk=pk)
    audit.downloaded(request, attachment, filename=attachment.original_name)
    return stored_file_response(request, attachment)


@login_required
@require_POST
def attachment_remove(request, pk):
    attachment = get_object_or_404(
        access.visible_attachments(request.user).filter(report__in=access.unit_reports(request.user).values("id")),
        pk=pk,
    )
    try:
        workflow.remove_attachment(attachment=attachment, by=request.user, at=timezone.now())
    except workflow.WorkflowError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, f"已移除附件“{attachment.original_name}”。")
    return redirect(attachment.report)


@login_required
@require_POST
def extension_request(request, pk):
    report = _unit_report(request, pk)
    form = ExtensionRequestForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect(report)
    try:
        workflow.request_extension(
            report=report,
            by=request.user,
            at=timezone.now(),
            until=form.cleaned_data["until"],
            reason=form.cleaned_data["reason"],
        )
    except workflow.WorkflowError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, "延期申请已提交，请等待领导小组办公室审批。")
    return redirect(report)


@login_required
@require_POST
def sign_off(request, pk):
    report = _unit_report(request, pk)
    if not access.can_sign_off(request.user, report):
        raise PermissionDenied
    now = timezone.now()
    try:
        if request.POST.get("action") == "return":
            workflow.head_return(report=report, by=request.user, at=now, comment=request.POST.get("comment", ""))
            messages.success(request, "已退回联络员修改。")
        else:
            workflow.sign_off(report=report, by=request.user, at=now)
            messages.success(request, "已审核通过，报送已提交领导小组办公室。")
    except workflow.WorkflowError as error:
        messages.error(request, error.message)
    return redirect(report)


@login_required
@require_POST
def withdraw(request, pk):
    """撤回: the unit takes back a report nobody has acted on yet."""
    report = _unit_report(request, pk)
    if not access.may_withdraw(request.user, report):
        raise PermissionDenied
    try:
        report = workflow.withdraw(report=report, by=request.user, at=timezone.now())
    except workflow.WorkflowError as error:
        messages.error(request, error.message)
    else:
        state = "已退回" if report.status == Report.Status.RETURNED else "草稿"
        messages.success(request, f"已撤回：报送回到“{state}”，内容都在，修改后可以重新报送。")
    return redirect(report)


@login_required
def version_detail(request, pk, number):
    report = _visible_report(request, pk)
    version = get_object_or_404(report.versions.select_related("submitted_by"), number=number)
    previous = report.versions.filter(number=number - 1).first()
    return render(
        request,
        "reports/version_detail.html",
        {
            "report": report,
            "version": version,
            "previous": previous,
            "content": selectors.version_content(version=version),
        },
    )
