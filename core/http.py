"""Request helpers every app's views share."""

from django.utils.http import url_has_allowed_host_and_scheme


def safe_next(request):
    """The POSTed `next` URL when it points back into this site, else None."""
    url = request.POST.get("next", "")
    safe = url_has_allowed_host_and_scheme(url, allowed_hosts={request.get_host()}, require_https=request.is_secure())
    return url if url and safe else None
