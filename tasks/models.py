import re
from decimal import ROUND_HALF_UP, Decimal

from django.core.validators import MinValueValidator
from django.db import models, transaction
from django.db.models import F, Q
from django.db.models.functions import Length, Trim
from django.db.models.lookups import GreaterThan
from simple_history.models import HistoricalRecords

from campaigns.models import Campaign, Phase, Unit
from core.files import generated_name
from core.models import StoredFile, TransitionEvent

# Positions are zero-padded into `tree_path` so that a plain ORDER BY walks
# the tree depth first, as the plan document prints it.
PATH_STEP = 4


class TaskStatus(models.TextChoices):
    OPEN = "open", "办理中"
    DECLARED = "declared", "办结待确认"
    FINISHED = "finished", "已办结"


class Task(models.Model):
    """A task of the campaign's plan: 一、, (一), 1、 or (1), with its units."""

    campaign = models.ForeignKey(Campaign, verbose_name="创建活动", on_delete=models.CASCADE, related_name="tasks")
    parent = models.ForeignKey(
        # RESTRICT: a parent task with children cannot be deleted on its own,
        # but deleting a whole campaign (with no reports) takes its tree.
        "self", verbose_name="上级任务", null=True, blank=True, on_delete=models.RESTRICT, related_name="children"
    )
    position = models.PositiveIntegerField("排序", default=1, help_text="在同级任务中的次序")
    code = models.CharField("编号", max_length=20, blank=True, help_text="按方案原文，例如：一、（一）、1、（1）")
    title = models.CharField("任务名称", max_length=300)
    description = models.TextField("任务内容", blank=True)
    phase = models.ForeignKey(
        Phase,
        verbose_name="所属阶段",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="tasks",
        help_text="不填表示贯穿活动全过程",
    )
    lead_unit = models.ForeignKey(
        Unit, verbose_name="牵头单位", null=True, blank=True, on_delete=models.PROTECT, related_name="led_tasks"
    )
    co_units = models.ManyToManyField(Unit, verbose_name="配合单位", blank=True, related_name="supported_tasks")
    due_on = models.DateField("完成时限", null=True, blank=True)
    # 办结 (a supervised task closed): the lead unit applies, the office
    # confirms or returns it (TRANSITIONS below, TaskEvent the record).
    status = models.CharField(
        "办结状态", max_length=10, choices=TaskStatus.choices, default=TaskStatus.OPEN, editable=False
    )
    declared_at = models.DateTimeField("办结申请时间", null=True, blank=True, editable=False)
    finished_at = models.DateTimeField("办结时间", null=True, blank=True, editable=False)
    weight = models.DecimalField(
        "权重", max_digits=5, decimal_places=2, default=1, validators=[MinValueValidator(0)]
    )
    tree_path = models.CharField(max_length=255, editable=False, db_index=True)
    depth = models.PositiveSmallIntegerField(default=0, editable=False)
    history = HistoricalRecords(m2m_fields=[co_units])

    class Meta:
        verbose_name = "任务"
        verbose_name_plural = "任务"
        ordering = ["campaign", "tree_path"]
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "tree_path"],
                name="task_unique_position",
                violation_error_message="同一上级任务下已有相同排序的任务。",
            ),
            models.CheckConstraint(condition=Q(weight__gte=0), name="task_weight_not_negative"),
            models.CheckConstraint(condition=~Q(parent=F("id")), name="task_not_own_parent"),
            models.CheckConstraint(
                condition=Q(status__in=["open", "declared", "finished"]), name="task_status_known"
            ),
            models.CheckConstraint(
                condition=Q(status="finished", finished_at__isnull=False, declared_at__isnull=False)
                | (~Q(status="finished") & Q(finished_at__isnull=True)),
                name="task_finished_has_time",
                violation_error_message="办结的任务必须记录办结申请和确认时间。",
            ),
        ]

    def __str__(self):
        return f"{self.code} {self.title}".strip()

    def clean(self):
        from django.core.exceptions import ValidationError

        if self.parent_id and self.parent.campaign_id != self.campaign_id:
            raise ValidationError({"parent": "上级任务必须属于同一个创建活动。"})
        ancestor = self.parent
        while ancestor is not None:
            if self.pk and ancestor.pk == self.pk:
                raise ValidationError({"parent": "不能把任务放到它自己的下级任务之下。"})
            ancestor = ancestor.parent
        if self.phase_id and self.phase.campaign_id != self.campaign_id:
            raise ValidationError({"phase": "所属阶段必须属于同一个创建活动。"})

    def compute_path(self):
        prefix = self.parent.tree_path if self.parent_id else ""
        return f"{prefix}{self.position:0{PATH_STEP}d}"

    def save(self, *args, **kwargs):
        old_path = self.tree_path
        self.tree_path = self.compute_path()
        self.depth = len(self.tree_path) // PATH_STEP - 1
        with transaction.atomic():
            super().save(*args, **kwargs)
            if old_path and old_path != self.tree_path:
                # Moving a task moves its whole subtree.
                for child in self.children.all():
                    child.save()

    @property
    def indented_title(self):
        return "　" * self.depth + str(self)

    def record_transition(self, change, *, by, at, comment):
        """Every 办结 move is on record as a TaskEvent (core.transitions); the
        task keeps the time of its pending application and of its closing."""
        if change.new == TaskStatus.DECLARED:
            self.declared_at = at
        elif change.new == TaskStatus.FINISHED:
            self.finished_at = at
        elif change.new == TaskStatus.OPEN:
            self.declared_at = None
        return TaskEvent.record(change, by=by, at=at, comment=comment, task=self)


