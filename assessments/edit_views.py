"""The office's pages that keep the current edition of the system: 分解责任
(who leads and supports each standard, in bulk or one by one, and each unit's
share), editing the tree, and 复制为新版本. The office edits, leaders read
the assignment pages; whoever else asks gets 404. The rules are `editing.py`."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from . import access, editing, selectors
from .forms import AssignForm, CopyForm, RenameForm, StandardForm
from .models import AssessmentContent, AssessmentItem, SiteType, Standard
from .services import AssessmentError
from .views import _errors, _managed


def _current_or_404(campaign):
    system = selectors.current_system(campaign)
    if system is None:
        raise Http404("还没有导入测评体系。")
    system.campaign = campaign
    return system


def _can_manage(request, campaign):
    return access.managed_campaigns(request.user).filter(pk=campaign.pk).exists()


def _managed_current(rows, request, pk, path):
    """The row of a current edition of a campaign the user's office runs, or 404."""
    managed = access.managed_campaigns(request.user)
    return get_object_or_404(rows.filter(**{f"{path}__campaign__in": managed, f"{path}__is_current": True}), pk=pk)


def _unit_filter(request, units):
    unit_id = request.GET.get("unit", "")
    return next((u for u in units if str(u.pk) == unit_id), None) if unit_id.isdigit() else None


@login_required
def assignment(request, campaign_id):
    campaign = get_object_or_404(access.readable_campaigns(request.user), pk=campaign_id)
    system = _current_or_404(campaign)
    can_manage = _can_manage(request, campaign)
    units = list(editing.assignable_units(campaign=campaign, system=system))
    unassigned = request.GET.get("unassigned") == "1"
    unit = _unit_filter(request, units)
    items = selectors.system_tree(system, unassigned=unassigned, unit=unit)
    standards = [s for i in items for c in i.contents.all() for s in c.standards.all()]
    return render(
        request,
        "assessments/assignment.html",
        {
            "campaign": campaign,
            "system": system,
            "items": items,
            "shown": len(standards),
            "missing": sum(1 for s in standards if s.lead_unit_id is None),
            "unassigned": unassigned,
            "unit": unit,
            "units": units,
            "can_manage": can_manage,
            "nav_active": "assessments",
        },
    )


@login_required
@require_POST
def assign(request, campaign_id):
    campaign = _managed(request, campaign_id)
    system = _current_or_404(campaign)
    units = editing.assignable_units(campaign=campaign, system=system)
    form = AssignForm(request.POST, standards=Standard.objects.filter(system=system), units=units)
    target = reverse("assessments:assignment", args=[campaign.pk])
    back = request.POST.get("back", "")
    if back.startswith("?"):
        target += back
    if not form.is_valid():
        _errors(request, form)
        return redirect(target)
    data = form.cleaned_data
    try:
        count = editing.assign_units(
            system=system,
            standard_ids=[s.pk for s in data["standards"]],
            lead_unit=data["lead_unit"],
            co_units=data["co_units"],
        )
    except AssessmentError as error:
        messages.error(request, str(error))
        return redirect(target)
    done = []
    if data["lead_unit"]:
        done.append(f"牵头单位设为{data['lead_unit'].name}")
    if data["co_units"]:
        done.append(f"增加配合单位{'、'.join(u.name for u in data['co_units'])}")
    messages.success(request, f"已分解 {count} 条测评标准：{'；'.join(done)}。")
    return redirect(target)


@login_required
def unit_summary(request, campaign_id):
    campaign = get_object_or_404(access.readable_campaigns(request.user), pk=campaign_id)
    system = _current_or_404(campaign)
    rows, unassigned = editing.unit_summary(system)
    return render(
        request,
        "assessments/assignment_units.html",
        {"campaign": campaign, "system": system, "rows": rows, "unassigned": unassigned, "nav_active": "assessments"},
    )


@login_required
def edit(request, campaign_id):
    campaign = _managed(request, campaign_id)
    system = _current_or_404(campaign)
    items = selectors.system_tree(system)
    return render(
        request,
        "assessments/edit.html",
        {
            "campaign": campaign,
            "system": system,
            "items": items,
            "observed": editing.observed_ids(system),
            "with_material": editing.material_ids(system),
            "copy_form": CopyForm(),
            "nav_active": "assessments",
        },
    )


