"""Monthly evaluation (综合评定): the scheme, the scores, manual points,
objections (申诉) and the bulletin (通报).

A score is computed from what the product already knows (reports, reviews,
inspections, rectifications; see services.compute_evaluation) and keeps
its breakdown as written sentences, so that the figures a unit sees are the
ones the total was added from, even after the data moves on.
"""

import datetime

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Length, Trim
from django.db.models.lookups import GreaterThan
from django.utils import timezone

from campaigns.models import Campaign, Unit

from .periods import Cadence, Span, month_span


class ScoringScheme(models.Model):
    """How a campaign's units are scored: its components, each with its
    points, and how often (the cadence).

    Every component measures outcomes or the office's own findings, never how
    much a unit uses the app (log-ins, clicks, time online): national rules
    forbid ranking units on that."""

    campaign = models.OneToOneField(
        Campaign, verbose_name="创建活动", on_delete=models.CASCADE, related_name="scoring_scheme"
    )
    objection_days = models.PositiveSmallIntegerField(
        "申诉期（天）", default=5, help_text="评定结果发布后多少天内，责任单位可以提出申诉"
    )
    cadence = models.CharField(
        "评定周期", max_length=10, choices=Cadence.choices, default=Cadence.MONTHLY, help_text="按月、按季度、按年度或按阶段评定"
    )
    lead_count = models.PositiveSmallIntegerField("通报表扬单位数", default=3, help_text="通报中表扬排名前几名的单位")
    lag_count = models.PositiveSmallIntegerField("通报批评单位数", default=2, help_text="通报中点名排名后几名的单位")
    notes = models.TextField("评分说明", blank=True)

    class Meta:
        verbose_name = "评分方案"
        verbose_name_plural = "评分方案"

    def __str__(self):
        return f"{self.campaign} 评分方案"


class ScoringComponent(models.Model):
    """One weighted part of the score. `weight` is the most points it gives."""

    class Kind(models.TextChoices):
        SUBMISSION_RATE = "submission_rate", "报送率"
        ON_TIME_RATE = "on_time_rate", "按时报送率"
        RETURNED_REPORTS = "returned_reports", "退回次数"
        TASK_PROGRESS = "task_progress", "任务进度"
        INSPECTION_SCORE = "inspection_score", "督导检查得分"
        RECTIFICATION_ON_TIME = "rectification_on_time", "整改按期销号率"
        TARGETS_MET = "targets_met", "指标完成"
        LATE_REPORTS = "late_reports", "逾期报送扣分"
        TASK_DEADLINES = "task_deadlines", "任务按期办结率"
        MOCK_ASSESSMENT_RATE = "mock_assessment_rate", "模拟测评得分率"
        MATERIAL_ACCEPTED_RATE = "material_accepted_rate", "测评材料通过率"
        # Scores the office enters per unit (百分制), see EnteredScore.
        SURVEY = "survey", "问卷调查"
        PUBLIC_REVIEW = "public_review", "群众评议"
        SITE_VISIT = "site_visit", "实地考察"

    ENTERED = (Kind.SURVEY, Kind.PUBLIC_REVIEW, Kind.SITE_VISIT)
    DEDUCTIONS = (Kind.RETURNED_REPORTS, Kind.LATE_REPORTS)

    scheme = models.ForeignKey(ScoringScheme, verbose_name="评分方案", on_delete=models.CASCADE, related_name="components")
    kind = models.CharField("评分项", max_length=30, choices=Kind.choices)
    weight = models.DecimalField("分值（权重）", max_digits=5, decimal_places=1, help_text="本项满分")
    deduction = models.DecimalField(
        "每次扣分",
        max_digits=4,
        decimal_places=1,
        default=0,
        help_text="仅用于“退回次数”“逾期报送扣分”：每被退回或逾期一次扣几分，扣完本项分值为止",
    )
    position = models.PositiveSmallIntegerField("排序", default=0)

    class Meta:
        verbose_name = "评分项"
        verbose_name_plural = "评分项"
        ordering = ["scheme", "position", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["scheme", "kind"], name="component_unique_kind", violation_error_message="同一评分方案中评分项不能重复。"
            ),
            models.CheckConstraint(
                condition=Q(weight__gte=0), name="component_weight_not_negative", violation_error_message="分值不能为负数。"
            ),
            models.CheckConstraint(
                condition=Q(deduction__gte=0),
                name="component_deduction_not_negative",
                violation_error_message="每次扣分不能为负数。",
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()}（{self.weight}分）"

    @property
    def is_entered(self):
        return self.kind in self.ENTERED


