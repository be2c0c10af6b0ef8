from django import template

from ..selectors import campaign_history, history_of

register = template.Library()


@register.inclusion_tag("audit/_history.html")
def audit_history(obj, title="修改记录"):
    """修改记录: the trail of one object, for the office on the object's page
    (one query)."""
    return {"events": history_of(obj), "title": title}


@register.inclusion_tag("audit/_history.html")
def audit_campaign_history(campaign_id, object_types, title="修改记录"):
    """修改记录 of a campaign's objects of several types, named as
    "app.model" labels separated by commas (one query)."""
    types = [label.strip() for label in object_types.split(",") if label.strip()]
    return {"events": campaign_history(campaign_id, types), "title": title}
