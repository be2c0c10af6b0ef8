"""审计: the append-only trail of who did what, from where, to which object.

Every app may call these two; they are the app's whole public face:

- ``record(...)`` writes one ``AuditEvent`` (one INSERT) in the caller's
  transaction, so an audited change and its record stand or fall together.
- ``request_address(request)`` is the one place the client's address is read.
"""


def request_address(request):
    """The client's address as the audit trail keeps it: the connection's,
    or the one the deployment's trusted proxy header gives
    (core.http.client_address, as the lockout and the sign-in log read it)."""
    if request is None:
        return None
    from core.http import client_address

    return client_address(request)


def record(**kwargs):
    """See ``audit.services.record``; imported late because this package is
    imported before the app registry is ready."""
    from .services import record as _record

    return _record(**kwargs)


def form_saved(form, *, request, created=False, exclude=()):
    """See ``audit.services.form_saved``."""
    from .services import form_saved as _form_saved

    return _form_saved(form, request=request, created=created, exclude=exclude)


def deleted_rows(formset):
    from .services import deleted_rows as _deleted_rows

    return _deleted_rows(formset)


def formset_saved(formset, *, request, deleted=()):
    """See ``audit.services.formset_saved``."""
    from .services import formset_saved as _formset_saved

    return _formset_saved(formset, request=request, deleted=deleted)


def downloaded(request, obj=None, *, filename, object_type="", object_id="", campaign=None):
    """Record that the request's user downloaded `filename` (of `obj`)."""
    from .models import AuditEvent

    inline = request.GET.get("inline") == "1"
    return record(
        action=AuditEvent.Action.DOWNLOADED,
        obj=obj,
        object_type=object_type,
        object_id=object_id,
        campaign=campaign,
        request=request,
        description=f"{'在页面中查看' if inline else '下载'}“{filename}”",
    )