class Evaluation(models.Model):
    """A campaign's evaluation of one span of days (a month, a quarter, a
    year or a phase; `month` is its first day, the name kept from when every
    evaluation was monthly): draft while the office reviews it, then
    published to the units."""

    class Status(models.TextChoices):
        DRAFT = "draft", "草稿"
        PUBLISHED = "published", "已发布"

    campaign = models.ForeignKey(Campaign, verbose_name="创建活动", on_delete=models.PROTECT, related_name="evaluations")
    month = models.DateField("评定期开始日", help_text="按月评定时为该月1日")
    ends_on = models.DateField("评定期结束日")
    cadence = models.CharField("评定周期", max_length=10, choices=Cadence.choices, default=Cadence.MONTHLY)
    label = models.CharField("评定期", max_length=100, blank=True, help_text="例如：2026年第一季度")
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.DRAFT)
    computed_at = models.DateTimeField("计算时间")
    computed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="计算人", on_delete=models.PROTECT, related_name="+"
    )
    published_at = models.DateTimeField("发布时间", null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="发布人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    # Published once, for good (see core.transitions). Computing again is
    # not a move: it rewrites a draft's scores.
    TRANSITIONS = {
        "publish": ({Status.DRAFT}, Status.PUBLISHED),
    }

    class Meta:
        verbose_name = "综合评定"
        verbose_name_plural = "综合评定"
        ordering = ["campaign", "-month"]
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "month", "ends_on"],
                name="evaluation_unique_month",
                violation_error_message="该评定期已有综合评定。",
            ),
            # Months, quarters and years begin on a first day; a phase begins when it begins.
            models.CheckConstraint(
                condition=Q(cadence="phase") | Q(month__day=1),
                name="evaluation_month_first_day",
                violation_error_message="评定月份须为该月1日。",
            ),
            models.CheckConstraint(
                condition=Q(ends_on__gte=F("month")), name="evaluation_span_ordered", violation_error_message="评定期结束日不能早于开始日。"
            ),
            models.CheckConstraint(
                condition=Q(status="draft", published_at__isnull=True)
                | Q(status="published", published_at__isnull=False, published_by__isnull=False),
                name="evaluation_publication_complete",
            ),
        ]

    def __str__(self):
        return f"{self.campaign} {self.month_label}综合评定"

    @property
    def is_published(self):
        return self.status == self.Status.PUBLISHED

    def record_transition(self, change, *, by, at, comment):
        """Publication is on record on the evaluation itself."""
        self.published_at, self.published_by = at, by

    def save(self, *args, **kwargs):
        if self.ends_on is None and self.cadence == Cadence.MONTHLY:
            self.ends_on = month_span(self.month).ends_on
        super().save(*args, **kwargs)

    @property
    def span(self):
        return Span(self.cadence, self.month, self.ends_on, self.month_label)

    @property
    def month_label(self):
        """The span's label (2026年3月, 2026年第一季度); the name is the monthly one's."""
        return self.label or f"{self.month.year}年{self.month.month}月"

    @property
    def month_end(self):
        """The first instant after the span (local time)."""
        return self.span.bounds[1]

    def month_is_over(self, at=None):
        return (at or timezone.now()) >= self.month_end

    @property
    def computed_before_month_end(self):
        """Computed while the month was not over: its figures stop at computed_at."""
        return self.computed_at < self.month_end

    def objections_close_at(self, scheme):
        if self.published_at is None:
            return None
        return self.published_at + datetime.timedelta(days=scheme.objection_days)


