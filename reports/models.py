import datetime
import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models, router, transaction
from django.db.models import F, Q
from django.db.models.functions import Length, Trim
from django.db.models.lookups import GreaterThan
from django.utils import timezone
from simple_history.models import HistoricalRecords

from campaigns.models import Campaign, Unit
from core.files import generated_name
from core.models import StoredFile, TransitionEvent
from core.numerals import chinese_numeral
from core.rows import RowUpdateQuerySet
from core.transitions import SAME
from tasks.models import Indicator, Task

from .schedule import CYCLE_END_MONTHS, END_CADENCES, MAX_DAYS_AFTER, MAX_MONTHS_AFTER


def default_lead_times():
    return [24, 2]


def _month_offset_label(offset):
    if offset == 0:
        return "周期最后一个月（季度末月；6月、12月；12月）"
    if offset > 0:
        return f"周期结束后第{chinese_numeral(offset)}个月" + ("（季度次月；7月、1月；次年1月）" if offset == 1 else "")
    return f"周期最后一个月之前{chinese_numeral(-offset)}个月"


MONTH_OFFSETS = [(n, _month_offset_label(n)) for n in [*range(0, MAX_MONTHS_AFTER + 1), *range(-1, -12, -1)]]


class ReportingRule(models.Model):
    """A reporting requirement of the plan (报送要求), such as
    每周二下午下班前报送 or 每月19日前报送小结."""

    class Cadence(models.TextChoices):
        WEEKLY = "weekly", "每周"
        MONTHLY = "monthly", "每月"
        QUARTERLY = "quarterly", "每季度"
        HALF_YEARLY = "half_yearly", "每半年"
        YEARLY = "yearly", "每年"
        ONCE = "once", "一次性"
        PHASE_END = "phase_end", "每阶段结束后"
        CAMPAIGN_END = "campaign_end", "活动结束后"

    class Owners(models.TextChoices):
        TASK_UNITS = "task_units", "活动任务的牵头单位和配合单位"
        LISTED = "listed", "指定单位"

    class Weekday(models.IntegerChoices):
        MONDAY = 1, "星期一"
        TUESDAY = 2, "星期二"
        WEDNESDAY = 3, "星期三"
        THURSDAY = 4, "星期四"
        FRIDAY = 5, "星期五"
        SATURDAY = 6, "星期六"
        SUNDAY = 7, "星期日"

    campaign = models.ForeignKey(
        Campaign, verbose_name="创建活动", on_delete=models.CASCADE, related_name="reporting_rules"
    )
    name = models.CharField("名称", max_length=50, help_text="例如：周报、月度小结")
    cadence = models.CharField("报送频次", max_length=12, choices=Cadence.choices)
    weekday = models.PositiveSmallIntegerField(
        "每周报送日", choices=Weekday.choices, null=True, blank=True, help_text="每周报送时填写"
    )
    day_of_month = models.PositiveSmallIntegerField(
        "每月报送日",
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(31)],
        help_text="每月、每季度、每半年、每年报送时填写；大于当月天数时取当月最后一天",
    )
    month_offset = models.SmallIntegerField(
        "报送月份",
        default=0,
        choices=MONTH_OFFSETS,
        help_text="每季度、每半年、每年报送时：截止日在周期最后一个月（季度末月、6月和12月、12月），或在其前后几个月",
    )
    days_after = models.PositiveSmallIntegerField(
        "结束后几日内报送",
        default=0,
        validators=[MaxValueValidator(MAX_DAYS_AFTER)],
        help_text=f"每阶段结束后、活动结束后报送时填写：阶段或活动结束后第几日为截止日（0 即结束当日，最多 {MAX_DAYS_AFTER} 日）",
    )
    due_time = models.TimeField("截止时间", help_text="例如下班前 17:30")
    owners = models.CharField("报送单位", max_length=20, choices=Owners.choices, default=Owners.TASK_UNITS)
    units = models.ManyToManyField(
        Unit, verbose_name="指定单位", blank=True, related_name="reporting_rules", help_text="报送单位选“指定单位”时填写"
    )
    indicators = models.ManyToManyField(
        Indicator, verbose_name="填报指标", blank=True, related_name="reporting_rules"
    )
    starts_on = models.DateField("起始日期")
    ends_on = models.DateField(
        "终止日期", help_text="一次性报送的截止日期即终止日期；每阶段结束后、活动结束后报送的终止日期为活动结束日期加上报送天数"
    )
    shift_holidays = models.BooleanField(
        "遇节假日顺延", default=True, help_text="截止日为法定节假日或休息日时，顺延到下一个工作日"
    )
    lock_after_days = models.PositiveSmallIntegerField(
        "截止后锁定天数", null=True, blank=True, help_text="截止后超过此天数不能再报送（除非办公室重新开放），不填则不锁定"
    )
    remind_before_hours = models.JSONField(
        "截止前提醒（小时）",
        default=default_lead_times,
        blank=True,
        help_text="截止前多少小时提醒联络员，例如 [24, 2]；留空则不在截止前提醒",
    )
    escalate_after_days = models.PositiveSmallIntegerField(
        "逾期几天后升级提醒",
        default=3,
        help_text="逾期达到此天数仍未报送，提醒单位负责人和领导小组办公室",
    )
    source_text = models.TextField("方案原文", blank=True, help_text="方案中规定报送要求的原句")
    history = HistoricalRecords(m2m_fields=[units, indicators])

    class Meta:
        verbose_name = "报送要求"
        verbose_name_plural = "报送要求"
        ordering = ["campaign", "cadence", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "name"], name="rule_unique_name", violation_error_message="同一活动中报送要求名称不能重复。"
            ),
            models.CheckConstraint(
                condition=(
                    # isnull=False too: a comparison with NULL is unknown, and
                    # a check constraint lets unknown through.
                    Q(cadence="weekly", weekday__isnull=False, weekday__gte=1, weekday__lte=7, day_of_month__isnull=True)
                    | Q(cadence__in=["once", *END_CADENCES], weekday__isnull=True, day_of_month__isnull=True)
                    | Q(
                        cadence__in=["monthly", "quarterly", "half_yearly", "yearly"],
                        day_of_month__isnull=False,
                        day_of_month__gte=1,
                        day_of_month__lte=31,
                        weekday__isnull=True,
                    )
                ),
                name="rule_schedule_matches_cadence",
                violation_error_message=(
                    "每周报送须填写每周报送日（不填报送日）；每月、每季度、每半年、每年报送须填写 1–31 的报送日"
                    "（不填每周报送日）；一次性报送两者都不填，以终止日期为截止日期；每阶段结束后、活动结束后报送两者都不填。"
                ),
            ),
            models.CheckConstraint(
                condition=(
                    Q(cadence__in=["weekly", "monthly", "once", *END_CADENCES], month_offset=0)
                    | Q(cadence="quarterly", month_offset__gte=-2, month_offset__lte=MAX_MONTHS_AFTER)
                    | Q(cadence="half_yearly", month_offset__gte=-5, month_offset__lte=MAX_MONTHS_AFTER)
                    | Q(cadence="yearly", month_offset__gte=-11, month_offset__lte=MAX_MONTHS_AFTER)
                ),
                name="rule_month_offset_in_cycle",
                violation_error_message="报送月份须在本周期内或周期结束后三个月内；每周、每月和一次性报送不设报送月份。",
            ),
            models.CheckConstraint(
                condition=Q(cadence__in=END_CADENCES, days_after__lte=MAX_DAYS_AFTER) | Q(days_after=0),
                name="rule_days_after_at_ends",
                violation_error_message=(
                    f"只有每阶段结束后、活动结束后报送才设结束后几日内报送，且不超过 {MAX_DAYS_AFTER} 日。"
                ),
            ),
            models.CheckConstraint(
                condition=Q(ends_on__gte=F("starts_on")),
                name="rule_ends_after_start",
                violation_error_message="终止日期不能早于起始日期。",
            ),
        ]

    def __str__(self):
        return f"{self.campaign} · {self.name}"

    def clean(self):
        from django.core.exceptions import ValidationError

        hours = self.remind_before_hours
        if hours in (None, ""):
            self.remind_before_hours = []
        elif not isinstance(hours, list) or not all(
            isinstance(h, (int, float)) and not isinstance(h, bool) and 0 < h <= 24 * 14 for h in hours
        ):
            raise ValidationError(
                {"remind_before_hours": "请填写小时数的列表，例如 [24, 2]；每个数须大于 0、不超过 336（14 天）。"}
            )

    @property
    def schedule_display(self):
        """The rule as the plan would say it: 每周二 17:30 前, 每季度结束后次月10日 17:30 前."""
        due = f"{self.due_time:%H:%M}"
        if self.cadence == self.Cadence.WEEKLY:
            return f"每周{self.get_weekday_display()[-1]} {due} 前"
        if self.cadence == self.Cadence.MONTHLY:
            return f"每月{self.day_of_month}日 {due} 前"
        if self.cadence == self.Cadence.ONCE:
            return f"{self.ends_on.year}年{self.ends_on.month}月{self.ends_on.day}日 {due} 前（一次性）"
        if self.cadence in END_CADENCES:
            when = "每阶段结束后" if self.cadence == self.Cadence.PHASE_END else "活动结束后"
            return f"{when}{self.days_after}日内 {due} 前" if self.days_after else f"{when}当日 {due} 前"
        months = "、".join(
            ("次年" if m > 12 and self.cadence == self.Cadence.YEARLY else "") + f"{(m - 1) % 12 + 1}月"
            for m in sorted((end + self.month_offset for end in CYCLE_END_MONTHS[self.cadence]), key=lambda m: (m - 1) % 12)
        )
        lead = {"quarterly": "每季度", "half_yearly": "每半年", "yearly": "每年"}[self.cadence]
        return f"{lead}（{months}）{self.day_of_month}日 {due} 前"


