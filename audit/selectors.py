"""Reads for 审计查询 and the 修改记录 panel."""

from datetime import datetime, time, timedelta

from django.apps import apps
from django.db.models import Q
from django.utils import timezone

from .models import AuditEvent


def object_types():
    """[(label, name)] of the object types on the trail, for the filter."""
    labels = AuditEvent.objects.order_by().values_list("object_type", flat=True).distinct()
    choices = []
    for label in labels:
        try:
            name = str(apps.get_model(label)._meta.verbose_name)
        except (LookupError, ValueError):
            name = label
        choices.append((label, name))
    return sorted(choices, key=lambda choice: choice[1])


def _day_start(day):
    return timezone.make_aware(datetime.combine(day, time.min))


def search(*, start=None, end=None, actor="", action="", object_type="", campaign=None):
    events = AuditEvent.objects.select_related("actor")
    if start:
        events = events.filter(at__gte=_day_start(start))
    if end:
        events = events.filter(at__lt=_day_start(end + timedelta(days=1)))
    if actor:
        events = events.filter(Q(actor__username__icontains=actor) | Q(actor__full_name__icontains=actor))
    if action:
        events = events.filter(action=action)
    if object_type:
        events = events.filter(object_type=object_type)
    if campaign:
        events = events.filter(campaign_id=campaign)
    return events.order_by("-at", "-pk")


def history_of(obj, *, limit=50):
    """The latest events of one object, for the 修改记录 panel."""
    return list(AuditEvent.objects.of(obj).select_related("actor").order_by("-at", "-pk")[:limit])


def campaign_history(campaign_id, object_types, *, limit=50):
    """The latest events of a campaign's objects of `object_types` (a scheme
    and its components), for the 修改记录 panel of a page that edits several."""
    events = AuditEvent.objects.filter(campaign_id=campaign_id, object_type__in=object_types)
    return list(events.select_related("actor").order_by("-at", "-pk")[:limit])


# The sign-in log is kept by accounts (accounts.SignInEvent), a layer above:
# it registers its reader here in its AppConfig.ready().
_sign_in_source = []


def provide_sign_ins(reader):
    """`reader(start=, end=, username=)` -> rows newest first, each with
    at, kind_label, username, ip_address, user_agent."""
    _sign_in_source[:] = [reader]


def sign_ins(*, start=None, end=None, username=""):
    """The sign-in log (sign-ins, failures, sign-outs), newest first."""
    if not _sign_in_source:
        return []
    return _sign_in_source[0](
        start=_day_start(start) if start else None,
        end=_day_start(end + timedelta(days=1)) if end else None,
        username=username,
    )