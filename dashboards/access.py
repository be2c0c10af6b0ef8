"""Whose dashboard the user may open, and whose rows it shows."""

from campaigns.access import Role, has_role, memberships_of, office_campaigns, overseen_campaigns, oversees
from campaigns.models import Campaign
from reports.access import involved_campaigns


def dashboard_campaigns(user):
    """Campaigns whose dashboard the user may open: every unit's rows for the
    office and leaders, the own units' rows for liaisons and unit heads."""
    return involved_campaigns(user)


def dashboard_unit_ids(user, campaign):
    """Whose rows the user sees on `campaign`'s dashboard: None for every
    unit (office, leaders), else the set of the user's own unit ids."""
    if oversees(user, campaign):
        return None
    return {unit for role, unit in memberships_of(user) if role in (Role.LIAISON, Role.UNIT_HEAD)}


def today_campaigns(user):
    """The running campaigns on the user's 今日工作 page: the office's own."""
    return office_campaigns(user).filter(status=Campaign.Status.ACTIVE)


def ranking_campaigns(user):
    """Campaigns whose unit ranking the user may open: the office's and the leaders'."""
    return overseen_campaigns(user)


def draft_campaigns(user):
    """Drafts (an imported plan) whose set-up the user finishes: the office's own."""
    return office_campaigns(user).filter(status=Campaign.Status.DRAFT)


def may_keep_holidays(user):
    """The holiday calendar (节假日安排) serves every campaign: any office staff
    member keeps it, and system admins."""
    return user.is_authenticated and (user.is_superuser or has_role(user, Role.OFFICE_STAFF))
