"""Who may try a password: failed sign-ins counted by account and by client
address, each against its own limit (django-axes' AXES_HANDLER), and the
client's address as the site sees it behind its proxy."""


from axes.attempts import get_cool_off_threshold
from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username, get_cool_off, get_failure_limit
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Sum


def recent_attempts(request, **lookup):
    attempts = AccessAttempt.objects.filter(**lookup)
    if get_cool_off(request):
        attempts = attempts.filter(attempt_time__gte=get_cool_off_threshold(request))
    return attempts


def failures(attempts):
    return attempts.aggregate(n=Sum("failures_since_start"))["n"] or 0


class LockoutHandler(AxesDatabaseHandler):
    """An account locks after AXES_FAILURE_LIMIT wrong passwords; an address
    after AXES_ADDRESS_FAILURE_LIMIT, whatever accounts they were tried on.

    The count reported (request.axes_failures_since_start) is the account's,
    which the sign-in form turns into the tries left; an address over its
    limit counts as the limit reached, and request.axes_address_locked says so.
    """

    def get_failures(self, request, credentials=None):
        username = get_client_username(request, credentials)
        by_account = failures(recent_attempts(request, username=username)) if username else 0
        by_address = failures(recent_attempts(request, ip_address=request.axes_ip_address))
        request.axes_address_locked = by_address >= settings.AXES_ADDRESS_FAILURE_LIMIT
        if request.axes_address_locked:
            return max(by_account, get_failure_limit(request, credentials))
        return by_account

    def reset_user_attempts(self, request, credentials=None):
        """A successful sign-in forgets the account's failures only: a colleague
        signing in from the same address must not wipe what was tried against
        other accounts from it."""
        username = get_client_username(request, credentials)
        count, _ = AccessAttempt.objects.filter(username=username).delete()
        return count
