import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import add_never_cache_headers

# Session keys: when the person signed in, and when they were last seen
# (seconds since the epoch). Written at sign-in (accounts.receivers).
SIGNED_IN_AT = "signed_in_at"
LAST_SEEN_AT = "last_seen_at"
# The last-seen time is written back at most once a minute, so that a page's
# requests do not each save the session.
LAST_SEEN_GRANULARITY = 60
TIMED_OUT = "会话已超时，请重新登录。"


def start_session_clock(session, *, now=None):
    now = time.time() if now is None else now
    session[SIGNED_IN_AT] = session[LAST_SEEN_AT] = int(now)


class SessionTimeoutMiddleware:
    """Signs out a person idle for SESSION_IDLE_TIMEOUT seconds, or signed in
    for longer than SESSION_ABSOLUTE_TIMEOUT, and sends them to the sign-in
    page, which says why."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            now = time.time()
            session = request.session
            signed_in_at, last_seen_at = session.get(SIGNED_IN_AT), session.get(LAST_SEEN_AT)
            if signed_in_at is None or last_seen_at is None:
                # Signed in before these rules existed: the clock starts now.
                start_session_clock(session, now=now)
            elif (
                now - last_seen_at > settings.SESSION_IDLE_TIMEOUT
                or now - signed_in_at > settings.SESSION_ABSOLUTE_TIMEOUT
            ):
                request.session_timed_out = True  # for the sign-in log (accounts.receivers)
                logout(request)
                messages.warning(request, TIMED_OUT)
                return redirect_to_login(request.get_full_path())
            elif now - last_seen_at >= LAST_SEEN_GRANULARITY:
                session[LAST_SEEN_AT] = int(now)
        return self.get_response(request)


class PasswordChangeRequiredMiddleware:
    """Holds a user whose password an administrator set, or whose password is
    older than PASSWORD_MAX_AGE_DAYS, at the password-change page.

    Until they choose their own, every page sends them there; only that page,
    signing out and static files stay open. The page itself says why (it reads
    the flag), rather than a queued message that a browser's background
    requests, such as /favicon.ico, would repeat.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if (
            user.is_authenticated
            and (user.must_change_password or user.password_expired(at=timezone.now()))
            and not self.is_open(request.path)
        ):
            return redirect("password_change")
        return self.get_response(request)

    @staticmethod
    def is_open(path):
        open_paths = {reverse("password_change"), reverse("logout"), reverse("admin:logout")}
        return path in open_paths or path.startswith(settings.STATIC_URL)


class NoStoreMiddleware:
    """No page a signed-in person sees, and no download, is kept by the
    browser or a proxy: the next person at a shared desk must not find it in
    the cache or behind the back button."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        download = response.has_header("Content-Disposition")
        already = "no-store" in response.get("Cache-Control", "")
        if not already and (download or (user is not None and user.is_authenticated)):
            add_never_cache_headers(response)
        return response
