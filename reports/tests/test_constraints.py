"""The database keeps the reporting invariants even when code skips forms and
model validation (`create`, `bulk_create`, `update`), and history is never
deleted as a side effect."""

import datetime

import pytest
from django.db.models import ProtectedError
from django.utils import timezone

from campaigns.tests.factories import CampaignFactory, UserFactory
from reports.models import IndicatorValue, Period, Report, ReportingRule, ReviewEvent, TaskProgress
from reports.services import generate_periods
from reports.tests.factories import (
    IndicatorValueFactory,
    PeriodFactory,
    ReportFactory,
    ReportingRuleFactory,
    TaskProgressFactory,
)
from tasks.tests.factories import IndicatorFactory, TaskFactory

D = datetime.date

pytestmark = pytest.mark.django_db


def at(*args):
    return timezone.make_aware(datetime.datetime(*args))


# One of each, per report


def test_a_unit_owes_one_report_per_period(refused_by):
    report = ReportFactory()
    with refused_by(Report, "report_unique_unit_period"):
        Report.objects.bulk_create([Report(period=report.period, unit=report.unit, due_at=report.due_at)])
    assert Report.objects.count() == 1


def test_another_unit_may_report_for_the_same_period():
    report = ReportFactory()
    ReportFactory(period=report.period)
    assert report.period.reports.count() == 2


def test_a_report_gives_one_value_per_indicator(refused_by):
    value = IndicatorValueFactory(value=3)
    with refused_by(IndicatorValue, "value_unique_indicator"):
        IndicatorValue.objects.create(report=value.report, indicator=value.indicator, value=5)
    assert list(value.report.indicator_values.values_list("value", flat=True)) == [3]


def test_a_report_gives_one_progress_per_task(refused_by):
    progress = TaskProgressFactory()
    with refused_by(TaskProgress, "progress_unique_task"):
        TaskProgress.objects.create(report=progress.report, task=progress.task, percent=80)


# Figures


def test_a_task_can_be_reported_fully_done_but_not_beyond(refused_by):
    progress = TaskProgressFactory(percent=100)
    with refused_by(TaskProgress, "progress_percent_range"):
        TaskProgress.objects.create(report=progress.report, task=TaskFactory(campaign=progress.task.campaign), percent=101)
    assert TaskProgress.objects.get().percent == 100


def test_raising_progress_past_100_percent_with_an_update_is_refused(refused_by):
    progress = TaskProgressFactory(percent=90)
    with refused_by(TaskProgress, "progress_percent_range"):
        TaskProgress.objects.filter(pk=progress.pk).update(percent=101)
    progress.refresh_from_db()
    assert progress.percent == 90


def test_a_negative_figure_is_refused_for_an_indicator_that_does_not_allow_it(refused_by):
    report = ReportFactory()
    leaflets = IndicatorFactory(campaign=report.period.rule.campaign, name="发放宣传资料", allow_negative=False)
    with refused_by(IndicatorValue, "value_not_negative"):
        IndicatorValue.objects.create(report=report, indicator=leaflets, value=-1)
    assert not IndicatorValue.objects.exists()


def test_a_negative_figure_is_accepted_for_an_indicator_that_allows_it():
    report = ReportFactory()
    balance = IndicatorFactory(campaign=report.period.rule.campaign, name="较上月增减", allow_negative=True)
    IndicatorValue.objects.create(report=report, indicator=balance, value=-7)
    assert IndicatorValue.objects.get().value == -7


def test_turning_a_figure_negative_with_an_update_is_refused(refused_by):
    value = IndicatorValueFactory(value=3)
    assert value.indicator.allow_negative is False
    with refused_by(IndicatorValue, "value_not_negative"):
        IndicatorValue.objects.filter(pk=value.pk).update(value=-3)


# Reporting rules and periods

