from celery import shared_task
from django.utils import timezone

from . import outbox


@shared_task(ignore_result=True)
def relay_outbox():
    """Publish the jobs the outbox holds (those a broker outage kept back,
    and those queued with a countdown), and forget the week-old ones."""
    at = timezone.now()
    outbox.prune(at=at)
    return outbox.relay_all(at=at)
