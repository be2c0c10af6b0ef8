"""Who may read and who may edit the documents the office drafts.

The office of a campaign (and system admins) drafts, edits and regenerates;
the campaign's leaders read: the leaders of the unit that runs or issued it
(campaigns.access.overseen_campaigns) and the members of its leading group
(领导小组) linked to a user account. Units write none of it. A user who may
not read a draft gets 404; a reader who tries to change one gets 404 too,
since the editable queryset does not hold it.
"""

from django.db.models import Q

from campaigns.access import office_campaigns, overseen_campaigns
from campaigns.models import Campaign

from .models import Draft


def readable_campaigns(user):
    """Campaigns whose drafts the user may read."""
    if not user.is_authenticated:
        return Campaign.objects.none()
    if user.is_superuser:
        return Campaign.objects.all()
    return Campaign.objects.filter(
        Q(pk__in=overseen_campaigns(user).values("pk")) | Q(pk__in=Campaign.objects.filter(leading_group__user=user).values("pk"))
    )


def editable_campaigns(user):
    """Campaigns whose drafts the user may create, edit and regenerate: not
    one still being set up (活动设置), whose phases may yet change."""
    if not user.is_authenticated:
        return Campaign.objects.none()
    return office_campaigns(user).exclude(status=Campaign.Status.DRAFT)


def readable_drafts(user):
    return Draft.objects.filter(campaign__in=readable_campaigns(user))


def editable_drafts(user):
    return Draft.objects.filter(campaign__in=editable_campaigns(user))
