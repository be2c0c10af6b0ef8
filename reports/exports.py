"""Workbook exports: requested by the office or queued on the 1st of the
month, built once by a worker, offered for download only when complete.

`build_export(export_id=...)` claims the row with a conditional UPDATE
(queued → running), as the reminder sweep does, so a job delivered twice
builds once. The job is queued through the outbox (`core.outbox`) in the
request's transaction, so a broker that is down delays the build instead of
losing it. The workbook is written to a scratch file (removed in a
`finally`) and only then saved to storage and marked done: a half-written
file is never offered.

A worker that dies mid-build (killed, restarted) stops the row's heartbeat;
the sweep (`sweep_exports`, every minute) marks such a build failed, queues
again a job whose message reached a broker that lost it, and removes scratch
files a killed worker left behind. The office may always ask again
(重新生成) for a failed or stalled workbook.
"""

import datetime
import logging
import os
import tempfile
from pathlib import Path

from django.conf import settings
from django.core.files import File
from django.db.models import Case, Q, When
from django.db.models.functions import Coalesce
from django.utils import timezone

from campaigns.models import Campaign
from core import outbox

from . import signals, workbook
from .models import WorkbookExport

logger = logging.getLogger(__name__)
Status = WorkbookExport.Status

BUILD_TASK = "reports.jobs.build_workbook"
# The build writes its heartbeat at least this often (with its progress)...
HEARTBEAT = datetime.timedelta(seconds=30)
# ...so a build silent for this long has lost its worker (a restart, a
# crash, the OOM killer) and is marked failed so that the office can retry.
STALE_HEARTBEAT = datetime.timedelta(minutes=3)
# A job published this long ago and still not started was lost by the broker
# (a Redis restarted without persistence): it is queued again.
STALE_QUEUE = datetime.timedelta(minutes=10)
# Scratch files older than this belong to no running build.
ORPHAN_AGE = datetime.timedelta(hours=1)
SCRATCH_PREFIX = "workbook-"
STALE_MESSAGE = "生成汇总表超时，处理进程可能已中断，未能生成文件。请点击“重新生成”。"

FAILED_MESSAGE = "生成汇总表时出错，未能生成文件。请点击“重新生成”再试一次；如仍失败，请联系系统管理员（错误已记入系统日志）。"


def previous_month(today):
    last = today.replace(day=1) - datetime.timedelta(days=1)
    return last.replace(day=1), last


def _dedupe(export_id):
    return f"reports.workbook:{export_id}"


def _enqueue(export_id):
    # Queued at the wall clock's now, not the business `at`: the relay runs on real time.
    outbox.enqueue(BUILD_TASK, kwargs={"export_id": export_id}, dedupe=_dedupe(export_id))


def request_export(*, campaign, by, date_from, date_to, at):
    export = WorkbookExport.objects.create(
        campaign=campaign, requested_by=by, date_from=date_from, date_to=date_to, created_at=at
    )
    _enqueue(export.pk)
    return export


def stalled(*, at):
    """A build whose worker stopped beating, or a job queued long ago that no
    worker started."""
    return Q(status=Status.RUNNING, beat_at__lt=at - STALE_HEARTBEAT) | Q(
        status=Status.QUEUED, created_at__lt=at - STALE_QUEUE
    )


def with_beat(queryset):
    return queryset.annotate(beat_at=Coalesce("heartbeat_at", "started_at"))


def retryable(*, at):
    """The exports the office may ask again (重新生成): failed or stalled."""
    return Q(status=Status.FAILED) | stalled(at=at)


def with_may_retry(queryset, *, at):
    """Each export with `may_retry`, for the list's 重新生成 button (no extra query)."""
    return with_beat(queryset).annotate(may_retry=Case(When(retryable(at=at), then=True), default=False))


def retry_export(*, export, at):
    """A failed or stalled workbook is queued again; False if it had moved on
    meanwhile (built, or started by a worker that is alive)."""
    # One UPDATE: the stalled test reads an annotation, hence the subquery.
    found = with_beat(WorkbookExport.objects.filter(pk=export.pk)).filter(retryable(at=at)).values("pk")
    retried = WorkbookExport.objects.filter(pk__in=found).update(
        status=Status.QUEUED,
        percent=0,
        error="",
        created_at=at,
        started_at=None,
        finished_at=None,
        heartbeat_at=None,
    )
    if retried:
        _enqueue(export.pk)
    return bool(retried)


def release_stale_exports(*, at):
    """Mark builds whose worker stopped beating as failed; returns how many."""
    stale = with_beat(WorkbookExport.objects.filter(status=Status.RUNNING)).filter(
        beat_at__lt=at - STALE_HEARTBEAT
    )
    return WorkbookExport.objects.filter(pk__in=stale.values("pk"), status=Status.RUNNING).update(
        status=Status.FAILED, error=STALE_MESSAGE, finished_at=at
    )


