"""Cadences beyond the week and the month: 每季度, 每半年, 每年 and 一次性."""

import datetime

import pytest
from django.utils import timezone

from campaigns.tests.factories import CampaignFactory
from reports.models import Period, ReportingRule
from reports.schedule import closing_deadline, nominal_deadlines, plan_periods
from reports.services import generate_periods
from reports.tests.factories import ReportingRuleFactory
from tasks.tests.factories import TaskFactory

D = datetime.date


def deadlines(cadence, day, offset, starts_on, ends_on):
    return list(
        nominal_deadlines(
            cadence=cadence, weekday=None, day_of_month=day, starts_on=starts_on, ends_on=ends_on, month_offset=offset
        )
    )


@pytest.mark.parametrize(
    "cadence, day, offset, expected",
    [
        # 每季度末月25日前
        ("quarterly", 25, 0, [D(2026, 3, 25), D(2026, 6, 25), D(2026, 9, 25), D(2026, 12, 25)]),
        # 每季度结束后10日内 (次月10日前报送上季度情况): the fourth quarter's falls in the next year.
        ("quarterly", 10, 1, [D(2026, 1, 10), D(2026, 4, 10), D(2026, 7, 10), D(2026, 10, 10)]),
        # 每季度末月月底: the 31st is each month's last day.
        ("quarterly", 31, 0, [D(2026, 3, 31), D(2026, 6, 30), D(2026, 9, 30), D(2026, 12, 31)]),
        # 每半年: 6月、12月20日前; 7月、1月10日前.
        ("half_yearly", 20, 0, [D(2026, 6, 20), D(2026, 12, 20)]),
        ("half_yearly", 10, 1, [D(2026, 1, 10), D(2026, 7, 10)]),
        # 每年11月底前报送年度总结; 次年1月15日前报送上年度总结.
        ("yearly", 30, -1, [D(2026, 11, 30)]),
        ("yearly", 15, 1, [D(2026, 1, 15)]),
    ],
)
def test_cyclic_deadlines_fall_in_the_chosen_month_of_each_cycle(cadence, day, offset, expected):
    assert deadlines(cadence, day, offset, D(2026, 1, 1), D(2026, 12, 31)) == expected


def test_a_one_off_rule_has_one_deadline_its_last_day():
    assert deadlines("once", None, 0, D(2026, 3, 1), D(2026, 7, 15)) == [D(2026, 7, 15)]
    [period] = plan_periods(cadence="once", weekday=None, day_of_month=None, starts_on=D(2026, 3, 1), ends_on=D(2026, 7, 15))
    assert (period.starts_on, period.ends_on) == (D(2026, 3, 1), D(2026, 7, 15))
    assert period.label("once") == "2026年3月1日—7月15日"


def test_cyclic_periods_are_named_by_the_cycle_they_report_on():
    periods = list(
        plan_periods(
            cadence="quarterly", weekday=None, day_of_month=10, starts_on=D(2026, 1, 1), ends_on=D(2027, 1, 10), month_offset=1
        )
    )
    # The report due on 10 April is the first quarter's, the one due on
    # 10 January 2027 the fourth quarter of 2026. The ten days before the
    # first deadline are too short a period: they join the first quarter.
    assert [p.label("quarterly", 1) for p in periods] == [
        "2026年第一季度（2026年1月1日—4月10日）",
        "2026年第二季度（2026年4月11日—7月10日）",
        "2026年第三季度（2026年7月11日—10月10日）",
        "2026年第四季度（2026年10月11日—2027年1月10日）",
    ]
    halves = plan_periods(cadence="half_yearly", weekday=None, day_of_month=31, starts_on=D(2026, 1, 1), ends_on=D(2026, 12, 31))
    assert [p.label("half_yearly") for p in halves] == ["2026年上半年（2026年1月1日—6月30日）", "2026年下半年（2026年7月1日—12月31日）"]
    [year] = plan_periods(cadence="yearly", weekday=None, day_of_month=20, starts_on=D(2026, 1, 1), ends_on=D(2026, 12, 31))
    # The days after 20 December belong to the year's report, still due on the 20th.
    assert year.label("yearly") == "2026年度（2026年1月1日—12月31日）"
    assert year.deadline == D(2026, 12, 20)


