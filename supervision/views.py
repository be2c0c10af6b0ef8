"""Pages of the inspections and the rectification ledger (整改台账).

The office records inspections and verifies or rejects rectifications;
leaders read; a unit's liaison or head sees and answers only the own
unit's items. Objects come through `supervision.access`: whoever may not see
one gets 404; whoever may read but not act gets 403.
"""

import io

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

import audit
from campaigns import access as roles
from core.http import stored_file_response
from reports.workbook import build_sheet

from . import access, selectors, services
from .forms import AnswerForm, DecisionForm, InspectionForm, LedgerFilterForm, finding_formset
from .models import RectificationItem
from .workbook import write_ledger

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

ITEM_RELATED = ["unit", "campaign", "finding__inspection"]
PAGE_SIZE = 50
MAX_FINDING_ROWS = 30


def _form_error(request, form):
    for errors in form.errors.values():
        for error in errors:
            messages.error(request, error)


@login_required
def index(request):
    """The campaigns whose ledger the user reads; a unit's people go to their items."""
    campaigns = list(access.supervised_campaigns(request.user).order_by("-starts_on", "title"))
    if not campaigns:
        if roles.has_role(request.user, roles.Role.LIAISON, roles.Role.UNIT_HEAD):
            return redirect("supervision:unit_items")
        raise Http404("没有可查看的整改台账。")
    if len(campaigns) == 1:
        return redirect("supervision:ledger", campaign_id=campaigns[0].pk)
    return render(request, "supervision/index.html", {"campaigns": campaigns, "nav_active": "supervision"})


@login_required
def ledger(request, campaign_id):
    campaign = get_object_or_404(access.supervised_campaigns(request.user), pk=campaign_id)
    now = timezone.now()
    units = selectors.campaign_units(campaign=campaign)
    form = LedgerFilterForm(request.GET or None, units=units)
    filters = selectors.LedgerFilters()
    if form.is_bound and form.is_valid():
        filters = selectors.LedgerFilters(
            status=form.cleaned_data["status"], unit=form.cleaned_data["unit"], overdue=form.cleaned_data["overdue"]
        )
    items = selectors.ledger_items(campaign=campaign, filters=filters, at=now)
    page = Paginator(items, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "supervision/ledger.html",
        {
            "campaign": campaign,
            "form": form,
            "page": page,
            "counts": selectors.status_counts(campaign=campaign, at=now),
            "rates": selectors.rectification_rates(campaign=campaign, at=now),
            "inspections": list(selectors.campaign_inspections(campaign=campaign)[:10]),
            "can_supervise": access.may_supervise(request.user, campaign),
            "now": now,
            "nav_active": "supervision",
        },
    )


@login_required
def ledger_export(request, campaign_id):
    """The ledger alone as an .xlsx (the workbook's 整改台账 sheet), for
    whoever may read the ledger."""
    campaign = get_object_or_404(access.supervised_campaigns(request.user), pk=campaign_id)
    now = timezone.now()
    out = io.BytesIO()
    build_sheet(campaign=campaign, out=out, at=now, write=write_ledger)
    out.seek(0)
    filename = f"《{campaign.title}》整改台账_{timezone.localdate(now):%Y-%m-%d}.xlsx"
    audit.downloaded(request, campaign, filename=filename, campaign=campaign.pk)
    return FileResponse(
        out,
        as_attachment=True,
        filename=filename,
        content_type=XLSX,
    )


def _campaign_to_supervise(request, campaign_id):
    campaign = get_object_or_404(access.supervised_campaigns(request.user), pk=campaign_id)
    if not access.may_supervise(request.user, campaign):
        raise PermissionDenied
    return campaign


def _finding_rows(request):
    try:
        rows = int(request.GET.get("rows", 3))
    except ValueError:
        rows = 3
    return max(1, min(rows, MAX_FINDING_ROWS))


def _with_one_more_finding(data, *, units):
    """The posted inspection form, unbound (no errors shown yet) with what
    was typed as its initial values, and its findings with one more row."""
    posted = InspectionForm(data, units=units)
    form = InspectionForm(
        initial={name: posted[name].value() for name in posted.fields if name != "files"}, units=units
    )
    rows = finding_formset(units=units, data=data)
    typed = [{name: row[name].value() for name in row.fields} for row in rows.forms[: rows.max_num - 1]]
    return form, finding_formset(units=units, rows=1, initial=typed)