def requeue_lost_exports(*, at):
    """Queue again the jobs queued long ago whose message was published long
    ago (or never written) and that no worker started; returns how many. A
    message still waiting in the outbox (the broker down) is left to the
    relay."""
    waiting = list(
        WorkbookExport.objects.filter(status=Status.QUEUED, created_at__lt=at - STALE_QUEUE).values_list(
            "pk", flat=True
        )
    )
    if not waiting:
        return 0
    fresh = outbox.keys_sent_since([_dedupe(pk) for pk in waiting], since=at - STALE_QUEUE)
    lost = [pk for pk in waiting if _dedupe(pk) not in fresh]
    for pk in lost:
        logger.warning("Workbook export %s was queued but never started: queued again", pk)
        _enqueue(pk)
    return len(lost)


def scratch_dir():
    folder = Path(settings.WORKBOOK_SCRATCH_DIR)
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def remove_orphan_scratch(*, at):
    """Delete the scratch files of builds whose worker was killed before its
    `finally` ran; returns how many."""
    before = (at - ORPHAN_AGE).timestamp()
    removed = 0
    for path in scratch_dir().glob(f"{SCRATCH_PREFIX}*"):
        try:
            if path.stat().st_mtime < before:
                path.unlink()
                removed += 1
        except FileNotFoundError:
            continue
    return removed


def sweep_exports(*, at):
    """The minute's sweep: stalled builds failed, lost jobs queued again,
    orphan scratch files removed."""
    return {
        "failed": release_stale_exports(at=at),
        "requeued": requeue_lost_exports(at=at),
        "orphans": remove_orphan_scratch(at=at),
    }


def queue_monthly_exports(*, at):
    """Last month's workbook for every active campaign, once per month
    however often the beat fires. Returns the exports queued now."""
    date_from, date_to = previous_month(timezone.localdate(at))
    campaigns = Campaign.objects.filter(status=Campaign.Status.ACTIVE)
    queued = []
    for campaign in campaigns.order_by("pk"):
        export, created = WorkbookExport.objects.get_or_create(
            campaign=campaign,
            requested_by=None,
            date_from=date_from,
            date_to=date_to,
            defaults={"created_at": at},
        )
        if created:
            _enqueue(export.pk)
            queued.append(export)
    return queued


def build_export(*, export_id, at=None):
    """Build a queued workbook. Returns the export, or None if another worker
    claimed it (or it is not queued)."""
    at = at or timezone.now()
    claimed = WorkbookExport.objects.filter(pk=export_id, status=Status.QUEUED).update(
        status=Status.RUNNING, started_at=at, heartbeat_at=at, percent=0
    )
    if not claimed:
        logger.info("Workbook export %s was not queued: nothing to do", export_id)
        return None
    export = WorkbookExport.objects.select_related("campaign").get(pk=export_id)
    written = {"percent": 0, "beat": timezone.now()}

    def progress(percent):
        # A row update per five percent (the page polls, it need not see
        # every step), and at least one per HEARTBEAT so the sweep knows the
        # worker is alive through a long sheet.
        now = timezone.now()
        if percent >= written["percent"] + 5 or percent == 100 or now - written["beat"] >= HEARTBEAT:
            written["percent"], written["beat"] = max(percent, written["percent"]), now
            WorkbookExport.objects.filter(pk=export_id).update(percent=min(percent, 99), heartbeat_at=now)

    # A named scratch file in a folder of its own, removed in `finally`; a
    # worker killed before that leaves it to the sweep (remove_orphan_scratch).
    handle, scratch_path = tempfile.mkstemp(prefix=SCRATCH_PREFIX, suffix=".xlsx", dir=scratch_dir())
    try:
        with os.fdopen(handle, "w+b") as scratch:
            workbook.build(
                campaign=export.campaign,
                date_from=export.date_from,
                date_to=export.date_to,
                at=at,
                out=scratch,
                progress=progress,
            )
            scratch.flush()
            scratch.seek(0)
            export.file.save("workbook.xlsx", File(scratch), save=False)
    except Exception:
        logger.exception("Workbook export %s failed", export_id)
        WorkbookExport.objects.filter(pk=export_id).update(
            status=Status.FAILED, error=FAILED_MESSAGE, finished_at=timezone.now()
        )
        export.refresh_from_db()
        return export
    finally:
        Path(scratch_path).unlink(missing_ok=True)
    WorkbookExport.objects.filter(pk=export_id).update(
        status=Status.DONE, percent=100, file=export.file.name, finished_at=timezone.now()
    )
    export.refresh_from_db()
    if export.requested_by_id is None:
        signals.workbook_ready.send(sender=WorkbookExport, export=export, at=timezone.now())
    return export