Task.Status = TaskStatus
Task.TRANSITIONS = {
    "declare": ({TaskStatus.OPEN}, TaskStatus.DECLARED),
    "confirm": ({TaskStatus.DECLARED}, TaskStatus.FINISHED),
    "return": ({TaskStatus.DECLARED}, TaskStatus.OPEN),
}


def _not_blank(field):
    return GreaterThan(Length(Trim(field)), 0)


class TaskEvent(TransitionEvent):
    """One 办结 move of a task: applied (with the evidence text), confirmed, returned. Never edited."""

    class Action(models.TextChoices):
        DECLARE = "declare", "办结申请"
        CONFIRM = "confirm", "办结确认"
        RETURN = "return", "退回"

    task = models.ForeignKey(Task, verbose_name="任务", on_delete=models.PROTECT, related_name="events")
    action = models.CharField("操作", max_length=10, choices=Action.choices)
    from_status = models.CharField("原状态", max_length=10, choices=TaskStatus.choices)
    to_status = models.CharField("新状态", max_length=10, choices=TaskStatus.choices)

    class Meta:
        verbose_name = "任务办结记录"
        verbose_name_plural = "任务办结记录"
        ordering = ["task", "created_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(action="confirm") | _not_blank("comment"),
                name="task_event_has_text",
                violation_error_message="办结申请须写明完成情况，退回须写明理由。",
            ),
        ]

    def __str__(self):
        return f"{self.get_action_display()} · {self.actor} · {self.created_at:%Y-%m-%d %H:%M}"


def task_evidence_path(instance, filename):
    return generated_name("task-evidence")


class TaskEvidence(StoredFile):
    """A file sent with a 办结申请: a notice, minutes, photos."""

    event = models.ForeignKey(TaskEvent, verbose_name="办结申请", on_delete=models.PROTECT, related_name="evidence")
    file = models.FileField("文件", upload_to=task_evidence_path, max_length=200)

    class Meta:
        verbose_name = "办结佐证材料"
        verbose_name_plural = "办结佐证材料"
        ordering = ["event", "uploaded_at", "id"]