@login_required
def inspection_create(request, campaign_id):
    campaign = _campaign_to_supervise(request, campaign_id)
    units = selectors.campaign_units(campaign=campaign)
    rows = _finding_rows(request)
    kept_files = False
    if request.method == "POST" and "add_finding" in request.POST:
        # The no-JavaScript way to add a row: the form comes back as typed,
        # with one more empty row, and nothing is checked or saved yet.
        form, findings = _with_one_more_finding(request.POST, units=units)
        kept_files = bool(request.FILES)
        status = 200
    elif request.method == "POST":
        form = InspectionForm(request.POST, request.FILES, units=units)
        findings = finding_formset(units=units, data=request.POST, rows=rows)
        if form.is_valid() and findings.is_valid():
            data = form.cleaned_data
            try:
                inspection = services.record_inspection(
                    campaign=campaign,
                    by=request.user,
                    at=timezone.now(),
                    kind=data["kind"],
                    inspected_on=data["inspected_on"],
                    inspectors=data["inspectors"],
                    summary=data["summary"],
                    units=form.unit_scores(),
                    findings=findings.findings(),
                    attachments=data["files"],
                )
            except services.SupervisionError as error:
                form.add_error(None, error.message)
            else:
                count = len(findings.findings())
                if count:
                    messages.success(request, f"已登记督导检查，生成整改事项 {count} 项；责任单位登录后可在“整改事项”中查看并整改。")
                else:
                    messages.success(request, "已登记督导检查，本次未发现问题。")
                return redirect("supervision:inspection_detail", pk=inspection.pk)
        status = 400
    else:
        form = InspectionForm(initial={"inspected_on": timezone.localdate()}, units=units)
        findings = finding_formset(units=units, rows=rows)
        status = 200
    return render(
        request,
        "supervision/inspection_form.html",
        {
            "campaign": campaign,
            "form": form,
            "findings": findings,
            "kept_files": kept_files,
            "nav_active": "supervision",
        },
        status=status,
    )


@login_required
def inspection_detail(request, pk):
    inspection = get_object_or_404(
        access.visible_inspections(request.user).select_related("campaign", "created_by"), pk=pk
    )
    return render(
        request,
        "supervision/inspection_detail.html",
        {
            **selectors.inspection_page(inspection=inspection),
            "may_edit": access.may_supervise(request.user, inspection.campaign),
            "now": timezone.now(),
            "nav_active": "supervision",
        },
    )


@login_required
def inspection_edit(request, pk):
    inspection = get_object_or_404(access.visible_inspections(request.user).select_related("campaign"), pk=pk)
    if not access.may_supervise(request.user, inspection.campaign):
        raise PermissionDenied
    units = selectors.campaign_units(campaign=inspection.campaign)
    status = 200
    if request.method == "POST":
        form = InspectionForm(request.POST, request.FILES, units=units)
        if form.is_valid():
            data = form.cleaned_data
            try:
                revision = services.revise_inspection(
                    inspection=inspection,
                    by=request.user,
                    at=timezone.now(),
                    kind=data["kind"],
                    inspected_on=data["inspected_on"],
                    inspectors=data["inspectors"],
                    summary=data["summary"],
                    units=form.unit_scores(),
                    attachments=data["files"],
                )
            except services.SupervisionError as error:
                form.add_error(None, error.message)
            else:
                if revision is None:
                    messages.info(request, "没有修改任何内容。")
                else:
                    messages.success(request, f"已保存修改（{len(revision.changes)} 处），已记入修改记录。")
                return redirect("supervision:inspection_detail", pk=inspection.pk)
        status = 400
    else:
        form = InspectionForm(initial=selectors.inspection_initial(inspection=inspection), units=units)
    return render(
        request,
        "supervision/inspection_edit.html",
        {"inspection": inspection, "form": form, "nav_active": "supervision"},
        status=status,
    )


