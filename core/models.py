from django.conf import settings
from django.db import models
from django.utils import timezone

from .files import INLINE_TYPES, sha256_digest


class StoredFile(models.Model):
    """A file a user uploaded, kept through the default storage under a
    generated name, with its original name, size, type and digest.

    Each concrete model declares its own `file` field, because the folder
    (`upload_to`) is part of its migrations.
    """

    original_name = models.CharField("文件名", max_length=255)
    size = models.PositiveBigIntegerField("大小（字节）")
    content_type = models.CharField("文件类型", max_length=100)
    sha256 = models.CharField("SHA-256", max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="上传人", on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField("上传时间", default=timezone.now, editable=False)

    class Meta:
        abstract = True

    def __str__(self):
        return self.original_name

    digest = staticmethod(sha256_digest)

    @classmethod
    def from_upload(cls, uploaded, content_type, *, by, **fields):
        """An unsaved row keeping `uploaded`: its name (the last 255
        characters), size and digest, the checked `content_type`, sent by
        `by`; `fields` name its owner and, where given, `uploaded_at`."""
        return cls(
            file=uploaded,
            original_name=uploaded.name[-255:],
            size=uploaded.size,
            content_type=content_type,
            sha256=cls.digest(uploaded),
            uploaded_by=by,
            **fields,
        )

    @property
    def is_image(self):
        return self.content_type in INLINE_TYPES


class TransitionEvent(models.Model):
    """One recorded move of a state machine (core.transitions): who took it,
    when, and the reason given. Never edited. Each event model adds the row
    it belongs to and its own action and states."""

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="操作人", on_delete=models.PROTECT, related_name="+"
    )
    comment = models.TextField("意见", blank=True)
    # A default rather than auto_now_add, so that imported history keeps its
    # original times.
    created_at = models.DateTimeField("时间", default=timezone.now, editable=False)

    class Meta:
        abstract = True

    @classmethod
    def record(cls, change, *, by, at, comment, **row):
        """The event row of a move (a core.transitions.Change) of `row`
        (report=…, item=…): every event model records the same way."""
        return cls.objects.create(
            **row,
            actor=by,
            action=change.action,
            from_status=change.old,
            to_status=change.new,
            comment=comment,
            created_at=at,
        )


class OutboxMessage(models.Model):
    """A Celery job to send, written in the transaction of the change that
    calls for it (`core.outbox.enqueue`), so that a change is never saved
    without its job nor a job sent for a change rolled back. The relay
    (`core.outbox.relay`) publishes pending rows to the broker and marks them
    dispatched; while the broker cannot be reached they wait here, not in a
    web request's error page."""

    task = models.CharField("任务", max_length=200, help_text="Celery 任务名，例如 reports.jobs.build_workbook")
    kwargs = models.JSONField("参数", default=dict, blank=True)
    dedupe = models.CharField(
        "去重键", max_length=200, blank=True, help_text="同一去重键同时只保留一条待发送消息，例如每个活动一次看板预热"
    )
    created_at = models.DateTimeField("创建时间", default=timezone.now)
    available_at = models.DateTimeField("可发送时间", default=timezone.now)
    dispatched_at = models.DateTimeField("发送时间", null=True, blank=True)
    attempts = models.PositiveIntegerField("失败次数", default=0)
    last_error = models.TextField("最近错误", blank=True)

    class Meta:
        verbose_name = "待发送任务"
        verbose_name_plural = "待发送任务"
        constraints = [
            # One pending message per key (a campaign's warm-up, a workbook's
            # build): a burst of changes queues one job, and the insert that
            # meets this constraint is simply skipped (ON CONFLICT DO NOTHING).
            models.UniqueConstraint(
                fields=["dedupe"],
                condition=models.Q(dispatched_at__isnull=True) & ~models.Q(dedupe=""),
                name="outbox_one_pending_per_dedupe",
            ),
        ]
        indexes = [
            # The relay's one question: what is pending and due.
            models.Index(
                fields=["available_at"], condition=models.Q(dispatched_at__isnull=True), name="outbox_pending_due"
            ),
            # Pruning old rows, and the workbook sweep's look at a key's last dispatch.
            models.Index(fields=["dedupe", "dispatched_at"], name="outbox_dedupe_dispatched"),
        ]

    def __str__(self):
        return f"{self.task} {self.kwargs}"
