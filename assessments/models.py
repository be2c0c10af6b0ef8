"""The civilised-city assessment system (测评体系) of a campaign, its sites
(点位) and its mock assessments (模拟测评).

A system is a tree: 测评项目 (`AssessmentItem`) → 测评内容 (`AssessmentContent`)
→ 测评标准 (`Standard`, with its 分值, 测评方法, the 点位类型 it is checked at,
its lead and co-units). A campaign may hold several editions of its system; one
is current, and a later edition replaces an earlier one without touching the
results recorded against it (observations PROTECT their standard).

A mock assessment samples sites (`SampledSite`, drawn by type with a recorded
seed, or chosen), gives each an observer, and records one `Observation` per
standard that applies to the site's type: 达标, 不达标 (with what is wrong) or
不适用. The 得分率 arithmetic is `scoring.py`.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Length, Trim
from django.db.models.lookups import GreaterThan
from django.utils import timezone
from simple_history.models import HistoricalRecords

from campaigns.models import Campaign, Unit
from core.files import generated_name
from core.models import StoredFile, TransitionEvent

from . import scoring


def _not_blank(field):
    return GreaterThan(Length(Trim(field)), 0)


class AssessmentSystem(models.Model):
    campaign = models.ForeignKey(
        Campaign, verbose_name="创建活动", on_delete=models.PROTECT, related_name="assessment_systems"
    )
    name = models.CharField("测评体系名称", max_length=200)
    edition = models.CharField("版本", max_length=50, blank=True, help_text="例如：2024年版")
    weighted = models.BooleanField(
        "按分值计算得分率", default=True, help_text="勾选：每条标准按其分值折算得分；不勾选：按观测次数计算达标比例。"
    )
    is_current = models.BooleanField("现行版本", default=True)
    source_name = models.CharField("导入文件", max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="导入人", on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField("导入时间", default=timezone.now, editable=False)

    class Meta:
        verbose_name = "测评体系"
        verbose_name_plural = "测评体系"
        ordering = ["campaign", "-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["campaign"], condition=Q(is_current=True), name="assessment_one_current_system"
            ),
            models.CheckConstraint(condition=_not_blank("name"), name="assessment_system_name_not_blank"),
        ]

    def __str__(self):
        return f"{self.name}（{self.edition}）" if self.edition else self.name


class AssessmentItem(models.Model):
    """测评项目 (A-level)."""

    system = models.ForeignKey(AssessmentSystem, verbose_name="测评体系", on_delete=models.CASCADE, related_name="items")
    position = models.PositiveIntegerField("序号")
    name = models.CharField("测评项目", max_length=200)

    class Meta:
        verbose_name = "测评项目"
        verbose_name_plural = "测评项目"
        ordering = ["system", "position"]
        constraints = [models.UniqueConstraint(fields=["system", "position"], name="assessment_item_position")]

    def __str__(self):
        return self.name


class AssessmentContent(models.Model):
    """测评内容 (B-level)."""

    item = models.ForeignKey(AssessmentItem, verbose_name="测评项目", on_delete=models.CASCADE, related_name="contents")
    position = models.PositiveIntegerField("序号")
    name = models.CharField("测评内容", max_length=200, blank=True)

    class Meta:
        verbose_name = "测评内容"
        verbose_name_plural = "测评内容"
        ordering = ["item", "position"]
        constraints = [models.UniqueConstraint(fields=["item", "position"], name="assessment_content_position")]

    def __str__(self):
        return self.name or self.item.name


class SiteType(models.Model):
    """点位类型: 主次干道, 农贸市场, 医院, 中小学校, 居民小区 …"""

    campaign = models.ForeignKey(Campaign, verbose_name="创建活动", on_delete=models.PROTECT, related_name="site_types")
    name = models.CharField("点位类型", max_length=50)

    class Meta:
        verbose_name = "点位类型"
        verbose_name_plural = "点位类型"
        ordering = ["campaign", "name"]
        constraints = [
            models.UniqueConstraint(fields=["campaign", "name"], name="assessment_site_type_name"),
            models.CheckConstraint(condition=_not_blank("name"), name="assessment_site_type_not_blank"),
        ]

    def __str__(self):
        return self.name


class Standard(models.Model):
    """测评标准 (C-level): what an observer checks, or a unit's material shows."""

    class Method(models.TextChoices):
        MATERIAL = "材料审核", "材料审核"
        SITE = "实地考察", "实地考察"
        SURVEY = "问卷调查", "问卷调查"
        ONLINE = "网络调查", "网络调查"
        DATA = "数据采集", "数据采集"

    system = models.ForeignKey(AssessmentSystem, verbose_name="测评体系", on_delete=models.CASCADE, related_name="standards")
    content = models.ForeignKey(
        AssessmentContent, verbose_name="测评内容", on_delete=models.CASCADE, related_name="standards"
    )
    position = models.PositiveIntegerField("序号")
    text = models.TextField("测评标准")
    score = models.DecimalField("分值", max_digits=6, decimal_places=2, null=True, blank=True)
    methods = models.JSONField("测评方法", default=list, blank=True)
    site_types = models.ManyToManyField(SiteType, verbose_name="点位类型", blank=True, related_name="standards")
    needs_photo = models.BooleanField("不达标时需拍照", default=False, help_text="只有确需照片佐证的标准才勾选。")
    lead_unit = models.ForeignKey(
        Unit, verbose_name="牵头单位", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    co_units = models.ManyToManyField(Unit, verbose_name="配合单位", blank=True, related_name="+")

    class Meta:
        verbose_name = "测评标准"
        verbose_name_plural = "测评标准"
        ordering = ["system", "position"]
        constraints = [
            models.UniqueConstraint(fields=["system", "position"], name="assessment_standard_position"),
            models.CheckConstraint(condition=_not_blank("text"), name="assessment_standard_not_blank"),
            models.CheckConstraint(condition=Q(score__isnull=True) | Q(score__gte=0), name="assessment_score_not_negative"),
        ]

    def __str__(self):
        return self.text[:40]

    @property
    def is_site_visit(self):
        return self.Method.SITE in self.methods

    @property
    def asks_material(self):
        """材料审核: its lead unit owes material for it (co-units may add theirs)."""
        return self.Method.MATERIAL in self.methods


class Site(models.Model):
    """A 点位 on the register, with the unit that answers for it."""

    campaign = models.ForeignKey(Campaign, verbose_name="创建活动", on_delete=models.PROTECT, related_name="sites")
    site_type = models.ForeignKey(SiteType, verbose_name="点位类型", on_delete=models.PROTECT, related_name="sites")
    name = models.CharField("点位名称", max_length=100)
    address = models.CharField("地址", max_length=200, blank=True)
    unit = models.ForeignKey(Unit, verbose_name="责任单位", on_delete=models.PROTECT, related_name="+")
    latitude = models.DecimalField("纬度", max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField("经度", max_digits=9, decimal_places=6, null=True, blank=True)
    is_active = models.BooleanField("在用", default=True)

    class Meta:
        verbose_name = "点位"
        verbose_name_plural = "点位"
        ordering = ["campaign", "site_type", "name"]
        constraints = [
            models.UniqueConstraint(fields=["campaign", "name"], name="assessment_site_name"),
            models.CheckConstraint(condition=_not_blank("name"), name="assessment_site_name_not_blank"),
            models.CheckConstraint(
                condition=Q(latitude__isnull=True) | Q(latitude__gte=-90, latitude__lte=90), name="assessment_site_latitude"
            ),
            models.CheckConstraint(
                condition=Q(longitude__isnull=True) | Q(longitude__gte=-180, longitude__lte=180),
                name="assessment_site_longitude",
            ),
        ]

    def __str__(self):
        return self.name


class MockAssessment(models.Model):
    """模拟测评: a sample of sites checked against the current system."""

    class Status(models.TextChoices):
        PREPARING = "preparing", "筹备中"
        OPEN = "open", "测评中"
        CLOSED = "closed", "已结束"

    campaign = models.ForeignKey(
        Campaign, verbose_name="创建活动", on_delete=models.PROTECT, related_name="mock_assessments"
    )
    system = models.ForeignKey(AssessmentSystem, verbose_name="测评体系", on_delete=models.PROTECT, related_name="+")
    name = models.CharField("名称", max_length=100)
    held_on = models.DateField("测评日期")
    seed = models.BigIntegerField("抽样随机数种子", null=True, blank=True, help_text="随机抽样时记录，便于复核抽样结果。")
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.PREPARING)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="创建人", on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField("创建时间", default=timezone.now, editable=False)
    closed_at = models.DateTimeField("结束时间", null=True, blank=True)
    inspection = models.OneToOneField(
        "supervision.Inspection",
        verbose_name="整改台账中的检查记录",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="mock_assessment",
    )

    class Meta:
        verbose_name = "模拟测评"
        verbose_name_plural = "模拟测评"
        ordering = ["campaign", "-held_on", "-pk"]
        constraints = [
            models.CheckConstraint(condition=_not_blank("name"), name="mock_assessment_name_not_blank"),
            models.CheckConstraint(
                condition=Q(status="closed", closed_at__isnull=False) | (~Q(status="closed") & Q(closed_at__isnull=True)),
                name="mock_assessment_closed_at",
            ),
        ]

    def __str__(self):
        return self.name


class SampledSite(models.Model):
    assessment = models.ForeignKey(
        MockAssessment, verbose_name="模拟测评", on_delete=models.CASCADE, related_name="sampled_sites"
    )
    site = models.ForeignKey(Site, verbose_name="点位", on_delete=models.PROTECT, related_name="+")
    observer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="测评员",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="assessment_sites",
    )

    class Meta:
        verbose_name = "抽中点位"
        verbose_name_plural = "抽中点位"
        ordering = ["assessment", "site"]
        constraints = [models.UniqueConstraint(fields=["assessment", "site"], name="sampled_site_once")]

    def __str__(self):
        return str(self.site)


