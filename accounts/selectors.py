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
