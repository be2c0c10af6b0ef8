"""Plan import pages: upload (a file or pasted text), preview (what was found
beside the source, with corrections), confirm (creates the draft campaign).

Office staff and system admins only; anyone else gets 404, as on the
office's other pages (今日工作).
"""

import re

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from . import access, selectors, services, uploads
from .forms import ConfirmForm, RereadForm, UploadForm, dump_payload, load_payload
from .matching import candidates, match_unit, match_units, unit_names
from .models import PlanImportJob
from .reading import PlanReadError, propose


# How often the page of a plan being read asks again, in seconds.
JOB_REFRESH_SECONDS = 2


def _office_only(user):
    if not access.may_import_plans(user):
        raise Http404("导入方案是领导小组办公室的功能。")


# "领导小组办公室设在委公卫科，…": where the plan puts the office.
OFFICE_SEAT = re.compile(r"办公室设在(?:区|市|县|委|局)?([^，。,；;、\s]{2,30})")


def suggested_office(text, office_units):
    """The user's office unit that the plan names as the office's seat, if
    one matches it well; None lets the clerk choose."""
    found = OFFICE_SEAT.search(text or "")
    if not found:
        return None
    match = match_unit(found.group(1), candidates(office_units))
    return match.unit_id if match.score >= 0.6 else None


def _render_upload(request, form, status=200):
    return render(request, "imports/upload.html", {"form": form, "nav_active": "import"}, status=status)


def _confirm_form(request, proposal, data=None, units=None, **kwargs):
    units = candidates() if units is None else units
    return ConfirmForm(
        data,
        proposal=proposal,
        matches=match_units(unit_names(proposal.get("tasks", [])), units),
        units=units,
        office_units=access.plan_import_office_units(request.user),
        **kwargs,
    )


def _render_preview(request, *, payload, form=None, units=None, office_unit=None, unit_choices=None, notice="", status=200):
    """The preview of `payload`'s proposal: bound to what was posted when it
    has errors to show, else a fresh form of the proposal (as read, or as the
    clerk last edited it) signed into the page."""
    proposal = selectors.with_sources(payload["proposal"], payload["text"])
    office_units = access.plan_import_office_units(request.user)
    signed = dump_payload(
        text=payload["text"],
        proposal=proposal,
        filename=payload.get("filename", ""),
        year=payload.get("year"),
    )
    if form is None:
        form = _confirm_form(request, proposal, units=units, initial={"payload": signed}, unit_choices=unit_choices)
        if office_unit is not None:
            form.initial["office_unit"] = office_unit.pk
        else:
            office_choices = list(office_units[:2])
            if len(office_choices) == 1:
                form.initial["office_unit"] = office_choices[0].pk
            else:
                form.initial["office_unit"] = suggested_office(payload["text"], office_units)
    context = {
        "form": form,
        "unit_rows": form.unit_rows(),
        "task_rows": form.task_rows(),
        "reread": RereadForm(initial={"payload": signed, "year": payload.get("year")}),
        "proposal": proposal,
        "filename": payload.get("filename", ""),
        "findings": selectors.preview_findings(proposal=proposal, text=payload["text"]),
        "notice": notice,
        "nav_active": "import",
    }
    return render(request, "imports/preview.html", context, status=status)


@login_required
def upload(request):
    _office_only(request.user)
    return _render_upload(request, UploadForm())


@login_required
def preview(request):
    """POST: read an upload, or the same text again with another year."""
    _office_only(request.user)
    if request.method != "POST":
        return redirect("imports:upload")
    if "payload" in request.POST:
        payload = load_payload(request.POST["payload"])
        reread = RereadForm(request.POST)
        if payload is None:
            messages.error(request, "预览已过期或无效，请重新上传方案。")
            return redirect("imports:upload")
        if not reread.is_valid():
            messages.error(request, "；".join(e for errors in reread.errors.values() for e in errors))
            return _render_preview(request, payload=payload)
        text, filename, year = payload["text"], payload.get("filename", ""), reread.cleaned_data["year"]
    else:
        form = UploadForm(request.POST, request.FILES)
        if not form.is_valid():
            return _render_upload(request, form)
        if form.cleaned_data["file"]:
            # A file is read by a worker, never in the request (issue 18).
            job = uploads.accept_upload(
                uploaded=form.cleaned_data["file"], year=form.cleaned_data["year"], by=request.user, at=timezone.now()
            )
            return redirect("imports:job", job.pk)
        text, filename, year = form.cleaned_data["plan_text"], form.filename, form.cleaned_data["year"]
    try:
        proposal = propose(text, year=year)
    except PlanReadError as exc:
        if "payload" in request.POST:
            messages.error(request, str(exc))
            return redirect("imports:upload")
        form.add_error(None, str(exc))
        return _render_upload(request, form)
    payload = {"text": text, "proposal": proposal.to_dict(), "filename": filename, "year": year}
    return _render_preview(request, payload=payload)


@login_required
def job(request, pk):
    """An uploaded plan being read: its progress (the page refreshes itself
    until the worker is done), why it failed, or, once read, the preview."""
    _office_only(request.user)
    job = get_object_or_404(access.visible_jobs(request.user), pk=pk)
    if job.status == PlanImportJob.Status.DONE:
        payload = {"text": job.text, "proposal": job.proposal, "filename": job.original_name, "year": job.year}
        return _render_preview(request, payload=payload)
    return render(
        request,
        "imports/job.html",
        {"job": job, "refresh_seconds": JOB_REFRESH_SECONDS, "nav_active": "import"},
    )


@login_required
@require_POST
def confirm(request):
    """确认 creates the draft from the proposal as edited; 更新预览 and a
    task's 上移/下移 show the preview again with the edits applied."""
    _office_only(request.user)
    payload = load_payload(request.POST.get("payload"))
    if payload is None:
        messages.error(request, "预览已过期或无效，没有创建任何数据。请重新上传方案。")
        return redirect("imports:upload")
    form = _confirm_form(request, payload["proposal"], request.POST)
    if not form.is_valid():
        return _render_preview(request, payload=payload, form=form)
    edited = form.corrected()
    unseen = form.unseen_units(edited)
    if "edit" in request.POST or form.cleaned_data["task_move"] or unseen:
        notice = (
            f"任务中有新的单位名称（{'、'.join(unseen)}），已列入“责任单位”，请核对匹配后再确认。"
            if unseen and "edit" not in request.POST and not form.cleaned_data["task_move"]
            else "已按您的修改更新预览，尚未创建任何数据。"
        )
        return _render_preview(
            request,
            payload={**payload, "proposal": edited},
            units=form.units,
            office_unit=form.cleaned_data["office_unit"],
            unit_choices=form.unit_choices(),
            notice=notice,
        )
    try:
        result = services.create_draft_campaign(
            proposal=edited,
            unit_matches=form.unit_matches(),
            by=request.user,
            office_unit=form.cleaned_data["office_unit"],
        )
    except services.DraftRefused as exc:
        form.add_error(None, str(exc))
        return _render_preview(request, payload=payload, form=form)
    campaign = result.campaign
    # Lines are sentences of their own: one full stop between them, not two.
    summary = "；".join(line.rstrip("。") for line in result.summary_lines())
    # The clerk finishes the draft in 活动设置 and activates it there,
    # never in the Django admin (which office staff cannot open).
    messages.success(
        request,
        summary + "。请在“活动设置”中核对任务、报送要求和指标，完成启用前检查后启用。草稿不会生成报送周期。",
    )
    return redirect(reverse("setup:overview", args=[campaign.pk]))
