"""Plan files read off the web workers: the upload page stores the file and
queues a job (`accept_upload`); a Celery worker reads it in a capped child
process (`read_job`, `imports/sandbox.py`) and keeps the text and proposal
the preview is built from.

`read_job` claims the row with a conditional UPDATE (queued → running), as the
workbook export does, so a job delivered twice is read once. A job left queued
(the broker was down when it was stored) or running (its worker died) is taken
up again by the sweep (`sweep_jobs`, a beat job).
"""

import datetime
import logging

from django.conf import settings
from django.utils import timezone

from core import outbox

from .models import PlanImportJob
from .reading import Limits
from .sandbox import ReadFailed, read_in_child

logger = logging.getLogger(__name__)
Status = PlanImportJob.Status

# A job still queued after this was probably never delivered (no broker).
QUEUED_GRACE = datetime.timedelta(minutes=2)
STALE_MESSAGE = "识别超时，处理进程可能已中断，没有创建任何数据。请重新上传方案文件。"


def _enqueue(job_id):
    """Queue the reading in the upload's transaction (core.outbox): the
    upload never fails because the broker is away, and the job goes out
    once it is back."""
    # One pending read per job, however often the sweep asks again.
    outbox.enqueue("imports.jobs.read_plan", kwargs={"job_id": job_id}, dedupe=f"imports.read:{job_id}")


def accept_upload(*, uploaded, year, by, at):
    """Store an upload (already sniffed by the form) and queue its reading."""
    job = PlanImportJob.objects.create(
        file=uploaded,
        original_name=uploaded.name[:255],
        size=uploaded.size,
        content_type=(uploaded.content_type or "application/octet-stream")[:100],
        sha256=PlanImportJob.digest(uploaded),
        uploaded_by=by,
        uploaded_at=at,
        year=year,
    )
    _enqueue(job.pk)
    return job


def read_job(*, job_id, at=None):
    """Read a queued job's file. Returns the job, or None if another worker
    claimed it (or it is not queued)."""
    at = at or timezone.now()
    claimed = PlanImportJob.objects.filter(pk=job_id, status=Status.QUEUED).update(
        status=Status.RUNNING, started_at=at, percent=10
    )
    if not claimed:
        logger.info("Plan import job %s was not queued: nothing to do", job_id)
        return None
    job = PlanImportJob.objects.get(pk=job_id)
    try:
        with job.file.open("rb") as stored:
            # At most PLAN_IMPORT_MAX_BYTES, checked when it was uploaded.
            data = stored.read()
        text, proposal = read_in_child(
            name=job.original_name,
            data=data,
            year=job.year,
            limits=Limits.from_settings(),
            memory_bytes=settings.PLAN_IMPORT_MEMORY_BYTES,
            timeout=settings.PLAN_IMPORT_TIMEOUT_SECONDS,
        )
    except ReadFailed as exc:
        if exc.detail not in ("refused",):
            logger.warning("Plan import job %s failed: %s", job_id, exc.detail)
        _fail(job_id, str(exc))
    except Exception:
        logger.exception("Plan import job %s failed", job_id)
        _fail(job_id, "识别方案时出错，没有创建任何数据。请重新上传；如仍失败，请联系系统管理员（错误已记入系统日志）。")
    else:
        PlanImportJob.objects.filter(pk=job_id).update(
            status=Status.DONE, percent=100, text=text, proposal=proposal, finished_at=timezone.now()
        )
    job.refresh_from_db()
    return job


def _fail(job_id, message):
    PlanImportJob.objects.filter(pk=job_id).update(
        status=Status.FAILED, error=message, finished_at=timezone.now()
    )


def sweep_jobs(*, at):
    """Fail the jobs whose worker died, and queue again the ones never
    delivered. Returns (failed, queued)."""
    lease = datetime.timedelta(seconds=settings.PLAN_IMPORT_TIMEOUT_SECONDS) + QUEUED_GRACE
    failed = PlanImportJob.objects.filter(status=Status.RUNNING, started_at__lt=at - lease).update(
        status=Status.FAILED, error=STALE_MESSAGE, finished_at=at
    )
    waiting = list(
        PlanImportJob.objects.filter(status=Status.QUEUED, uploaded_at__lt=at - QUEUED_GRACE).values_list("pk", flat=True)
    )
    for job_id in waiting:
        _enqueue(job_id)
    return failed, len(waiting)
