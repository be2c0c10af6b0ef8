"""Workbook exports: requested by the office or queued on the 1st of the
month, built once by a worker, offered for download only when complete.

`build_export(export_id=...)` claims the row with a conditional UPDATE
(queued → running), as the reminder sweep does, so a job delivered twice
builds once. The workbook is written to a temporary file and only then saved
to storage and marked done: a half-written file is never offered.
"""

import datetime
import logging
import tempfile

from django.conf import settings
from django.core.files import File
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from campaigns.models import Campaign, Membership
from notifications.services import notify

from . import workbook
from .models import WorkbookExport

logger = logging.getLogger(__name__)
Status = WorkbookExport.Status

# A build that has run longer than this has lost its worker (a restart, a
# crash): it is marked failed so that the office can retry it.
RUNNING_LEASE = datetime.timedelta(minutes=30)
STALE_MESSAGE = "生成汇总表超时，处理进程可能已中断，未能生成文件。请点击“重新生成”。"

FAILED_MESSAGE = "生成汇总表时出错，未能生成文件。请点击“重新生成”再试一次；如仍失败，请联系系统管理员（错误已记入系统日志）。"


def previous_month(today):
    last = today.replace(day=1) - datetime.timedelta(days=1)
    return last.replace(day=1), last


def _enqueue(export):
    from . import jobs

    transaction.on_commit(lambda: jobs.build_workbook.delay(export.pk))


def request_export(*, campaign, by, date_from, date_to, at):
    export = WorkbookExport.objects.create(
        campaign=campaign, requested_by=by, date_from=date_from, date_to=date_to, created_at=at
    )
    _enqueue(export)
    return export


def retry_export(*, export, at):
    """A failed workbook is queued again; False if it had moved on meanwhile."""
    retried = WorkbookExport.objects.filter(pk=export.pk, status=Status.FAILED).update(
        status=Status.QUEUED, percent=0, error="", created_at=at, started_at=None, finished_at=None
    )
    if retried:
        _enqueue(export)
    return bool(retried)


def release_stale_exports(*, at):
    """Mark builds whose worker died as failed; returns how many."""
    return WorkbookExport.objects.filter(status=Status.RUNNING, started_at__lt=at - RUNNING_LEASE).update(
        status=Status.FAILED, error=STALE_MESSAGE, finished_at=at
    )


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
            _enqueue(export)
            queued.append(export)
    return queued


def build_export(*, export_id, at=None):
    """Build a queued workbook. Returns the export, or None if another worker
    claimed it (or it is not queued)."""
    at = at or timezone.now()
    claimed = WorkbookExport.objects.filter(pk=export_id, status=Status.QUEUED).update(
        status=Status.RUNNING, started_at=at, percent=0
    )
    if not claimed:
        logger.info("Workbook export %s was not queued: nothing to do", export_id)
        return None
    export = WorkbookExport.objects.select_related("campaign").get(pk=export_id)
    written = [0]

    def progress(percent):
        # A row update per five percent: the page polls, it need not see every step.
        if percent >= written[0] + 5 or percent == 100:
            written[0] = percent
            WorkbookExport.objects.filter(pk=export_id).update(percent=min(percent, 99))

    try:
        with tempfile.NamedTemporaryFile(suffix=".xlsx") as scratch:
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
    WorkbookExport.objects.filter(pk=export_id).update(
        status=Status.DONE, percent=100, file=export.file.name, finished_at=timezone.now()
    )
    export.refresh_from_db()
    if export.requested_by_id is None:
        notify_office(export=export, at=timezone.now())
    return export


@transaction.atomic
def notify_office(*, export, at):
    """Tell the campaign's office staff that the monthly workbook is ready."""
    staff = (
        Membership.objects.filter(
            unit=export.campaign.office_unit_id, role=Membership.Role.OFFICE_STAFF, is_active=True, user__is_active=True
        )
        .values_list("user_id", flat=True)
        .distinct()
    )
    url = reverse("reports:workbooks", args=[export.campaign_id])
    title = f"{export.campaign}：{export.date_from:%Y年%m月}报送情况汇总表已生成"
    body = (
        f"《{export.campaign.title}》截止日期 {export.date_from:%Y-%m-%d} 至 {export.date_to:%Y-%m-%d} 的报送情况汇总表"
        f"（Excel）已自动生成，可报送领导。\n\n请登录{settings.SITE_NAME}下载：{settings.SITE_URL}{url}"
    )
    return notify(recipients=staff, campaign=export.campaign, title=title, body=body, url=url, at=at).notifications
