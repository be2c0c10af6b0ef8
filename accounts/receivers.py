"""The sign-in log (SignInEvent) and the session's clock, from Django's
sign-in signals: every way in (the sign-in page, the admin's) is covered."""

from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from core.http import client_address

from .middleware import start_session_clock
from .models import SignInEvent


def record(kind, request, *, username, user=None):
    meta = request.META if request is not None else {}
    SignInEvent.objects.create(
        kind=kind,
        username=(username or "")[:150],
        user=user,
        ip_address=client_address(request) if request is not None else None,
        user_agent=meta.get("HTTP_USER_AGENT", "")[:255],
        path=(request.path if request is not None else "")[:255],
    )


@receiver(user_logged_in, dispatch_uid="accounts.signed_in")
def signed_in(sender, request, user, **kwargs):
    if request is None:
        return
    start_session_clock(request.session)
    record(SignInEvent.Kind.SIGNED_IN, request, username=user.get_username(), user=user)


@receiver(user_login_failed, dispatch_uid="accounts.sign_in_failed")
def sign_in_failed(sender, credentials, request=None, **kwargs):
    username = (credentials.get("username") or "")[:150]
    # Axes refused the attempt before any password was checked: the account or
    # the address was locked already.
    refused = request is not None and getattr(request, "axes_locked_out", False)
    refused = refused and getattr(request, "axes_failures_since_start", None) is None
    user = get_user_model().objects.filter(username=username).first() if username else None
    kind = SignInEvent.Kind.LOCKED_OUT if refused else SignInEvent.Kind.FAILED
    record(kind, request, username=username, user=user)


@receiver(user_logged_out, dispatch_uid="accounts.signed_out")
def signed_out(sender, request, user, **kwargs):
    if user is None:
        return
    timed_out = getattr(request, "session_timed_out", False)
    kind = SignInEvent.Kind.TIMED_OUT if timed_out else SignInEvent.Kind.SIGNED_OUT
    record(kind, request, username=user.get_username(), user=user)
