import datetime
from unittest import mock

import pytest
from django.utils import timezone

from calendars.models import CalendarDay, HolidayYear
from campaigns.tests.factories import CampaignFactory, UnitFactory
from reports.models import Period, Report, ReportingRule
from reports.schedule import nominal_deadlines, plan_periods
from reports.services import generate_periods
from reports.tests.factories import ReportingRuleFactory
from tasks.tests.factories import TaskFactory

D = datetime.date


def test_weekly_deadlines_cross_the_year_end_on_the_rules_weekday():
    days = list(
        nominal_deadlines(cadence="weekly", weekday=2, day_of_month=None, starts_on=D(2026, 12, 20), ends_on=D(2027, 1, 15))
    )
    assert days == [D(2026, 12, 22), D(2026, 12, 29), D(2027, 1, 5), D(2027, 1, 12)]
    assert all(day.isoweekday() == 2 for day in days)


def test_weekly_periods_tile_the_rule_without_gaps_and_are_labelled_by_iso_week():
    periods = list(plan_periods(cadence="weekly", weekday=2, day_of_month=None, starts_on=D(2026, 12, 16), ends_on=D(2027, 1, 19)))
    assert [(p.starts_on, p.ends_on) for p in periods] == [
        (D(2026, 12, 16), D(2026, 12, 22)),
        (D(2026, 12, 23), D(2026, 12, 29)),
        (D(2026, 12, 30), D(2027, 1, 5)),
        (D(2027, 1, 6), D(2027, 1, 12)),
        (D(2027, 1, 13), D(2027, 1, 19)),
    ]
    assert periods[2].label("weekly") == "第3期（2026年12月30日—2027年1月5日）"
    assert periods[0].label("weekly") == "第1期（2026年12月16日—12月22日）"
    assert periods[3].label("monthly") == "2027年1月（1月6日—1月12日）"


def test_a_first_period_shorter_than_half_a_week_joins_the_second_and_the_last_days_join_the_last():
    # Sunday 20 December to Friday 15 January, due on Tuesdays: the first
    # Tuesday is three days in, and three days follow the last Tuesday.
    periods = list(plan_periods(cadence="weekly", weekday=2, day_of_month=None, starts_on=D(2026, 12, 20), ends_on=D(2027, 1, 15)))
    assert [(p.starts_on, p.ends_on) for p in periods] == [
        (D(2026, 12, 20), D(2026, 12, 29)),
        (D(2026, 12, 30), D(2027, 1, 5)),
        (D(2027, 1, 6), D(2027, 1, 15)),
    ]
    # The plan's deadlines stand: the last report, due on Tuesday 12 January, covers the three days after it.
    assert [p.deadline for p in periods] == [D(2026, 12, 29), D(2027, 1, 5), D(2027, 1, 12)]


def test_a_short_campaign_is_tiled_exactly_from_its_first_day_to_its_last():
    # Three months from Monday 1 June, due on Mondays: no one-day first
    # period, and the four days after the last Monday are a period of their
    # own, due on the campaign's last day.
    periods = list(plan_periods(cadence="weekly", weekday=1, day_of_month=None, starts_on=D(2026, 6, 1), ends_on=D(2026, 8, 31)))
    assert periods[0].starts_on == D(2026, 6, 1) and periods[0].ends_on == D(2026, 6, 8)
    assert periods[-1].ends_on == periods[-1].deadline == D(2026, 8, 31)
    assert all(b.starts_on == a.ends_on + datetime.timedelta(days=1) for a, b in zip(periods, periods[1:]))
    assert min((p.ends_on - p.starts_on).days + 1 for p in periods) >= 4
    monthly = list(plan_periods(cadence="monthly", weekday=None, day_of_month=25, starts_on=D(2026, 6, 1), ends_on=D(2026, 8, 31)))
    assert [(p.starts_on, p.ends_on) for p in monthly] == [
        (D(2026, 6, 1), D(2026, 6, 25)),
        (D(2026, 6, 26), D(2026, 7, 25)),
        (D(2026, 7, 26), D(2026, 8, 31)),
    ]


