import re

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from simple_history.models import HistoricalRecords

from core.numerals import chinese_numeral

from . import signals


class Unit(models.Model):
    """A responsible unit (责任单位): a department, a bureau, a section."""

    name = models.CharField("单位名称", max_length=100, unique=True)
    short_name = models.CharField("简称", max_length=30, blank=True)
    parent = models.ForeignKey(
        "self",
        verbose_name="上级单位",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    contact_person = models.CharField("联系人", max_length=50, blank=True)
    phone = models.CharField("联系电话", max_length=30, blank=True)
    email = models.EmailField("电子邮箱", blank=True)
    sort_order = models.PositiveIntegerField("排序", default=0)
    is_active = models.BooleanField("在用", default=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "责任单位"
        verbose_name_plural = "责任单位"
        ordering = ["sort_order", "name"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(parent=F("id")), name="unit_not_own_parent", violation_error_message="单位不能是自己的上级单位。"
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def display_name(self):
        return self.short_name or self.name


class Membership(models.Model):
    """A person's role in a unit. A person may hold several."""

    class Role(models.TextChoices):
        LIAISON = "liaison", "联络员"
        UNIT_HEAD = "unit_head", "单位负责人"
        OFFICE_STAFF = "office_staff", "办公室工作人员"
        LEADER = "leader", "领导"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="用户", on_delete=models.CASCADE, related_name="memberships"
    )
    unit = models.ForeignKey(Unit, verbose_name="单位", on_delete=models.PROTECT, related_name="memberships")
    role = models.CharField("角色", max_length=20, choices=Role.choices)
    is_active = models.BooleanField("有效", default=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "人员角色"
        verbose_name_plural = "人员角色"
        ordering = ["unit__sort_order", "unit__name", "role"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "unit", "role"],
                name="membership_unique_role",
                violation_error_message="该用户在本单位已有此角色。",
            ),
        ]

    def __str__(self):
        return f"{self.user} · {self.unit} · {self.get_role_display()}"


class Campaign(models.Model):
    """A campaign (创建活动 / 专项行动) as its plan document sets it out."""

    class Status(models.TextChoices):
        DRAFT = "draft", "草稿"
        ACTIVE = "active", "进行中"
        CLOSED = "closed", "已结束"

    title = models.CharField("方案名称", max_length=200)
    short_title = models.CharField("简称", max_length=50, blank=True)
    document_number = models.CharField("文号", max_length=50, blank=True, help_text="例如：管卫〔2016〕41号")
    issuing_unit = models.ForeignKey(
        Unit, verbose_name="发文单位", on_delete=models.PROTECT, related_name="issued_campaigns"
    )
    office_unit = models.ForeignKey(
        Unit,
        verbose_name="领导小组办公室所在单位",
        on_delete=models.PROTECT,
        related_name="run_campaigns",
        help_text="负责日常工作、审核报送的单位，其办公室工作人员可查看本活动全部报送。",
    )
    addressees = models.CharField("主送单位", max_length=300, blank=True, help_text="例如：区卫生监督所，机关各相关科室")
    issued_on = models.DateField("印发日期", null=True, blank=True)
    starts_on = models.DateField("开始日期")
    ends_on = models.DateField("结束日期")
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.DRAFT)
    guiding_principle = models.TextField("指导思想", blank=True)
    goals = models.TextField("工作目标", blank=True)
    requirements = models.TextField("工作要求", blank=True)
    contact_person = models.CharField("办公室联系人", max_length=50, blank=True)
    contact_phone = models.CharField("联系电话", max_length=30, blank=True)
    contact_email = models.EmailField("联系邮箱", blank=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    # Bumped by every write that changes what the dashboards add up (a
    # report's status or deadline, new periods): their cached figures are
    # keyed by it, so a change is seen on the next page view, on every host.
    figures_version = models.PositiveBigIntegerField("统计版本", default=0, editable=False)
    history = HistoricalRecords(excluded_fields=["figures_version"])

    class Meta:
        verbose_name = "创建活动"
        verbose_name_plural = "创建活动"
        ordering = ["-starts_on", "title"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=F("starts_on")),
                name="campaign_ends_after_start",
                violation_error_message="结束日期不能早于开始日期。",
            ),
        ]

    def __str__(self):
        return self.short_title or self.title

    @property
    def work_name(self):
        """The campaign's work as an office names it: the short title, else the
        plan's title without 关于印发…的通知, its years and 方案/计划
        (东湖区健康城市建设三年行动计划（2021—2023年） → 东湖区健康城市建设三年行动)."""
        if self.short_title:
            return self.short_title
        name = re.sub(r"^关于印发(.+)的通知$", r"\1", self.title.strip()).strip("《》")
        name = re.sub(r"[（(][^（）()]*[）)]$", "", name).strip()
        return re.sub(r"(实施方案|工作方案|实施意见|方案|计划)$", "", name) or name

    @property
    def leading_group_office(self):
        """发文机关署名 of what the office issues (a bulletin): the leading
        group's office, never the section it sits in (…科/处)."""
        if self.short_title:
            return f"{self.issuing_unit.name}{self.short_title}领导小组办公室"
        if self.office_unit.name.endswith("领导小组办公室"):
            return self.office_unit.name
        return f"{self.work_name}领导小组办公室"

    @classmethod
    def figures_changed(cls, *, campaign_id):
        """Invalidate the cached dashboard figures of a campaign (one UPDATE;
        F() so that concurrent writers never lose a bump)."""
        cls.objects.filter(pk=campaign_id).update(figures_version=F("figures_version") + 1)
        # Sent inside the change's transaction: the apps that keep figures
        # (the dashboards' cache) queue their work through the outbox in it,
        # so the work commits, or rolls back, with the change.
        signals.figures_changed.send(sender=cls, campaign_id=campaign_id)


