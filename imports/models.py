from django.db import models
from django.db.models import Q

from core.files import generated_name
from core.models import StoredFile


def plan_upload_path(instance, filename):
    return generated_name("plans")


class PlanImportJob(StoredFile):
    """An uploaded plan document waiting to be read, being read or read: the
    web request only stores it, a Celery job reads it in a capped child
    process (`imports/uploads.py`) and keeps the text and the proposal for
    the preview."""

    class Status(models.TextChoices):
        QUEUED = "queued", "排队中"
        RUNNING = "running", "识别中"
        DONE = "done", "已完成"
        FAILED = "failed", "失败"

    file = models.FileField("文件", upload_to=plan_upload_path, max_length=200)
    year = models.PositiveSmallIntegerField("方案年份", null=True, blank=True)
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.QUEUED)
    percent = models.PositiveSmallIntegerField("进度（%）", default=0)
    error = models.TextField("错误信息", blank=True)
    text = models.TextField("识别出的文字", blank=True)
    proposal = models.JSONField("识别结果", null=True, blank=True)
    started_at = models.DateTimeField("开始时间", null=True, blank=True)
    finished_at = models.DateTimeField("完成时间", null=True, blank=True)

    class Meta:
        verbose_name = "方案识别任务"
        verbose_name_plural = "方案识别任务"
        ordering = ["-uploaded_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(percent__lte=100), name="plan_job_percent_range"),
            # The preview is built from these: a job is done only with them.
            models.CheckConstraint(
                condition=~Q(status="done") | Q(proposal__isnull=False), name="plan_job_done_has_proposal"
            ),
            # A failed job always tells the clerk why.
            models.CheckConstraint(condition=~Q(status="failed") | ~Q(error=""), name="plan_job_failed_says_why"),
        ]
        indexes = [models.Index(fields=["status", "uploaded_at"], name="plan_job_status_idx")]
