"""活动设置: the office finishes a draft campaign's set-up and activates it.

Every page gets the campaign through access.setup_campaigns, so whoever may
not set it up (another office, a unit, a leader, anyone once it is active)
gets a 404. Single models are saved by their model forms, whose validation is
the models'; writes across rows go through services.
"""

from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.db.models import Count
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.views.decorators.http import require_POST

import audit
from campaigns.models import Membership
from core.http import parse_id
from evaluations.models import ScoringScheme
from tasks.models import Task

from . import access, selectors, services
from .forms import (
    UNIT_ROLE_CHOICES,
    AssignForm,
    CampaignForm,
    ComponentFormSet,
    IndicatorFormSet,
    LeadingGroupFormSet,
    PersonForm,
    PhaseFormSet,
    RuleForm,
    SchemeForm,
    TaskForm,
)

SAVED = "已保存。"


def _with_campaign(view):
    """Swap campaign_id for the campaign the user may set up, or 404."""

    @wraps(view)
    def wrapper(request, campaign_id, *args, **kwargs):
        campaigns = access.setup_campaigns(request.user).select_related("office_unit")
        if request.method != "POST":
            return view(request, get_object_or_404(campaigns, pk=campaign_id), *args, **kwargs)
        # A change is made on the locked draft: one that passed the check just
        # before another clerk activated the campaign would otherwise land on
        # an active campaign whose periods were made from the old settings.
        with transaction.atomic():
            campaign = get_object_or_404(campaigns.select_for_update(of=("self",)), pk=campaign_id)
            return view(request, campaign, *args, **kwargs)

    return wrapper


def setup_page(view):
    return login_required(_with_campaign(view))


def setup_action(view):
    """POST only; signing in comes first, as on every action of the product."""
    return login_required(require_POST(_with_campaign(view)))


def _render(request, template, campaign, section, **context):
    return render(
        request, f"setup/{template}", {"campaign": campaign, "section": section, "nav_active": "setup", **context}
    )


def _here(request):
    return redirect(request.path)


@setup_page
def overview(request, campaign):
    missing = selectors.activation_checklist(campaign=campaign)
    # One COUNT each: joining the five tables in one query would multiply their rows.
    counts = {
        "phases": campaign.phases.count(),
        "tasks": campaign.tasks.count(),
        "rules": campaign.reporting_rules.count(),
        "indicators": campaign.indicators.count(),
        "members": campaign.leading_group.count(),
    }
    return _render(
        request,
        "overview.html",
        campaign,
        "overview",
        missing=missing,
        blocking=selectors.blocking(missing),
        counts=counts,
    )


@setup_page
def basics(request, campaign):
    form = CampaignForm(request.POST or None, instance=campaign)
    phases = PhaseFormSet(request.POST or None, instance=campaign, prefix="phases")
    if request.method == "POST" and form.is_valid() and phases.is_valid():
        with transaction.atomic():
            deleted = audit.deleted_rows(phases)
            form.save()
            phases.save()
            audit.form_saved(form, request=request)
            audit.formset_saved(phases, request=request, deleted=deleted)
        messages.success(request, SAVED)
        return _here(request)
    return _render(request, "basics.html", campaign, "basics", form=form, phases=phases)


@setup_page
def tasks(request, campaign):
    rows = campaign.tasks.select_related("lead_unit", "phase").prefetch_related("co_units")
    return _render(request, "tasks.html", campaign, "tasks", tasks=rows)


@setup_page
def task_create(request, campaign):
    parent = None
    if request.GET.get("parent"):
        parent_id = parse_id(request.GET["parent"])
        if parent_id is None:
            raise Http404("没有这项上级任务。")
        parent = get_object_or_404(campaign.tasks, pk=parent_id)
    task = Task(campaign=campaign, parent=parent, position=services.next_position(campaign=campaign, parent=parent))
    return _task_form(request, campaign, task, done="已添加任务“{}”。")


@setup_page
def task_edit(request, campaign, pk):
    task = get_object_or_404(campaign.tasks.select_related("parent"), pk=pk)
    return _task_form(request, campaign, task, done="已保存任务“{}”。")