class Period(models.Model):
    """One reporting period of a rule. It runs from the day after the
    previous deadline up to its own deadline day, so periods tile the rule's
    dates without gaps."""

    rule = models.ForeignKey(ReportingRule, verbose_name="报送要求", on_delete=models.CASCADE, related_name="periods")
    number = models.PositiveIntegerField("期数")
    label = models.CharField("名称", max_length=60)
    starts_on = models.DateField("开始日期")
    ends_on = models.DateField("结束日期")
    due_at = models.DateTimeField("截止时间", help_text="已按节假日顺延")
    deadline = models.DateField(
        "截止日（顺延前）",
        null=True,
        blank=True,
        help_text="报送要求规定的截止日，顺延前；一般即结束日期，最后一期含活动最后几天时早于结束日期",
    )

    class Meta:
        verbose_name = "报送周期"
        verbose_name_plural = "报送周期"
        ordering = ["rule", "starts_on"]
        constraints = [
            models.UniqueConstraint(fields=["rule", "starts_on"], name="period_unique_start"),
            models.UniqueConstraint(fields=["rule", "number"], name="period_unique_number"),
            models.CheckConstraint(condition=Q(ends_on__gte=F("starts_on")), name="period_ends_after_start"),
        ]
        indexes = [models.Index(fields=["due_at"], name="period_due_at")]

    def __str__(self):
        return f"{self.rule.name} {self.label}"

    @property
    def nominal_deadline(self):
        """The rule's deadline day for this period, before any holiday shift."""
        return self.deadline or self.ends_on


