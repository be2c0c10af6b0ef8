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


# Acknowledged once built, and given back to the broker if the worker process
# dies mid-build, so another worker builds it (the claim stops a second build).
@shared_task(acks_late=True, reject_on_worker_lost=True)
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
    """The minute's sweep of workbook builds (reports.exports.sweep_exports)."""
    return exports.sweep_exports(at=timezone.now())
