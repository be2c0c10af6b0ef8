from django.shortcuts import render


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
