"""Sheets previewed in the admin import but never confirmed do not stay."""

import datetime
import os

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone

from campaigns.jobs import IMPORT_SHEETS, purge_stale_import_sheets


@pytest.fixture
def sheets(settings):
    old = default_storage.save(f"{IMPORT_SHEETS}/old.xlsx", ContentFile(b"names and phones"))
    fresh = default_storage.save(f"{IMPORT_SHEETS}/fresh.xlsx", ContentFile(b"being previewed"))
    two_days_ago = (timezone.now() - datetime.timedelta(days=2)).timestamp()
    os.utime(default_storage.path(old), (two_days_ago, two_days_ago))
    return old, fresh


def test_a_sheet_never_confirmed_is_deleted_after_a_day(sheets):
    old, fresh = sheets
    assert purge_stale_import_sheets() == 1
    assert not default_storage.exists(old)
    assert default_storage.exists(fresh), "a clerk may still confirm this one"


def test_nothing_to_purge_is_not_an_error(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "empty"
    assert purge_stale_import_sheets() == 0
