"""Who may download the documents the office drafts."""

from campaigns.access import overseen_campaigns
from campaigns.models import Campaign


def annual_report_campaigns(user):
    """Campaigns whose year-end report (年度情况报告) the user may download:
    the office drafts it, leaders read it. Units write none of it."""
    if not user.is_authenticated:
        return Campaign.objects.none()
    return overseen_campaigns(user)
