import datetime
import logging

from celery import shared_task
from django.core.files.storage import default_storage
from django.utils import timezone

logger = logging.getLogger(__name__)

# Where django-import-export keeps an uploaded sheet between its preview and
# the confirmation (import_export.tmp_storages.MediaStorage).
IMPORT_SHEETS = "django-import-export"
# A sheet previewed and never confirmed holds names and phone numbers: kept
# long enough for a clerk to come back to the preview, no longer.
IMPORT_SHEET_MAX_AGE = datetime.timedelta(hours=24)


@shared_task(ignore_result=True)
def purge_stale_import_sheets(*, now=None):
    """Delete the unit and people sheets previewed in the admin but never
    confirmed (a confirmed or refused sheet is deleted at once). Returns how
    many were deleted."""
    now = now or timezone.now()
    try:
        _, names = default_storage.listdir(IMPORT_SHEETS)
    except FileNotFoundError:
        return 0
    deleted = 0
    for name in names:
        path = f"{IMPORT_SHEETS}/{name}"
        try:
            if now - default_storage.get_modified_time(path) > IMPORT_SHEET_MAX_AGE:
                default_storage.delete(path)
                deleted += 1
        except FileNotFoundError:
            continue  # deleted meanwhile by its confirmation
    if deleted:
        logger.info("Deleted %s import sheets never confirmed", deleted)
    return deleted
