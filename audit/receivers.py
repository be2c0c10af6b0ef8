"""Every move of a state machine (core.transitions: reports, review, extension
requests, rectification items, task 办结, evaluations, objections, bulletins)
is on the trail too, so the auditor searches one place. The apps' own event
rows (ReviewEvent, RectificationEvent, …) stay the domain's history; this is
the auditor's copy, written in the move's transaction."""

from .models import AuditEvent
from .services import campaign_of, record, record_many


def _status_text(model, value):
    try:
        return dict(model._meta.get_field("status").flatchoices).get(value, value)
    except Exception:  # a model whose state field is not `status` keeps the raw value
        return value


def _entry(sender, change, by, at):
    obj = change.obj
    old, new = _status_text(sender, change.old), _status_text(sender, change.new)
    return dict(
        action=AuditEvent.Action.PUBLISHED if change.action == "publish" else AuditEvent.Action.MOVED,
        obj=obj,
        actor=by,
        at=at,
        campaign=campaign_of(obj),
        # Not str(obj): a row's name may need queries, and a move must stay cheap.
        description=(
            f"{sender._meta.verbose_name}（编号 {obj.pk}）由“{old}”变为“{new}”"
            if old != new
            else f"{sender._meta.verbose_name}（编号 {obj.pk}）：{change.action}"
        ),
        changes={"状态": [str(old), str(new)]} if old != new else {},
    )


def transition_recorded(sender, change, by, at, **kwargs):
    record(**_entry(sender, change, by, at))


def transitions_recorded(sender, changes, by, at, **kwargs):
    """Many moves at once (core.signals.transitioned_many): their rows in one INSERT."""
    record_many([_entry(sender, change, by, at) for change in changes])
