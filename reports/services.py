import dataclasses
import datetime
from typing import NamedTuple

from django.db import transaction
from django.db.models import Max, Q
from django.utils import timezone
from simple_history.utils import bulk_update_with_history

from calendars.models import WorkCalendar
from calendars.services import load_year
from campaigns.models import Campaign, Phase, Unit

from . import workflow
from .models import JointSubmission, Period, Report, ReportingRule
from .schedule import plan_periods
from .selectors import joint_candidates

NOTICE_SOURCE = "国务院办公厅通知（节假日安排页面）"


def rule_owing_units(*, rule):
    """The units that owe this rule's reports today."""
    if rule.owners == ReportingRule.Owners.LISTED:
        return Unit.objects.filter(reporting_rules=rule, is_active=True)
    return Unit.objects.filter(
        Q(led_tasks__campaign=rule.campaign_id) | Q(supported_tasks__campaign=rule.campaign_id),
        is_active=True,
    ).distinct()


def period_due_at(*, rule, deadline, work_calendar):
    day = work_calendar.next_working_day(deadline) if rule.shift_holidays else deadline
    return timezone.make_aware(datetime.datetime.combine(day, rule.due_time))


def rule_phases(rule):
    """The campaign's phases, for a rule owed at the end of each (one query, for those rules only)."""
    if rule.cadence != ReportingRule.Cadence.PHASE_END:
        return ()
    return list(Phase.objects.filter(campaign=rule.campaign_id).order_by("order"))


def planned_periods(rule, *, phases=None):
    """Every period of the rule's schedule (schedule.PlannedPeriod); `phases`
    (the campaign's, in order) when the caller has read them already."""
    return plan_periods(
        cadence=rule.cadence,
        weekday=rule.weekday,
        day_of_month=rule.day_of_month,
        starts_on=rule.starts_on,
        ends_on=rule.ends_on,
        month_offset=rule.month_offset,
        days_after=rule.days_after,
        phases=rule_phases(rule) if phases is None else phases,
    )


def begun_periods(*, rule, through):
    """The rule's planned periods (schedule.PlannedPeriod) that have begun by `through`."""
    last_day = min(rule.ends_on, through)
    return [p for p in planned_periods(rule) if p.starts_on <= last_day]


def create_periods(*, rule, planned):
    """Insert the planned periods of `rule`, deadlines moved past holidays, in one query."""
    # A phase's or the campaign's report falls due days after its period ends.
    work_calendar = WorkCalendar.between(planned[0].deadline, max(max(p.ends_on, p.deadline) for p in planned))
    return Period.objects.bulk_create(
        [
            Period(
                rule=rule,
                number=p.number,
                label=p.label(rule.cadence, rule.month_offset),
                starts_on=p.starts_on,
                ends_on=p.ends_on,
                due_at=period_due_at(rule=rule, deadline=p.deadline, work_calendar=work_calendar),
                deadline=p.deadline,
            )
            for p in planned
        ]
    )


@transaction.atomic
def generate_periods(*, rule, through=None):
    """Create the rule's periods that have begun by `through` (default: today),
    and one report per owing unit for each new period.

    Idempotent: periods that exist are left alone, and so are their reports,
    so that who owed a past period never changes.
    Returns (periods created, reports created).
    """
    through = through or timezone.localdate()
    planned = begun_periods(rule=rule, through=max(through, rule.starts_on))
    last = rule.periods.aggregate(ends_on=Max("ends_on"), number=Max("number"))
    # Periods continue from the last one there is, whatever the schedule
    # said when it was made (a rule edited, or periods made before the
    # schedule tiled its first and last days): the next starts the day after
    # the last one ends, none overlaps another, and the numbers run on.
    new = [p for p in planned if last["ends_on"] is None or p.ends_on > last["ends_on"]]
    if not new:
        return 0, 0
    if last["ends_on"] is not None and new[0].starts_on <= last["ends_on"]:
        new[0] = dataclasses.replace(new[0], starts_on=last["ends_on"] + datetime.timedelta(days=1))
    if last["number"] is not None and new[0].number <= last["number"]:
        new = [dataclasses.replace(p, number=last["number"] + i) for i, p in enumerate(new, start=1)]
    periods = create_periods(rule=rule, planned=new)
    if not all(p.pk for p in periods):  # backends that do not return ids
        periods = list(rule.periods.filter(starts_on__in=[p.starts_on for p in new]))
    unit_ids = list(rule_owing_units(rule=rule).values_list("id", flat=True))
    # The queryset's bulk_create adds the new reports to the tallies (reports.tallies).
    reports = Report.objects.bulk_create(
        [Report(period=period, unit_id=unit_id, due_at=period.due_at) for period in periods for unit_id in unit_ids]
    )
    Campaign.figures_changed(campaign_id=rule.campaign_id)
    return len(periods), len(reports)


def open_due_periods(*, through=None):
    """Generate the periods that have begun, for every active campaign."""
    totals = [0, 0]
    rules = ReportingRule.objects.filter(campaign__status=Campaign.Status.ACTIVE).select_related("campaign")
    for rule in rules:
        periods, reports = generate_periods(rule=rule, through=through)
        totals[0] += periods
        totals[1] += reports
    return tuple(totals)


