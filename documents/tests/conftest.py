import datetime
import random
import zoneinfo
from dataclasses import dataclass, field
from decimal import Decimal

import pytest

from campaigns.models import Membership
from campaigns.tests.factories import CampaignFactory, MembershipFactory, UnitFactory
from reports.models import IndicatorValue, Report, ReportingRule
from reports.services import generate_periods
from reports.tests.factories import ReportingRuleFactory
from tasks.models import Indicator
from tasks.tests.factories import IndicatorFactory, TaskFactory

SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")
YEAR = 2025
# When the report is written: every rectification due before this is overdue.
NOW = datetime.datetime(2026, 3, 10, 10, 0, tzinfo=SHANGHAI)

# Reports in these states hold figures the year-end report must not count.
NOT_COUNTED = [Report.Status.DRAFT, Report.Status.RETURNED, Report.Status.SUBMITTED, Report.Status.PENDING_SIGN_OFF]


@dataclass
class World:
    campaign: object
    units: list
    tasks: dict
    indicators: dict
    office: object
    leader: object
    liaison: object
    values: list = field(default_factory=list)  # (report, indicator key, value) as created


def build_world(*, units=3, seed=7, tag=""):
    """A campaign that runs 2025–2026 with `units` units reporting monthly,
    reports in every state, and indicators of every kind: a sum with a
    sentence, a completed/assigned pair with a rate, a latest and an average."""
    rng = random.Random(seed)
    office_unit = UnitFactory(name=f"{tag}领导小组办公室", short_name="办公室")
    campaign = CampaignFactory(
        title="卫生监督执法专项行动方案",
        short_title="卫生监督执法专项行动",
        office_unit=office_unit,
        starts_on=datetime.date(YEAR, 1, 1),
        ends_on=datetime.date(YEAR + 1, 12, 31),
    )
    reporting = [
        UnitFactory(name=f"{tag}第{i}监督所", short_name=f"监督{i}所", sort_order=i) for i in range(1, units + 1)
    ]
    top = TaskFactory(campaign=campaign, position=1, title="开展普法宣传", lead_unit=reporting[0])
    top.co_units.set(reporting[1:])
    child = TaskFactory(campaign=campaign, parent=top, position=1, title="送法进社区", lead_unit=reporting[0])
    second = TaskFactory(campaign=campaign, position=2, title="落实双随机抽查", lead_unit=reporting[-1])
    tasks = {"top": top, "child": child, "second": second}
    indicators = {
        "events": IndicatorFactory(
            campaign=campaign, task=child, name="开展普法宣传活动", measure_unit="场", position=1,
            sentence_pattern="开展普法宣传活动{value}场", target_value=Decimal("50"),
        ),
        "assigned": IndicatorFactory(campaign=campaign, task=second, name="抽查任务", measure_unit="件", position=2),
        "fines": IndicatorFactory(
            campaign=campaign, task=None, name="罚款金额", measure_unit="元", position=4,
            sentence_pattern="共计处罚人民币{value}元",
        ),
        "certified": IndicatorFactory(
            campaign=campaign, name="持证率", measure_unit="%", position=5,
            aggregation=Indicator.Aggregation.LATEST, sentence_pattern="持证执法率达{value}%",
        ),
        "satisfaction": IndicatorFactory(
            campaign=campaign, name="满意率", measure_unit="%", position=6,
            aggregation=Indicator.Aggregation.AVERAGE, sentence_pattern="满意率{value}%",
        ),
    }
    indicators["done"] = IndicatorFactory(
        campaign=campaign, task=second, name="完成抽查", measure_unit="件", position=3,
        denominator=indicators["assigned"], rate_pattern="完成抽查{numerator}/{denominator}件，完成率{rate}",
    )
    rule = ReportingRuleFactory(
        campaign=campaign, name="月报", cadence=ReportingRule.Cadence.MONTHLY, weekday=None, day_of_month=31,
    )
    rule.indicators.set(indicators.values())
    generate_periods(rule=rule, through=datetime.date(YEAR + 1, 2, 28))
    world = World(
        campaign=campaign,
        units=reporting,
        tasks=tasks,
        indicators=indicators,
        office=MembershipFactory(unit=office_unit, role=Membership.Role.OFFICE_STAFF, user__username="office").user,
        leader=MembershipFactory(unit=office_unit, role=Membership.Role.LEADER, user__username="leader").user,
        liaison=MembershipFactory(unit=reporting[0], role=Membership.Role.LIAISON, user__username="liaison").user,
    )
    statuses = [Report.Status.ACCEPTED] * 6 + NOT_COUNTED + [Report.Status.NOT_STARTED, Report.Status.EXEMPT]
    rows = []
    reports = Report.objects.filter(period__rule=rule).select_related("period", "unit").order_by("period__ends_on", "unit__sort_order")
    for report in reports:
        report.status = rng.choice(statuses)
        if report.status not in (Report.Status.NOT_STARTED, Report.Status.EXEMPT, Report.Status.DRAFT):
            report.submitted_at = report.due_at - datetime.timedelta(hours=2)
        month = report.period.ends_on.month
        report.work_done = f"{report.unit.short_name}{report.period.ends_on:%Y年%m月}开展普法宣传。"
        report.problems = f"{report.unit.short_name}：执法力量不足。"  # the same every month: written once
        report.next_steps = f"{report.period.ends_on:%m}月后继续开展宣传。"
        report.save()
        if report.status in (Report.Status.NOT_STARTED, Report.Status.EXEMPT):
            continue
        figures = {
            "events": rng.randint(0, 9),
            "assigned": 10 if month == 3 else 0,
            "done": rng.randint(0, 3),
            "fines": rng.randint(0, 5000),
            "certified": rng.choice([90, 95, 100]),
            "satisfaction": rng.randint(80, 100),
        }
        for key, value in figures.items():
            rows.append(
                IndicatorValue(report=report, indicator=indicators[key], value=Decimal(value), allow_negative=False)
            )
            world.values.append((report, key, Decimal(value)))
    IndicatorValue.objects.bulk_create(rows)
    return world


def expected_totals(world, year=YEAR):
    """The year's totals, computed here without the product's code: accepted
    reports of periods ending in the year only."""
    status = dict(Report.objects.filter(period__rule__campaign=world.campaign).values_list("pk", "status"))
    counted = [
        (report, key, value)
        for report, key, value in world.values
        if status[report.pk] == Report.Status.ACCEPTED and report.period.ends_on.year == year
    ]
    current = {
        (v.report_id, v.indicator_id): v.value
        for v in IndicatorValue.objects.filter(report__period__rule__campaign=world.campaign)
    }
    totals = {}
    for key in ("events", "assigned", "done", "fines"):
        totals[key] = sum(
            (current[report.pk, world.indicators[key].pk] for report, k, _ in counted if k == key), Decimal(0)
        )
    latest = {}
    for report, key, _ in sorted(counted, key=lambda row: row[0].period.ends_on):
        if key == "certified":
            latest[report.unit_id] = current[report.pk, world.indicators[key].pk]
    # A share: each unit's latest, averaged (Indicator.is_share).
    totals["certified"] = sum(latest.values(), Decimal(0)) / len(latest)
    satisfaction = [current[report.pk, world.indicators["satisfaction"].pk] for report, k, _ in counted if k == "satisfaction"]
    totals["satisfaction"] = sum(satisfaction, Decimal(0)) / len(satisfaction)
    return totals


@pytest.fixture
def world(db):
    return build_world()