class ReportQuerySet(models.QuerySet):
    """Every bulk write of reports keeps the tallies (`reports.tallies`) in
    step: `bulk_create` adds the new rows' contributions and `update()` (which
    `bulk_update` runs too) moves those of the rows it changes, in the write's
    transaction. `tally=False` leaves them to `tallies.rebuild()` (the scale seed)."""

    def bulk_create(self, objs, *args, tally=True, **kwargs):
        from . import tallies

        if kwargs.get("ignore_conflicts") or kwargs.get("update_conflicts"):
            raise ValueError("Reports are created once each: conflicts would leave the tallies wrong.")
        with transaction.atomic(using=self.db, savepoint=False):
            objs = super().bulk_create(objs, *args, **kwargs)
            for report in objs:
                report._tallied = tallies.state(report)
            if tally:
                tallies.apply([(None, report._tallied) for report in objs])
        return objs

    def update(self, **kwargs):
        from . import tallies

        if not tallies.TALLIED_FIELDS.intersection(kwargs):
            return super().update(**kwargs)
        with transaction.atomic(using=self.db, savepoint=False):
            # Lock the rows in one order (no deadlock between two bulk
            # updates), then update exactly those: a row that starts matching
            # meanwhile is not written without its tally.
            pks = list(self.select_for_update(of=("self",)).order_by("pk").values_list("pk", flat=True))
            before = tallies.states(Report.objects.filter(pk__in=pks))
            count = models.QuerySet.update(Report.objects.filter(pk__in=pks), **kwargs)
            after = tallies.states(Report.objects.filter(pk__in=pks))
            tallies.apply([(before[pk], after.get(pk)) for pk in sorted(before)])
            tallies.indicators_moved([(pk, before[pk], after.get(pk)) for pk in sorted(before)])
        return count

    def bulk_update(self, objs, fields, *args, **kwargs):
        objs = list(objs)
        count = super().bulk_update(objs, fields, *args, **kwargs)  # through update(), above
        for report in objs:
            report._tallied = None  # read again by the next save()
        return count

    def late(self):
        return self.filter(submitted_at__gt=F("due_at"))

    def owed(self):
        """Reports that count towards rates: every obligation not exempted."""
        return self.exclude(status=Report.Status.EXEMPT)


# What every page that shows a report needs with it, in the same query.
REPORT_RELATED = ["period__rule__campaign", "unit"]


