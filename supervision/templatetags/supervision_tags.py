"""Supervision's parts of other apps' pages: the liaison's home page shows
the unit's rectification items beside its reports without the reports app
knowing about supervision (docs/architecture.md)."""

from django import template

from supervision import access, selectors

register = template.Library()


@register.inclusion_tag("supervision/_unit_card.html", takes_context=True)
def unit_rectification_card(context):
    """`{% unit_rectification_card %}`: the items the user's units have to act on."""
    user = context["request"].user
    return {
        "rectifications": selectors.unit_home_items(items=access.unit_rectifications(user)),
        "now": context.get("now"),
    }
