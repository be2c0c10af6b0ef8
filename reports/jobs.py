import logging

from celery import shared_task
from django.utils import timezone

from . import exports, services

logger = logging.getLogger(__name__)


@shared_task
def open_due_periods():
    periods, reports = services.open_due_periods()
    logger.info("Opened %s periods with %s reports", periods, reports)
    return periods, reports


@shared_task
def build_workbook(export_id):
    export = exports.build_export(export_id=export_id)
    return export.status if export else None


@shared_task
def queue_monthly_workbooks():
    queued = exports.queue_monthly_exports(at=timezone.now())
    logger.info("Queued %s monthly workbooks", len(queued))
    return len(queued)


@shared_task
def release_stale_workbooks():
    return exports.release_stale_exports(at=timezone.now())
