from django import template
from django.urls import reverse
from django.utils.html import format_html

from reports.templatetags.report_tags import LIGHT_LABELS

register = template.Library()

CELL_LABELS = {**LIGHT_LABELS, "pending": "待单位负责人审核"}


@register.simple_tag(takes_context=True)
def matrix_cell(context, cell):
    """A matrix cell: its light, linking to the report. Hundreds per page, so
    the link is built from a prefix reversed once per rendering."""
    label = CELL_LABELS[cell.light]
    if "report_url_prefix" not in context.render_context:
        context.render_context["report_url_prefix"] = reverse("reports:report_detail", args=[0])[: -len("0/")]
    return format_html(
        '<a href="{}{}/" class="d-inline-block px-1"><span class="light light-{}" title="{}" role="img" aria-label="{}"></span></a>',
        context.render_context["report_url_prefix"],
        cell.report_id,
        cell.light,
        label,
        label,
    )


@register.filter
def rate(value):
    """A rate for display: 87.5 -> "87.5%", None (nothing expected yet) -> "—"."""
    return "—" if value is None else f"{value}%"


@register.filter
def short_label(label):
    """"第46期（2026年11月11日—11月17日）" → "第46期": the dates go in the
    column's tooltip, so that a phone shows several periods at once."""
    return label.split("（", 1)[0]


@register.simple_tag
def legend():
    return [(name, label) for name, label in CELL_LABELS.items()]
