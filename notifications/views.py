"""The notification centre (the bell), the office's delivery history and 催报.

Who may see what is decided in `notifications.access`: another person's
notification is a 404; the delivery history is the office's.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from campaigns.selectors import missing_holiday_years
from core.http import parse_id, safe_next
from reports.access import report_to_manage
from reports.models import Period, Report

from . import access, events
from . import chase as chasing
from .forms import DeliveryFilterForm, PreferencesForm

NOTIFICATIONS_PAGE_SIZE = 20
DELIVERIES_PAGE_SIZE = 50


@login_required
def notification_list(request):
    notifications = access.own_notifications(request.user).order_by("-created_at", "-id")
    page = Paginator(notifications, NOTIFICATIONS_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "notifications/list.html", {"page": page, "nav_active": "notifications"})


@login_required
@require_POST
def mark_read(request, pk):
    """Mark one notification read; with `next` (its link), go on to it."""
    notification = get_object_or_404(access.own_notifications(request.user), pk=pk)
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
    return redirect(safe_next(request) or "notifications:list")


@login_required
@require_POST
def mark_all_read(request):
    count = access.own_notifications(request.user).filter(read_at__isnull=True).update(read_at=timezone.now())
    if count:
        messages.success(request, f"已将 {count} 条通知标为已读。")
    return redirect(safe_next(request) or "notifications:list")


@login_required
def preferences(request):
    """通知设置: each person's own choices, for themselves only."""
    form = PreferencesForm(request.POST or None, preferences=events.preferences_of(request.user))
    if request.method == "POST" and form.is_valid():
        events.save_preferences(
            user=request.user, email_kinds=form.email_kinds(), daily_digest=form.cleaned_data["daily_digest"]
        )
        messages.success(request, "通知设置已保存。")
        return redirect("notifications:preferences")
    return render(
        request, "notifications/preferences.html", {"form": form, "nav_active": "notifications"}
    )


@login_required
def delivery_list(request):
    user = request.user
    if not access.may_see_deliveries(user):
        raise Http404("发送记录仅供领导小组办公室查看。")
    visible = access.visible_deliveries(user)
    form = DeliveryFilterForm(request.GET, campaigns=access.delivery_campaigns(user), deliveries=visible)
    deliveries = form.filter(visible).select_related("campaign", "unit", "recipient", "webhook").order_by(
        "-created_at", "-id"
    )
    page = Paginator(deliveries, DELIVERIES_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "notifications/deliveries.html",
        {
            "form": form,
            "page": page,
            "missing_holiday_years": missing_holiday_years(today=timezone.localdate()),
            "nav_active": "deliveries",
        },
    )


@login_required
@require_POST
def chase(request, pk):
    report = report_to_manage(request, pk)
    back = safe_next(request) or report.get_absolute_url()
    try:
        chased = chasing.chase(report=report, by=request.user, at=timezone.now())
    except chasing.ChaseRefused as refused:
        messages.error(request, refused.message)
        return redirect(back)
    people = chased.reminders
    names = "、".join(item.recipient_name for item in people)
    email = "和电子邮件" if any(item.recipient_email for item in people) else ""
    robots = "；工作群机器人也将在群内提醒" if chased.robot_posts else ""
    messages.success(request, f"已向{report.unit.display_name}催报：{names}将收到站内通知{email}{robots}。")
    return redirect(back)


@login_required
@require_POST
def chase_overdue(request, campaign_id):
    """催报 of every overdue unit of a campaign, or of one period of it, in
    one action: the first post lists who will be reminded and who skipped
    (chased within the interval, nobody to remind, locked) and asks to
    confirm; the confirmed post chases and shows the same summary of what
    was done. Posting it again chases nobody twice: the rate limit skips them."""
    campaign = get_object_or_404(access.chase_campaigns(request.user), pk=campaign_id)
    period = None
    if request.POST.get("period"):
        period_id = parse_id(request.POST["period"])
        if period_id is None:
            raise Http404("没有这个报送周期。")
        period = get_object_or_404(Period.objects.filter(rule__campaign=campaign), pk=period_id)
    now = timezone.now()
    overdue = Report.objects.filter(period__rule__campaign=campaign, status__in=Report.OWED_STATUSES, due_at__lt=now)
    if period is not None:
        overdue = overdue.filter(period=period)
    confirmed = bool(request.POST.get("confirmed"))
    if confirmed:
        result = chasing.chase_many(reports=overdue, by=request.user, at=now)
    else:
        result = chasing.chase_plan(reports=overdue, at=now)
    return render(
        request,
        "notifications/chase_overdue.html",
        {
            "campaign": campaign,
            "period": period,
            "done": confirmed,
            "chased": result.chased,
            "skipped": result.skipped,
            "back": safe_next(request) or "",
            "nav_active": "review",
        },
    )
