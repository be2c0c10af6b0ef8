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


def material_unit_ids(user):
    """The units whose material (材料审核) the user writes: liaisons' and heads'."""
    from campaigns.access import Role, unit_ids

    return unit_ids(user, Role.LIAISON, Role.UNIT_HEAD)


def visible_materials(user):
    """The own units' material in every state; for the office and leaders,
    the campaign's material once submitted (a draft is the unit's alone)."""
    from django.db.models import Q

    from .models import StandardMaterial

    if not user.is_authenticated:
        return StandardMaterial.objects.none()
    own = Q(unit__in=material_unit_ids(user))
    sent = Q(standard__system__campaign__in=readable_campaigns(user)) & ~Q(status=StandardMaterial.Status.DRAFT)
    return StandardMaterial.objects.filter(own | sent)


def reviewed_materials(user):
    """The material the user reviews: the campaign office's, once submitted."""
    from .models import StandardMaterial

    return StandardMaterial.objects.filter(standard__system__campaign__in=managed_campaigns(user)).exclude(
        status=StandardMaterial.Status.DRAFT
    )


def visible_material_files(user):
    from .models import MaterialFile

    return MaterialFile.objects.filter(material__in=visible_materials(user).values("pk"))


def readable_observations(user):
    """Observations of the mock assessments the user reads (the office's and the leaders')."""
    from .models import Observation

    return Observation.objects.filter(sampled_site__assessment__campaign__in=readable_campaigns(user))


def may_recheck(user, observation):
    """Re-checking a failure verifies or returns its rectification item: office work."""
    return managed_campaigns(user).filter(pk=observation.sampled_site.assessment.campaign_id).exists()
