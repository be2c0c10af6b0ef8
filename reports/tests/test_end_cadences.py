"""Reports owed at the end of each phase (每阶段结束后5日内报送阶段小结) and of
the campaign (活动结束后10日内报送工作总结)."""

import datetime

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from campaigns.tests.factories import CampaignFactory, PhaseFactory
from reports.models import Period, Report, ReportingRule
from reports.schedule import PhaseSpan, nominal_deadlines, plan_periods
from reports.services import generate_periods
from reports.tests.factories import ReportingRuleFactory
from tasks.tests.factories import TaskFactory

D = datetime.date

# A winter campaign: its second phase begins in the new year.
WINTER = [
    PhaseSpan("动员部署阶段", D(2026, 11, 1), D(2026, 11, 30)),
    PhaseSpan("集中整治阶段", D(2026, 12, 1), D(2027, 1, 31)),
    PhaseSpan("第三阶段 总结验收", D(2027, 2, 1), D(2027, 2, 28)),
]


def periods(cadence, starts_on, ends_on, days_after, phases=()):
    return [
        (p.starts_on, p.ends_on, p.deadline, p.label(cadence))
        for p in plan_periods(
            cadence=cadence,
            weekday=None,
            day_of_month=None,
            starts_on=starts_on,
            ends_on=ends_on,
            days_after=days_after,
            phases=phases,
        )
    ]


def test_each_phase_is_reported_days_after_it_ends_across_the_year_end():
    assert periods("phase_end", D(2026, 11, 1), D(2027, 3, 5), 5, WINTER) == [
        (D(2026, 11, 1), D(2026, 11, 30), D(2026, 12, 5), "第一阶段（动员部署阶段）小结"),
        (D(2026, 12, 1), D(2027, 1, 31), D(2027, 2, 5), "第二阶段（集中整治阶段）小结"),
        (D(2027, 2, 1), D(2027, 2, 28), D(2027, 3, 5), "第三阶段 总结验收小结"),
    ]


def test_phase_periods_tile_the_rule_whatever_the_gaps_between_phases():
    gappy = [PhaseSpan("一", D(2026, 3, 10), D(2026, 3, 31)), PhaseSpan("二", D(2026, 5, 1), D(2026, 6, 30))]
    assert [(s, e) for s, e, _, _ in periods("phase_end", D(2026, 3, 1), D(2026, 6, 30), 0, gappy)] == [
        (D(2026, 3, 1), D(2026, 3, 31)),
        (D(2026, 4, 1), D(2026, 6, 30)),
    ]


def test_a_rule_begun_late_reports_on_the_phases_it_runs_over_named_by_the_campaigns_numbering():
    assert periods("phase_end", D(2026, 12, 15), D(2027, 3, 5), 5, WINTER) == [
        (D(2026, 12, 15), D(2027, 1, 31), D(2027, 2, 5), "第二阶段（集中整治阶段）小结"),
        (D(2027, 2, 1), D(2027, 2, 28), D(2027, 3, 5), "第三阶段 总结验收小结"),
    ]


def test_undated_phases_are_skipped_and_a_campaign_without_phases_has_no_phase_reports():
    whole = [PhaseSpan("贯穿全过程", None, None), *WINTER[:1]]
    assert [label for *_, label in periods("phase_end", D(2026, 11, 1), D(2026, 12, 5), 5, whole)] == [
        "第一阶段（动员部署阶段）小结"
    ]
    assert periods("phase_end", D(2026, 11, 1), D(2026, 12, 5), 5) == []


def test_the_campaign_is_reported_once_days_after_it_ends():
    assert periods("campaign_end", D(2026, 9, 1), D(2027, 1, 10), 10) == [
        (D(2026, 9, 1), D(2026, 12, 31), D(2027, 1, 10), "活动总结")
    ]
    assert list(
        nominal_deadlines(
            cadence="campaign_end", weekday=None, day_of_month=None, starts_on=D(2026, 9, 1), ends_on=D(2027, 1, 10), days_after=10
        )
    ) == [D(2027, 1, 10)]