def figure(value):
    """53364, 82, 98.5: a figure as an official document writes it, without
    trailing zeros or thousands separators."""
    value = Decimal(value).quantize(Decimal("0.01")).normalize()
    return f"{value:f}"


def percent(numerator, denominator):
    """100%, 97.6%: a rate to one decimal, the decimal dropped when zero."""
    rate = (Decimal(numerator) * 100 / Decimal(denominator)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    return f"{figure(rate)}%"


PLACEHOLDER = re.compile(r"\{([^{}]*)\}")


def check_pattern(pattern, *, allowed, required, example):
    """A sentence pattern may name `allowed` placeholders only, in braces, and
    must name those `required`; a lone brace is a typing error."""
    from django.core.exceptions import ValidationError

    names = PLACEHOLDER.findall(pattern)
    unknown = [name for name in names if name not in allowed]
    if unknown:
        shown = "、".join("{" + name + "}" for name in unknown)
        raise ValidationError(f"句式中的 {shown} 无法识别，只能使用 {example}。")
    if "{" in PLACEHOLDER.sub("", pattern) or "}" in PLACEHOLDER.sub("", pattern):
        raise ValidationError(f"句式中有不成对的大括号，请只用 {example} 这样的写法。")
    missing = [name for name in required if name not in names]
    if missing:
        shown = "、".join("{" + name + "}" for name in missing)
        raise ValidationError(f"句式中必须包含 {shown}，用来代表数值。")


def validate_sentence_pattern(pattern):
    check_pattern(pattern, allowed={"value"}, required=["value"], example="{value}")


def validate_rate_pattern(pattern):
    check_pattern(
        pattern,
        allowed={"numerator", "denominator", "rate"},
        required=["rate"],
        example="{numerator}、{denominator}、{rate}",
    )


class Indicator(models.Model):
    """A figure units report (开展宣传活动 场) and how it adds up, with its target."""

    class Aggregation(models.TextChoices):
        SUM = "sum", "求和"
        AVERAGE = "avg", "平均值"
        MAX = "max", "最大值"
        LATEST = "latest", "最新值"

    class Comparison(models.TextChoices):
        AT_LEAST = "gte", "不低于"
        AT_MOST = "lte", "不高于"
        EQUAL = "eq", "等于"

    campaign = models.ForeignKey(
        Campaign, verbose_name="创建活动", on_delete=models.CASCADE, related_name="indicators"
    )
    task = models.ForeignKey(
        Task, verbose_name="关联任务", null=True, blank=True, on_delete=models.SET_NULL, related_name="indicators"
    )
    name = models.CharField("指标名称", max_length=100)
    measure_unit = models.CharField("计量单位", max_length=20, blank=True, help_text="例如：场、份、件、元、%")
    aggregation = models.CharField("汇总方式", max_length=10, choices=Aggregation.choices, default=Aggregation.SUM)
    target_value = models.DecimalField("目标值", max_digits=14, decimal_places=2, null=True, blank=True)
    comparison = models.CharField(
        "目标比较", max_length=3, choices=Comparison.choices, default=Comparison.AT_LEAST
    )
    allow_negative = models.BooleanField("允许负数", default=False)
    max_value = models.DecimalField(
        "单次填报上限",
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        help_text="单位一次填报超过此数时提示核对，不填则不限",
    )
    position = models.PositiveSmallIntegerField("排序", default=0)
    sentence_pattern = models.CharField(
        "年度报告句式",
        max_length=200,
        blank=True,
        validators=[validate_sentence_pattern],
        help_text="年度情况报告中写这项指标的句子，用 {value} 代表全年汇总值，例如：开展普法宣传活动{value}场。不填则只列入指标表。",
    )
    denominator = models.ForeignKey(
        "self",
        verbose_name="分母指标（任务数）",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="numerators",
        help_text="本指标是完成数时，选择同一活动中对应的任务数指标（例如：国家双随机抽检任务数），年度报告据此算出完成率。",
    )
    rate_pattern = models.CharField(
        "完成率句式",
        max_length=200,
        blank=True,
        validators=[validate_rate_pattern],
        help_text="用 {numerator} 代表完成数、{denominator} 代表任务数、{rate} 代表完成率，"
        "例如：完成国家双随机抽检任务{numerator}/{denominator}件，完成率{rate}。需先选择分母指标。",
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = "指标"
        verbose_name_plural = "指标"
        ordering = ["campaign", "position", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "name"], name="indicator_unique_name", violation_error_message="同一活动中指标名称不能重复。"
            ),
            models.CheckConstraint(
                condition=Q(allow_negative=True) | Q(target_value__isnull=True) | Q(target_value__gte=0),
                name="indicator_target_not_negative",
                violation_error_message="不允许负数的指标，目标值也不能为负数。",
            ),
            models.CheckConstraint(
                condition=~Q(denominator=F("id")),
                name="indicator_not_own_denominator",
                violation_error_message="指标不能以自己为分母。",
            ),
        ]

    def __str__(self):
        return f"{self.name}（{self.measure_unit}）" if self.measure_unit else self.name

    @property
    def is_share(self):
        """A percentage or a rate (持证执法率, %): units' figures of it are
        averaged, never added (three units at 95 % are not at 285 %)."""
        return self.measure_unit.strip() in ("%", "％") or self.name.rstrip("（）()%％ ").endswith("率")

    def is_met(self, value):
        """Whether `value` reaches the target (不低于 / 不高于 / 等于), or None
        when there is no target or no value. The one definition the dashboard,
        the workbook and the year-end report share."""
        if value is None or self.target_value is None:
            return None
        # A float (a rounded figure) is compared as it prints: 0.1 meets 0.10.
        value = Decimal(str(value)) if isinstance(value, float) else Decimal(value)
        if self.comparison == self.Comparison.AT_LEAST:
            return value >= self.target_value
        if self.comparison == self.Comparison.AT_MOST:
            return value <= self.target_value
        return value == self.target_value

    def clean(self):
        from django.core.exceptions import ValidationError

        if self.pk and not self.allow_negative and self.values.filter(value__lt=0).exists():
            raise ValidationError({"allow_negative": "已有单位填报了负数，不能改为不允许负数。请先核对这些数值。"})
        if self.denominator_id:
            if self.pk and self.denominator_id == self.pk:
                raise ValidationError({"denominator": "指标不能以自己为分母，请选择对应的任务数指标。"})
            if self.denominator.campaign_id != self.campaign_id:
                raise ValidationError({"denominator": "分母指标必须属于同一个创建活动。"})
        if self.rate_pattern and not self.denominator_id:
            raise ValidationError({"rate_pattern": "填写完成率句式前，请先选择分母指标（任务数）。"})

    def save(self, *args, **kwargs):
        with transaction.atomic():
            super().save(*args, **kwargs)
            self.values.exclude(allow_negative=self.allow_negative).update(allow_negative=self.allow_negative)

    def sentence(self, value):
        """The year-end report's sentence for the indicator's total, or "" when
        the office set no pattern or nothing was reported."""
        if not self.sentence_pattern or value is None:
            return ""
        return self.sentence_pattern.replace("{value}", figure(value))

    def rate_sentence(self, numerator, denominator):
        """The completion rate of this indicator (completed) over its
        denominator (assigned): "" without a pattern or an assigned figure."""
        if not self.rate_pattern or numerator is None or not denominator:
            return ""
        return (
            self.rate_pattern.replace("{numerator}", figure(numerator))
            .replace("{denominator}", figure(denominator))
            .replace("{rate}", percent(numerator, denominator))
        )

    @property
    def target_display(self):
        if self.target_value is None:
            return ""
        value = self.target_value.normalize()
        return f"{self.get_comparison_display()}{value:f}{self.measure_unit}"
