"""Backup and restore: the demo with uploads goes out and comes back whole."""

import datetime
import importlib
import io
import json
import zoneinfo

import pytest
import time_machine
from django.apps import apps
from django.apps import apps as django_apps
from django.contrib.auth.models import Group
from django.core.management import CommandError, call_command
from django.db import connection

from accounts.models import User
from calendars.models import CalendarDay
from campaigns.models import Campaign
from core.backup import file_sha256, media_files
from reports.models import Attachment, Report
from reports.tests.factories import AttachmentFactory

SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")
NOW = datetime.datetime(2026, 11, 22, 10, 0, tzinfo=SHANGHAI)


def run(*args):
    out = io.StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def every_count():
    return {model._meta.label: model._default_manager.count() for model in apps.get_models()}


def sample_rows():
    """A few rows as a user reads them, by natural values rather than ids."""
    reports = Report.objects.filter(status=Report.Status.ACCEPTED).order_by("pk")[:5]
    return {
        "users": sorted(User.objects.values_list("username", "full_name", "is_active")),
        "campaigns": sorted(Campaign.objects.values_list("title", "document_number", "status")),
        "reports": [(r.pk, r.unit.name, r.period.starts_on, r.work_done, r.submitted_at) for r in reports],
        "attachments": sorted(Attachment.objects.values_list("original_name", "sha256", "file")),
        "history": Report.history.count(),
    }


@pytest.fixture(scope="module")
def seeded(shared_db):
    """The demo, seeded once for the module (a year of reports through the
    workflow), with three uploads: where they are stored. The demo brings
    four of its own: the civilised-city demo's three photos of 不达标 and one
    rectification's evidence."""
    with shared_db() as media_root:
        with time_machine.travel(NOW, tick=False):
            run("seed_demo")
        reports = list(Report.objects.filter(status=Report.Status.ACCEPTED).order_by("pk")[:3])
        for n, report in enumerate(reports):
            AttachmentFactory(report=report, original_name=f"签到表{n}.txt",
                              file__data=f"第{n}份签到表".encode(), file__filename=f"sign-in-{n}.txt")
        return media_root


@pytest.fixture
def demo_with_uploads(seeded, db, settings):
    settings.MEDIA_ROOT = seeded
    return seeded


def flush():
    """Empty the database inside the test's transaction, then put back what
    `migrate` seeds (the 三员分立 groups), as a freshly migrated database
    holds. PostgreSQL will not TRUNCATE a table with deferred foreign-key
    checks pending: run them first."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    call_command("flush", interactive=False, verbosity=0)
    importlib.import_module("audit.migrations.0003_security_admin_and_auditor_groups").create_groups(django_apps, None)
    assert Group.objects.count() == 2


def test_the_demo_with_its_uploads_round_trips_through_backup_and_restore(demo_with_uploads, tmp_path):
    media_root = demo_with_uploads
    before = every_count()
    rows = sample_rows()
    files = {name: file_sha256(path) for name, path in media_files(media_root)}
    # 3 + 4 as before, and the civilised-city demo's 3 material files.
    assert len(files) == 3 + 4 + 3 and before["reports.Report"] > 100 and before["reports.HistoricalReport"] > 0

    printed = run("backup", "--out", str(tmp_path / "backup"))
    assert "上传文件 10 个" in printed
    manifest = json.loads((tmp_path / "backup" / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["counts"]["reports.Report"] == before["reports.Report"]
    assert manifest["counts"]["accounts.User"] == before["accounts.User"]
    assert {entry["path"]: entry["sha256"] for entry in manifest["files"]} == files
    assert manifest["database"] and manifest["created_at"]
    assert "contenttypes.ContentType" not in manifest["counts"] and "sessions.Session" not in manifest["counts"]

    flush()
    for _name, path in media_files(media_root):
        path.unlink()
    assert Report.objects.count() == 0 and User.objects.count() == 0

    printed = run("restore", str(tmp_path / "backup"))
    assert "恢复完成" in printed and "校验值全部一致" in printed
    after = every_count()
    assert {label: after[label] for label in manifest["counts"]} == manifest["counts"]
    assert {label: after[label] for label in before if label in manifest["counts"]} == {
        label: before[label] for label in before if label in manifest["counts"]
    }
    assert sample_rows() == rows
    assert {name: file_sha256(path) for name, path in media_files(media_root)} == files
    attachment = Attachment.objects.order_by("pk").first()
    assert attachment.file.read() == "第0份签到表".encode()


@pytest.fixture
def one_upload(db, settings):
    AttachmentFactory()
    return settings.MEDIA_ROOT


def test_restore_refuses_a_database_that_holds_business_rows(one_upload, tmp_path):
    run("backup", "--out", str(tmp_path / "backup"))
    reports = Report.objects.count()
    with pytest.raises(CommandError, match="数据库中已有业务数据"):
        run("restore", str(tmp_path / "backup"))
    assert Report.objects.count() == reports


def test_restore_refuses_a_damaged_backup_before_touching_anything(one_upload, tmp_path):
    run("backup", "--out", str(tmp_path / "backup"))
    (tmp_path / "backup" / "files" / media_files(one_upload)[0][0]).write_bytes(b"tampered")
    flush()
    with pytest.raises(CommandError, match="校验值与清单不符"):
        run("restore", str(tmp_path / "backup"))
    assert User.objects.count() == 0 and CalendarDay.objects.count() == 0


def test_backup_refuses_a_directory_that_holds_files(db, tmp_path):
    (tmp_path / "old.txt").write_text("x")
    with pytest.raises(CommandError, match="不是空目录"):
        run("backup", "--out", str(tmp_path))
