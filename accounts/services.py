import datetime

from axes.utils import reset as reset_failed_sign_ins
from django.conf import settings

from .models import SignInEvent

# 等保 asks for six months of sign-in records at least, whatever the setting says.
MIN_SIGN_IN_LOG_DAYS = 180


def end_lockout(*, username):
    """Forget the failed sign-ins counted against `username`: a lockout ends at once."""
    return reset_failed_sign_ins(username=username)


def prune_sign_in_log(*, at):
    """Delete the sign-in log's records older than SIGN_IN_LOG_RETENTION_DAYS
    (at least 180) before `at`; returns how many."""
    days = max(settings.SIGN_IN_LOG_RETENTION_DAYS, MIN_SIGN_IN_LOG_DAYS)
    deleted, _ = SignInEvent.objects.filter(at__lt=at - datetime.timedelta(days=days)).delete()
    return deleted