@pytest.mark.parametrize(
    "schedule",
    [
        {"cadence": "weekly", "weekday": None, "day_of_month": None},
        {"cadence": "weekly", "weekday": 8, "day_of_month": None},
        {"cadence": "weekly", "weekday": 2, "day_of_month": 19},
        {"cadence": "monthly", "weekday": None, "day_of_month": None},
        {"cadence": "monthly", "weekday": None, "day_of_month": 32},
        {"cadence": "monthly", "weekday": None, "day_of_month": 0},
        {"cadence": "monthly", "weekday": 2, "day_of_month": 19},
        {"cadence": "quarterly", "weekday": None, "day_of_month": None},
        {"cadence": "yearly", "weekday": 5, "day_of_month": 20},
        {"cadence": "once", "weekday": None, "day_of_month": 15},
    ],
    ids=[
        "weekly without weekday",
        "weekly on day 8",
        "weekly with a day of month",
        "monthly without day",
        "monthly on the 32nd",
        "monthly on the 0th",
        "monthly with a weekday",
        "quarterly without day",
        "yearly with a weekday",
        "one-off with a day (its deadline is its last day)",
    ],
)
def test_a_rule_whose_schedule_does_not_match_its_cadence_is_refused(refused_by, schedule):
    campaign = CampaignFactory()
    with refused_by(ReportingRule, "rule_schedule_matches_cadence"):
        ReportingRule.objects.create(
            campaign=campaign,
            name="报送要求",
            due_time=datetime.time(17, 30),
            starts_on=D(2026, 1, 1),
            ends_on=D(2026, 12, 31),
            **schedule,
        )


@pytest.mark.parametrize(
    "schedule",
    [
        {"cadence": "weekly", "weekday": 2, "day_of_month": None},
        {"cadence": "weekly", "weekday": 7, "day_of_month": None},
        {"cadence": "monthly", "weekday": None, "day_of_month": 19},
        {"cadence": "monthly", "weekday": None, "day_of_month": 31},
        {"cadence": "quarterly", "weekday": None, "day_of_month": 10, "month_offset": 1},
        {"cadence": "yearly", "weekday": None, "day_of_month": 30, "month_offset": -1},
        {"cadence": "once", "weekday": None, "day_of_month": None},
    ],
    ids=["every Tuesday", "every Sunday", "the 19th", "the 31st", "10 days into the next quarter", "November", "once"],
)
def test_a_rule_whose_schedule_matches_its_cadence_is_accepted(schedule):
    ReportingRule.objects.create(
        campaign=CampaignFactory(),
        name="报送要求",
        due_time=datetime.time(17, 30),
        starts_on=D(2026, 1, 1),
        ends_on=D(2026, 12, 31),
        **schedule,
    )
    assert ReportingRule.objects.count() == 1


@pytest.mark.parametrize(
    "schedule",
    [
        {"cadence": "weekly", "weekday": 2, "day_of_month": None, "month_offset": 1},
        {"cadence": "once", "weekday": None, "day_of_month": None, "month_offset": -1},
        {"cadence": "quarterly", "weekday": None, "day_of_month": 10, "month_offset": -3},
        {"cadence": "half_yearly", "weekday": None, "day_of_month": 10, "month_offset": 4},
        {"cadence": "yearly", "weekday": None, "day_of_month": 10, "month_offset": -12},
    ],
    ids=["weekly", "once", "a quarter back", "four months after", "a year back"],
)
def test_a_rules_month_must_fall_in_its_cycle_or_just_after(refused_by, schedule):
    with refused_by(ReportingRule, "rule_month_offset_in_cycle"):
        ReportingRule.objects.create(
            campaign=CampaignFactory(),
            name="报送要求",
            due_time=datetime.time(17, 30),
            starts_on=D(2026, 1, 1),
            ends_on=D(2026, 12, 31),
            **schedule,
        )


def test_a_rule_cannot_end_before_it_starts(refused_by):
    rule = ReportingRuleFactory(starts_on=D(2026, 1, 1), ends_on=D(2026, 12, 31))
    with refused_by(ReportingRule, "rule_ends_after_start"):
        ReportingRule.objects.filter(pk=rule.pk).update(ends_on=D(2025, 12, 31))


def test_a_period_cannot_end_before_it_starts(refused_by):
    rule = ReportingRuleFactory()
    with refused_by(Period, "period_ends_after_start"):
        Period.objects.create(
            rule=rule, number=1, label="第1期", starts_on=D(2026, 1, 7), ends_on=D(2026, 1, 6), due_at=at(2026, 1, 6, 17, 30)
        )
    assert not Period.objects.exists()


