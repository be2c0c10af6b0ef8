from django.core.validators import MinValueValidator
from django.db import models, transaction
from django.db.models import F, Q
from simple_history.models import HistoricalRecords

from campaigns.models import Campaign, Phase, Unit

# Positions are zero-padded into `tree_path` so that a plain ORDER BY walks
# the tree depth first, as the plan document prints it.
PATH_STEP = 4


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
        ]

    def __str__(self):
        return f"{self.name}（{self.measure_unit}）" if self.measure_unit else self.name

    def clean(self):
        from django.core.exceptions import ValidationError

        if self.pk and not self.allow_negative and self.values.filter(value__lt=0).exists():
            raise ValidationError({"allow_negative": "已有单位填报了负数，不能改为不允许负数。请先核对这些数值。"})

    def save(self, *args, **kwargs):
        with transaction.atomic():
            super().save(*args, **kwargs)
            self.values.exclude(allow_negative=self.allow_negative).update(allow_negative=self.allow_negative)

    @property
    def target_display(self):
        if self.target_value is None:
            return ""
        value = self.target_value.normalize()
        return f"{self.get_comparison_display()}{value:f}{self.measure_unit}"