def observation_photo_path(instance, filename):
    return generated_name("observations")


class Observation(models.Model):
    class Result(models.TextChoices):
        MET = scoring.MET, "达标"
        NOT_MET = scoring.NOT_MET, "不达标"
        NOT_APPLICABLE = scoring.NOT_APPLICABLE, "不适用"

    sampled_site = models.ForeignKey(
        SampledSite, verbose_name="抽中点位", on_delete=models.PROTECT, related_name="observations"
    )
    standard = models.ForeignKey(Standard, verbose_name="测评标准", on_delete=models.PROTECT, related_name="observations")
    result = models.CharField("结果", max_length=10, choices=Result.choices)
    note = models.TextField("问题描述", blank=True)
    photo = models.FileField("照片", upload_to=observation_photo_path, max_length=200, blank=True)
    observed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="测评员", on_delete=models.PROTECT, related_name="+"
    )
    observed_at = models.DateTimeField("测评时间", default=timezone.now)
    finding = models.OneToOneField(
        "supervision.Finding",
        verbose_name="整改问题",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="observation",
        help_text="测评结束时，每条不达标记录成为责任单位的一条整改事项。",
    )

    class Meta:
        verbose_name = "测评记录"
        verbose_name_plural = "测评记录"
        ordering = ["sampled_site", "standard"]
        constraints = [
            models.UniqueConstraint(fields=["sampled_site", "standard"], name="observation_once"),
            # A failure says what is wrong: it becomes the unit's rectification requirement.
            models.CheckConstraint(
                condition=~Q(result="not_met") | _not_blank("note"), name="observation_failure_described"
            ),
        ]

    def __str__(self):
        return f"{self.sampled_site} · {self.standard}"


