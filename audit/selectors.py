"""Reads for 审计查询 and the 修改记录 panel."""

from datetime import datetime, time, timedelta

from axes.models import AccessFailureLog, AccessLog
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


def sign_ins(*, start=None, end=None, username=""):
    """The sign-in log axes keeps: successful sign-ins (with sign-out) and
    failures, newest first, as two querysets."""
    logs, failures = AccessLog.objects.all(), AccessFailureLog.objects.all()
    if start:
        logs, failures = logs.filter(attempt_time__gte=_day_start(start)), failures.filter(attempt_time__gte=_day_start(start))
    if end:
        bound = _day_start(end + timedelta(days=1))
        logs, failures = logs.filter(attempt_time__lt=bound), failures.filter(attempt_time__lt=bound)
    if username:
        logs, failures = logs.filter(username__icontains=username), failures.filter(username__icontains=username)
    return logs.order_by("-attempt_time"), failures.order_by("-attempt_time")
