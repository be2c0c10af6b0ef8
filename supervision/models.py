"""Inspections (督导检查), their findings, and the rectification ledger (整改台账).

Each finding of an inspection becomes exactly one rectification item, owned
by the finding's unit. The unit answers an item with a rectification report
(`RectificationResponse`) and evidence; the office verifies it (销号) or
rejects it with a reason, and the unit answers again. Every answer and every
decision stays on record as a response row; `RectificationEvent` keeps every
change of status, including "work started".
"""

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Length, Trim
from django.db.models.lookups import GreaterThan
from django.utils import timezone

from campaigns.models import Campaign, Unit
from core.files import generated_name
from core.models import StoredFile, TransitionEvent

# The end of a working day for a rectification deadline ("整改期限"): offices
# close between 17:30 and 18:00, and a unit that uploads its report before
# leaving on the deadline day is on time.
DEADLINE_TIME = datetime.time(18, 0)


def inspection_attachment_path(instance, filename):
    return generated_name("inspections")


def evidence_path(instance, filename):
    return generated_name("rectifications")


def _not_blank(field):
    return GreaterThan(Length(Trim(field)), 0)


class Inspection(models.Model):
    """One inspection (督导检查) of one or more units of a campaign."""

    class Kind(models.TextChoices):
        SCHEDULED = "scheduled", "定期督导检查"
        UNANNOUNCED = "unannounced", "明察暗访"
        QUESTIONNAIRE = "questionnaire", "问卷调查"
        PUBLIC_APPRAISAL = "public_appraisal", "群众评议"
        ON_SITE = "on_site", "现场检查"
        MOCK_ASSESSMENT = "mock_assessment", "模拟测评"

    campaign = models.ForeignKey(Campaign, verbose_name="创建活动", on_delete=models.PROTECT, related_name="inspections")
    kind = models.CharField("检查方式", max_length=20, choices=Kind.choices)
    inspected_on = models.DateField("检查日期")
    inspectors = models.CharField("检查人员", max_length=200)
    summary = models.TextField("检查情况", blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="登记人", on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField("登记时间", default=timezone.now, editable=False)

    class Meta:
        verbose_name = "督导检查"
        verbose_name_plural = "督导检查"
        ordering = ["-inspected_on", "-id"]
        indexes = [models.Index(fields=["campaign", "inspected_on"], name="inspection_campaign_date")]

    def __str__(self):
        return f"{self.inspected_on:%Y-%m-%d} {self.get_kind_display()}"

    @property
    def has_score(self):
        return kind_has_score(self.kind)


# An unannounced visit (明察暗访) records what was seen, not a grade: its
# outcome is its findings. Every other kind ends in a score of 0-100 per unit.
SCORED_KINDS = frozenset(
    {
        Inspection.Kind.SCHEDULED,
        Inspection.Kind.QUESTIONNAIRE,
        Inspection.Kind.PUBLIC_APPRAISAL,
        Inspection.Kind.ON_SITE,
        Inspection.Kind.MOCK_ASSESSMENT,
    }
)


def kind_has_score(kind):
    return kind in SCORED_KINDS


class InspectedUnit(models.Model):
    """A unit an inspection covered, with its score where the kind has one."""

    inspection = models.ForeignKey(
        Inspection, verbose_name="督导检查", on_delete=models.CASCADE, related_name="inspected_units"
    )
    unit = models.ForeignKey(Unit, verbose_name="被检查单位", on_delete=models.PROTECT, related_name="+")
    score = models.DecimalField("得分", max_digits=5, decimal_places=1, null=True, blank=True, help_text="0–100 分")

    class Meta:
        verbose_name = "被检查单位"
        verbose_name_plural = "被检查单位"
        ordering = ["inspection", "unit__sort_order", "unit__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["inspection", "unit"], name="inspected_unit_once", violation_error_message="同一次检查中单位不能重复。"
            ),
            models.CheckConstraint(
                condition=Q(score__isnull=True) | Q(score__gte=0, score__lte=100),
                name="inspected_unit_score_range",
                violation_error_message="得分须在 0 到 100 之间。",
            ),
        ]

    def __str__(self):
        return f"{self.unit} · {self.score if self.score is not None else '—'}"


class InspectionRevision(models.Model):
    """An edit of a saved inspection by the office: who, when, and each field
    as it was and as it became, so that a changed score is never silent."""

    inspection = models.ForeignKey(
        Inspection, verbose_name="督导检查", on_delete=models.CASCADE, related_name="revisions"
    )
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="修改人", on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField("修改时间", default=timezone.now, editable=False)
    # [{"field": "检查人员", "before": "…", "after": "…"}], in the words the page shows.
    changes = models.JSONField("修改内容", default=list)

    class Meta:
        verbose_name = "督导检查修改记录"
        verbose_name_plural = "督导检查修改记录"
        ordering = ["inspection", "created_at", "id"]

    def __str__(self):
        return f"{self.inspection} · {self.created_at:%Y-%m-%d %H:%M}"


