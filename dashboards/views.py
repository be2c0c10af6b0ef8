"""The office's and leaders' dashboards (数据看板) and the office's 今日工作.

Who sees what is decided in `dashboards.access`: a campaign the user has
nothing in is a 404; a liaison or unit head sees the own units' rows only.
"""

import datetime
import functools
import hashlib

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.middleware.csrf import get_token
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import mark_safe

from calendars import selectors as calendar_selectors
from campaigns import access as roles
from notifications.access import may_chase
from reports.ranking import unit_ranking
from supervision.selectors import today_items

from . import access, selectors, services
from .forms import MONTH_YEARS_AROUND, DashboardFilterForm, HolidayNoticeForm, parse_month
from .selectors.figures import cached, keep


def _int(value, default=0):
    try:
        return max(int(value), 0)
    except (TypeError, ValueError):
        return default


@login_required
def today(request):
    if not roles.has_role(request.user, roles.Role.OFFICE_STAFF) and not request.user.is_superuser:
        raise Http404("今日工作是领导小组办公室的页面。")
    # Today's work is what can still be done: a finished campaign's late
    # reports and items are history (its dashboard and ledger keep them).
    campaigns = access.today_campaigns(request.user)
    now = timezone.now()
    pages = {name: request.GET.get(f"{name}_page") for name in ("awaiting", "extensions")}
    work = selectors.today_work(campaigns=campaigns, at=now, pages=pages)
    rectifications = today_items(campaign_ids=work["campaign_ids"], at=now)
    # Drafts (an imported plan) wait for the office to finish their set-up
    # and activate them: the way there is from here, not the Django admin.
    drafts = access.draft_campaigns(request.user).order_by("-created_at")
    return render(
        request,
        "dashboards/today.html",
        {**work, "rectifications": rectifications, "drafts": drafts, "now": now, "nav_active": "today"},
    )


@login_required
def index(request):
    campaigns = list(access.dashboard_campaigns(request.user).order_by("-starts_on", "title"))
    if not campaigns:
        raise Http404("您没有可查看的创建活动。")
    return render(request, "dashboards/index.html", {"campaigns": campaigns, "nav_active": "dashboard"})


@login_required
def campaign(request, campaign_id):
    # The switcher's list holds the campaign, if the user may open it at all.
    campaigns = list(access.dashboard_campaigns(request.user).order_by("-starts_on", "title"))
    campaign = next((c for c in campaigns if c.pk == campaign_id), None)
    if campaign is None:
        raise Http404("没有这个创建活动，或您无权查看。")
    scope = access.dashboard_unit_ids(request.user, campaign)
    can_chase = scope is None and may_chase(request.user, campaign)
    now = timezone.now()

    def body_context():
        # The filter form (its unit list a query over the campaign's reports)
        # is built only when the body is added up: its choices and the
        # filters it reads are the same for every look at the same view.
        rules = selectors.campaign_rules(campaign)
        phases = list(campaign.phases.order_by("order"))
        units = selectors.scope_units(campaign=campaign, unit_ids=scope, limit=selectors.UNIT_LIST_LIMIT)
        form = DashboardFilterForm(
            request.GET,
            rules=rules,
            phases=phases,
            units=units,
            find_units=functools.partial(selectors.find_units, campaign=campaign, unit_ids=scope),
        )
        filters = form.filters(older=_int(request.GET.get("older")), page=request.GET.get("page") or 1)
        dashboard = selectors.campaign_dashboard(
            campaign=campaign, scope=scope, filters=filters, at=now, can_chase=can_chase
        )
        overdue_tasks, overdue_task_count = selectors.overdue_tasks(
            campaign=campaign, unit_ids=scope, today=timezone.localdate(now)
        )
        return {
            "form": form,
            "unit_matches_shown": selectors.UNIT_MATCHES_SHOWN,
            "overdue_tasks": overdue_tasks,
            "overdue_task_count": overdue_task_count,
            "campaign": campaign,
            "d": dashboard,
            "own_units_only": scope is not None,
            "can_chase": can_chase,
            "trend_data": selectors.trend_chart_data(dashboard.trend),
            "now": now,
        }

    view = (campaign.pk, sorted(scope) if scope is not None else None, can_chase, sorted(request.GET.lists()))
    return render(
        request,
        "dashboards/campaign.html",
        {
            "campaign": campaign,
            "campaigns": campaigns,
            "own_units_only": scope is not None,
            "can_chase": can_chase,
            "can_rank": scope is None,
            "body": shared_body(request, view=view, at=now, context=body_context),
            "nav_active": "dashboard",
        },
    )


