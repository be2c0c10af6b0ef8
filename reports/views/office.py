"""The office's pages: the review queue and the office's actions on a report.

Who may act is decided in `reports.access`: a report the user may not see
is a 404; one they may see but not act on (a leader, the unit's own liaison)
is a 403.
"""

import uuid
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from campaigns.selectors import missing_holiday_years
from core.http import parse_id, safe_next
from reports import access
from reports.access import report_to_manage

from .. import selectors, workflow
from ..models import REPORT_RELATED, ExtensionRequest, Report
from ..office_forms import ExemptForm, ExtensionDecisionForm, QueueFilterForm, ReopenForm, ReviewForm


@login_required
def review_queue(request):
    campaigns = list(access.review_campaigns(request.user).order_by("-starts_on", "title"))
    if not campaigns:
        raise Http404("您没有可查看的创建活动。")
    managed = access.managed_campaign_ids(request.user, campaigns)
    if request.method == "POST":
        return _accept_selected(request, managed)
    form = QueueFilterForm(request.GET, campaigns=campaigns)
    campaign = form.campaign
    period, status = form.filters()
    now = timezone.now()
    can_act = campaign.pk in managed
    queue = selectors.queue_page(
        campaign=campaign, period=period, status=status, page=request.GET.get("page"), at=now, unit_query=form.unit_query()
    )
    here = request.get_full_path()
    return render(
        request,
        "reports/review_queue.html",
        {
            "form": form,
            "campaign": campaign,
            "period": period,
            "status": status,
            "status_tabs": queue["status_tabs"],
            "page": queue["page"],
            "now": now,
            "can_act": can_act,
            "bulk": can_act and status == selectors.QueueStatus.SUBMITTED,
            "extensions": [
                (e, ExtensionDecisionForm(extension=e, next_url=here) if can_act else None) for e in queue["extensions"]
            ],
            "missing_holiday_years": missing_holiday_years(today=timezone.localdate(now)) if managed else [],
            "nav_active": "review",
        },
    )


def _accept_selected(request, managed):
    """Bulk acceptance from the queue, in two steps: the page lists what will
    be accepted and asks to confirm; the confirmed acceptances share a batch,
    which the office may undo (撤销本次批量操作) within REVIEW_UNDO_HOURS.
    Reports that moved on meanwhile are skipped."""
    if not managed:
        raise PermissionDenied
    back = safe_next(request) or reverse("reports:review_queue")
    ids = {parse_id(value) for value in request.POST.getlist("reports")} - {None}
    if not ids:
        messages.warning(request, "请先勾选要审核通过的报送。")
        return redirect(back)
    reports = access.visible_reports(request.user).filter(pk__in=ids, period__rule__campaign__in=managed)
    if not request.POST.get("confirmed"):
        listed = list(reports.select_related(*REPORT_RELATED).order_by("unit__sort_order", "unit__name", "period__due_at"))
        return render(
            request,
            "reports/bulk_accept_confirm.html",
            {
                "ready": [r for r in listed if r.status == Report.Status.SUBMITTED],
                "not_ready": [r for r in listed if r.status != Report.Status.SUBMITTED],
                "back": back,
                "undo_hours": workflow.undo_window().total_seconds() / 3600,
                "nav_active": "review",
            },
        )
    batch = uuid.uuid4()
    accepted = workflow.accept_many(reports=reports, by=request.user, at=timezone.now(), batch=batch)
    skipped = len(ids) - accepted
    if skipped:
        messages.warning(
            request,
            f"已审核通过 {accepted} 份报送；{skipped} 份已不是“已报送”状态（可能已被他人审核或退回），未作处理。",
        )
    else:
        messages.success(request, f"已审核通过 {accepted} 份报送。")
    if not accepted:
        return redirect(back)
    return redirect(f"{reverse('reports:review_batch', args=[batch])}?{urlencode({'next': back})}")


@login_required
def review_batch(request, batch):
    """One bulk acceptance of the user's: what it accepted, and its undo.
    Another person's batch is a 404."""
    events, latest = selectors.review_batch(batch=batch, by=request.user)
    if not events:
        raise Http404("没有找到这次批量操作。")
    now = timezone.now()
    rows = [(event, _why_kept(event, latest.get(event.report_id), by=request.user, at=now)) for event in events]
    return render(
        request,
        "reports/review_batch.html",
        {
            "rows": rows,
            "batch": batch,
            "accepted_at": events[0].created_at,
            "undo_until": events[0].created_at + workflow.undo_window(),
            "undoable": sum(1 for _, refused in rows if refused is None),
            "back": safe_next(request) or reverse("reports:review_queue"),
            "nav_active": "review",
        },
    )


def _why_kept(event, last, *, by, at):
    """Why the batch's acceptance `event` can no longer be undone, or None."""
    if last != event:
        return "审核后这份报送已有新的办理，不能撤销。"
    return workflow.undo_refusal(event.report, last, by=by, at=at)