class InspectionAttachment(StoredFile):
    """A file of an inspection: the checklist, photos, questionnaire results."""

    inspection = models.ForeignKey(
        Inspection, verbose_name="督导检查", on_delete=models.PROTECT, related_name="attachments"
    )
    file = models.FileField("文件", upload_to=inspection_attachment_path, max_length=200)

    class Meta:
        verbose_name = "检查附件"
        verbose_name_plural = "检查附件"
        ordering = ["inspection", "uploaded_at", "id"]


class Finding(models.Model):
    """A problem an inspection found at one unit (发现问题)."""

    inspection = models.ForeignKey(Inspection, verbose_name="督导检查", on_delete=models.PROTECT, related_name="findings")
    unit = models.ForeignKey(Unit, verbose_name="责任单位", on_delete=models.PROTECT, related_name="+")
    description = models.TextField("发现问题")
    created_at = models.DateTimeField("登记时间", default=timezone.now, editable=False)

    class Meta:
        verbose_name = "发现问题"
        verbose_name_plural = "发现问题"
        ordering = ["inspection", "id"]
        constraints = [
            models.CheckConstraint(
                condition=_not_blank("description"), name="finding_has_description", violation_error_message="请填写发现的问题。"
            ),
        ]

    def __str__(self):
        return self.description[:40]


class RectificationQuerySet(models.QuerySet):
    def not_closed(self):
        return self.exclude(status=RectificationItem.Status.CLOSED)

    def overdue(self, at):
        return self.not_closed().filter(due_at__lt=at)

    def closed_on_time(self):
        return self.filter(status=RectificationItem.Status.CLOSED, submitted_at__lte=models.F("due_at"))


class RectificationItem(models.Model):
    """One line of the rectification ledger (整改台账): what a unit must fix, by when."""

    class Status(models.TextChoices):
        OPEN = "open", "待整改"
        IN_PROGRESS = "in_progress", "整改中"
        SUBMITTED = "submitted", "已提交待核验"
        CLOSED = "closed", "已销号"
        REJECTED = "rejected", "已退回"

    finding = models.OneToOneField(
        Finding, verbose_name="发现问题", on_delete=models.PROTECT, related_name="rectification"
    )
    campaign = models.ForeignKey(
        Campaign, verbose_name="创建活动", on_delete=models.PROTECT, related_name="rectifications"
    )
    unit = models.ForeignKey(Unit, verbose_name="责任单位", on_delete=models.PROTECT, related_name="rectifications")
    requirement = models.TextField("整改要求")
    deadline = models.DateField("整改期限")
    due_at = models.DateTimeField(
        "截止时间", help_text="整改期限当天 18:00（北京时间）；遇节假日顺延到下一个工作日"
    )
    status = models.CharField("状态", max_length=12, choices=Status.choices, default=Status.OPEN)
    # The time of the latest rectification report: the one the office
    # verified, once closed. A late resubmission after a rejection is late.
    submitted_at = models.DateTimeField("报送时间", null=True, blank=True)
    closed_at = models.DateTimeField("销号时间", null=True, blank=True)
    created_at = models.DateTimeField("登记时间", default=timezone.now, editable=False)

    objects = RectificationQuerySet.as_manager()

    class Meta:
        verbose_name = "整改事项"
        verbose_name_plural = "整改台账"
        ordering = ["due_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=_not_blank("requirement"), name="rectification_has_requirement", violation_error_message="请填写整改要求。"
            ),
            models.CheckConstraint(
                condition=Q(status="closed", closed_at__isnull=False) | (~Q(status="closed") & Q(closed_at__isnull=True)),
                name="rectification_closed_has_time",
                violation_error_message="已销号的整改事项必须有销号时间，未销号的不能有。",
            ),
            models.CheckConstraint(
                condition=~Q(status__in=["submitted", "closed", "rejected"]) | Q(submitted_at__isnull=False),
                name="rectification_submitted_has_time",
                violation_error_message="已提交、已销号或已退回的整改事项必须有报送时间。",
            ),
        ]
        indexes = [
            # Reminders, overdue lists and the today page ask "which items
            # are still open, due before or around now?"
            models.Index(fields=["due_at"], name="rectification_open_due", condition=~Q(status="closed")),
            models.Index(fields=["campaign", "unit", "status"], name="rectification_campaign_unit"),
            # The ledger (整改台账), 50 a page in deadline order: all items, or one status.
            models.Index(fields=["campaign", "due_at"], name="rectification_ledger"),
            models.Index(fields=["campaign", "status", "due_at"], name="rectification_ledger_status"),
        ]

    def __str__(self):
        return f"{self.unit} · {self.requirement[:30]}"

    def get_absolute_url(self):
        from django.urls import reverse

        return reverse("supervision:item_detail", args=[self.pk])

    def is_overdue(self, at):
        return self.status != self.Status.CLOSED and self.due_at < at

    @property
    def closed_on_time(self):
        return (
            self.status == self.Status.CLOSED and self.submitted_at is not None and self.submitted_at <= self.due_at
        )

    @property
    def is_answerable(self):
        """The unit may send a rectification report."""
        return self.status in ANSWERABLE_STATUSES

    def record_transition(self, change, *, by, at, comment):
        """Every move is on record as a RectificationEvent (core.transitions); the
        item keeps the time of its latest report and of its closing."""
        if change.new == self.Status.SUBMITTED:
            self.submitted_at = at
        if change.new == self.Status.CLOSED:
            self.closed_at = at
        return RectificationEvent.record(change, by=by, at=at, comment=comment, item=self)