def _task_form(request, campaign, task, *, done):
    form = TaskForm(request.POST or None, instance=task, campaign=campaign)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, done.format(form.instance))
        return redirect("setup:tasks", campaign.pk)
    existing = task if task.pk else None
    return _render(request, "task_form.html", campaign, "tasks", form=form, task=existing, parent=task.parent)


@setup_action
def task_move(request, campaign, pk):
    task = get_object_or_404(campaign.tasks, pk=pk)
    if not services.move_task(task=task, up=request.POST.get("direction") == "up"):
        messages.info(
            request, f"任务“{task}”已在同级任务的{'最前' if request.POST.get('direction') == 'up' else '最后'}。"
        )
    return redirect(reverse("setup:tasks", args=[campaign.pk]) + f"#task-{task.pk}")


@setup_action
def task_delete(request, campaign, pk):
    task = get_object_or_404(campaign.tasks, pk=pk)
    try:
        services.remove_task(task=task)
    except services.SetupRefused as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, f"已删除任务“{task}”。")
    return redirect("setup:tasks", campaign.pk)


@setup_page
def rules(request, campaign):
    rows = campaign.reporting_rules.annotate(unit_count=Count("units"))
    return _render(request, "rules.html", campaign, "rules", rules=rows)


@setup_page
def rule_create(request, campaign):
    return _rule_form(request, campaign, None)


@setup_page
def rule_edit(request, campaign, pk):
    return _rule_form(request, campaign, get_object_or_404(campaign.reporting_rules, pk=pk))


def _rule_form(request, campaign, rule):
    form = RuleForm(request.POST or None, instance=rule, campaign=campaign)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, f"已保存报送要求“{form.instance.name}”。")
        return redirect("setup:rules", campaign.pk)
    return _render(request, "rule_form.html", campaign, "rules", form=form, rule=rule)


@setup_action
def rule_delete(request, campaign, pk):
    rule = get_object_or_404(campaign.reporting_rules, pk=pk)
    try:
        services.remove_rows(rows=[rule], what=f"报送要求“{rule.name}”")
    except services.SetupRefused as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, f"已删除报送要求“{rule.name}”。")
    return redirect("setup:rules", campaign.pk)


def _formset_page(request, campaign, *, formset, template, section, extra=None):
    """Save a formset (and an optional form beside it) in one transaction."""
    # A list, not a generator: every form is validated, so that all errors show at once.
    forms_valid = all([f.is_valid() for f in [formset, *([extra] if extra else [])]])
    if request.method == "POST" and forms_valid:
        try:
            with transaction.atomic():
                deleted = audit.deleted_rows(formset)
                if extra:
                    created = extra.instance._state.adding
                    formset.instance = extra.save()
                    audit.form_saved(extra, request=request, created=created)
                formset.save(commit=False)
                services.remove_rows(rows=formset.deleted_objects, what="所选的行")
                for row in formset.new_objects + [obj for obj, _ in formset.changed_objects]:
                    row.save()
                audit.formset_saved(formset, request=request, deleted=deleted)
        except services.SetupRefused as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, SAVED)
            return _here(request)
    return _render(request, template, campaign, section, formset=formset, form=extra)


@setup_page
def indicators(request, campaign):
    formset = IndicatorFormSet(request.POST or None, instance=campaign, prefix="indicators")
    return _formset_page(request, campaign, formset=formset, template="indicators.html", section="indicators")


@setup_page
def leading_group(request, campaign):
    formset = LeadingGroupFormSet(request.POST or None, instance=campaign, prefix="members")
    return _formset_page(request, campaign, formset=formset, template="leading_group.html", section="leading_group")


@setup_page
def scoring(request, campaign):
    scheme = ScoringScheme.objects.filter(campaign=campaign).first() or ScoringScheme(campaign=campaign)
    form = SchemeForm(request.POST or None, instance=scheme)
    formset = ComponentFormSet(request.POST or None, instance=scheme, prefix="components")
    return _formset_page(request, campaign, formset=formset, template="scoring.html", section="scoring", extra=form)


