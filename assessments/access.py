"""Who may see or do what with a campaign's assessment system."""

from campaigns.access import office_campaigns, overseen_campaigns


def managed_campaigns(user):
    """Campaigns whose system, sites and mock assessments the user keeps: the office's."""
    return office_campaigns(user)


def readable_campaigns(user):
    """Campaigns whose system and results the user reads: the office and the leaders."""
    return overseen_campaigns(user)


def readable_assessments(user):
    """Mock assessments whose results the user reads: their campaign's office and leaders."""
    from .models import MockAssessment

    return MockAssessment.objects.filter(campaign__in=readable_campaigns(user))


def managed_assessments(user):
    from .models import MockAssessment

    return MockAssessment.objects.filter(campaign__in=managed_campaigns(user))


def observed_sites(user):
    """The sampled sites the user observes, in assessments under way."""
    from .models import MockAssessment, SampledSite

    return SampledSite.objects.filter(observer=user, assessment__status=MockAssessment.Status.OPEN)


def observers(campaign):
    """Who may be given sites to observe: the campaign office's staff."""
    from django.contrib.auth import get_user_model

    from campaigns.models import Membership

    User = get_user_model()

    staff = Membership.objects.filter(unit=campaign.office_unit_id, role=Membership.Role.OFFICE_STAFF, is_active=True)
    return User.objects.filter(pk__in=staff.values("user"), is_active=True).order_by("full_name", "username")


def readable_observations(user):
    """Observations of the mock assessments the user reads (the office's and the leaders')."""
    from .models import Observation

    return Observation.objects.filter(sampled_site__assessment__campaign__in=readable_campaigns(user))


def may_recheck(user, observation):
    """Re-checking a failure verifies or returns its rectification item: office work."""
    return managed_campaigns(user).filter(pk=observation.sampled_site.assessment.campaign_id).exists()