class Report(models.Model):
    """What one unit owes for one period (进展报送), and what it sent.

    Rows are created when a period is generated, one per unit that owes it,
    so who owed what survives later changes to the unit list and no rate can
    exceed 100 %.
    """

    class Status(models.TextChoices):
        NOT_STARTED = "not_started", "未填报"
        DRAFT = "draft", "草稿"
        PENDING_SIGN_OFF = "pending_head", "待单位负责人审核"
        SUBMITTED = "submitted", "已报送"
        RETURNED = "returned", "已退回"
        ACCEPTED = "accepted", "审核通过"
        EXEMPT = "exempt", "免报"

    period = models.ForeignKey(Period, verbose_name="报送周期", on_delete=models.PROTECT, related_name="reports")
    unit = models.ForeignKey(Unit, verbose_name="报送单位", on_delete=models.PROTECT, related_name="reports")
    status = models.CharField("状态", max_length=12, choices=Status.choices, default=Status.NOT_STARTED)
    due_at = models.DateTimeField("截止时间", help_text="同报送周期；批准延期后为延期后的时间")
    submitted_at = models.DateTimeField("首次报送时间", null=True, blank=True)
    work_done = models.TextField("开展情况", blank=True)
    problems = models.TextField("存在问题", blank=True)
    next_steps = models.TextField("下步打算", blank=True)
    late_reason = models.TextField("逾期说明", blank=True)
    reopened = models.BooleanField(
        "已重新开放", default=False, help_text="报送期已锁定时，办公室为本单位单独开放；下次报送后自动关闭"
    )
    version = models.PositiveIntegerField("版本", default=1, help_text="每次保存加一，用于防止两人同时修改互相覆盖")
    updated_at = models.DateTimeField("更新时间", auto_now=True)
    history = HistoricalRecords()

    objects = ReportQuerySet.as_manager()

    class Meta:
        verbose_name = "进展报送"
        verbose_name_plural = "进展报送"
        ordering = ["period__due_at", "unit__sort_order", "unit__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["period", "unit"], name="report_unique_unit_period", violation_error_message="该单位本期已有报送。"
            ),
            models.CheckConstraint(
                condition=Q(status__in=["not_started", "draft", "exempt"]) | Q(submitted_at__isnull=False),
                name="report_submitted_has_time",
                violation_error_message="已报送、待审核、已退回或审核通过的报送必须有报送时间。",
            ),
            models.CheckConstraint(condition=Q(version__gte=1), name="report_version_positive"),
        ]
        indexes = [
            models.Index(fields=["unit", "status"], name="report_unit_status"),
            # Overdue lists, dashboards and the reminder sweep all ask "which
            # reports are still owed, due before or around now?"
            models.Index(fields=["due_at"], name="report_owed_due", condition=Q(status__in=["not_started", "draft"])),
            # The review queue, its tab counts and 今日工作 read one campaign's
            # reports of one status (overdue: by deadline) period by period.
            models.Index(fields=["period", "status", "due_at"], name="report_period_status"),
        ]

    def __str__(self):
        return f"{self.unit} · {self.period}"

    # The tallies (reports.tallies): the row's tallied fields as the database
    # holds them, kept when the row is loaded or written, so that save() adds
    # to the tallies only what the write changed. Status, submitted_at,
    # due_at, period and unit change through save() or the queryset's bulk
    # writes, never through raw SQL.
    @classmethod
    def from_db(cls, db, field_names, values):
        from . import tallies

        report = super().from_db(db, field_names, values)
        report._tallied = tallies.state(report) if tallies.loaded(report) else None
        return report

    def refresh_from_db(self, *args, **kwargs):
        from . import tallies

        super().refresh_from_db(*args, **kwargs)
        fields = kwargs.get("fields")
        if fields is None or tallies.TALLIED_FIELDS.intersection(fields):
            self._tallied = tallies.state(self) if fields is None and tallies.loaded(self) else None

    def save(self, *args, **kwargs):
        from . import tallies

        update_fields = kwargs.get("update_fields")
        with transaction.atomic(using=kwargs.get("using") or router.db_for_write(Report, instance=self), savepoint=False):
            if self._state.adding:
                before = None
            else:
                before = getattr(self, "_tallied", None)
                if before is None:
                    before = tallies.stored_state(self)
            super().save(*args, **kwargs)
            after = tallies.state(self, before=before, fields=update_fields)
            tallies.apply([(before, after)])
            tallies.indicators_moved(
                [(self.pk, before, after)], period=self.period if Report.period.is_cached(self) else None
            )
            self._tallied = after

    def get_absolute_url(self):
        from django.urls import reverse

        return reverse("reports:report_detail", args=[self.pk])

    @property
    def is_late(self):
        """First submitted after the deadline; stays true once accepted."""
        return self.submitted_at is not None and self.submitted_at > self.due_at

    def is_overdue(self, at):
        return self.status in self.OWED_STATUSES and at > self.due_at

    def locks_at(self):
        """When a report not yet sent can no longer be sent, or None."""
        days = self.period.rule.lock_after_days
        return None if days is None else self.due_at + datetime.timedelta(days=days)

    def is_locked(self, at):
        if self.reopened or self.status not in self.OWED_STATUSES:
            return False
        locks_at = self.locks_at()
        return locks_at is not None and at > locks_at

    def is_editable_by_unit(self, at):
        return self.status in self.EDITABLE_STATUSES and not self.is_locked(at)

    def light(self, at):
        """The status light offices know from 督办 systems."""
        return light(status=self.status, due_at=self.due_at, submitted_at=self.submitted_at, at=at)

    def record_transition(self, change, *, by, at, comment):
        """Every move of a report is on record as a ReviewEvent (core.transitions).
        A bulk action marks its moves with the batch it set on the locked row
        (`event_batch`), so that the batch can be undone together."""
        return ReviewEvent.record(
            change,
            by=by,
            at=at,
            comment=comment,
            report=self,
            batch=getattr(self, "event_batch", None),
            report_version=self.version,
        )


def light(*, status, due_at, submitted_at, at):
    """A report's status light from its bare fields, so that exports streaming
    value rows colour them exactly as the pages do."""
    if status == Report.Status.EXEMPT:
        return "exempt"
    if status == Report.Status.RETURNED:
        return "returned"
    if status in Report.OWED_STATUSES:
        if at > due_at:
            return "overdue"
        if due_at - at <= datetime.timedelta(days=DUE_SOON_DAYS):
            return "due_soon"
        return "open"
    return "late" if submitted_at is not None and submitted_at > due_at else "on_time"