def test_a_rule_cannot_have_two_periods_with_the_same_number(refused_by):
    period = PeriodFactory(number=1)
    with refused_by(Period, "period_unique_number"):
        PeriodFactory(rule=period.rule, number=1, starts_on=D(2026, 2, 1))


# The review cycle


@pytest.mark.parametrize("status", [Report.Status.SUBMITTED, Report.Status.RETURNED, Report.Status.ACCEPTED])
def test_a_report_past_draft_must_record_when_it_was_submitted(refused_by, status):
    report = ReportFactory()
    with refused_by(Report, "report_submitted_has_time"):
        Report.objects.filter(pk=report.pk).update(status=status)
    report.refresh_from_db()
    assert report.status == Report.Status.NOT_STARTED


def test_a_submitted_report_with_its_submission_time_is_accepted():
    report = ReportFactory()
    Report.objects.filter(pk=report.pk).update(status=Report.Status.SUBMITTED, submitted_at=report.due_at)
    report.refresh_from_db()
    assert report.status == Report.Status.SUBMITTED


# The database refuses what SQL's TRIM sees as blank; the review service
# strips every kind of whitespace before it writes.
@pytest.mark.parametrize("comment", ["", "   "], ids=["empty", "spaces"])
def test_the_office_cannot_return_a_report_without_a_comment(refused_by, comment):
    report = ReportFactory(status=Report.Status.SUBMITTED, submitted_at=at(2026, 1, 6, 16, 0))
    reviewer = UserFactory()
    with refused_by(ReviewEvent, "event_return_has_comment"):
        ReviewEvent.objects.create(
            report=report,
            actor=reviewer,
            action=ReviewEvent.Action.RETURN,
            from_status="submitted",
            to_status="returned",
            comment=comment,
        )
    ReviewEvent.objects.create(
        report=report,
        actor=reviewer,
        action=ReviewEvent.Action.RETURN,
        from_status="submitted",
        to_status="returned",
        comment="请补充宣传活动照片。",
    )
    assert report.events.get().comment == "请补充宣传活动照片。"


def test_accepting_a_report_needs_no_comment():
    report = ReportFactory(status=Report.Status.SUBMITTED, submitted_at=at(2026, 1, 6, 16, 0))
    ReviewEvent.objects.create(
        report=report, actor=UserFactory(), action=ReviewEvent.Action.ACCEPT, from_status="submitted", to_status="accepted"
    )
    assert report.events.count() == 1


# History is never deleted as a side effect


def test_a_unit_that_owes_reports_cannot_be_deleted():
    report = ReportFactory()
    unit = report.unit
    with pytest.raises(ProtectedError) as caught:
        unit.delete()
    assert report in caught.value.protected_objects
    assert Report.objects.filter(pk=report.pk, unit=unit).exists()


def test_a_rule_whose_periods_have_reports_cannot_be_deleted():
    campaign = CampaignFactory(starts_on=D(2026, 1, 1), ends_on=D(2026, 12, 31))
    TaskFactory(campaign=campaign)
    rule = ReportingRuleFactory(campaign=campaign)
    assert generate_periods(rule=rule, through=D(2026, 1, 31)) == (5, 5)

    with pytest.raises(ProtectedError):
        rule.delete()

    assert Period.objects.filter(rule=rule).count() == 5
    assert Report.objects.filter(period__rule=rule).count() == 5


def test_a_rule_whose_periods_nobody_owes_can_be_deleted_with_its_periods():
    rule = ReportingRuleFactory()
    PeriodFactory(rule=rule)
    rule.delete()
    assert not Period.objects.exists()


def test_a_campaign_with_reports_cannot_be_deleted():
    report = ReportFactory()
    campaign = report.period.rule.campaign
    with pytest.raises(ProtectedError):
        campaign.delete()
    assert Report.objects.filter(pk=report.pk).exists()


def test_a_task_with_reported_progress_cannot_be_deleted():
    progress = TaskProgressFactory()
    with pytest.raises(ProtectedError):
        progress.task.delete()
    assert TaskProgress.objects.filter(pk=progress.pk).exists()