class Score(models.Model):
    """One unit's score in one evaluation. `breakdown` lists every
    component with its inputs and points, as computed."""

    evaluation = models.ForeignKey(Evaluation, verbose_name="综合评定", on_delete=models.CASCADE, related_name="scores")
    unit = models.ForeignKey(Unit, verbose_name="责任单位", on_delete=models.PROTECT, related_name="scores")
    computed_total = models.DecimalField("计算得分", max_digits=6, decimal_places=1)
    manual_total = models.DecimalField("加减分", max_digits=6, decimal_places=1, default=0)
    total = models.DecimalField("总分", max_digits=6, decimal_places=1)
    rank = models.PositiveIntegerField("名次")
    # [{"kind", "label", "weight", "points", "lost", "text", "inputs": {...}}]
    breakdown = models.JSONField("得分明细", default=list)

    class Meta:
        verbose_name = "单位得分"
        verbose_name_plural = "单位得分"
        ordering = ["evaluation", "rank", "unit__sort_order", "unit__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["evaluation", "unit"], name="score_unique_unit", violation_error_message="该单位本月已有得分。"
            ),
            models.CheckConstraint(
                condition=Q(total=F("computed_total") + F("manual_total")), name="score_total_adds_up"
            ),
            models.CheckConstraint(condition=Q(rank__gte=1), name="score_rank_positive"),
        ]

    def __str__(self):
        return f"{self.evaluation} · {self.unit} · {self.total}分"


def non_empty(field):
    return GreaterThan(Length(Trim(field)), 0)


class EnteredScore(models.Model):
    """A score the office enters for one unit in one evaluation, for a
    component it scores itself (问卷调查, 群众评议, 实地考察), out of 100.
    Kept when the evaluation is computed again."""

    evaluation = models.ForeignKey(
        Evaluation, verbose_name="综合评定", on_delete=models.CASCADE, related_name="entered_scores"
    )
    component = models.ForeignKey(
        ScoringComponent, verbose_name="评分项", on_delete=models.CASCADE, related_name="entered_scores"
    )
    unit = models.ForeignKey(Unit, verbose_name="责任单位", on_delete=models.PROTECT, related_name="+")
    score = models.DecimalField("得分（百分制）", max_digits=4, decimal_places=1)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="录入人", on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField("录入时间", default=timezone.now)

    class Meta:
        verbose_name = "办公室录入得分"
        verbose_name_plural = "办公室录入得分"
        ordering = ["evaluation", "component", "unit__sort_order", "unit__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["evaluation", "component", "unit"],
                name="entered_score_unique_unit",
                violation_error_message="该单位本项已录入得分。",
            ),
            models.CheckConstraint(
                condition=Q(score__gte=0, score__lte=100),
                name="entered_score_out_of_100",
                violation_error_message="得分须在0到100分之间（百分制）。",
            ),
        ]

    def __str__(self):
        return f"{self.unit} {self.component.get_kind_display()} {self.score}分"


class ManualAdjustment(models.Model):
    """Points the office adds or deducts by hand, with its reason. Kept when
    the evaluation is computed again."""

    score = models.ForeignKey(Score, verbose_name="单位得分", on_delete=models.PROTECT, related_name="adjustments")
    points = models.DecimalField("加减分", max_digits=5, decimal_places=1, help_text="加分为正数，扣分为负数")
    reason = models.TextField("理由")
    by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="操作人", on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField("时间", default=timezone.now)
    objection = models.ForeignKey(
        "Objection",
        verbose_name="申诉",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="adjustments",
        help_text="答复申诉时调整的分数",
    )

    class Meta:
        verbose_name = "加减分"
        verbose_name_plural = "加减分"
        ordering = ["score", "at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=non_empty("reason"), name="adjustment_has_reason", violation_error_message="加减分必须填写理由。"
            ),
            models.CheckConstraint(
                condition=~Q(points=0), name="adjustment_not_zero", violation_error_message="加减分不能为 0。"
            ),
        ]

    def __str__(self):
        return f"{self.points:+}分：{self.reason}"


