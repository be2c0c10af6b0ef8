import logging

from celery import shared_task
from django.utils import timezone

from . import deliveries, events, reminders

logger = logging.getLogger(__name__)


@shared_task
def sweep_reminders():
    claimed = reminders.sweep()
    if claimed:
        send_deliveries.delay()
    return len(claimed)


@shared_task
def send_deliveries(ids=None):
    return deliveries.send_due(ids=ids)


@shared_task
def send_email_digests():
    queued = events.send_digests(at=timezone.now())
    if queued:
        send_deliveries.delay([delivery.pk for delivery in queued])
    return len(queued)
