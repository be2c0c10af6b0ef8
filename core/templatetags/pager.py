"""`{% page_url "page" 3 %}`: this page's address with one page number
changed and every other parameter (the filters) kept, for `_pager.html`."""

from django import template

register = template.Library()


@register.simple_tag(takes_context=True)
def page_url(context, param, number):
    query = context["request"].GET.copy()
    query[param] = number
    return f"?{query.urlencode()}"
