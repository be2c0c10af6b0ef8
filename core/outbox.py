"""The transactional outbox: Celery jobs written to the database in the
transaction of the change that calls for them, and published by a relay.

A `.delay()` after commit loses the job when the broker cannot be reached
(and, before this, answered the user 500 for a change that was saved); a
`.delay()` inside the transaction sends a job for a change that may still
roll back. `enqueue()` writes an `OutboxMessage` row instead; the relay
publishes pending rows and marks them dispatched:

- right after the commit, best-effort: a broker error is logged and the row
  waits, the user's action never fails;
- every 30 seconds from beat (`core.jobs.relay_outbox`), and from the
  management command `relay_outbox` when beat itself was down.

Delivery is at least once (a relay that dies after publishing and before its
commit publishes again): every job sent this way claims its work with a
conditional UPDATE or is harmless when repeated. Jobs are sent by name, so
core never imports the apps above it.
"""

import datetime
import functools
import logging

from celery import current_app, signature
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from .models import OutboxMessage

logger = logging.getLogger(__name__)

BATCH_SIZE = 100
# A message the broker refused waits this long, doubling up to the cap, so
# that a broker down for an hour is not hammered by every relay.
FIRST_BACKOFF = datetime.timedelta(seconds=30)
MAX_BACKOFF = datetime.timedelta(minutes=10)
# Dispatched rows are kept a week: enough to see what was sent when, after
# an incident, without the table growing for ever.
KEEP_DISPATCHED = datetime.timedelta(days=7)


def enqueue(task, *, kwargs=None, countdown=0, dedupe="", at=None):
    """Queue the Celery job `task` (its dotted name) with `kwargs` (JSON),
    to be published once the current transaction commits, not before
    `countdown` seconds. With `dedupe`, nothing is added while a message of
    the same key is still pending (one warm-up per burst of changes)."""
    at = at or timezone.now()
    message = OutboxMessage(
        task=task,
        kwargs=kwargs or {},
        dedupe=dedupe,
        created_at=at,
        available_at=at + datetime.timedelta(seconds=countdown),
    )
    # One INSERT either way: a pending duplicate is skipped by the database
    # (the partial unique constraint), not by a read-then-write race.
    OutboxMessage.objects.bulk_create([message], ignore_conflicts=bool(dedupe))
    if not countdown:
        relay_after_commit()


def relay_after_commit():
    """Publish what is pending once the current transaction commits. A
    transaction that queued several messages relays several times: the first
    sends them all, the others find nothing (one query each)."""
    transaction.on_commit(relay_quietly)


def relay_quietly():
    """The relay after a user's change: a broker error is logged, never raised."""
    try:
        relay(at=timezone.now())
    except Exception:  # noqa: BLE001 - the change is committed; beat relays the rest
        logger.warning("Could not relay the outbox after commit; the periodic relay will", exc_info=True)


def backoff(attempts):
    return min(FIRST_BACKOFF * 2 ** max(attempts - 1, 0), MAX_BACKOFF)


@functools.cache
def load_tasks():
    """Import every app's jobs (Celery's own autodiscovery, which a web
    process does not run), so that a task known here honours eager mode and
    its options; an unknown name is still sent by name."""
    current_app.loader.import_default_modules()


def relay(*, at=None, limit=None, retry_now=False):
    """Publish one batch of pending, due messages; returns how many were sent.

    Rows are locked (skipped by a concurrent relay on PostgreSQL) while they
    are published, and marked dispatched in the same transaction. The first
    broker error ends the batch: the failed row is kept with its error and a
    later `available_at`, the rest untouched, since the broker that refused
    one would refuse the next after the same timeout. With `retry_now`, rows
    waiting out a backoff are tried at once (the operator's command)."""
    at = at or timezone.now()
    limit = limit or BATCH_SIZE
    load_tasks()
    due = Q(available_at__lte=at)
    if retry_now:
        due |= Q(attempts__gt=0)
    with transaction.atomic():
        batch = list(
            OutboxMessage.objects.select_for_update(skip_locked=True)
            .filter(due, dispatched_at__isnull=True)
            .order_by("available_at", "pk")[:limit]
        )
        sent = []
        for message in batch:
            try:
                signature(message.task, kwargs=message.kwargs, app=current_app).apply_async()
            except Exception as error:  # noqa: BLE001 - any broker error: keep the row, try later
                logger.warning("Could not publish outbox message %s (%s)", message.pk, message.task, exc_info=True)
                OutboxMessage.objects.filter(pk=message.pk).update(
                    attempts=message.attempts + 1,
                    last_error=f"{type(error).__name__}: {error}"[:2000],
                    available_at=at + backoff(message.attempts + 1),
                )
                break
            sent.append(message.pk)
        if sent:
            OutboxMessage.objects.filter(pk__in=sent).update(dispatched_at=at)
    return len(sent)


def relay_all(*, at=None, retry_now=False):
    """Relay batch after batch until nothing due is left or the broker
    refuses; returns how many were sent."""
    total = 0
    while True:
        sent = relay(at=at, retry_now=retry_now)
        total += sent
        if sent < BATCH_SIZE:
            return total


def prune(*, at):
    """Delete messages dispatched over a week ago; returns how many."""
    deleted, _ = OutboxMessage.objects.filter(dispatched_at__lt=at - KEEP_DISPATCHED).delete()
    return deleted


def keys_sent_since(keys, *, since):
    """Those of the dedupe `keys` with a message still pending or published
    after `since`: the others were sent long ago, or never."""
    return set(
        OutboxMessage.objects.filter(dedupe__in=keys)
        .filter(Q(dispatched_at__isnull=True) | Q(dispatched_at__gte=since))
        .values_list("dedupe", flat=True)
    )


def pending(**filters):
    """The messages still waiting for the broker (for tests and the admin)."""
    return OutboxMessage.objects.filter(dispatched_at__isnull=True, **filters)