# The body of the dashboard (the filter, figures, matrix, lists) is the same for everyone
# with the same view of a campaign: in the deadline hour, when the office
# keeps several dashboards open and refreshes them, it is added up and
# rendered once per DASHBOARD_SHARED_SECONDS and shared through the cache
# (Redis, or the database cache), not once per look. The page says when its
# figures were added up. A look right after the user acted (a message is
# waiting: 已催报, 已审核) is added up afresh, so the user sees the result.
CSRF_PLACEHOLDER = "__dashboard-csrf-token__"


def shared_body(request, *, view, at, context):
    """The rendered body for `view` (everything that tells one viewer's
    body from another's), from the cache when it is fresh enough; else
    `context()` rendered and kept. The CSRF token of the chase forms is the
    viewer's own, filled in after the cache."""
    seconds = settings.DASHBOARD_SHARED_SECONDS
    key = "dashboard-body-v1:" + hashlib.sha256(repr((view, timezone.localdate(at))).encode()).hexdigest()
    body = None
    if seconds and not len(messages.get_messages(request)):
        body = cached(key)
    if body is None:
        body = render_to_string(
            "dashboards/_campaign_body.html", {**context(), "csrf_token": CSRF_PLACEHOLDER}, request=request
        )
        if seconds:
            keep(key, body, seconds)
    return mark_safe(body.replace(CSRF_PLACEHOLDER, get_token(request)))  # noqa: S308 - our own template, rendered


@login_required
def ranking(request, campaign_id):
    campaign = get_object_or_404(access.ranking_campaigns(request.user), pk=campaign_id)
    now = timezone.now()
    today = timezone.localdate(now)
    month = parse_month(request.GET.get("month"), today=today)
    if month is None:
        if request.GET.get("month"):
            messages.warning(request, f"月份无效：请按“年-月”填写前后{MONTH_YEARS_AROUND}年内的月份，如 {today:%Y-%m}。以下为本月排名。")
        month = today.replace(day=1)
    previous = (month - datetime.timedelta(days=1)).replace(day=1)
    following = (month + datetime.timedelta(days=32)).replace(day=1)
    return render(
        request,
        "dashboards/ranking.html",
        {
            "campaign": campaign,
            "month": month,
            "previous_month": previous,
            "next_month": following if following <= today else None,
            "ranked": unit_ranking(campaign=campaign, month=month, at=now),
            "nav_active": "dashboard",
        },
    )


@login_required
def holidays(request):
    """节假日安排: the office pastes the State Council's yearly notice, checks
    what was read on the year's calendar (nothing is written yet), then
    confirms; the year's days are replaced and the deadlines they move are
    moved, with a notice to the units concerned."""
    if not access.may_keep_holidays(request.user):
        raise Http404("节假日安排由领导小组办公室维护。")
    form = HolidayNoticeForm(request.POST if request.method == "POST" else None)
    if form.is_valid():
        notice = form.cleaned_data["notice"]
        if "confirm" in request.POST:
            moved, units = services.load_holiday_notice(notice=notice, text=form.cleaned_data["text"], at=timezone.now())
            off = sum(1 for _, is_working, _ in notice.days if not is_working)
            summary = f"已载入{notice.year}年节假日安排：放假{off}天，调休上班{len(notice.days) - off}天。"
            if moved:
                summary += f"{len(moved)}份报送的截止时间已随之调整，已通知{units}个单位。"
            else:
                summary += "没有需要调整的报送截止时间。"
            messages.success(request, summary)
            return redirect("dashboards:holidays")
        current = calendar_selectors.year_days(year=notice.year)
        new = {(day, is_working) for day, is_working, _ in notice.days}
        old = {(day, is_working) for day, is_working, _ in current}
        return render(
            request,
            "dashboards/holidays_preview.html",
            {
                "form": form,
                "notice": notice,
                "months": calendar_selectors.year_grid(year=notice.year, days=notice.days),
                "replaces": bool(current),
                "unchanged": bool(current) and new == old,
                "added": sorted(new - old),
                "removed": sorted(old - new),
                "nav_active": "holidays",
            },
        )
    return render(
        request,
        "dashboards/holidays.html",
        {"form": form, "years": calendar_selectors.loaded_years(), "nav_active": "holidays"},
    )
