from django.conf import settings
from django.shortcuts import redirect
from django.urls import reverse


class PasswordChangeRequiredMiddleware:
    """Holds a user whose password an administrator set at the password-change page.

    Until they choose their own, every page sends them there; only that page,
    signing out and static files stay open. The page itself says why (it reads
    the flag), rather than a queued message that a browser's background
    requests, such as /favicon.ico, would repeat.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if user.is_authenticated and user.must_change_password and not self.is_open(request.path):
            return redirect("password_change")
        return self.get_response(request)

    @staticmethod
    def is_open(path):
        open_paths = {reverse("password_change"), reverse("logout"), reverse("admin:logout")}
        return path in open_paths or path.startswith(settings.STATIC_URL)
