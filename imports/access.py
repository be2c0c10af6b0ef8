"""Importing a plan document as a draft campaign is office work."""

from campaigns.access import Role, has_role, unit_ids
from campaigns.models import Membership, Unit

from .models import PlanImportJob


def may_import_plans(user):
    """Importing a plan document as a draft campaign is office work."""
    return user.is_authenticated and (user.is_superuser or has_role(user, Role.OFFICE_STAFF))


def plan_import_office_units(user):
    """Units a user may make the office of an imported campaign: the units
    whose office staff they are, so that they can see the draft they create."""
    if user.is_superuser:
        return Unit.objects.filter(is_active=True)
    return Unit.objects.filter(pk__in=unit_ids(user, Role.OFFICE_STAFF))


def visible_jobs(user):
    """Plan uploads a user may follow: those of the office staff of the units
    whose office staff they are (a colleague may take over the preview), and
    every one for a system admin; anyone else gets 404."""
    if not may_import_plans(user):
        return PlanImportJob.objects.none()
    if user.is_superuser:
        return PlanImportJob.objects.all()
    colleagues = Membership.objects.filter(
        unit__in=unit_ids(user, Role.OFFICE_STAFF), role=Role.OFFICE_STAFF, is_active=True
    ).values("user_id")
    return PlanImportJob.objects.filter(uploaded_by__in=colleagues)
