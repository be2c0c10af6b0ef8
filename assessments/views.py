"""The office's pages of the assessment system (测评体系) and the site register (点位).

The office imports a sheet, previews what was read (with every row the reader
could not take and every unit name it does not know) and confirms; the
preview's proposal travels signed in the page, nothing is kept in a process.
Leaders read. Whoever may not see a campaign gets 404.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

import audit
from audit.models import AuditEvent

from . import access, selectors, services, sheet, sites
from .forms import ConfirmForm, SitesUploadForm, SystemUploadForm, dump_payload

PAGE_SIZE = 50


def _errors(request, form):
    for errors in form.errors.values():
        for error in errors:
            messages.error(request, error)


def _managed(request, campaign_id):
    return get_object_or_404(access.managed_campaigns(request.user), pk=campaign_id)


@login_required
def index(request):
    campaigns = list(access.readable_campaigns(request.user).order_by("-starts_on", "title"))
    if not campaigns:
        raise Http404("没有可查看的测评体系。")
    if len(campaigns) == 1:
        return redirect("assessments:system", campaign_id=campaigns[0].pk)
    return render(request, "assessments/index.html", {"campaigns": campaigns, "nav_active": "assessments"})


@login_required
def system(request, campaign_id):
    campaign = get_object_or_404(access.readable_campaigns(request.user), pk=campaign_id)
    current = selectors.current_system(campaign)
    items = selectors.system_tree(current) if current else []
    return render(
        request,
        "assessments/system.html",
        {
            "campaign": campaign,
            "system": current,
            "items": items,
            "standard_count": sum(len(c.standards.all()) for i in items for c in i.contents.all()),
            "editions": selectors.editions(campaign),
            "site_types": selectors.site_types(campaign),
            "can_manage": access.managed_campaigns(request.user).filter(pk=campaign.pk).exists(),
            "nav_active": "assessments",
        },
    )


def _preview_context(campaign, proposal, form_data, filename):
    unknown = services.unknown_units(proposal, campaign=campaign)
    return {
        "campaign": campaign,
        "proposal": proposal,
        "unknown_units": unknown,
        "payload": dump_payload(
            {"proposal": proposal.to_data(), "form": form_data, "filename": filename}, kind="system", campaign=campaign
        ),
        "form_data": form_data,
        "filename": filename,
        "nav_active": "assessments",
    }


@login_required
def system_import(request, campaign_id):
    campaign = _managed(request, campaign_id)
    form = SystemUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST":
        if form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                proposal = sheet.read(upload)
            except sheet.SheetError as error:
                form.add_error("file", str(error))
            else:
                data = {k: form.cleaned_data[k] for k in ("name", "edition", "weighted")}
                return render(
                    request, "assessments/system_preview.html", _preview_context(campaign, proposal, data, upload.name[:200])
                )
        _errors(request, form)
    return render(request, "assessments/system_import.html", {"campaign": campaign, "form": form, "nav_active": "assessments"})


@login_required
@require_POST
def system_confirm(request, campaign_id):
    campaign = _managed(request, campaign_id)
    form = ConfirmForm(request.POST, kind="system", campaign=campaign)
    if not form.is_valid():
        _errors(request, form)
        return redirect("assessments:system_import", campaign_id=campaign.pk)
    data = form.cleaned_data["payload"]
    proposal = sheet.Proposal.from_data(data["proposal"])
    options = data["form"]
    try:
        with transaction.atomic():
            system = services.import_system(
                campaign=campaign,
                proposal=proposal,
                by=request.user,
                at=timezone.now(),
                name=str(options["name"])[:200],
                edition=str(options.get("edition", ""))[:50],
                weighted=bool(options.get("weighted")),
                source_name=str(data.get("filename", ""))[:200],
            )
            audit.record(
                action=AuditEvent.Action.CREATED,
                obj=system,
                description=f"导入测评体系《{system}》，{len(proposal.standards)} 条测评标准",
                campaign=campaign.pk,
                request=request,
            )
    except services.AssessmentError as error:
        messages.error(request, str(error))
        return render(request, "assessments/system_preview.html", _preview_context(campaign, proposal, options, data.get("filename", "")), status=400)
    messages.success(request, f"已导入《{system}》：{len(proposal.items)} 个测评项目，{len(proposal.standards)} 条测评标准。")
    return redirect("assessments:system", campaign_id=campaign.pk)


@login_required
def site_list(request, campaign_id):
    campaign = get_object_or_404(access.readable_campaigns(request.user), pk=campaign_id)
    types = selectors.site_types(campaign)
    chosen = None
    type_id = request.GET.get("type", "")
    if type_id.isdigit():
        chosen = next((t for t in types if t.pk == int(type_id)), None)
    page = Paginator(selectors.sites(campaign, site_type=chosen), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "assessments/sites.html",
        {
            "campaign": campaign,
            "site_types": types,
            "chosen": chosen,
            "page": page,
            "query": f"type={chosen.pk}" if chosen else "",
            "can_manage": access.managed_campaigns(request.user).filter(pk=campaign.pk).exists(),
            "nav_active": "assessments",
        },
    )


@login_required
def sites_import(request, campaign_id):
    campaign = _managed(request, campaign_id)
    form = SitesUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            rows, errors = sites.read(form.cleaned_data["file"])
        except sheet.SheetError as error:
            form.add_error("file", str(error))
            _errors(request, form)
            return render(request, "assessments/sites_import.html", {"campaign": campaign, "form": form, "nav_active": "assessments"})
        unknown = services.unknown_names({r.unit for r in rows}, campaign=campaign)
        payload = dump_payload(
            {"sites": [[r.row, r.name, r.site_type, r.unit, r.address, str(r.latitude or ""), str(r.longitude or "")] for r in rows]},
            kind="sites",
            campaign=campaign,
        )
        return render(
            request,
            "assessments/sites_preview.html",
            {"campaign": campaign, "rows": rows, "errors": errors, "unknown_units": unknown, "payload": payload, "nav_active": "assessments"},
        )
    if request.method == "POST":
        _errors(request, form)
    return render(request, "assessments/sites_import.html", {"campaign": campaign, "form": form, "nav_active": "assessments"})


@login_required
@require_POST
def sites_confirm(request, campaign_id):
    campaign = _managed(request, campaign_id)
    form = ConfirmForm(request.POST, kind="sites", campaign=campaign)
    if not form.is_valid():
        _errors(request, form)
        return redirect("assessments:sites_import", campaign_id=campaign.pk)
    rows = [
        sites.SiteRow(row, name, site_type, unit, address, sites.decimal_or_none(latitude), sites.decimal_or_none(longitude))
        for row, name, site_type, unit, address, latitude, longitude in form.cleaned_data["payload"].get("sites", [])
    ]
    try:
        with transaction.atomic():
            created, updated = services.import_sites(campaign=campaign, rows=rows)
            audit.record(
                action=AuditEvent.Action.CHANGED,
                object_type="assessments.site",
                description=f"导入点位表：新增 {created} 个，更新 {updated} 个",
                campaign=campaign.pk,
                request=request,
            )
    except services.AssessmentError as error:
        messages.error(request, str(error))
        return redirect("assessments:sites_import", campaign_id=campaign.pk)
    messages.success(request, f"点位已导入：新增 {created} 个，更新 {updated} 个。")
    return redirect("assessments:site_list", campaign_id=campaign.pk)

