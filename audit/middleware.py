from .services import current_request


class AuditRequestMiddleware:
    """Keeps the request at hand for ``audit.record`` calls that are not
    given one (services, signal receivers)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = current_request.set(request)
        try:
            return self.get_response(request)
        finally:
            current_request.reset(token)