@login_required
@require_POST
def copy(request, campaign_id):
    campaign = _managed(request, campaign_id)
    system = _current_or_404(campaign)
    form = CopyForm(request.POST)
    if not form.is_valid():
        _errors(request, form)
        return redirect("assessments:edit", campaign_id=campaign.pk)
    try:
        created = editing.copy_system(system=system, by=request.user, at=timezone.now(), edition=form.cleaned_data["edition"])
    except AssessmentError as error:
        messages.error(request, str(error))
        return redirect("assessments:edit", campaign_id=campaign.pk)
    messages.success(
        request,
        f"已复制为新版本《{created}》，现行版本已切换为新版本；原版本及其模拟测评结果保持不变。",
    )
    return redirect("assessments:edit", campaign_id=campaign.pk)


def _standard_form(request, campaign, system, *, standard=None):
    site_types = SiteType.objects.filter(campaign=campaign).order_by("name")
    units = editing.assignable_units(campaign=campaign, system=system)
    methods = standard.methods if standard else ()
    if request.method == "POST":
        return StandardForm(request.POST, site_types=site_types, units=units, methods=methods)
    initial = StandardForm.initial_of(standard) if standard else {}
    return StandardForm(initial=initial, site_types=site_types, units=units, methods=methods)


@login_required
def standard_edit(request, pk):
    standard = _managed_current(Standard.objects.select_related("content__item", "system__campaign"), request, pk, "system")
    system, campaign = standard.system, standard.system.campaign
    observed = standard.observations.count()
    form = _standard_form(request, campaign, system, standard=standard)
    if request.method == "POST" and form.is_valid():
        try:
            _, changes = editing.update_standard(standard=standard, **form.cleaned_data)
        except AssessmentError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, "测评标准已保存。" if changes else "没有改动。")
            return redirect(f"{reverse('assessments:edit', args=[campaign.pk])}#standard-{standard.pk}")
    if request.method == "POST":
        _errors(request, form)
    return render(
        request,
        "assessments/standard_form.html",
        {"campaign": campaign, "system": system, "standard": standard, "content": standard.content,
         "observed": observed, "form": form, "nav_active": "assessments"},
    )


@login_required
def standard_add(request, pk):
    content = _managed_current(AssessmentContent.objects.select_related("item__system__campaign"), request, pk, "item__system")
    system, campaign = content.item.system, content.item.system.campaign
    form = _standard_form(request, campaign, system)
    if request.method == "POST" and form.is_valid():
        try:
            standard = editing.add_standard(content=content, **form.cleaned_data)
        except AssessmentError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, "已新增测评标准。")
            return redirect(f"{reverse('assessments:edit', args=[campaign.pk])}#standard-{standard.pk}")
    if request.method == "POST":
        _errors(request, form)
    return render(
        request,
        "assessments/standard_form.html",
        {"campaign": campaign, "system": system, "standard": None, "content": content, "observed": 0, "form": form,
         "nav_active": "assessments"},
    )


@login_required
@require_POST
def standard_delete(request, pk):
    standard = _managed_current(Standard.objects.select_related("system"), request, pk, "system")
    campaign_id = standard.system.campaign_id
    try:
        editing.delete_standard(standard=standard)
    except AssessmentError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, "已删除测评标准。")
    return redirect("assessments:edit", campaign_id=campaign_id)


def _rename(request, rename, campaign_id, anchor):
    form = RenameForm(request.POST)
    if not form.is_valid():
        _errors(request, form)
    else:
        try:
            rename(form.cleaned_data["name"])
        except AssessmentError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, "名称已保存。")
    return redirect(f"{reverse('assessments:edit', args=[campaign_id])}#{anchor}")


@login_required
@require_POST
def item_rename(request, pk):
    item = _managed_current(AssessmentItem.objects.select_related("system"), request, pk, "system")
    return _rename(
        request, lambda name: editing.rename_item(item=item, name=name), item.system.campaign_id, f"item-{item.pk}"
    )


@login_required
@require_POST
def content_rename(request, pk):
    content = _managed_current(AssessmentContent.objects.select_related("item__system"), request, pk, "item__system")
    return _rename(
        request, lambda name: editing.rename_content(content=content, name=name),
        content.item.system.campaign_id, f"content-{content.pk}",
    )
