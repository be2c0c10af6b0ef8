import logging

from celery import shared_task

from . import deliveries, reminders

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