class StandardMaterial(models.Model):
    """A unit's material (材料审核) for one standard: what it says and the files
    that show it, sent to the office, returned with a comment or accepted.

    The lead unit of a standard whose methods include 材料审核 is asked for
    it; a co-unit may send its own too, reviewed the same way but not counted
    as asked (`material.accepted_rate`). A row exists once the unit first
    saves; before that the material is 未提交.
    """

    class Status(models.TextChoices):
        DRAFT = "draft", "草稿"
        SUBMITTED = "submitted", "待审核"
        RETURNED = "returned", "已退回"
        ACCEPTED = "accepted", "已通过"

    standard = models.ForeignKey(Standard, verbose_name="测评标准", on_delete=models.PROTECT, related_name="materials")
    unit = models.ForeignKey(Unit, verbose_name="责任单位", on_delete=models.PROTECT, related_name="+")
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.DRAFT)
    text = models.TextField("材料说明", blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="提交人", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    submitted_at = models.DateTimeField("最近提交时间", null=True, blank=True)
    review_comment = models.TextField("审核意见", blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="审核人", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reviewed_at = models.DateTimeField("审核时间", null=True, blank=True)
    updated_at = models.DateTimeField("更新时间", default=timezone.now)
    history = HistoricalRecords(verbose_name="测评材料修改记录", verbose_name_plural="测评材料修改记录")

    TRANSITIONS = {
        "submit": ({Status.DRAFT, Status.RETURNED}, Status.SUBMITTED),
        "return": ({Status.SUBMITTED}, Status.RETURNED),
        "accept": ({Status.SUBMITTED}, Status.ACCEPTED),
    }
    EDITABLE_STATUSES = frozenset({Status.DRAFT, Status.RETURNED})

    class Meta:
        verbose_name = "测评材料"
        verbose_name_plural = "测评材料"
        ordering = ["standard", "unit"]
        constraints = [
            models.UniqueConstraint(
                fields=["standard", "unit"], name="material_once_per_unit", violation_error_message="该单位已有这条标准的材料。"
            ),
            models.CheckConstraint(
                condition=Q(status="draft") | Q(submitted_at__isnull=False, submitted_by__isnull=False),
                name="material_sent_has_sender",
            ),
            models.CheckConstraint(
                condition=Q(status__in=["draft", "submitted"]) | Q(reviewed_at__isnull=False, reviewed_by__isnull=False),
                name="material_reviewed_has_reviewer",
            ),
            models.CheckConstraint(
                condition=~Q(status="returned") | _not_blank("review_comment"), name="material_return_has_comment"
            ),
        ]
        indexes = [models.Index(fields=["unit", "status"], name="material_unit_status")]

    def __str__(self):
        return f"{self.unit} · {self.standard}"

    @property
    def is_editable(self):
        return self.status in self.EDITABLE_STATUSES

    def record_transition(self, change, *, by, at, comment):
        if change.action == "submit":
            self.submitted_by, self.submitted_at = by, at
        else:
            self.reviewed_by, self.reviewed_at, self.review_comment = by, at, comment
        self.updated_at = at
        return MaterialEvent.record(change, by=by, at=at, comment=comment, material=self)


class MaterialEvent(TransitionEvent):
    """One move of a material (提交, 退回, 通过), with who and when. Never edited."""

    class Action(models.TextChoices):
        SUBMIT = "submit", "提交"
        RETURN = "return", "退回"
        ACCEPT = "accept", "通过"

    material = models.ForeignKey(StandardMaterial, verbose_name="测评材料", on_delete=models.PROTECT, related_name="events")
    action = models.CharField("操作", max_length=10, choices=Action.choices)
    from_status = models.CharField("原状态", max_length=10, choices=StandardMaterial.Status.choices)
    to_status = models.CharField("新状态", max_length=10, choices=StandardMaterial.Status.choices)

    class Meta:
        verbose_name = "测评材料审核记录"
        verbose_name_plural = "测评材料审核记录"
        ordering = ["material", "created_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(action="return") | _not_blank("comment"), name="material_event_return_has_comment"
            ),
        ]

    def __str__(self):
        return f"{self.get_action_display()} · {self.actor} · {self.created_at:%Y-%m-%d %H:%M}"


def material_file_path(instance, filename):
    return generated_name("materials")


class MaterialFile(StoredFile):
    """A file of a unit's material: uploaded, or one the unit already sent
    with a report (报一次，用多次), then the same stored file, never a copy."""

    material = models.ForeignKey(StandardMaterial, verbose_name="测评材料", on_delete=models.PROTECT, related_name="files")
    file = models.FileField("文件", upload_to=material_file_path, max_length=200)
    reused_from = models.ForeignKey(
        "reports.Attachment",
        verbose_name="取自报送附件",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    # A file the office may have seen stays on record when the unit takes it out.
    removed_at = models.DateTimeField("移除时间", null=True, blank=True)

    class Meta:
        verbose_name = "测评材料文件"
        verbose_name_plural = "测评材料文件"
        ordering = ["material", "uploaded_at", "id"]
        constraints = [
            # One report attachment is listed once in a material that keeps it.
            models.UniqueConstraint(
                fields=["material", "reused_from"],
                condition=Q(reused_from__isnull=False, removed_at__isnull=True),
                name="material_file_reused_once",
            ),
        ]


class Recheck(models.Model):
    """复查: the office's second look at a 不达标 when it verifies the
    rectification item the failure opened (supervision's 核验销号).

    A re-check is a row of its own, never an `Observation`: the mock
    assessment's 得分率 is what its observers found on the day, and a site put
    right afterwards must not raise it (`mock.results` reads observations
    only). It names the original observation, so its standard and site are
    the original's."""

    class Result(models.TextChoices):
        MET = scoring.MET, "复查达标"
        NOT_MET = scoring.NOT_MET, "复查仍不达标"

    observation = models.ForeignKey(
        Observation, verbose_name="原测评记录", on_delete=models.PROTECT, related_name="rechecks"
    )
    result = models.CharField("复查结果", max_length=10, choices=Result.choices)
    note = models.TextField("复查意见", blank=True)
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="复查人", on_delete=models.PROTECT, related_name="+"
    )
    checked_at = models.DateTimeField("复查时间")

    class Meta:
        verbose_name = "复查记录"
        verbose_name_plural = "复查记录"
        ordering = ["observation", "checked_at", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(result__in=["met", "not_met"]), name="recheck_result_known"),
            # Still failing: the note is what the unit is sent back to fix.
            models.CheckConstraint(condition=~Q(result="not_met") | _not_blank("note"), name="recheck_failure_described"),
        ]

    def __str__(self):
        return f"{self.observation} · {self.get_result_display()}"
