"""Writing the trail: ``record`` (one INSERT), ``record_many`` (one INSERT for
many) and ``purge`` (the retention)."""

from contextvars import ContextVar
from datetime import timedelta
from decimal import Decimal

from django.conf import settings
from django.db import models, transaction
from django.utils import timezone

from .models import MIN_RETENTION_DAYS, AuditEvent

# The request being served (audit.middleware), so that a record written deep in
# a service or a signal receiver still knows who and from where.
current_request = ContextVar("audit_current_request", default=None)

# A value the trail must never hold, even hashed.
# A robot's webhook address carries its access key, so it is masked too.
SECRET_FIELDS = {"password", "password1", "password2", "secret", "token", "api_key", "url"}
MASKED = "（已修改，内容不记录）"


def _request_address(request):
    from . import request_address

    return request_address(request)


def campaign_of(obj, depth=3):
    """The campaign id of `obj` from what is already loaded (no query): its own
    `campaign_id`, or that of a related row already selected with it."""
    campaign_id = getattr(obj, "campaign_id", None)
    if campaign_id is not None or depth == 0:
        return campaign_id
    for related in getattr(obj._state, "fields_cache", {}).values():
        if isinstance(related, models.Model):
            found = campaign_of(related, depth - 1)
            if found is not None:
                return found
    return None


def record(*, action, description, obj=None, object_type="", object_id="", actor=None, request=None, campaign=None, changes=None, at=None):
    """One AuditEvent for `action` on `obj` (or `object_type`/`object_id` when
    there is no row, e.g. an export), by `actor` or the request's user."""
    event = unsaved(
        action=action, description=description, obj=obj, object_type=object_type, object_id=object_id,
        actor=actor, request=request, campaign=campaign, changes=changes, at=at,
    )
    event.save(force_insert=True)
    return event


def record_many(entries):
    """The AuditEvents of `entries` (dicts of `record`'s arguments), in one INSERT."""
    return AuditEvent.objects.bulk_create([unsaved(**entry) for entry in entries])


def unsaved(*, action, description, obj=None, object_type="", object_id="", actor=None, request=None, campaign=None, changes=None, at=None):
    """The AuditEvent `record` writes, not yet saved."""
    request = request or current_request.get()
    if actor is None and request is not None and getattr(request, "user", None) is not None and request.user.is_authenticated:
        actor = request.user
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id or str(obj.pk or "")
        if campaign is None:
            campaign = campaign_of(obj)
    if isinstance(campaign, models.Model):
        campaign = campaign.pk
    return AuditEvent(
        at=at or timezone.now(),
        actor=actor if actor is not None and actor.is_authenticated else None,
        address=_request_address(request),
        action=action,
        object_type=object_type,
        object_id=str(object_id),
        description=str(description)[:300],
        campaign_id=campaign,
        changes=changes or {},
    )


def _shown(value):
    """A value as the trail keeps it: text, a list of texts, or None."""
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if isinstance(value, Decimal):
        # 40.0 and 40 are the same weight: the trail says "40" for both.
        return format(value.normalize(), "f")
    if isinstance(value, models.Model):
        return str(value)
    if isinstance(value, (list, tuple, set, models.QuerySet)):
        return sorted(str(item) for item in value)
    return str(value)


def _initial(form, name):
    field = form.fields[name]
    value = form.get_initial_for_field(field, name)
    # A foreign key's initial is its id; show the row's name, as the new value is shown.
    if hasattr(field, "queryset") and value not in (None, "") and not isinstance(value, (list, tuple, models.QuerySet)):
        try:
            return field.queryset.model._default_manager.filter(pk=value).first()
        except (ValueError, TypeError):
            return value
    if hasattr(field, "queryset") and isinstance(value, (list, tuple)) and value and not isinstance(value[0], models.Model):
        return list(field.queryset.model._default_manager.filter(pk__in=value))
    return value


def changes_of(form, *, exclude=()):
    """{field label: [old, new]} of what a bound, valid form changed."""
    changes = {}
    for name in form.changed_data:
        if name in exclude or name not in form.fields:
            continue
        label = str(form.fields[name].label or name)
        if name in SECRET_FIELDS:
            changes[label] = [None, MASKED]
            continue
        old, new = _shown(_initial(form, name)), _shown(form.cleaned_data.get(name))
        if old != new:
            changes[label] = [old, new]
    return changes


def label_of(obj):
    return f"{obj._meta.verbose_name}“{obj}”"


def form_saved(form, *, request, created=False, exclude=()):
    """One event for a ModelForm just saved: 新建, or 修改 with what changed
    (nothing when nothing changed)."""
    obj = form.instance
    changes = changes_of(form, exclude=exclude)
    if created:
        return record(action=AuditEvent.Action.CREATED, obj=obj, request=request, description=f"新建{label_of(obj)}", changes=changes)
    if changes:
        return record(action=AuditEvent.Action.CHANGED, obj=obj, request=request, description=f"修改{label_of(obj)}", changes=changes)
    return None


def deleted_rows(formset):
    """[(row, pk)] of a valid formset's rows marked for deletion, read before
    they are deleted (a deleted row has no pk afterwards)."""
    return [(f.instance, f.instance.pk) for f in formset.deleted_forms if f.instance.pk]


def formset_saved(formset, *, request, deleted=()):
    """One event per row a model formset created, changed or deleted."""
    for row in formset.new_objects:
        form = next((f for f in formset.forms if f.instance is row), None)
        record(action=AuditEvent.Action.CREATED, obj=row, request=request, description=f"新建{label_of(row)}", changes=changes_of(form) if form else {})
    for row, _fields in formset.changed_objects:
        form = next((f for f in formset.forms if f.instance is row), None)
        record(action=AuditEvent.Action.CHANGED, obj=row, request=request, description=f"修改{label_of(row)}", changes=changes_of(form) if form else {})
    for row, pk in deleted:
        record(action=AuditEvent.Action.DELETED, obj=row, object_id=str(pk), request=request, description=f"删除{label_of(row)}")


def diff(before, after, labels=None):
    """{label: [old, new]} of the keys whose values differ between two dicts."""
    labels = labels or {}
    return {
        str(labels.get(key, key)): [_shown(before.get(key)), _shown(after.get(key))]
        for key in after
        if _shown(before.get(key)) != _shown(after.get(key))
    }


def retention_days():
    return max(getattr(settings, "AUDIT_RETENTION_DAYS", MIN_RETENTION_DAYS), MIN_RETENTION_DAYS)


def purge(*, at, by=None):
    """Delete the records older than the retention, and record that it was done."""
    days = retention_days()
    cutoff = at - timedelta(days=days)
    with transaction.atomic():
        deleted, _ = AuditEvent.objects.purge_older_than(cutoff)
        record(
            action=AuditEvent.Action.PURGED,
            object_type=AuditEvent._meta.label_lower,
            description=f"清理 {deleted} 条早于 {timezone.localtime(cutoff):%Y-%m-%d %H:%M} 的审计记录（保留 {days} 天）",
            actor=by,
            changes={"保留天数": [None, days], "删除条数": [None, deleted]},
            at=at,
        )
    return deleted