@login_required
@require_POST
def undo_batch(request, batch):
    if not workflow.batch_events(batch=batch, by=request.user).exists():
        raise Http404("没有找到这次批量操作。")
    undone, kept = workflow.undo_batch(batch=batch, by=request.user, at=timezone.now())
    if undone:
        messages.success(request, f"已撤销本次批量操作：{len(undone)} 份报送回到“已报送”，可重新审核。")
    if kept:
        messages.warning(request, f"{len(kept)} 份未撤销：" + "；".join(f"{_name(r)}：{why}" for r, why in kept))
    back = safe_next(request)
    return redirect(f"{reverse('reports:review_batch', args=[batch])}" + (f"?{urlencode({'next': back})}" if back else ""))


@login_required
@require_POST
def undo_review(request, pk):
    """撤销审核: the office takes back its own accept or return of one report."""
    report = report_to_manage(request, pk)
    try:
        workflow.undo_review(report=report, by=request.user, at=timezone.now())
    except workflow.WorkflowError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, f"已撤销审核：{_name(report)}回到“已报送”，可重新审核。")
    return redirect(report)


def _form_error(request, form):
    for errors in form.errors.values():
        for error in errors:
            messages.error(request, error)


def _name(report):
    return f"{report.unit.display_name}“{report.period}”"


@login_required
@require_POST
def review(request, pk):
    report = report_to_manage(request, pk)
    form = ReviewForm(request.POST)
    if not form.is_valid():
        _form_error(request, form)
        return redirect(report)
    now, comment, seen = timezone.now(), form.cleaned_data["comment"], form.cleaned_data["version"]
    try:
        if form.cleaned_data["action"] == ReviewForm.ACCEPT:
            workflow.accept(report=report, by=request.user, at=now, comment=comment, expected_version=seen)
            messages.success(request, f"已审核通过：{_name(report)}。")
        else:
            workflow.return_report(report=report, by=request.user, at=now, comment=comment, expected_version=seen)
            messages.success(request, f"已退回：{_name(report)}，单位联络员将看到您的退回意见。")
    except workflow.WorkflowError as error:
        messages.error(request, error.message)
        return redirect(report)
    following = selectors.next_to_review(user=request.user, after=report)
    if following is None:
        messages.info(request, "本活动已没有待审核的报送。")
        return redirect(report)
    messages.info(request, f"下面是下一份待审核的报送：{_name(following)}。")
    return redirect(following)


def _with_reason(request, pk, *, form_class, service, success):
    """An office action on one report that needs a reason: exempt, reopen."""
    report = report_to_manage(request, pk)
    form = form_class(request.POST)
    if not form.is_valid():
        _form_error(request, form)
        return redirect(report)
    try:
        service(report=report, by=request.user, at=timezone.now(), reason=form.cleaned_data["reason"])
    except workflow.WorkflowError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, success.format(name=_name(report)))
    return redirect(report)


@login_required
@require_POST
def exempt(request, pk):
    return _with_reason(
        request, pk, form_class=ExemptForm, service=workflow.exempt, success="已免报：{name}，本期不计入该单位的报送率。"
    )


@login_required
@require_POST
def reopen(request, pk):
    return _with_reason(
        request,
        pk,
        form_class=ReopenForm,
        service=workflow.reopen,
        success="已重新开放：{name}。该单位现在可以填报，报送后自动关闭。",
    )


@login_required
@require_POST
def extension_decide(request, pk):
    extension = get_object_or_404(
        ExtensionRequest.objects.filter(report__in=access.visible_reports(request.user).values("id")).select_related(
            *[f"report__{name}" for name in REPORT_RELATED]
        ),
        pk=pk,
    )
    report = extension.report
    if not access.can_manage(request.user, report):
        raise PermissionDenied
    back = safe_next(request) or report.get_absolute_url()
    form = ExtensionDecisionForm(request.POST)
    if not form.is_valid():
        _form_error(request, form)
        return redirect(back)
    grant = form.cleaned_data["decision"] == ExtensionDecisionForm.GRANT
    try:
        extension = workflow.decide_extension(
            request=extension,
            by=request.user,
            at=timezone.now(),
            grant=grant,
            new_due_at=form.cleaned_data["new_due_at"],
            comment=form.cleaned_data["comment"],
        )
    except workflow.WorkflowError as error:
        messages.error(request, error.message)
        return redirect(back)
    if grant:
        until = timezone.localtime(extension.granted_due_at)
        messages.success(request, f"已同意延期：{_name(report)}的截止时间延至 {until:%Y-%m-%d %H:%M}。")
    else:
        messages.success(request, f"已答复：不同意{_name(report)}的延期申请。")
    return redirect(back)
