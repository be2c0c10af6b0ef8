import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from campaigns.models import Campaign, Unit
from reports.models import Report


class Reminder(models.Model):
    """That a reminder of one kind about one report went to one person.

    The unique constraint is what makes reminders exactly-once: a sweep
    inserts the rows it means to send with its own `sweep` token, ignoring
    conflicts, and sends only the rows that carry its token afterwards.
    Two sweeps at once, or a sweep run again after a crash, cannot both
    claim the same row.
    """

    # Kinds: "before_24h" (lead time in hours), "due", "overdue_3d" (days
    # overdue), "escalation", "chase_<n>" (催报, n = the rate-limit window).
    # A reminder is about exactly one thing: a report, or a rectification item.
    report = models.ForeignKey(
        Report, verbose_name="报送", null=True, blank=True, on_delete=models.PROTECT, related_name="reminders"
    )
    rectification = models.ForeignKey(
        "supervision.RectificationItem",
        verbose_name="整改事项",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="reminders",
    )
    # A supervised task's deadline (任务督办).
    task = models.ForeignKey(
        "tasks.Task", verbose_name="督办任务", null=True, blank=True, on_delete=models.PROTECT, related_name="reminders"
    )
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="接收人", on_delete=models.PROTECT, related_name="reminders"
    )
    kind = models.CharField("提醒类型", max_length=30)
    sweep = models.UUIDField("批次", db_index=True)
    created_at = models.DateTimeField("时间", default=timezone.now)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="催报人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    notification = models.ForeignKey(
        "Notification", verbose_name="通知", null=True, blank=True, on_delete=models.SET_NULL, related_name="reminders"
    )

    class Meta:
        verbose_name = "提醒记录"
        verbose_name_plural = "提醒记录"
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["report", "kind", "recipient"], name="reminder_once", condition=Q(report__isnull=False)
            ),
            models.UniqueConstraint(
                fields=["rectification", "kind", "recipient"],
                name="reminder_once_rectification",
                condition=Q(rectification__isnull=False),
            ),
            models.UniqueConstraint(
                fields=["task", "kind", "recipient"], name="reminder_once_task", condition=Q(task__isnull=False)
            ),
            models.CheckConstraint(
                condition=Q(report__isnull=False, rectification__isnull=True, task__isnull=True)
                | Q(report__isnull=True, rectification__isnull=False, task__isnull=True)
                | Q(report__isnull=True, rectification__isnull=True, task__isnull=False),
                name="reminder_one_target",
                violation_error_message="一条提醒记录只能对应一份报送、一项整改事项或一项督办任务。",
            ),
        ]

    def __str__(self):
        return f"{self.recipient} · {self.kind} · {self.report or self.rectification or self.task}"

    @property
    def is_chase(self):
        return self.kind.startswith("chase_")


