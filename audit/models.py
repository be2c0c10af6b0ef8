"""The audit trail: one row per thing done, never changed, never removed
before its retention (AUDIT_RETENTION_DAYS, at least 180 days)."""

from django.apps import apps
from django.conf import settings
from django.db import models
from django.utils import timezone

from core.errors import Refused

MIN_RETENTION_DAYS = 180


class AppendOnly(Refused):
    """An audit record was about to be changed or deleted."""

    def __init__(self, message="审计记录只能追加，不能修改或删除。"):
        super().__init__(message)


class AuditEventQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AppendOnly()

    def delete(self):
        raise AppendOnly()

    def purge_older_than(self, cutoff):
        """Delete what is older than `cutoff`: the retention command's only way
        (audit.services.purge), which refuses a cutoff inside the retention."""
        if cutoff > timezone.now() - timezone.timedelta(days=MIN_RETENTION_DAYS):
            raise AppendOnly(f"审计记录至少保留 {MIN_RETENTION_DAYS} 天，不能删除更近的记录。")
        return models.QuerySet.delete(self.filter(at__lt=cutoff))

    def of(self, obj):
        return self.filter(object_type=obj._meta.label_lower, object_id=str(obj.pk))


class AuditEvent(models.Model):
    class Action(models.TextChoices):
        CREATED = "created", "新建"
        CHANGED = "changed", "修改"
        DELETED = "deleted", "删除"
        DOWNLOADED = "downloaded", "下载"
        PUBLISHED = "published", "发布"
        MOVED = "moved", "流转"
        PURGED = "purged", "清理"

    at = models.DateTimeField("时间", default=timezone.now, db_index=True)
    # PROTECT: a person who did something audited stays, deactivated, not deleted.
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name="操作人"
    )
    address = models.GenericIPAddressField("IP 地址", null=True, blank=True)
    action = models.CharField("操作", max_length=16, choices=Action.choices)
    # The model's label (app.model), so the trail outlives the row and its app's tables.
    object_type = models.CharField("对象类型", max_length=100)
    object_id = models.CharField("对象编号", max_length=64, blank=True)
    description = models.CharField("说明", max_length=300)
    # A plain id, not a foreign key: the trail stays when a campaign is removed,
    # and this bottom app does not reach up to campaigns.
    campaign_id = models.BigIntegerField("活动编号", null=True, blank=True, db_index=True)
    changes = models.JSONField("变更内容", default=dict, blank=True)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        verbose_name = "审计记录"
        verbose_name_plural = "审计记录"
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["object_type", "object_id", "-at"], name="audit_object_at")]

    def __str__(self):
        return f"{self.get_action_display()} {self.object_type_label} {self.description}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise AppendOnly()
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnly()

    @property
    def object_type_label(self):
        try:
            return str(apps.get_model(self.object_type)._meta.verbose_name)
        except (LookupError, ValueError):
            return self.object_type

    @property
    def change_lines(self):
        """[(field, old, new)] for the page, in the order recorded."""
        return [(field, *values) for field, values in (self.changes or {}).items() if isinstance(values, list) and len(values) == 2]