class Phase(models.Model):
    """A phase of the campaign (第一阶段 教育治理年), or work that runs
    through the whole campaign (贯穿活动全过程)."""

    campaign = models.ForeignKey(Campaign, verbose_name="创建活动", on_delete=models.CASCADE, related_name="phases")
    order = models.PositiveSmallIntegerField("序号")
    name = models.CharField("阶段名称", max_length=100, help_text="例如：教育治理年")
    goal = models.CharField("阶段目标", max_length=200, blank=True, help_text="例如：实现文明执法到位")
    description = models.TextField("主要工作", blank=True)
    spans_whole_campaign = models.BooleanField("贯穿活动全过程", default=False)
    starts_on = models.DateField("开始日期", null=True, blank=True)
    ends_on = models.DateField("结束日期", null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "阶段"
        verbose_name_plural = "阶段"
        ordering = ["campaign", "order"]
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "order"], name="phase_unique_order", violation_error_message="同一活动中阶段序号不能重复。"
            ),
            models.CheckConstraint(
                condition=Q(starts_on__isnull=False, ends_on__isnull=False, ends_on__gte=F("starts_on"))
                | Q(spans_whole_campaign=True, starts_on__isnull=True)
                | Q(spans_whole_campaign=True, ends_on__isnull=True),
                name="phase_dates_valid",
                violation_error_message="请填写阶段的开始和结束日期（结束不能早于开始），或勾选“贯穿活动全过程”。",
            ),
        ]

    def __str__(self):
        return f"{self.ordinal_label} {self.name}"

    @property
    def ordinal_label(self):
        # Past the tenth phase the label is written in figures (第11阶段).
        return f"第{chinese_numeral(self.order, up_to=10)}阶段"


class LeadingGroupMember(models.Model):
    """A member of the campaign's leading group (领导小组) or its office."""

    class Position(models.TextChoices):
        HEAD = "head", "组长"
        DEPUTY = "deputy", "副组长"
        MEMBER = "member", "成员"
        OFFICE_DIRECTOR = "office_director", "办公室主任"

    campaign = models.ForeignKey(
        Campaign, verbose_name="创建活动", on_delete=models.CASCADE, related_name="leading_group"
    )
    position = models.CharField("职务", max_length=20, choices=Position.choices)
    name = models.CharField("姓名", max_length=100, help_text="也可填写“委领导班子其他成员”等集体表述")
    title = models.CharField("现任职务", max_length=100, blank=True, help_text="例如：区卫计委主任、党委书记")
    unit = models.ForeignKey(Unit, verbose_name="所在单位", null=True, blank=True, on_delete=models.PROTECT)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="系统用户", null=True, blank=True, on_delete=models.SET_NULL
    )
    order = models.PositiveSmallIntegerField("排序", default=0)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "领导小组成员"
        verbose_name_plural = "领导小组成员"
        ordering = ["campaign", "order", "id"]

    def __str__(self):
        return f"{self.get_position_display()} {self.name}"
