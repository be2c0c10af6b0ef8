"""Request helpers every app's views share."""

import ipaddress

from django.conf import settings
from django.http import FileResponse
from django.shortcuts import render
from django.utils.http import url_has_allowed_host_and_scheme


def safe_next(request):
    """The POSTed `next` URL when it points back into this site, else None."""
    url = request.POST.get("next", "")
    safe = url_has_allowed_host_and_scheme(url, allowed_hosts={request.get_host()}, require_https=request.is_secure())
    return url if url and safe else None


# The largest id a BigAutoField holds on every database we run on.
MAX_ID = 2**63 - 1


def parse_id(value):
    """A row id typed in a request, or None: ASCII digits only (str.isdigit()
    also says yes to "²", which int() refuses) and within a database integer."""
    if not isinstance(value, str) or not (value.isascii() and value.isdigit()):
        return None
    number = int(value) if len(value) <= 19 else MAX_ID + 1
    return number if 0 < number <= MAX_ID else None


def missing_file_response(request):
    """The page for a file whose row survived but whose bytes did not (a
    database restored without its uploads): a 404 that says so, not a 500."""
    return render(request, "missing_file.html", status=404)


def file_response(request, field, **options):
    """A FileResponse of a FileField's file, or the missing-file page when
    the storage no longer holds it."""
    try:
        handle = field.open("rb")
    except (FileNotFoundError, ValueError):
        return missing_file_response(request)
    return FileResponse(handle, **options)


def stored_file_response(request, stored):
    """A stored upload (core.models.StoredFile) for a user already allowed to
    see it: downloaded, or with `?inline=1` a photo shown in the page (its
    thumbnail); any other kind is always a download."""
    inline = request.GET.get("inline") == "1" and stored.is_image
    return file_response(
        request,
        stored.file,
        as_attachment=not inline,
        filename=stored.original_name,
        content_type=stored.content_type,
    )


def client_address(request):
    """The address the request came from (the lockout, the sign-in log and the audit trail).

    The connection's own address, unless TRUSTED_PROXY_HEADER names a header
    our own proxies set (e.g. HTTP_X_FORWARDED_FOR): then the address
    TRUSTED_PROXY_COUNT entries from its right, the one the outermost of our
    proxies saw. Entries further left are the client's to write and are never
    read; a header that is missing or unreadable falls back to the connection.
    """
    remote = request.META.get("REMOTE_ADDR") or None
    header = settings.TRUSTED_PROXY_HEADER
    if not header:
        return remote
    hops = [hop.strip() for hop in request.META.get(header, "").split(",") if hop.strip()]
    count = max(settings.TRUSTED_PROXY_COUNT, 1)
    if len(hops) < count:
        return remote
    try:
        return str(ipaddress.ip_address(hops[-count]))
    except ValueError:
        return remote
