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
