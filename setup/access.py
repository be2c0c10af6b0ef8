"""Who may set up a campaign (活动设置).

Setting up is the office's work: the staff of the campaign's office unit
and system admins, on draft campaigns only. Everyone else gets a 404, leaders
too: they read the dashboards, and a draft has nothing for them to read yet.
Once active, a campaign's rules have generated obligations, and changing them
is the system admin's call in the Django admin.
"""

from campaigns.access import office_campaigns
from campaigns.models import Campaign


def setup_campaigns(user):
    """The draft campaigns the user may set up and activate."""
    if not user.is_authenticated:
        return Campaign.objects.none()
    return office_campaigns(user).filter(status=Campaign.Status.DRAFT)