@login_required
@require_POST
def activate(request, campaign_id):
    # Any status, not only drafts: a second click on 启用 (or two clerks at
    # once) finds the campaign active and goes to its dashboard, not a 404.
    campaign = get_object_or_404(access.office_campaigns(request.user), pk=campaign_id)
    if campaign.status != campaign.Status.DRAFT:
        messages.info(request, "该活动已经启用。")
        return redirect("dashboards:campaign", campaign.pk)
    try:
        periods, reports = services.activate_campaign(campaign=campaign, by=request.user, at=timezone.now())
    except services.SetupRefused as exc:
        campaign.refresh_from_db(fields=["status"])
        if campaign.status != campaign.Status.DRAFT:
            messages.info(request, "该活动已经启用。")
            return redirect("dashboards:campaign", campaign.pk)
        messages.error(request, str(exc))
        return redirect("setup:overview", campaign.pk)
    messages.success(
        request,
        f"活动已启用：生成报送周期 {periods} 个、待报送 {reports} 份。以后的报送周期每天自动生成，到期前会提醒各单位。",
    )
    return redirect("dashboards:campaign", campaign.pk)


# 单位与联络员: the people of the units that owe reports.


def _owing_unit(campaign, unit_id):
    return get_object_or_404(selectors.owing_units(campaign=campaign), pk=unit_id)


@setup_page
def liaisons(request, campaign):
    units = selectors.owing_units_with_people(campaign=campaign)
    return _render(request, "liaisons.html", campaign, "liaisons", units=units)


@setup_page
def unit_people(request, campaign, unit_id):
    """One unit's liaisons and heads: find a user to assign, or create a person
    (the POST), whose first password the answer shows once."""
    unit = _owing_unit(campaign, unit_id)
    form = PersonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            membership, password = services.create_member(
                campaign=campaign, unit=unit, **form.cleaned_data, by=request.user, at=timezone.now()
            )
        except services.SetupRefused as exc:
            form.add_error(None, str(exc))
        else:
            # Only its hash is stored: this answer is the one place the
            # password is seen, and no browser or proxy may keep it.
            page = _render(
                request, "person_created.html", campaign, "liaisons", unit=unit, membership=membership, password=password
            )
            add_never_cache_headers(page)
            return page
    query = request.GET.get("q", "")
    people = unit.memberships.filter(
        role__in=services.UNIT_ROLES, is_active=True
    ).select_related("user").order_by("role", "user__full_name")
    return _render(
        request,
        "unit_people.html",
        campaign,
        "liaisons",
        unit=unit,
        people=people,
        form=form,
        query=query,
        found=selectors.assignable_users(query=query),
        roles=UNIT_ROLE_CHOICES,
    )


@setup_action
def member_assign(request, campaign, unit_id):
    unit = _owing_unit(campaign, unit_id)
    form = AssignForm(request.POST)
    back = reverse("setup:unit_people", args=[campaign.pk, unit.pk])
    if not form.is_valid():
        messages.error(request, " ".join(error for errors in form.errors.values() for error in errors))
        return redirect(back)
    try:
        membership = services.assign_member(
            campaign=campaign, unit=unit, **form.cleaned_data, by=request.user, at=timezone.now()
        )
    except services.SetupRefused as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, f"已指定“{membership.user}”为“{unit}”的{membership.get_role_display()}。")
    return redirect(back)


@setup_action
def member_end(request, campaign, pk):
    membership = get_object_or_404(
        Membership.objects.select_related("user", "unit"),
        pk=pk,
        unit__in=selectors.owing_units(campaign=campaign),
        role__in=services.UNIT_ROLES,
    )
    try:
        services.end_membership(campaign=campaign, membership=membership, by=request.user, at=timezone.now())
    except services.SetupRefused as exc:
        messages.error(request, str(exc))
    else:
        messages.success(
            request, f"已撤销“{membership.user}”的{membership.get_role_display()}角色（{membership.unit}）。"
        )
    return redirect("setup:unit_people", campaign.pk, membership.unit_id)


@setup_action
def discard(request, campaign):
    try:
        title = services.discard_draft(campaign=campaign, by=request.user, at=timezone.now())
    except services.SetupRefused as exc:
        messages.error(request, str(exc))
        return redirect("setup:overview", campaign.pk)
    messages.success(request, f"已删除草稿活动“{title}”。如需重新导入方案，请在“导入方案”中重新上传。")
    return redirect("imports:upload")