@login_required
def attachment_download(request, pk):
    attachment = get_object_or_404(access.visible_inspection_attachments(request.user), pk=pk)
    audit.downloaded(request, attachment, filename=attachment.original_name)
    return stored_file_response(request, attachment)


@login_required
def evidence_download(request, pk):
    evidence = get_object_or_404(access.visible_evidence(request.user), pk=pk)
    audit.downloaded(request, evidence, filename=evidence.original_name)
    return stored_file_response(request, evidence)


def _render_item(request, item, *, answer_form=None, decision_form=None, status=200):
    user = request.user
    now = timezone.now()
    is_member = access.may_answer_rectification(user, item)
    can_decide = item.status == RectificationItem.Status.SUBMITTED and access.may_verify_rectification(user, item)
    context = {
        **selectors.item_page(item=item),
        "is_member": is_member,
        "can_start": is_member and item.status in (RectificationItem.Status.OPEN, RectificationItem.Status.REJECTED),
        "answer_form": (answer_form or AnswerForm()) if is_member and item.is_answerable else None,
        "decision_form": (decision_form or DecisionForm()) if can_decide else None,
        "overdue": item.is_overdue(now),
        "can_read_inspection": access.visible_inspections(user).filter(pk=item.finding.inspection_id).exists(),
        "now": now,
        "nav_active": "unit_items" if is_member else "supervision",
    }
    return render(request, "supervision/item_detail.html", context, status=status)


@login_required
def item_detail(request, pk):
    item = get_object_or_404(access.visible_rectifications(request.user).select_related(*ITEM_RELATED), pk=pk)
    return _render_item(request, item)


def _unit_item(request, pk):
    """An item of the user's own unit: 404 for anyone else, even the office."""
    return get_object_or_404(access.unit_rectifications(request.user).select_related(*ITEM_RELATED), pk=pk)


@login_required
@require_POST
def item_start(request, pk):
    item = _unit_item(request, pk)
    try:
        services.start_work(item=item, by=request.user, at=timezone.now())
    except services.SupervisionError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, "已标记为“整改中”。整改完成后请提交整改报告和佐证材料。")
    return redirect(item)


@login_required
@require_POST
def item_answer(request, pk):
    item = _unit_item(request, pk)
    form = AnswerForm(request.POST, request.FILES)
    if not form.is_valid():
        return _render_item(request, item, answer_form=form, status=400)
    try:
        services.submit_response(
            item=item, by=request.user, at=timezone.now(), text=form.cleaned_data["text"], files=form.cleaned_data["files"]
        )
    except services.SupervisionError as error:
        form.add_error(None, error.message)
        return _render_item(request, item, answer_form=form, status=400)
    messages.success(request, "整改报告已提交，等待领导小组办公室核验。")
    return redirect(item)


@login_required
@require_POST
def item_decide(request, pk):
    item = get_object_or_404(access.visible_rectifications(request.user).select_related(*ITEM_RELATED), pk=pk)
    if not access.may_verify_rectification(request.user, item):
        raise PermissionDenied
    form = DecisionForm(request.POST)
    if not form.is_valid():
        _form_error(request, form)
        return redirect(item)
    now = timezone.now()
    try:
        if form.cleaned_data["decision"] == "verify":
            services.verify(item=item, by=request.user, at=now, comment=form.cleaned_data["comment"])
            messages.success(request, f"已核验销号：{item.unit.display_name}的整改事项。")
        else:
            services.reject(item=item, by=request.user, at=now, reason=form.cleaned_data["comment"])
            messages.success(request, f"已退回：{item.unit.display_name}将看到退回理由并重新整改。")
    except services.SupervisionError as error:
        messages.error(request, error.message)
    return redirect(item)


@login_required
def unit_items(request):
    if not roles.has_role(request.user, roles.Role.LIAISON, roles.Role.UNIT_HEAD):
        raise Http404("没有本单位的整改事项。")
    now = timezone.now()
    items = selectors.unit_items(items=access.unit_rectifications(request.user))
    return render(
        request, "supervision/unit_items.html", {"items": items, "now": now, "nav_active": "unit_items"}
    )
