from axes.helpers import get_cool_off
from axes.models import AccessAttempt
from django.db.models import OuterRef, Subquery, Sum

from campaigns.models import Campaign


def office_contacts():
    """Whom a person without a role asks: the offices of running campaigns, as their plans print them."""
    return (
        Campaign.objects.filter(status=Campaign.Status.ACTIVE)
        .exclude(contact_person="", contact_phone="")
        .values("office_unit__name", "contact_person", "contact_phone", "contact_email")
        .order_by("office_unit__name", "contact_person")
        .distinct()
    )


def recent_failed_sign_ins(*, at):
    """Per user (as a subquery on `username`), the failed sign-ins axes still
    counts at `at`, summed over the browsers and addresses they came from, as
    axes sums them when it decides on a lockout."""
    attempts = AccessAttempt.objects.filter(username=OuterRef("username"))
    cool_off = get_cool_off()
    if cool_off:
        attempts = attempts.filter(attempt_time__gte=at - cool_off)
    return Subquery(attempts.values("username").annotate(total=Sum("failures_since_start")).values("total"))


def sign_in_events(*, start=None, end=None, username=""):
    """The sign-in log for the auditor (audit.selectors.sign_ins): newest
    first, between `start` and `end` (datetimes), by typed username."""
    from .models import SignInEvent

    events = SignInEvent.objects.all()
    if start:
        events = events.filter(at__gte=start)
    if end:
        events = events.filter(at__lt=end)
    if username:
        events = events.filter(username__icontains=username)
    return events.order_by("-at", "-pk")