Report.OWED_STATUSES = frozenset({Report.Status.NOT_STARTED, Report.Status.DRAFT})
Report.EDITABLE_STATUSES = frozenset({Report.Status.NOT_STARTED, Report.Status.DRAFT, Report.Status.RETURNED})
# The moves of a report's review (see reports.workflow and core.transitions).
# Saving a draft is an edit, not a move: it records no event.
Report.TRANSITIONS = {
    "submit": (Report.EDITABLE_STATUSES, frozenset({Report.Status.PENDING_SIGN_OFF, Report.Status.SUBMITTED})),
    "sign_off": ({Report.Status.PENDING_SIGN_OFF}, Report.Status.SUBMITTED),
    "head_return": ({Report.Status.PENDING_SIGN_OFF}, Report.Status.RETURNED),
    "accept": ({Report.Status.SUBMITTED}, Report.Status.ACCEPTED),
    "return": ({Report.Status.SUBMITTED}, Report.Status.RETURNED),
    "exempt": (Report.OWED_STATUSES, Report.Status.EXEMPT),
    # Only a locked period is reopened, and only what is still owed can be locked.
    "reopen": (Report.OWED_STATUSES, SAME),
    # The liaison takes back what nobody has acted on yet: back to the state
    # the report had before that submission (see workflow.withdraw).
    "withdraw": (
        {Report.Status.SUBMITTED, Report.Status.PENDING_SIGN_OFF},
        frozenset({Report.Status.DRAFT, Report.Status.RETURNED}),
    ),
    # The office takes back its own accept or return, within REVIEW_UNDO_HOURS.
    "undo_review": ({Report.Status.ACCEPTED, Report.Status.RETURNED}, Report.Status.SUBMITTED),
}
# A report due within this many days shows the yellow "due soon" light.
DUE_SOON_DAYS = 2


# The change reason of every history row of progress and figures that the
# report pages write (workflow.save_draft); a row without it was changed some
# other way (a shell, a script), and the 修改记录 says so.
UNIT_EDIT = "单位填报"


class TaskProgress(models.Model):
    """A report's progress on one task the unit leads or supports."""

    class Status(models.TextChoices):
        NOT_STARTED = "not_started", "未开始"
        IN_PROGRESS = "in_progress", "推进中"
        COMPLETED = "completed", "已完成"
        BLOCKED = "blocked", "受阻"

    report = models.ForeignKey(Report, verbose_name="报送", on_delete=models.CASCADE, related_name="task_progress")
    task = models.ForeignKey(Task, verbose_name="任务", on_delete=models.PROTECT, related_name="progress")
    status = models.CharField("进展状态", max_length=12, choices=Status.choices, default=Status.IN_PROGRESS)
    percent = models.PositiveSmallIntegerField(
        "完成进度（%）", default=0, validators=[MinValueValidator(0), MaxValueValidator(100)]
    )
    note = models.TextField("进展说明", blank=True)
    objects = RowUpdateQuerySet.as_manager()
    # Who changed a task's progress, when, from what: the 修改记录 of the
    # report page reads it (selectors.figure_changes).
    history = HistoricalRecords(verbose_name="任务进展修改记录", verbose_name_plural="任务进展修改记录")

    class Meta:
        verbose_name = "任务进展"
        verbose_name_plural = "任务进展"
        ordering = ["report", "task__tree_path"]
        constraints = [
            models.UniqueConstraint(fields=["report", "task"], name="progress_unique_task"),
            models.CheckConstraint(
                condition=Q(percent__gte=0, percent__lte=100),
                name="progress_percent_range",
                violation_error_message="完成进度须在 0 到 100 之间。",
            ),
        ]

    def __str__(self):
        return f"{self.task}：{self.percent}%"


class IndicatorValue(models.Model):
    """A figure a report gives for an indicator."""

    report = models.ForeignKey(
        Report, verbose_name="报送", on_delete=models.CASCADE, related_name="indicator_values"
    )
    indicator = models.ForeignKey(Indicator, verbose_name="指标", on_delete=models.PROTECT, related_name="values")
    value = models.DecimalField("数值", max_digits=14, decimal_places=2)
    # Copied from the indicator so that the database itself can refuse a
    # negative figure: a check constraint cannot look into another table.
    # No default, so that a bulk insert that forgets it fails loudly;
    # Indicator.save() keeps the copies in step.
    allow_negative = models.BooleanField(editable=False)
    objects = RowUpdateQuerySet.as_manager()
    history = HistoricalRecords(verbose_name="指标数值修改记录", verbose_name_plural="指标数值修改记录")

    class Meta:
        verbose_name = "指标数值"
        verbose_name_plural = "指标数值"
        ordering = ["report", "indicator__position"]
        constraints = [
            models.UniqueConstraint(fields=["report", "indicator"], name="value_unique_indicator"),
            models.CheckConstraint(
                condition=Q(allow_negative=True) | Q(value__gte=0),
                name="value_not_negative",
                violation_error_message="该指标不能填写负数。",
            ),
        ]

    def __str__(self):
        return f"{self.indicator.name}：{self.value}"

    def save(self, *args, **kwargs):
        self.allow_negative = self.indicator.allow_negative
        super().save(*args, **kwargs)


def attachment_path(instance, filename):
    return generated_name("attachments")


class Attachment(StoredFile):
    """A file sent with a report: a publicity article, photos, a sign-in sheet."""

    report = models.ForeignKey(Report, verbose_name="报送", on_delete=models.PROTECT, related_name="attachments")
    file = models.FileField("文件", upload_to=attachment_path, max_length=200)
    # The table was created with auto_now_add; the base's default (which a
    # caller may override) would need a migration and could change stored times.
    uploaded_at = models.DateTimeField("上传时间", auto_now_add=True)
    # A file removed from the working copy stays on record while a
    # submitted version refers to it.
    removed_at = models.DateTimeField("移除时间", null=True, blank=True)

    class Meta:
        verbose_name = "附件"
        verbose_name_plural = "附件"
        ordering = ["report", "uploaded_at"]