@pytest.mark.parametrize(
    "cadence, offset, on, expected",
    [
        ("quarterly", 1, D(2026, 12, 31), D(2027, 1, 10)),
        ("quarterly", 1, D(2026, 5, 31), D(2026, 7, 10)),
        ("half_yearly", 1, D(2026, 12, 31), D(2027, 1, 10)),
        ("yearly", 3, D(2026, 12, 31), D(2027, 3, 10)),
        ("quarterly", 0, D(2026, 11, 15), D(2026, 12, 10)),
    ],
)
def test_the_closing_deadline_is_that_of_the_cycle_holding_the_day(cadence, offset, on, expected):
    assert closing_deadline(cadence=cadence, day_of_month=10, month_offset=offset, on=on) == expected


@pytest.mark.parametrize(
    "fields, expected",
    [
        ({"cadence": "quarterly", "day_of_month": 25, "month_offset": 0}, "每季度（3月、6月、9月、12月）25日 17:30 前"),
        ({"cadence": "quarterly", "day_of_month": 10, "month_offset": 1}, "每季度（1月、4月、7月、10月）10日 17:30 前"),
        ({"cadence": "half_yearly", "day_of_month": 10, "month_offset": 1}, "每半年（1月、7月）10日 17:30 前"),
        ({"cadence": "yearly", "day_of_month": 15, "month_offset": 1}, "每年（次年1月）15日 17:30 前"),
        ({"cadence": "yearly", "day_of_month": 30, "month_offset": -1}, "每年（11月）30日 17:30 前"),
        ({"cadence": "once", "day_of_month": None, "month_offset": 0}, "2026年7月15日 17:30 前（一次性）"),
    ],
)
def test_the_schedule_reads_as_the_plan_says_it(fields, expected):
    rule = ReportingRule(weekday=None, due_time=datetime.time(17, 30), starts_on=D(2026, 1, 1), ends_on=D(2026, 7, 15), **fields)
    assert rule.schedule_display == expected


@pytest.mark.django_db
def test_a_one_off_report_is_owed_once_by_every_task_unit_with_its_holiday_shifted_deadline():
    campaign = CampaignFactory(starts_on=D(2026, 9, 1), ends_on=D(2026, 12, 31))
    TaskFactory(campaign=campaign)
    # 2026-10-01 falls in the National Day holiday: the deadline moves to the first working day after.
    rule = ReportingRuleFactory(
        campaign=campaign, name="检查情况", cadence="once", weekday=None, starts_on=D(2026, 9, 1), ends_on=D(2026, 10, 1)
    )
    assert generate_periods(rule=rule, through=D(2026, 9, 1)) == (1, 1)
    assert generate_periods(rule=rule, through=D(2026, 12, 31)) == (0, 0)
    period = Period.objects.get(rule=rule)
    assert period.label == "2026年9月1日—10月1日"
    assert timezone.localdate(period.due_at) == D(2026, 10, 8)


@pytest.mark.django_db
def test_quarterly_periods_open_as_each_quarter_begins():
    campaign = CampaignFactory(starts_on=D(2026, 1, 1), ends_on=D(2026, 12, 31))
    TaskFactory(campaign=campaign)
    rule = ReportingRuleFactory(
        campaign=campaign, name="季报", cadence="quarterly", weekday=None, day_of_month=25, starts_on=D(2026, 1, 1), ends_on=D(2026, 12, 31)
    )
    assert generate_periods(rule=rule, through=D(2026, 5, 1)) == (2, 2)
    assert list(rule.periods.values_list("label", flat=True)) == [
        "2026年第一季度（2026年1月1日—3月25日）",
        "2026年第二季度（2026年3月26日—6月25日）",
    ]


def test_a_last_period_that_took_in_the_last_days_is_named_by_its_deadline():
    [quarter] = plan_periods(cadence="quarterly", weekday=None, day_of_month=31, starts_on=D(2026, 1, 1), ends_on=D(2026, 4, 5))
    assert (quarter.deadline, quarter.label("quarterly")) == (D(2026, 3, 31), "2026年第一季度（2026年1月1日—4月5日）")
    months = list(plan_periods(cadence="monthly", weekday=None, day_of_month=25, starts_on=D(2026, 1, 1), ends_on=D(2026, 3, 5)))
    assert months[-1].label("monthly") == "2026年2月（1月26日—3月5日）"