def save_report(
    *,
    report,
    by,
    at,
    expected_version,
    work_done,
    problems,
    next_steps,
    task_progress,
    indicator_values,
    files=(),
    submit=False,
    late_reason="",
    also_answers=(),
    held=False,
    tasks=None,
    indicators=None,
):
    """Save the unit's working copy with its new files and, when `submit`,
    send it; returns the saved report. All or nothing: a refused file or
    submission raises WorkflowError and leaves the report as it was, so the
    user can correct the form and send again.

    `also_answers`: other reports of the unit this submission also answers
    (同时作为……报送, from `selectors.joint_candidates`); each is sent with the
    same text, progress and figures, and the link is recorded.

    The report is locked once, and its steps (save, files, submission) run
    in this one transaction without savepoints of their own: a refusal in
    any of them undoes them all. `held`: the caller locked `report`
    (`workflow.lock`) in its own transaction, and `tasks` and `indicators`,
    when given, are what `workflow.tasks_with_progress` and
    `workflow.indicators_with_values` read under that lock."""
    with transaction.atomic(savepoint=not held):
        report = workflow.save_draft(
            report=report if held else workflow.lock(report),
            by=by,
            at=at,
            expected_version=expected_version,
            work_done=work_done,
            problems=problems,
            next_steps=next_steps,
            task_progress=task_progress,
            indicator_values=indicator_values,
            held=True,
            tasks=tasks if held else None,
            indicators=indicators if held else None,
            # Sent at once: the submission writes the row, once.
            write_row=not submit,
        )
        for uploaded in files:
            workflow.add_attachment(report=report, by=by, at=at, uploaded=uploaded, held=True)
        if submit:
            report = workflow.submit(report=report, by=by, at=at, late_reason=late_reason, held=True)
            for other in also_answers:
                answer_also(report=report, other=other, by=by, at=at, late_reason=late_reason)
        return report


def answer_also(*, report, other, by, at, late_reason=""):
    """Send `other` with the content `report` was just sent with, and record
    that it was answered by it. Inside the caller's transaction: refused
    (WorkflowError) when `other` may not be answered by `report`, or cannot
    be sent now."""
    if not joint_candidates(report=report).filter(pk=other.pk).exists():
        raise workflow.WorkflowError(f"“{other.period.rule.name} {other.period.label}”不能由本报送同时报送，请刷新页面后重新选择。")
    other = workflow.save_draft(
        report=other,
        by=by,
        at=at,
        expected_version=Report.objects.values_list("version", flat=True).get(pk=other.pk),
        work_done=report.work_done,
        problems=report.problems,
        next_steps=report.next_steps,
        task_progress={p.task_id: (p.status, p.percent, p.note) for p in report.task_progress.all()},
        indicator_values={v.indicator_id: v.value for v in report.indicator_values.all()},
    )
    # A one-off report's late reason is its own: say why it is late, if it is.
    workflow.submit(report=other, by=by, at=at, late_reason=late_reason or report.late_reason)
    JointSubmission.objects.create(report=report, answered=other, created_by=by, created_at=at)
    return other


class MovedDeadline(NamedTuple):
    """One owed report whose deadline a new holiday calendar moved."""

    report_id: int
    unit_id: int
    campaign_id: int
    period: str
    old_due_at: datetime.datetime
    new_due_at: datetime.datetime


@transaction.atomic
def load_holiday_notice(*, notice, text, at):
    """Replace the notice's year of holidays (`calendars.notice.Notice`) and
    move every deadline still ahead of `at` that the calendar set: a period
    of a rule with `shift_holidays` whose deadline now falls on a day off, or
    was moved past days that are working days now, and the owed reports that
    share its deadline (an extended report keeps its own).

    A deadline that differs from what the old calendar gave was set by hand
    and is left alone. Returns the moved reports, for telling their units.
    """
    first, last = datetime.date(notice.year - 1, 12, 1), datetime.date(notice.year, 12, 31)
    periods = list(
        Period.objects.filter(
            Q(deadline__range=(first, last)) | Q(deadline__isnull=True, ends_on__range=(first, last)),
            rule__shift_holidays=True,
            rule__campaign__status=Campaign.Status.ACTIVE,
            due_at__gt=at,
        ).select_related("rule")
    )
    old_calendar = WorkCalendar.between(first, last)
    load_year(year=notice.year, days=notice.days, source=NOTICE_SOURCE, notice=text)
    new_calendar = WorkCalendar.between(first, last)

    moves = {}
    for period in periods:
        old = period_due_at(rule=period.rule, deadline=period.nominal_deadline, work_calendar=old_calendar)
        new = period_due_at(rule=period.rule, deadline=period.nominal_deadline, work_calendar=new_calendar)
        if period.due_at == old and new != old and new > at:
            moves[period.pk] = (period, old, new)
            period.due_at = new
    if not moves:
        return []
    Period.objects.bulk_update([period for period, _, _ in moves.values()], ["due_at"])
    reports = list(
        Report.objects.filter(period__in=moves, status__in=Report.OWED_STATUSES)
    )
    moved, changed = [], []
    for report in reports:
        period, old, new = moves[report.period_id]
        if report.due_at == old:
            report.due_at = new
            changed.append(report)
            moved.append(MovedDeadline(report.pk, report.unit_id, period.rule.campaign_id, str(period), old, new))
    if changed:
        # bulk_update runs the queryset's update(), which moves the reports'
        # tallies to their new deadline's rows (reports.tallies).
        bulk_update_with_history(changed, Report, ["due_at"], default_change_reason="按节假日安排调整截止时间")
    for campaign_id in {period.rule.campaign_id for period, _, _ in moves.values()}:
        Campaign.figures_changed(campaign_id=campaign_id)
    return moved