class ReviewEvent(TransitionEvent):
    """One step in a report's life, with who took it and when. Never edited."""

    class Action(models.TextChoices):
        SUBMIT = "submit", "报送"
        SIGN_OFF = "sign_off", "单位负责人审核通过"
        HEAD_RETURN = "head_return", "单位负责人退回"
        RETURN = "return", "退回"
        ACCEPT = "accept", "审核通过"
        EXEMPT = "exempt", "免报"
        REOPEN = "reopen", "重新开放"
        WITHDRAW = "withdraw", "撤回"
        UNDO_REVIEW = "undo_review", "撤销审核"

    report = models.ForeignKey(Report, verbose_name="报送", on_delete=models.PROTECT, related_name="events")
    action = models.CharField("操作", max_length=12, choices=Action.choices)
    from_status = models.CharField("原状态", max_length=12, choices=Report.Status.choices)
    to_status = models.CharField("新状态", max_length=12, choices=Report.Status.choices)
    # The moves of one bulk action share a batch, so the office can undo them together.
    batch = models.UUIDField("批量操作", null=True, blank=True, editable=False)
    # The report's version after the move: an undo is refused once the unit has
    # edited the report since (the version moved on without an event).
    report_version = models.PositiveIntegerField("报送版本", null=True, blank=True, editable=False)

    class Meta:
        verbose_name = "审核记录"
        verbose_name_plural = "审核记录"
        ordering = ["report", "created_at", "id"]
        indexes = [models.Index(fields=["batch"], name="event_batch", condition=Q(batch__isnull=False))]
        constraints = [
            models.CheckConstraint(
                condition=~Q(action__in=["return", "head_return", "exempt", "reopen"])
                | GreaterThan(Length(Trim("comment")), 0),
                name="event_return_has_comment",
                violation_error_message="退回、免报和重新开放时必须填写意见或理由。",
            ),
        ]

    def __str__(self):
        return f"{self.get_action_display()} · {self.actor} · {self.created_at:%Y-%m-%d %H:%M}"


class JointSubmission(models.Model):
    """同时作为……报送: one submission of a unit that also answers another of
    its obligations asking for the same thing in the same span (a monthly
    report due the day a one-off report is due). The answered report is sent
    with the same content in the same transaction; it is answered once."""

    report = models.ForeignKey(
        Report, verbose_name="报送", on_delete=models.PROTECT, related_name="joint_answers"
    )
    answered = models.OneToOneField(
        Report, verbose_name="同时作为", on_delete=models.PROTECT, related_name="answered_by"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="报送人", on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField("报送时间")

    class Meta:
        verbose_name = "一并报送"
        verbose_name_plural = "一并报送"
        ordering = ["report", "answered"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(report=F("answered")), name="joint_not_itself", violation_error_message="报送不能同时作为它自己。"
            ),
        ]

    def __str__(self):
        return f"{self.report} 同时作为 {self.answered}"


class ReportVersion(models.Model):
    """A report exactly as it was sent, each time it was sent. Never changed:
    the office reviews a version, and a returned report's next version is
    compared with it."""

    report = models.ForeignKey(Report, verbose_name="报送", on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField("第几次报送")
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="报送人", on_delete=models.PROTECT, related_name="+"
    )
    submitted_at = models.DateTimeField("报送时间")
    work_done = models.TextField("开展情况", blank=True)
    problems = models.TextField("存在问题", blank=True)
    next_steps = models.TextField("下步打算", blank=True)
    late_reason = models.TextField("逾期说明", blank=True)
    # Snapshots, so that later edits of tasks or indicators cannot rewrite
    # what was sent: [{"task": id, "code", "title", "status", "percent", "note"}]
    task_progress = models.JSONField("任务进展", default=list)
    # [{"indicator": id, "name", "measure_unit", "value": "12.50"}]
    indicator_values = models.JSONField("指标数值", default=list)
    attachments = models.ManyToManyField(Attachment, verbose_name="附件", blank=True, related_name="versions")

    class Meta:
        verbose_name = "报送版本"
        verbose_name_plural = "报送版本"
        ordering = ["report", "number"]
        constraints = [
            models.UniqueConstraint(fields=["report", "number"], name="version_unique_number"),
            models.CheckConstraint(condition=Q(number__gte=1), name="version_number_positive"),
        ]

    def __str__(self):
        return f"{self.report} 第{self.number}次报送"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValueError("A submitted version is immutable.")
        super().save(*args, **kwargs)


