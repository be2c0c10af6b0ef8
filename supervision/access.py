"""Supervision (督导检查, 整改台账): the office records and decides, leaders
read, a unit sees only its own findings and rectification items.
"""

from django.db.models import Q

from campaigns.access import Role, office_campaigns, overseen_campaigns, unit_ids
from campaigns.models import Campaign, Membership

from .models import Inspection, InspectionAttachment, RectificationEvidence, RectificationItem


def supervised_campaigns(user):
    """Campaigns whose inspections and ledger the user reads: the office's and the leaders'."""
    if not user.is_authenticated:
        return Campaign.objects.none()
    return overseen_campaigns(user)


def may_supervise(user, campaign):
    """Recording inspections and verifying rectifications is office work."""
    return user.is_authenticated and office_campaigns(user).filter(pk=campaign.pk).exists()


def visible_inspections(user):
    """Whole inspections (every unit's scores and findings): office and leaders only."""
    if not user.is_authenticated:
        return Inspection.objects.none()
    return Inspection.objects.filter(campaign__in=supervised_campaigns(user).values("id"))


def visible_rectifications(user):
    """Items of the campaigns the user oversees, and the own unit's items."""
    if not user.is_authenticated:
        return RectificationItem.objects.none()
    if user.is_superuser:
        return RectificationItem.objects.all()
    return RectificationItem.objects.filter(
        Q(campaign__in=overseen_campaigns(user).values("id")) | Q(unit__in=unit_ids(user, Role.LIAISON, Role.UNIT_HEAD))
    )


def unit_rectifications(user):
    """Items the user answers for their own unit (liaison or unit head)."""
    if not user.is_authenticated:
        return RectificationItem.objects.none()
    return RectificationItem.objects.filter(unit__in=unit_ids(user, Role.LIAISON, Role.UNIT_HEAD))


def may_answer_rectification(user, item):
    return Membership.objects.filter(
        user=user, unit_id=item.unit_id, role__in=[Role.LIAISON, Role.UNIT_HEAD], is_active=True
    ).exists()


def may_verify_rectification(user, item):
    return may_supervise(user, item.campaign)


def visible_inspection_attachments(user):
    return InspectionAttachment.objects.filter(inspection__in=visible_inspections(user).values("id"))


def visible_evidence(user):
    return RectificationEvidence.objects.filter(response__item__in=visible_rectifications(user).values("id"))
