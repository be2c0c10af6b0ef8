from django import template
from django.urls import reverse
from django.utils import dateformat, timezone
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.text import Truncator
from django.utils.timesince import timesince

from reports.models import Report

register = template.Library()

LIGHT_LABELS = {
    "on_time": "按时报送",
    "late": "逾期报送",
    "overdue": "逾期未报",
    "due_soon": "即将到期",
    "open": "未到期",
    "returned": "已退回",
    "exempt": "免报",
}

STATUS_BADGES = {
    "not_started": "secondary",
    "draft": "secondary",
    "pending_head": "primary",
    "submitted": "primary",
    "returned": "warning",
    "accepted": "success",
    "exempt": "info",
}


@register.simple_tag
def light(report, at):
    """A coloured dot with its meaning, for screen readers and for a tooltip."""
    name = report.light(at)
    label = LIGHT_LABELS[name]
    return format_html('<span class="light light-{}" title="{}" role="img" aria-label="{}"></span>', name, label, label)


@register.filter
def light_label(report, at):
    return LIGHT_LABELS[report.light(at)]


@register.simple_tag
def status_badge(report):
    return format_html(
        '<span class="badge text-bg-{}">{}</span>', STATUS_BADGES.get(report.status, "secondary"), report.get_status_display()
    )


@register.filter
def figure(value):
    """12.50 -> 12.5, 3.00 -> 3: figures as people write them."""
    if value is None or value == "":
        return ""
    from decimal import Decimal

    text = f"{Decimal(value).normalize():f}"
    return text


def _local(value, format_string="n月j日 H:i"):
    """A moment in Shanghai time, as the template's `date` filter writes it."""
    return dateformat.format(timezone.localtime(value), format_string)


@register.simple_tag
def report_row(report, at, show_unit=False):
    """One report in a liaison's lists (我的报送): its light, rule, period,
    campaign (and unit), deadline and status, as a link to it. Written here
    rather than included as a template: the home lists a dozen or more."""
    extended = "（已延期）" if report.due_at != report.period.due_at else ""
    late = mark_safe(' · <span class="text-danger">逾期报送</span>') if report.is_late else ""
    return format_html(
        '<a href="{}" class="list-group-item list-group-item-action d-flex justify-content-between align-items-start gap-2">'
        '<div class="me-auto"><div>{} <strong>{}</strong> {}</div>'
        '<div class="small text-body-secondary">{}{}</div>'
        '<div class="small">截止 {}{}{}</div></div>{}</a>',
        report.get_absolute_url(),
        light(report, at),
        report.period.rule.name,
        report.period.label,
        report.period.rule.campaign,
        format_html(" · {}", report.unit.display_name) if show_unit else "",
        _local(report.due_at, "Y年n月j日 H:i"),
        extended,
        late,
        status_badge(report),
    )


@register.simple_tag
def queue_row(report, now, *, bulk, can_act, status, chased=None, chaseable=False):
    """One report of the review queue: its unit, light and status, badges,
    period and deadline or sending time, late reason, last chase (催报) and
    buttons. Written here rather than in the template's loop: the queue lists
    fifty, and each office user refreshes it. `chased` and `chaseable` are
    the overdue tab's (notifications' `chase_of` and `chaseable` filters)."""
    unit = report.unit.display_name
    pick = ""
    if bulk:
        pick = format_html(
            '<div class="pt-1">{}</div>',
            format_html('<input class="form-check-input" type="checkbox" name="reports" value="{}" aria-label="选择 {}">', report.pk, unit)
            if report.status == Report.Status.SUBMITTED
            else mark_safe('<input class="form-check-input invisible" type="checkbox" disabled aria-hidden="true">'),
        )
    if report.is_late:
        lateness = format_html('<span class="badge text-bg-danger" title="逾期说明：{}">逾期</span>', report.late_reason)
    elif report.is_overdue(now):
        lateness = mark_safe('<span class="badge text-bg-danger">逾期未报</span>')
    else:
        lateness = ""
    number = report.version_number
    again = format_html('<span class="badge text-bg-info">第{}次报送</span>', number) if number is not None and number > 1 else ""
    if report.last_submitted_at:
        when = format_html("报送于 {}", _local(report.last_submitted_at))
    else:
        past = report.due_at < now and report.status != Report.Status.EXEMPT
        since = format_html("，已超过 {}", timesince(report.due_at, now)) if past else ""
        when = format_html("截止 {}{}", _local(report.due_at), since)
    reason = ""
    if report.is_late and report.late_reason:
        reason = format_html('<div class="small text-danger">逾期说明：{}</div>', Truncator(report.late_reason).chars(80))
    chase_line = chase_button = ""
    if chased:
        chase_line = format_html(
            '<div class="small text-body-secondary"><i class="bi bi-megaphone" aria-hidden="true"></i> 该单位最近催报于 {}{}</div>',
            _local(chased.at),
            format_html("，{} 后可再次催报", _local(chased.again_at)) if chased.waiting else "",
        )
    if can_act and status == "overdue" and chaseable:
        if chased and chased.waiting:
            state = format_html(' disabled title="{} 后可再次催报"', _local(chased.again_at))
        else:
            state = format_html(' data-confirm="确定立即向{}催报吗？该单位联络员和单位负责人将马上收到通知。"', unit)
        chase_button = format_html(
            '<button type="submit" class="btn btn-sm btn-outline-danger text-nowrap" formaction="{}"{}>'
            '<i class="bi bi-megaphone" aria-hidden="true"></i> 催报</button>',
            reverse("notifications:chase", args=[report.pk]),
            state,
        )
    return format_html(
        '<li class="list-group-item d-flex gap-2 align-items-start">{}'
        '<div class="flex-grow-1"><div class="d-flex flex-wrap align-items-center gap-2">'
        '<span class="fw-semibold">{}</span> <span class="small">{} {}</span> {} {}</div>'
        '<div class="small text-body-secondary">{} {} · {}</div>{}{}</div>'
        '<div class="d-flex flex-column flex-sm-row gap-1">{}'
        '<a class="btn btn-sm btn-outline-primary text-nowrap" href="{}">{}</a></div></li>',
        pick,
        unit,
        light(report, now),
        report.get_status_display(),
        lateness,
        again,
        report.period.rule.name,
        report.period.label,
        when,
        reason,
        chase_line,
        chase_button,
        report.get_absolute_url(),
        "审核" if can_act and report.status == Report.Status.SUBMITTED else "查看",
    )
