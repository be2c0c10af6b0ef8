"""Who may see or do what with a campaign's assessment system."""

from campaigns.access import office_campaigns, overseen_campaigns


def managed_campaigns(user):
    """Campaigns whose system, sites and mock assessments the user keeps: the office's."""
    return office_campaigns(user)


def readable_campaigns(user):
    """Campaigns whose system and results the user reads: the office and the leaders."""
    return overseen_campaigns(user)