def test_a_rule_with_no_deadline_in_its_dates_is_one_period_due_on_its_last_day():
    [period] = plan_periods(cadence="monthly", weekday=None, day_of_month=25, starts_on=D(2026, 6, 1), ends_on=D(2026, 6, 20))
    assert (period.starts_on, period.ends_on) == (D(2026, 6, 1), D(2026, 6, 20))


@pytest.mark.parametrize(
    "day_of_month, expected",
    [
        (29, [D(2027, 1, 29), D(2027, 2, 28), D(2027, 3, 29), D(2027, 4, 29)]),
        (30, [D(2027, 1, 30), D(2027, 2, 28), D(2027, 3, 30), D(2027, 4, 30)]),
        (31, [D(2027, 1, 31), D(2027, 2, 28), D(2027, 3, 31), D(2027, 4, 30)]),
    ],
)
def test_monthly_deadline_past_a_months_end_falls_on_its_last_day(day_of_month, expected):
    days = nominal_deadlines(cadence="monthly", weekday=None, day_of_month=day_of_month, starts_on=D(2027, 1, 1), ends_on=D(2027, 4, 30))
    assert list(days) == expected


def test_monthly_deadline_on_the_29th_in_a_leap_february():
    days = nominal_deadlines(cadence="monthly", weekday=None, day_of_month=29, starts_on=D(2028, 2, 1), ends_on=D(2028, 3, 1))
    assert list(days) == [D(2028, 2, 29)]


@pytest.mark.django_db
def test_generation_creates_one_report_per_owing_unit_and_is_idempotent():
    campaign = CampaignFactory(starts_on=D(2026, 1, 1), ends_on=D(2026, 12, 31))
    lead, co_unit, bystander = UnitFactory(), UnitFactory(), UnitFactory()
    task = TaskFactory(campaign=campaign, lead_unit=lead)
    task.co_units.add(co_unit)
    TaskFactory(campaign=campaign, lead_unit=lead)  # the same unit leading twice owes one report
    rule = ReportingRuleFactory(campaign=campaign, weekday=2, starts_on=D(2026, 1, 1))

    assert generate_periods(rule=rule, through=D(2026, 1, 31)) == (5, 10)
    assert generate_periods(rule=rule, through=D(2026, 1, 31)) == (0, 0)
    assert Period.objects.filter(rule=rule).count() == 5
    assert set(Report.objects.values_list("unit", flat=True)) == {lead.pk, co_unit.pk}
    assert not Report.objects.filter(unit=bystander).exists()


@pytest.mark.django_db
def test_a_unit_that_joins_later_owes_only_the_periods_generated_after():
    campaign = CampaignFactory()
    first = UnitFactory()
    TaskFactory(campaign=campaign, lead_unit=first)
    rule = ReportingRuleFactory(campaign=campaign, starts_on=D(2026, 1, 1))
    generate_periods(rule=rule, through=D(2026, 1, 10))
    newcomer = UnitFactory()
    TaskFactory(campaign=campaign, lead_unit=newcomer)

    generate_periods(rule=rule, through=D(2026, 1, 20))

    owed_by_newcomer = Report.objects.filter(unit=newcomer).values_list("period__number", flat=True)
    assert sorted(owed_by_newcomer) == [3]
    assert Report.objects.filter(unit=first).count() == 3


@pytest.mark.django_db
def test_listed_units_owe_a_listed_rule():
    campaign = CampaignFactory()
    TaskFactory(campaign=campaign)
    listed = UnitFactory()
    rule = ReportingRuleFactory(campaign=campaign, owners=ReportingRule.Owners.LISTED, starts_on=D(2026, 1, 1))
    rule.units.add(listed)
    generate_periods(rule=rule, through=D(2026, 1, 6))
    assert list(Report.objects.values_list("unit", flat=True)) == [listed.pk]


@pytest.mark.django_db
def test_deadline_on_national_day_moves_to_the_next_working_day():
    # 2026-10-01 is a Thursday inside the National Day holiday (loaded by migration).
    campaign = CampaignFactory()
    TaskFactory(campaign=campaign)
    rule = ReportingRuleFactory(campaign=campaign, weekday=4, starts_on=D(2026, 9, 25), ends_on=D(2026, 10, 31))
    generate_periods(rule=rule, through=D(2026, 10, 2))
    period = Period.objects.get(rule=rule, ends_on=D(2026, 10, 1))
    assert timezone.localtime(period.due_at) == timezone.make_aware(datetime.datetime(2026, 10, 8, 17, 30))
    assert period.reports.get().due_at == period.due_at