ANSWERABLE_STATUSES = frozenset(
    {RectificationItem.Status.OPEN, RectificationItem.Status.IN_PROGRESS, RectificationItem.Status.REJECTED}
)
# The moves of an item (see supervision.services and core.transitions). Being
# recorded ("create") is not a move: the item starts open.
RectificationItem.TRANSITIONS = {
    "start": ({RectificationItem.Status.OPEN, RectificationItem.Status.REJECTED}, RectificationItem.Status.IN_PROGRESS),
    "submit": (ANSWERABLE_STATUSES, RectificationItem.Status.SUBMITTED),
    "verify": ({RectificationItem.Status.SUBMITTED}, RectificationItem.Status.CLOSED),
    "reject": ({RectificationItem.Status.SUBMITTED}, RectificationItem.Status.REJECTED),
}


class RectificationResponse(models.Model):
    """A rectification report a unit sent for an item, and the office's decision on it."""

    class Decision(models.TextChoices):
        PENDING = "pending", "待核验"
        VERIFIED = "verified", "核验通过（销号）"
        REJECTED = "rejected", "退回"

    item = models.ForeignKey(
        RectificationItem, verbose_name="整改事项", on_delete=models.PROTECT, related_name="responses"
    )
    text = models.TextField("整改情况")
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="报送人", on_delete=models.PROTECT, related_name="+"
    )
    submitted_at = models.DateTimeField("报送时间", default=timezone.now)
    decision = models.CharField("核验结果", max_length=10, choices=Decision.choices, default=Decision.PENDING)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="核验人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    decided_at = models.DateTimeField("核验时间", null=True, blank=True)
    decision_comment = models.TextField("核验意见", blank=True)

    class Meta:
        verbose_name = "整改报告"
        verbose_name_plural = "整改报告"
        ordering = ["item", "submitted_at", "id"]
        constraints = [
            models.CheckConstraint(condition=_not_blank("text"), name="response_has_text", violation_error_message="请填写整改情况。"),
            models.CheckConstraint(
                condition=Q(decision="pending", decided_at__isnull=True, decided_by__isnull=True)
                | (~Q(decision="pending") & Q(decided_at__isnull=False, decided_by__isnull=False)),
                name="response_decision_recorded",
                violation_error_message="核验结果必须记录核验人和核验时间。",
            ),
            models.CheckConstraint(
                condition=~Q(decision="rejected") | _not_blank("decision_comment"),
                name="response_rejection_has_reason",
                violation_error_message="退回时必须填写理由。",
            ),
            # One report awaits the office at a time.
            models.UniqueConstraint(
                fields=["item"], condition=Q(decision="pending"), name="response_one_pending"
            ),
        ]

    def __str__(self):
        return f"{self.item} · {self.submitted_at:%Y-%m-%d %H:%M}"


class RectificationEvidence(StoredFile):
    """A file sent with a rectification report: photos, a notice, minutes."""

    response = models.ForeignKey(
        RectificationResponse, verbose_name="整改报告", on_delete=models.PROTECT, related_name="evidence"
    )
    file = models.FileField("文件", upload_to=evidence_path, max_length=200)

    class Meta:
        verbose_name = "整改佐证材料"
        verbose_name_plural = "整改佐证材料"
        ordering = ["response", "uploaded_at", "id"]


class RectificationEvent(TransitionEvent):
    """One change of an item's status, with who made it and when. Never edited."""

    class Action(models.TextChoices):
        CREATE = "create", "登记"
        START = "start", "开始整改"
        SUBMIT = "submit", "提交整改报告"
        VERIFY = "verify", "核验销号"
        REJECT = "reject", "退回"

    item = models.ForeignKey(RectificationItem, verbose_name="整改事项", on_delete=models.PROTECT, related_name="events")
    action = models.CharField("操作", max_length=10, choices=Action.choices)
    from_status = models.CharField("原状态", max_length=12, choices=RectificationItem.Status.choices, blank=True)
    to_status = models.CharField("新状态", max_length=12, choices=RectificationItem.Status.choices)

    class Meta:
        verbose_name = "整改办理记录"
        verbose_name_plural = "整改办理记录"
        ordering = ["item", "created_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(action="reject") | _not_blank("comment"),
                name="rectification_event_reject_has_reason",
                violation_error_message="退回时必须填写理由。",
            ),
        ]

    def __str__(self):
        return f"{self.get_action_display()} · {self.actor} · {self.created_at:%Y-%m-%d %H:%M}"
