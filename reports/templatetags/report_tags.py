from django import template
from django.utils import dateformat, timezone
from django.utils.html import format_html
from django.utils.safestring import mark_safe

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
        dateformat.format(timezone.localtime(report.due_at), "Y年n月j日 H:i"),
        extended,
        late,
        status_badge(report),
    )
