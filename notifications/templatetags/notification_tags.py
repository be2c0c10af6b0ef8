"""Tags for 催报 on the office's pages (the review queue, the report page's office panel)."""

from django import template
from django.conf import settings

from notifications import chase, selectors

register = template.Library()


@register.filter
def chaseable(report, at):
    """`report|chaseable:now`: owed, late and not locked (who may chase is the view's question)."""
    return chase.refusal(report, at=at) is None


@register.filter
def chase_of(chases, report):
    """`chases|chase_of:report`: the unit's LastChase from `last_chases_of`'s {unit id: LastChase}."""
    return chases.get(report.unit_id) if chases else None


@register.simple_tag
def last_chases_of(reports, at):
    """`{% last_chases_of page now as chases %}`: when each of the page's
    units was last chased, in one query for the whole page."""
    return selectors.last_chases(unit_ids={report.unit_id for report in reports}, at=at)


@register.simple_tag
def last_chase(report, at):
    """`{% last_chase report now as chased %}`: one query, for one report's page."""
    return selectors.last_chase(unit_id=report.unit_id, at=at)


@register.simple_tag
def chase_hours():
    return f"{settings.CHASE_INTERVAL_SECONDS / 3600:g}"