@pytest.mark.parametrize(
    "fields, expected",
    [
        ({"cadence": "phase_end", "days_after": 5}, "每阶段结束后5日内 17:30 前"),
        ({"cadence": "campaign_end", "days_after": 10}, "活动结束后10日内 17:30 前"),
        ({"cadence": "campaign_end", "days_after": 0}, "活动结束后当日 17:30 前"),
    ],
)
def test_the_schedule_reads_as_the_plan_says_it(fields, expected):
    rule = ReportingRule(
        weekday=None, day_of_month=None, due_time=datetime.time(17, 30), starts_on=D(2026, 1, 1), ends_on=D(2026, 12, 31), **fields
    )
    assert rule.schedule_display == expected


@pytest.fixture
def autumn(db):
    """A campaign of two phases whose first report falls due on National Day, owed by two units."""
    campaign = CampaignFactory(starts_on=D(2026, 9, 1), ends_on=D(2026, 11, 30))
    PhaseFactory(campaign=campaign, order=1, name="动员部署阶段", starts_on=D(2026, 9, 1), ends_on=D(2026, 9, 30))
    PhaseFactory(campaign=campaign, order=2, name="集中整治阶段", starts_on=D(2026, 10, 1), ends_on=D(2026, 11, 30))
    TaskFactory(campaign=campaign)
    TaskFactory(campaign=campaign)
    return campaign


@pytest.mark.django_db
def test_phase_reports_open_as_each_phase_begins_with_holiday_shifted_deadlines(autumn):
    rule = ReportingRuleFactory(
        campaign=autumn, name="阶段小结", cadence="phase_end", weekday=None, day_of_month=None, days_after=1,
        starts_on=D(2026, 9, 1), ends_on=D(2026, 12, 1),
    )
    assert generate_periods(rule=rule, through=D(2026, 9, 1)) == (1, 2)
    assert generate_periods(rule=rule, through=D(2026, 9, 30)) == (0, 0)
    assert generate_periods(rule=rule, through=D(2026, 10, 8)) == (1, 2)
    assert generate_periods(rule=rule, through=D(2027, 3, 1)) == (0, 0)
    first, second = Period.objects.filter(rule=rule).order_by("number")
    assert (first.label, first.starts_on, first.ends_on, first.deadline) == (
        "第一阶段（动员部署阶段）小结", D(2026, 9, 1), D(2026, 9, 30), D(2026, 10, 1)
    )
    # 1 October is National Day: due on the first working day after the holiday.
    assert timezone.localdate(first.due_at) == D(2026, 10, 8)
    assert (second.label, second.ends_on, timezone.localdate(second.due_at)) == ("第二阶段（集中整治阶段）小结", D(2026, 11, 30), D(2026, 12, 1))
    assert Report.objects.filter(period__rule=rule).count() == 4
    assert {r.due_at for r in Report.objects.filter(period=first)} == {first.due_at}


@pytest.mark.django_db
def test_the_campaign_summary_is_owed_once_after_the_campaign_ends(autumn):
    rule = ReportingRuleFactory(
        campaign=autumn, name="工作总结", cadence="campaign_end", weekday=None, day_of_month=None, days_after=10,
        starts_on=D(2026, 9, 1), ends_on=D(2026, 12, 10),
    )
    assert generate_periods(rule=rule, through=D(2026, 9, 1)) == (1, 2)
    assert generate_periods(rule=rule, through=D(2026, 12, 31)) == (0, 0)
    period = Period.objects.get(rule=rule)
    assert (period.label, period.starts_on, period.ends_on, period.deadline) == ("活动总结", D(2026, 9, 1), D(2026, 11, 30), D(2026, 12, 10))
    assert timezone.localdate(period.due_at) == D(2026, 12, 10)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "fields",
    [
        {"cadence": "phase_end", "weekday": None, "day_of_month": 5, "days_after": 5},
        {"cadence": "campaign_end", "weekday": 2, "day_of_month": None, "days_after": 5},
        {"cadence": "campaign_end", "weekday": None, "day_of_month": None, "days_after": 91},
        {"cadence": "phase_end", "weekday": None, "day_of_month": None, "month_offset": 1},
        {"cadence": "weekly", "weekday": 2, "day_of_month": None, "days_after": 3},
        {"cadence": "once", "weekday": None, "day_of_month": None, "days_after": 3},
    ],
    ids=["phase with a day", "campaign with a weekday", "91 days after", "phase with a month", "weekly with days", "once with days"],
)
def test_the_database_refuses_an_end_schedule_that_does_not_match_its_cadence(fields):
    campaign = CampaignFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        ReportingRuleFactory(campaign=campaign, **fields)
