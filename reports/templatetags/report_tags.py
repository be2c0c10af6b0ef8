from django import template
from django.utils.html import format_html

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