@pytest.mark.django_db
def test_deadline_stays_on_the_holiday_when_the_rule_does_not_shift():
    campaign = CampaignFactory()
    TaskFactory(campaign=campaign)
    rule = ReportingRuleFactory(
        campaign=campaign, weekday=4, starts_on=D(2026, 9, 25), ends_on=D(2026, 10, 31), shift_holidays=False
    )
    generate_periods(rule=rule, through=D(2026, 10, 2))
    period = Period.objects.get(rule=rule, ends_on=D(2026, 10, 1))
    assert timezone.localdate(period.due_at) == D(2026, 10, 1)


@pytest.mark.django_db
def test_a_year_without_holiday_data_falls_back_to_monday_to_friday():
    assert not HolidayYear.objects.filter(year=2027).exists()
    assert not CalendarDay.objects.filter(date__year=2027).exists()
    campaign = CampaignFactory(starts_on=D(2027, 1, 1), ends_on=D(2027, 12, 31))
    TaskFactory(campaign=campaign)
    # Saturday deadlines move to Monday. 2027-01-02, a Saturday, is one day
    # in: the first period runs to the next Saturday, the 9th.
    rule = ReportingRuleFactory(campaign=campaign, weekday=6, starts_on=D(2027, 1, 1))
    generate_periods(rule=rule, through=D(2027, 1, 2))
    assert timezone.localdate(Period.objects.get(rule=rule).due_at) == D(2027, 1, 11)


@pytest.mark.django_db
def test_a_failure_while_adding_reports_leaves_no_period_so_a_retry_creates_both():
    # A period without its reports would never be owed: the next run skips
    # periods that exist. Periods and reports are created together or not at all.
    campaign = CampaignFactory(starts_on=D(2026, 1, 1), ends_on=D(2026, 12, 31))
    TaskFactory(campaign=campaign, lead_unit=UnitFactory())
    rule = ReportingRuleFactory(
        campaign=campaign, cadence="weekly", weekday=2, starts_on=D(2026, 1, 1), ends_on=D(2026, 12, 31)
    )
    with mock.patch.object(Report.objects, "bulk_create", side_effect=RuntimeError("database went away")):
        with pytest.raises(RuntimeError):
            generate_periods(rule=rule, through=D(2026, 3, 10))
    assert not Period.objects.filter(rule=rule).exists()

    periods, reports = generate_periods(rule=rule, through=D(2026, 3, 10))
    assert periods == Period.objects.filter(rule=rule).count() > 0
    assert reports == Report.objects.filter(period__rule=rule).count() == periods


@pytest.mark.django_db
def test_periods_made_under_an_earlier_schedule_are_continued_without_overlap():
    # A rule due on Sundays whose first period was made as the schedule used
    # to make it: one day, Sunday 20 December. Today's schedule would run
    # the first period to the 27th.
    campaign = CampaignFactory(starts_on=D(2026, 12, 20), ends_on=D(2027, 3, 31))
    TaskFactory(campaign=campaign)
    rule = ReportingRuleFactory(campaign=campaign, weekday=7, starts_on=D(2026, 12, 20), ends_on=D(2027, 3, 31))
    Period.objects.create(
        rule=rule, number=1, label="第1期", starts_on=D(2026, 12, 20), ends_on=D(2026, 12, 20),
        due_at=timezone.make_aware(datetime.datetime(2026, 12, 21, 17, 30)),
    )
    generate_periods(rule=rule, through=D(2027, 1, 10))
    periods = list(rule.periods.order_by("starts_on"))
    assert [p.number for p in periods] == list(range(1, len(periods) + 1))
    assert all(b.starts_on > a.ends_on for a, b in zip(periods, periods[1:]))
    assert periods[1].starts_on == D(2026, 12, 21) and periods[1].ends_on == D(2026, 12, 27)
    assert periods[1].label == "第2期（2026年12月21日—12月27日）"