class ExtensionRequest(models.Model):
    """A unit's request for more time (申请延期), and the office's decision.
    Kept on record whatever the answer."""

    class Status(models.TextChoices):
        PENDING = "pending", "待审批"
        GRANTED = "granted", "已同意"
        REFUSED = "refused", "未同意"

    report = models.ForeignKey(
        Report, verbose_name="报送", on_delete=models.PROTECT, related_name="extension_requests"
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="申请人", on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField("申请时间", default=timezone.now)
    requested_due_at = models.DateTimeField("申请延期至")
    reason = models.TextField("延期理由")
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.PENDING)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="审批人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    decided_at = models.DateTimeField("审批时间", null=True, blank=True)
    granted_due_at = models.DateTimeField("批准延期至", null=True, blank=True)
    decision_comment = models.TextField("审批意见", blank=True)
    history = HistoricalRecords()

    # Decided once, either way (see core.transitions).
    TRANSITIONS = {
        "grant": ({Status.PENDING}, Status.GRANTED),
        "refuse": ({Status.PENDING}, Status.REFUSED),
    }

    class Meta:
        verbose_name = "延期申请"
        verbose_name_plural = "延期申请"
        ordering = ["-requested_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["report"],
                condition=Q(status="pending"),
                name="extension_one_pending_per_report",
                violation_error_message="本期已有一份待审批的延期申请。",
            ),
            models.CheckConstraint(
                condition=Q(status="pending", decided_at__isnull=True)
                | Q(status="granted", decided_at__isnull=False, granted_due_at__isnull=False)
                | Q(status="refused", decided_at__isnull=False, granted_due_at__isnull=True),
                name="extension_decision_complete",
            ),
            models.CheckConstraint(
                condition=GreaterThan(Length(Trim("reason")), 0), name="extension_has_reason"
            ),
        ]

    def __str__(self):
        return f"{self.report} 延期申请（{self.get_status_display()}）"

    def record_transition(self, change, *, by, at, comment):
        """The decision is on record on the request itself, and in its history."""
        self.decided_by, self.decided_at, self.decision_comment = by, at, comment


def workbook_path(instance, filename):
    # Generated names: the download gets its readable Chinese name from the view.
    return f"workbooks/{timezone.localdate():%Y/%m}/{uuid.uuid4().hex}.xlsx"


class WorkbookExport(models.Model):
    """One aggregated Excel workbook (报送情况汇总), requested by the office or
    built on the 1st of the month, and built by a Celery worker."""

    class Status(models.TextChoices):
        QUEUED = "queued", "排队中"
        RUNNING = "running", "生成中"
        DONE = "done", "已生成"
        FAILED = "failed", "生成失败"

    campaign = models.ForeignKey(
        Campaign, verbose_name="创建活动", on_delete=models.CASCADE, related_name="workbook_exports"
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="申请人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="为空表示每月1日自动生成",
    )
    date_from = models.DateField("截止日期自")
    date_to = models.DateField("截止日期至")
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.QUEUED)
    percent = models.PositiveSmallIntegerField("进度（%）", default=0)
    error = models.TextField("错误信息", blank=True)
    file = models.FileField("文件", upload_to=workbook_path, max_length=200, blank=True)
    created_at = models.DateTimeField("申请时间", default=timezone.now)
    started_at = models.DateTimeField("开始时间", null=True, blank=True)
    finished_at = models.DateTimeField("完成时间", null=True, blank=True)
    # Written while the worker builds, at least every HEARTBEAT seconds
    # (reports/exports.py): a build whose heartbeat stopped has lost its
    # worker, whatever the size of the workbook.
    heartbeat_at = models.DateTimeField("最近心跳", null=True, blank=True)

    class Meta:
        verbose_name = "汇总表"
        verbose_name_plural = "汇总表"
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(date_to__gte=F("date_from")), name="workbook_range_ordered"),
            models.CheckConstraint(condition=Q(percent__lte=100), name="workbook_percent_range"),
            # The monthly beat may fire twice (two beat processes, a restart):
            # the scheduled workbook of a month exists once.
            models.UniqueConstraint(
                fields=["campaign", "date_from", "date_to"],
                condition=Q(requested_by__isnull=True),
                name="workbook_scheduled_once",
            ),
        ]

    def __str__(self):
        return f"{self.campaign} {self.date_from}至{self.date_to}"

    @property
    def download_name(self):
        return f"《{self.campaign}》报送情况汇总_{self.date_from:%Y-%m-%d}至{self.date_to:%Y-%m-%d}.xlsx"


