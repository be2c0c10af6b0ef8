"""One way to move a row of a state machine from one state to another.

A model with a life (a report, a rectification item, an extension request, an
evaluation) declares which moves it allows, and how a move is put on record:

    class Item(models.Model):
        TRANSITIONS = {
            "submit": ({Status.OPEN, Status.REJECTED}, Status.SUBMITTED),
            "verify": ({Status.SUBMITTED}, Status.CLOSED),
        }

        def record_transition(self, change, *, by, at, comment):
            return ItemEvent.objects.create(item=self, action=change.action, ...)

The target of a move is a state; or a set of states, of which the caller names
one with `to=` (a report goes to the unit head or straight to the office); or
`SAME`, for a recorded step that leaves the state as it is (reopening).

`transition()` locks the row, checks the move against the table, saves the row
in its new state and has the model record it, all in one transaction, so of two
people pressing a button at once one moves the row and the other is refused.
The rules a move has besides its table (a deadline, an edit conflict, a
required reason) stay with the app and run on the locked row through `check`
and `prepare`. Each move is announced (`core.signals.transitioned`) inside its
transaction; rows changed together are announced at once with `announce_many`. This module imports no app: it is the bottom layer.
"""

from dataclasses import dataclass

from django.db import models, transaction

from .signals import transitioned, transitioned_many

SAME = object()
"""The target of a move that keeps the row in its state."""

STATE_FIELD = "status"


@dataclass(frozen=True)
class Change:
    """What a move changed: the locked row, now saved in its new state, and
    the event the model recorded (None where the record lives on the row)."""

    obj: models.Model
    action: str
    old: str
    new: str
    event: models.Model | None = None


def locked(target):
    """The row of `target`, locked until the transaction ends. `target` is a
    model instance, or a queryset narrowed to one row (to join what the caller
    reads next, as `select_related` does). Call inside `transaction.atomic`.

    Only the target's own row is locked (FOR UPDATE OF): the rows joined for
    reading, a report's period, rule and unit, are shared by every report of
    the period, and locking them made every submission of a period wait for
    the one before it."""
    rows = target if isinstance(target, models.QuerySet) else type(target)._default_manager.filter(pk=target.pk)
    return rows.select_for_update(of=("self",)).get()


def allowed(obj, action, *, to=None):
    """The state `action` moves `obj` to, or None when its table forbids the move from the present state."""
    sources, targets = _entry(type(obj), action)
    old = getattr(obj, STATE_FIELD)
    if old not in sources:
        return None
    if targets is SAME:
        return old
    if isinstance(targets, (set, frozenset)):
        if to not in targets:
            raise ValueError(f"{type(obj).__name__}.{action} goes to one of {sorted(targets)}; pass to=, not {to!r}.")
        return to
    if to is not None and to != targets:
        raise ValueError(f"{type(obj).__name__}.{action} goes to {targets!r}, not {to!r}.")
    return targets


def transition(target, action, *, by, at, refusal, to=None, comment="", check=None, prepare=None, held=False):
    """Move the row of `target` (see `locked`) by `action` and return the Change.

    `held`: `target` is the row itself, already locked in the caller's
    transaction, which undoes everything when the move is refused (no
    savepoint, no second lock: a step of a larger write, such as a report
    saved and sent in one request).

    Refused, changing nothing, with `refusal` (the app's Refused, or a function
    of the locked row returning one) when the table does not allow `action`
    from the row's present state. `check(row)` runs on the locked row before
    the table, for rules that take precedence over it (an edit conflict);
    `prepare(row)` runs after it, for the move's further rules (raise to
    refuse) and the fields that change with it. The model's
    `record_transition(change, by=, at=, comment=)` then records the move
    before the row is saved.
    """
    with transaction.atomic(savepoint=not held):
        obj = target if held else locked(target)
        if check is not None:
            check(obj)
        old = getattr(obj, STATE_FIELD)
        new = allowed(obj, action, to=to)
        if new is None:
            raise refusal(obj) if callable(refusal) else refusal
        if prepare is not None:
            prepare(obj)
        setattr(obj, STATE_FIELD, new)
        change = Change(obj=obj, action=action, old=old, new=new)
        event = obj.record_transition(change, by=by, at=at, comment=comment)
        obj.save()
        done = Change(obj=obj, action=action, old=old, new=new, event=event)
        announce(done, by=by, at=at)
        return done


def announce(change, *, by, at):
    """Tell the apps above that `change` happened (core.signals.transitioned).
    `transition()` announces every move; a step that is not a move but starts
    a row's life (an item recorded) announces itself the same way."""
    transitioned.send(sender=type(change.obj), change=change, by=by, at=at)


def announce_many(changes, *, by, at):
    """Tell the apps above that `changes` (of rows of one model) happened, in
    one signal (core.signals.transitioned_many) that they handle in bulk: for
    a step that starts many rows' lives at once (an inspection's items)."""
    changes = list(changes)
    if not changes:
        return
    models_ = {type(change.obj) for change in changes}
    if len(models_) != 1:
        raise ValueError("announce_many() takes the changes of one model; announce each model's apart.")
    transitioned_many.send(sender=models_.pop(), changes=changes, by=by, at=at)


def _entry(model, action):
    try:
        return model.TRANSITIONS[action]
    except (AttributeError, KeyError):
        raise ValueError(f"{model.__name__} declares no move {action!r} in its TRANSITIONS.") from None