class Notification(models.Model):
    """One message to one person in the notification centre (the bell):
    a digest of every reminder one sweep has for them."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="接收人", on_delete=models.CASCADE, related_name="notifications"
    )
    campaign = models.ForeignKey(
        Campaign, verbose_name="创建活动", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    title = models.CharField("标题", max_length=200)
    body = models.TextField("内容")
    url = models.CharField("链接", max_length=300, blank=True)
    created_at = models.DateTimeField("时间", default=timezone.now)
    read_at = models.DateTimeField("阅读时间", null=True, blank=True)

    class Meta:
        verbose_name = "站内通知"
        verbose_name_plural = "站内通知"
        ordering = ["-created_at", "-id"]
        indexes = [
            # The bell asks for one user's unread count on every page.
            models.Index(fields=["recipient", "read_at"], name="notification_unread"),
        ]

    def __str__(self):
        return self.title


class Delivery(models.Model):
    """One message on one channel, with its fate: every e-mail, in-app
    notice and group-robot post, so that a failure is visible, never lost."""

    class Channel(models.TextChoices):
        IN_APP = "in_app", "站内通知"
        EMAIL = "email", "电子邮件"
        WECOM = "wecom", "企业微信群机器人"
        DINGTALK = "dingtalk", "钉钉群机器人"

    class Status(models.TextChoices):
        PENDING = "pending", "待发送"
        SENDING = "sending", "发送中"
        SENT = "sent", "已发送"
        FAILED = "failed", "发送失败"

    channel = models.CharField("渠道", max_length=10, choices=Channel.choices)
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.PENDING)
    notification = models.ForeignKey(
        Notification, verbose_name="通知", null=True, blank=True, on_delete=models.SET_NULL, related_name="deliveries"
    )
    campaign = models.ForeignKey(
        Campaign, verbose_name="创建活动", null=True, blank=True, on_delete=models.PROTECT, related_name="deliveries"
    )
    unit = models.ForeignKey(
        Unit,
        verbose_name="相关单位",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="deliveries",
        help_text="一条消息只涉及一个单位时填写",
    )
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="接收人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="deliveries",
    )
    address = models.CharField("地址", max_length=300, blank=True, help_text="邮箱地址，或群机器人名称")
    # SET_NULL: a robot that is removed keeps its history here, by name in `address`.
    webhook = models.ForeignKey(
        "CampaignWebhook", verbose_name="群机器人", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    subject = models.CharField("标题", max_length=200)
    body = models.TextField("内容")
    created_at = models.DateTimeField("创建时间", default=timezone.now)
    next_attempt_at = models.DateTimeField("下次尝试", default=timezone.now)
    attempts = models.PositiveSmallIntegerField("尝试次数", default=0)
    claim = models.UUIDField("发送批次", null=True, blank=True)
    claimed_at = models.DateTimeField("开始发送", null=True, blank=True)
    sent_at = models.DateTimeField("发送时间", null=True, blank=True)
    last_error = models.TextField("错误信息", blank=True)

    class Meta:
        verbose_name = "发送记录"
        verbose_name_plural = "发送记录"
        ordering = ["-created_at", "-id"]
        indexes = [
            # The sender asks one question: which pending messages are due?
            models.Index(
                fields=["next_attempt_at"], name="delivery_pending", condition=Q(status="pending")
            ),
            models.Index(fields=["campaign", "status"], name="delivery_campaign_status"),
        ]

    def __str__(self):
        return f"{self.get_channel_display()} → {self.address or self.recipient} · {self.get_status_display()}"


class CampaignWebhook(models.Model):
    """A WeCom or DingTalk group robot that receives the campaign's reminders."""

    class Kind(models.TextChoices):
        WECOM = "wecom", "企业微信群机器人"
        DINGTALK = "dingtalk", "钉钉群机器人"

    campaign = models.ForeignKey(Campaign, verbose_name="创建活动", on_delete=models.CASCADE, related_name="webhooks")
    name = models.CharField("名称", max_length=50, help_text="例如：联络员工作群")
    kind = models.CharField("类型", max_length=10, choices=Kind.choices)
    url = models.URLField("Webhook 地址", max_length=500, help_text="在群机器人设置中复制的完整地址")
    is_active = models.BooleanField("启用", default=True)

    class Meta:
        verbose_name = "群机器人"
        verbose_name_plural = "群机器人"
        ordering = ["campaign", "name"]

    def __str__(self):
        return f"{self.name}（{self.get_kind_display()}）"


class EventKind(models.TextChoices):
    """The kinds of event people are told of, each with its own e-mail choice
    (notifications.events; 站内通知 always goes)."""

    REPORT_RETURNED = "report_returned", "报送被退回"
    REPORT_SIGN_OFF = "report_sign_off", "报送待单位负责人审核"
    REPORT_ACCEPTED = "report_accepted", "报送审核通过"
    ITEM_ASSIGNED = "item_assigned", "整改事项交办"
    ITEM_RETURNED = "item_returned", "整改被退回"
    ITEM_VERIFIED = "item_verified", "整改核验销号"
    EXTENSION_DECIDED = "extension_decided", "延期申请审批结果"
    OBJECTION_ANSWERED = "objection_answered", "申诉已答复"
    BULLETIN_PUBLISHED = "bulletin_published", "通报发布"
    TASK_DECLARED = "task_declared", "任务办结申请待确认"
    TASK_RETURNED = "task_returned", "任务办结申请被退回"
    TASK_FINISHED = "task_finished", "任务确认办结"


