import logging

from celery import shared_task
from django.utils import timezone

from core import outbox

from . import deliveries, events, reminders

logger = logging.getLogger(__name__)


@shared_task
def sweep_reminders():
    claimed = reminders.sweep()
    if claimed:
        # Through the outbox, so a broker hiccup now does not lose the sending
        # (the per-minute send_deliveries would catch up anyway, later).
        outbox.enqueue("notifications.jobs.send_deliveries")
    return len(claimed)


@shared_task
def send_deliveries(ids=None):
    return deliveries.send_due(ids=ids)


@shared_task
def send_email_digests():
    queued = events.send_digests(at=timezone.now())
    if queued:
        outbox.enqueue("notifications.jobs.send_deliveries", kwargs={"ids": [delivery.pk for delivery in queued]})
    return len(queued)