class TextFingerprint(models.Model):
    """One winnowed character 5-gram hash of a report's sent text (开展情况、
    存在问题、下步打算), written when the report is sent, so that the office's
    copy-paste check finds the reports sharing passages with one indexed query
    instead of reading every text of the campaign (`reports/similarity.py`)."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="fingerprints")
    # Copied from the report's period, so the lookup by campaign and hash
    # needs no join.
    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="+")
    sent_at = models.DateTimeField("报送时间")
    hash = models.IntegerField("指纹")

    class Meta:
        verbose_name = "报送文字指纹"
        verbose_name_plural = "报送文字指纹"
        constraints = [models.UniqueConstraint(fields=["report", "hash"], name="fingerprint_once_per_report")]
        indexes = [
            # Both questions the check asks (how many reports hold this hash;
            # which reports of the last year share these hashes) are answered
            # from this index alone.
            models.Index(fields=["campaign", "hash", "sent_at", "report"], name="fingerprint_lookup"),
        ]

    def __str__(self):
        return f"{self.report_id}:{self.hash}"


TALLY_COUNTERS = ["reports", "submitted", "on_time", "exempt", "awaiting_review", "returned", "accepted", "owed"]


def _report_deleted(sender, instance, **kwargs):
    from . import tallies

    tallies.report_deleted(instance)


def _report_deleting(sender, instance, **kwargs):
    from . import tallies

    tallies.report_deleting(instance)


models.signals.pre_delete.connect(_report_deleting, sender=Report, dispatch_uid="reports.tallies.report_deleting")
models.signals.post_delete.connect(_report_deleted, sender=Report, dispatch_uid="reports.tallies.report_deleted")


class ReportTally(models.Model):
    """How many of a period's reports with one deadline stand where, kept as
    reports change (`reports/tallies.py`), so that the dashboard adds up a
    few rows per period instead of the campaign's every report. One row per
    (period, deadline after extension, unit id % 16): the reports of one
    deadline hour spread over 16 rows, so that units sending at once do not
    queue on one row's lock. `tallies.rebuild()` recomputes them."""

    SHARDS = 16

    campaign = models.ForeignKey(Campaign, verbose_name="创建活动", on_delete=models.CASCADE, related_name="+")
    rule = models.ForeignKey(ReportingRule, verbose_name="报送要求", on_delete=models.CASCADE, related_name="+")
    period = models.ForeignKey(Period, verbose_name="报送周期", on_delete=models.CASCADE, related_name="tallies")
    due_at = models.DateTimeField("截止时间")
    shard = models.PositiveSmallIntegerField("分片")
    reports = models.PositiveIntegerField("应报（不含免报）", default=0)
    submitted = models.PositiveIntegerField("已报送", default=0)
    on_time = models.PositiveIntegerField("按时报送", default=0)
    exempt = models.PositiveIntegerField("免报", default=0)
    awaiting_review = models.PositiveIntegerField("待审核", default=0)
    returned = models.PositiveIntegerField("已退回", default=0)
    accepted = models.PositiveIntegerField("审核通过", default=0)
    owed = models.PositiveIntegerField("未报送", default=0)

    class Meta:
        verbose_name = "报送统计"
        verbose_name_plural = "报送统计"
        constraints = [
            models.UniqueConstraint(fields=["period", "due_at", "shard"], name="tally_unique_key"),
            models.CheckConstraint(condition=Q(shard__gte=0, shard__lt=16), name="tally_shard_range"),
            *(
                models.CheckConstraint(condition=Q(**{f"{name}__gte": 0}), name=f"tally_{name}_not_negative")
                for name in TALLY_COUNTERS
            ),
            models.CheckConstraint(
                condition=Q(submitted__lte=F("reports"), on_time__lte=F("submitted"), owed__lte=F("reports")),
                name="tally_counts_consistent",
            ),
        ]
        indexes = [
            # "The campaign's rows due by now": the dashboard's whole figures.
            models.Index(fields=["campaign", "due_at"], name="tally_campaign_due"),
        ]

    def __str__(self):
        return f"{self.period_id} {self.due_at:%Y-%m-%d %H:%M} #{self.shard}"


class IndicatorTally(models.Model):
    """A running figure of an indicator's sent values (reports.indicators),
    so that the dashboard reads a row per period or per unit instead of every
    value the campaign ever had. Two kinds of row:

    - per (indicator, period): the sum, count and maximum of the values sent
      for that period;
    - per (indicator, unit): the unit's latest sent value (最新值) and its
      period's end.

    Kept by reports.indicator_tallies (`report_moved` when a report enters
    or leaves SUBMITTED/ACCEPTED, `rebuild`); never edited by hand."""

    indicator = models.ForeignKey(Indicator, verbose_name="指标", on_delete=models.CASCADE, related_name="tallies")
    period = models.ForeignKey(
        Period, verbose_name="报送周期", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    unit = models.ForeignKey(Unit, verbose_name="报送单位", null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    total = models.DecimalField("合计", max_digits=18, decimal_places=2, default=0)
    count = models.PositiveIntegerField("填报次数", default=0)
    maximum = models.DecimalField("最大值", max_digits=14, decimal_places=2, null=True, blank=True)
    latest = models.DecimalField("最新值", max_digits=14, decimal_places=2, null=True, blank=True)
    latest_ends_on = models.DateField("最新值所属周期结束日期", null=True, blank=True)
    objects = RowUpdateQuerySet.as_manager()

    class Meta:
        verbose_name = "指标汇总"
        verbose_name_plural = "指标汇总"
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "period"], condition=Q(period__isnull=False), name="tally_unique_period"
            ),
            models.UniqueConstraint(fields=["indicator", "unit"], condition=Q(unit__isnull=False), name="tally_unique_unit"),
            models.CheckConstraint(
                condition=Q(period__isnull=False, unit__isnull=True) | Q(period__isnull=True, unit__isnull=False),
                name="tally_period_or_unit",
            ),
            models.CheckConstraint(
                condition=Q(latest__isnull=True) | Q(latest_ends_on__isnull=False), name="tally_latest_has_end"
            ),
        ]
        indexes = [models.Index(fields=["period", "indicator"], name="tally_period")]

    def __str__(self):
        return f"{self.indicator_id}:{self.period_id or '-'}:{self.unit_id or '-'}"