class Objection(models.Model):
    """A unit's objection (申诉) to its published score, and the office's answer."""

    class Status(models.TextChoices):
        OPEN = "open", "待答复"
        ANSWERED = "answered", "已答复"

    score = models.ForeignKey(Score, verbose_name="单位得分", on_delete=models.PROTECT, related_name="objections")
    text = models.TextField("申诉理由")
    raised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="申诉人", on_delete=models.PROTECT, related_name="+"
    )
    raised_at = models.DateTimeField("申诉时间", default=timezone.now)
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.OPEN)
    answer = models.TextField("答复", blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="答复人", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    answered_at = models.DateTimeField("答复时间", null=True, blank=True)

    class Meta:
        verbose_name = "申诉"
        verbose_name_plural = "申诉"
        ordering = ["-raised_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["score"],
                condition=Q(status="open"),
                name="objection_one_open_per_score",
                violation_error_message="本单位已有一份待答复的申诉。",
            ),
            models.CheckConstraint(condition=non_empty("text"), name="objection_has_text"),
            models.CheckConstraint(
                condition=Q(status="open", answered_at__isnull=True)
                | (Q(status="answered", answered_at__isnull=False, answered_by__isnull=False) & non_empty("answer")),
                name="objection_answer_complete",
            ),
        ]

    TRANSITIONS = {
        "answer": ({Status.OPEN}, Status.ANSWERED),
    }

    def __str__(self):
        return f"{self.score.unit} 申诉（{self.get_status_display()}）"

    def record_transition(self, change, *, by, at, comment):
        """The answer is on record on the objection itself."""
        self.answer, self.answered_by, self.answered_at = comment, by, at


class Bulletin(models.Model):
    """The bulletin (通报) written from a published evaluation. The ranking
    table is kept as data and rendered as a table; the rest is the office's
    editable text."""

    class Status(models.TextChoices):
        DRAFT = "draft", "草稿"
        PUBLISHED = "published", "已发布"

    evaluation = models.OneToOneField(
        Evaluation, verbose_name="综合评定", on_delete=models.PROTECT, related_name="bulletin"
    )
    title = models.CharField("标题", max_length=200)
    number = models.CharField("文号", max_length=50, blank=True, help_text="例如：管卫办〔2026〕3号")
    recipients = models.CharField("主送单位", max_length=300, blank=True)
    body = models.TextField("正文")
    # [["1", "区卫生监督所", "95.0"], ...]: 名次, 单位, 得分
    ranking = models.JSONField("排名表", default=list)
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.DRAFT)
    created_at = models.DateTimeField("起草时间", default=timezone.now)
    published_at = models.DateTimeField("发布时间", null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="发布人", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = "通报"
        verbose_name_plural = "通报"
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(condition=non_empty("title"), name="bulletin_has_title"),
            models.CheckConstraint(
                condition=Q(status="draft", published_at__isnull=True)
                | Q(status="published", published_at__isnull=False, published_by__isnull=False),
                name="bulletin_publication_complete",
            ),
        ]

    TRANSITIONS = {
        "publish": ({Status.DRAFT}, Status.PUBLISHED),
    }

    def __str__(self):
        return self.title

    @property
    def is_published(self):
        return self.status == self.Status.PUBLISHED

    def record_transition(self, change, *, by, at, comment):
        """Publication is on record on the bulletin itself."""
        self.published_at, self.published_by = at, by

    @property
    def download_name(self):
        return f"{self.title}.docx"


RANKING_HEADER = ["名次", "责任单位", "得分"]
