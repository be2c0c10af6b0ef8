"""材料审核 pages: a unit's list of the material it owes and its form per
standard (on a phone), and the office's review list and review page. A unit
sees only its own material; the office reviews; leaders read; anyone else
gets 404."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

import audit
from core.http import stored_file_response

from . import access, material
from .forms import MaterialForm, MaterialReviewForm
from .models import MaterialFile
from .services import AssessmentError
from .views import _errors

PAGE_SIZE = 50


def _unit_ids(request):
    return access.material_unit_ids(request.user)


@login_required
def my_material(request):
    """测评材料: the standards the user's units must (牵头) or may (配合) send material for."""
    unit_ids = _unit_ids(request)
    if not unit_ids:
        raise Http404("没有本单位的测评材料。")
    rows = material.unit_rows(unit_ids=unit_ids)
    order = {material.Status.RETURNED: 0, material.MISSING: 1, material.Status.SUBMITTED: 2, material.Status.ACCEPTED: 3}
    rows.sort(key=lambda row: (not row.is_lead, order[row.state]))
    counts = {state: sum(1 for row in rows if row.is_lead and row.state == state) for state in material.STATES}
    return render(
        request,
        "assessments/material_mine.html",
        {"rows": rows, "counts": counts, "asked": sum(1 for row in rows if row.is_lead), "nav_active": "material"},
    )


@login_required
def material_edit(request, standard_id, unit_id):
    """One standard's material of the user's unit: the form while it is a draft or returned."""
    if unit_id not in _unit_ids(request):
        raise Http404("没有这份测评材料。")
    row = material.assigned_row(standard_id=standard_id, unit_ids=[unit_id])
    if row is None:
        raise Http404("这条测评标准不需要本单位报送材料。")
    current = row.material
    editable = current is None or current.is_editable
    files = material.live_files(current) if current else []
    reusable = []
    if editable:
        taken = [f.reused_from_id for f in files if f.reused_from_id]
        reusable = material.reusable_attachments(unit=row.unit, exclude=taken)
    form = MaterialForm(
        request.POST or None, request.FILES or None, reusable=reusable, initial={"text": current.text if current else ""}
    )
    status = 200
    if request.method == "POST":
        if not editable:
            messages.error(request, material.state_message(current))
            return redirect("assessments:material_edit", standard_id=standard_id, unit_id=unit_id)
        if form.is_valid():
            submitting = "submit" in request.POST
            step = material.save_and_submit if submitting else material.save_material
            try:
                step(
                    standard=row.standard,
                    unit=row.unit,
                    by=request.user,
                    at=timezone.now(),
                    text=form.cleaned_data["text"],
                    files=form.cleaned_data["files"],
                    reuse=form.cleaned_data.get("reuse", []),
                )
            except AssessmentError as error:
                messages.error(request, error.message)
            else:
                if submitting:
                    messages.success(request, "材料已提交领导小组办公室审核。")
                    return redirect("assessments:my_material")
                messages.success(request, "草稿已保存。")
                return redirect("assessments:material_edit", standard_id=standard_id, unit_id=unit_id)
        else:
            _errors(request, form)
        status = 400
    return render(
        request,
        "assessments/material_edit.html",
        {
            "row": row,
            "material": current,
            "files": files,
            "editable": editable,
            "form": form,
            "events": list(current.events.select_related("actor").order_by("created_at", "pk")) if current else [],
            "nav_active": "material",
        },
        status=status,
    )


@login_required
def material_file(request, pk):
    stored = get_object_or_404(access.visible_material_files(request.user).select_related("material__standard__system"), pk=pk)
    audit.downloaded(request, stored, filename=stored.original_name, campaign=stored.material.standard.system.campaign_id)
    return stored_file_response(request, stored)


@login_required
@require_POST
def material_file_remove(request, pk):
    stored = get_object_or_404(
        MaterialFile.objects.filter(material__unit__in=access.material_unit_ids(request.user), removed_at__isnull=True)
        .select_related("material"),
        pk=pk,
    )
    try:
        material.remove_file(material_file=stored, by=request.user, at=timezone.now())
    except AssessmentError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, f"已移除文件“{stored.original_name}”。")
    return redirect("assessments:material_edit", standard_id=stored.material.standard_id, unit_id=stored.material.unit_id)


@login_required
def material_list(request, campaign_id):
    """The office's review list: every lead unit's material, by state."""
    campaign = get_object_or_404(access.readable_campaigns(request.user), pk=campaign_id)
    state = request.GET.get("state", "")
    if state not in material.STATES:
        state = ""
    review = material.review_rows(campaign=campaign, state=state or None)
    page = Paginator(review.rows, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "assessments/material_list.html",
        {
            "campaign": campaign,
            "review": review,
            "page": page,
            "state": state,
            "states": [(key, label, review.counts[key]) for key, label in material.STATES.items()],
            "total": sum(review.counts.values()),
            "nav_active": "assessments",
        },
    )


@login_required
def material_review(request, pk):
    """One unit's material as sent: the office returns it with a comment or accepts it; leaders read."""
    current = get_object_or_404(
        access.visible_materials(request.user).select_related("standard__content__item", "standard__system__campaign", "unit"),
        pk=pk,
    )
    can_review = access.reviewed_materials(request.user).filter(pk=pk).exists()
    form = MaterialReviewForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if not can_review:
            raise PermissionDenied
        action = request.POST.get("action")
        if action not in ("return", "accept"):
            messages.error(request, "请选择“退回”或“通过”。")
        elif form.is_valid():
            step = material.return_material if action == "return" else material.accept_material
            try:
                step(material=current, by=request.user, at=timezone.now(), comment=form.cleaned_data["comment"])
            except AssessmentError as error:
                messages.error(request, error.message)
            else:
                messages.success(request, "已退回，单位补充后会重新提交。" if action == "return" else "已审核通过。")
                return redirect(reverse("assessments:material_list", args=[current.standard.system.campaign_id]) + "?state=submitted")
        else:
            _errors(request, form)
        status = 400
    return render(
        request,
        "assessments/material_review.html",
        {
            "material": current,
            "campaign": current.standard.system.campaign,
            "files": list(current.files.filter(removed_at__isnull=True).order_by("uploaded_at", "pk")),
            "events": list(current.events.select_related("actor").order_by("created_at", "pk")),
            "can_review": can_review and current.status == current.Status.SUBMITTED,
            "form": form,
            "nav_active": "assessments",
        },
        status=status,
    )
