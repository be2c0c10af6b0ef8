from django.conf import settings
from django.db import models
from django.utils import timezone

from .files import sha256_digest


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
