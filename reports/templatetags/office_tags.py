"""Tags for the office's partials, which the report page includes with only
the report and flags in context."""

from django import template

from reports.diff import compare_versions
from reports.office_forms import panel_forms

register = template.Library()


@register.simple_tag
def office_forms(report, pending_extension=None):
    """`{% office_forms report pending_extension as forms %}`: the panel's unbound forms."""
    return panel_forms(report, pending_extension)


@register.simple_tag
def version_diff(old, new):
    """`{% version_diff old new as diff %}`: what changed between two submitted versions."""
    return compare_versions(old, new)
