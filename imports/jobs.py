import logging

from celery import shared_task
from django.utils import timezone

from . import uploads

logger = logging.getLogger(__name__)


@shared_task
def read_plan(job_id):
    job = uploads.read_job(job_id=job_id)
    return job.status if job else None


@shared_task
def sweep_plan_jobs():
    failed, queued = uploads.sweep_jobs(at=timezone.now())
    if failed or queued:
        logger.info("Plan import jobs: %s stale failed, %s queued again", failed, queued)
    return queued
