from celery import shared_task
from django.utils import timezone

from . import services


@shared_task(ignore_result=True)
def prune_sign_in_log():
    return services.prune_sign_in_log(at=timezone.now())
