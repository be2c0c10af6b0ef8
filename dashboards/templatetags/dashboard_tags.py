from django import template
from django.utils.html import format_html

from reports.templatetags.report_tags import LIGHT_LABELS

register = template.Library()

CELL_LABELS = {**LIGHT_LABELS, "pending": "待单位负责人审核"}


@register.simple_tag
def cell_light(cell):
    """A matrix cell's light; the label is also the link's accessible name."""
    label = CELL_LABELS[cell.light]
    return format_html('<span class="light light-{}" title="{}" role="img" aria-label="{}"></span>', cell.light, label, label)


@register.filter
def rate(value):
    """A rate for display: 87.5 -> "87.5%", None (nothing expected yet) -> "—"."""
    return "—" if value is None else f"{value}%"


@register.simple_tag
def legend():
    return [(name, label) for name, label in CELL_LABELS.items()]