# Who has made no choice gets an e-mail for what asks them to act, not for
# good news they will see in the bell anyway.
EMAIL_BY_DEFAULT = frozenset(EventKind) - {EventKind.REPORT_ACCEPTED, EventKind.ITEM_VERIFIED, EventKind.TASK_FINISHED}


class EmailDigest(models.Model):
    """One person's e-mail digest of one day's event notices (每日汇总): the
    unique constraint makes it at most one a day, whoever runs the job twice."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="接收人", on_delete=models.PROTECT, related_name="email_digests"
    )
    day = models.DateField("日期")
    claim = models.UUIDField("批次", db_index=True)
    delivery = models.ForeignKey(
        Delivery, verbose_name="发送记录", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField("时间", default=timezone.now)

    class Meta:
        verbose_name = "每日汇总邮件"
        verbose_name_plural = "每日汇总邮件"
        ordering = ["-day", "recipient"]
        constraints = [models.UniqueConstraint(fields=["recipient", "day"], name="email_digest_once_a_day")]

    def __str__(self):
        return f"{self.recipient} · {self.day:%Y-%m-%d}"


class EventNotice(models.Model):
    """That one person was told of one event (a report returned, an item
    assigned, ...). The unique constraint makes it exactly once: an event told
    again (a retried job, a signal heard twice) tells nobody twice."""

    # The event's identity: "<app>.<model>:<pk>" of its event row, or of the
    # row plus the move for a row decided once ("reports.extensionrequest:7:grant").
    event = models.CharField("事件", max_length=100)
    kind = models.CharField("事件类型", max_length=30, choices=EventKind.choices)
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="接收人", on_delete=models.PROTECT, related_name="event_notices"
    )
    campaign = models.ForeignKey(
        Campaign, verbose_name="创建活动", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    notification = models.ForeignKey(
        Notification, verbose_name="通知", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    claim = models.UUIDField("批次", db_index=True)
    # The e-mail waits for the person's daily digest (每日汇总) instead of going alone.
    email_held = models.BooleanField("邮件待汇总", default=False)
    digest = models.ForeignKey(
        EmailDigest, verbose_name="每日汇总", null=True, blank=True, on_delete=models.SET_NULL, related_name="notices"
    )
    created_at = models.DateTimeField("时间", default=timezone.now)

    class Meta:
        verbose_name = "事件通知记录"
        verbose_name_plural = "事件通知记录"
        ordering = ["-created_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["event", "recipient"], name="event_notice_once")]
        indexes = [
            # The digest job asks one question: whose e-mails still wait?
            models.Index(
                fields=["recipient", "created_at"],
                name="event_notice_held",
                condition=Q(email_held=True, digest__isnull=True),
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} → {self.recipient}"


class EmailChoice(models.Model):
    """A person's choice of e-mail for one kind of event; without a row the
    default (EMAIL_BY_DEFAULT) holds."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="用户", on_delete=models.CASCADE, related_name="email_choices"
    )
    kind = models.CharField("事件类型", max_length=30, choices=EventKind.choices)
    email = models.BooleanField("邮件")

    class Meta:
        verbose_name = "邮件通知设置"
        verbose_name_plural = "邮件通知设置"
        constraints = [models.UniqueConstraint(fields=["user", "kind"], name="email_choice_once")]

    def __str__(self):
        return f"{self.user} · {self.get_kind_display()} · {'邮件' if self.email else '不发邮件'}"


class NotificationSettings(models.Model):
    """A person's settings that hold for every kind of event."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name="用户",
        primary_key=True,
        on_delete=models.CASCADE,
        related_name="notification_settings",
    )
    daily_digest = models.BooleanField(
        "每日汇总", default=False, help_text="当天的通知邮件合并为一封，每天下班前发送一次"
    )

    class Meta:
        verbose_name = "通知设置"
        verbose_name_plural = "通知设置"

    def __str__(self):
        return f"{self.user} · {'每日汇总' if self.daily_digest else '逐条发送'}"


def new_token():
    return uuid.uuid4()
