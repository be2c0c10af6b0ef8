"""Importing a plan document as a draft campaign is office work."""

from campaigns.access import Role, has_role, unit_ids
from campaigns.models import Unit


def may_import_plans(user):
    """Importing a plan document as a draft campaign is office work."""
    return user.is_authenticated and (user.is_superuser or has_role(user, Role.OFFICE_STAFF))


def plan_import_office_units(user):
    """Units a user may make the office of an imported campaign: the units
    whose office staff they are, so that they can see the draft they create."""
    if user.is_superuser:
        return Unit.objects.filter(is_active=True)
    return Unit.objects.filter(pk__in=unit_ids(user, Role.OFFICE_STAFF))
