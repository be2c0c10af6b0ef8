import logging

from celery import shared_task

from . import services

logger = logging.getLogger(__name__)


@shared_task
def open_due_periods():
    periods, reports = services.open_due_periods()
    logger.info("Opened %s periods with %s reports", periods, reports)
    return periods, reports
