from django.shortcuts import render
from django.utils.log import log_response

from core.errors import Refused


class MethodNotAllowedPageMiddleware:
    """Django answers a GET on a POST-only address with an empty 405; show a
    page that says what to do instead."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.status_code == 405 and not response.content and request.method == "GET":
            page = render(request, "405.html", status=405)
            page["Allow"] = response.get("Allow", "")
            return page
        return response


class RefusedPageMiddleware:
    """A refused step (core.errors.Refused) that a view let through is the
    user's to fix, not a server error: a 400 page with its sentence, logged
    as a warning in one line (config.settings LOGGING drops the traceback)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, Refused):
            return None
        response = render(
            request, "400.html", {"refusal": exception.message}, status=400
        )
        log_response("Refused: %s", request.path, response=response, request=request, exception=exception)
        return response
