"""The 润色 button of a draft page shows only when a model is configured."""

from django import template

from documents import polish

register = template.Library()


@register.simple_tag
def polish_enabled():
    return polish.enabled()
