"""Who may see which messages and deliveries, and who may chase (催报)."""

from campaigns.access import Role, has_role, office_campaigns

from .models import Delivery, Notification


def own_notifications(user):
    """The notification centre shows each person their own messages only."""
    if not user.is_authenticated:
        return Notification.objects.none()
    return Notification.objects.filter(recipient=user)


def may_see_deliveries(user):
    """The delivery history is the office's tool for checking that reminders
    reached the units; leaders and units have no use for it."""
    return user.is_authenticated and (user.is_superuser or has_role(user, Role.OFFICE_STAFF))


def visible_deliveries(user):
    """Deliveries of the campaigns whose office work the user does. A delivery
    with no campaign cannot be attributed to an office: superusers only."""
    if user.is_superuser:
        return Delivery.objects.all()
    return Delivery.objects.filter(campaign__in=office_campaigns(user).values("id"))


def may_chase(user, campaign):
    """催报 is office work: the campaign's office staff and the system admin."""
    return office_campaigns(user).filter(pk=campaign.pk).exists()


def chase_campaigns(user):
    """Campaigns whose overdue units the user may chase in one action: the office's own."""
    if not user.is_authenticated:
        return office_campaigns(user).none()
    return office_campaigns(user)


def delivery_campaigns(user):
    """Campaigns the delivery history can be filtered by: the office's own."""
    return office_campaigns(user)
