import datetime
import zoneinfo
from dataclasses import dataclass

import pytest

from campaigns.models import Membership
from campaigns.tests.factories import CampaignFactory, MembershipFactory, UnitFactory, UserFactory
from reports.models import Report
from reports.services import generate_periods
from reports.tests.factories import ReportingRuleFactory
from tasks.tests.factories import IndicatorFactory, TaskFactory

SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")


def local(*args):
    return datetime.datetime(*args, tzinfo=SHANGHAI)


@dataclass
class Setting:
    campaign: object
    unit: object
    other_unit: object
    liaison: object
    other_liaison: object
    office: object
    leader: object
    rule: object
    report: object  # the unit's report due Tuesday 2026-01-13 17:30
    other_report: object
    tasks: list
    indicator: object


@pytest.fixture
def setting(db):
    """A campaign with two reporting units, their liaisons, office staff and a
    leader, a weekly rule (Tuesday 17:30) and its first periods."""
    return build_setting()


def build_setting():
    """The `setting` fixture's objects, for tests outside reports/tests
    (config/tests/test_access.py builds on them)."""
    office_unit = UnitFactory(name="领导小组办公室")
    campaign = CampaignFactory(office_unit=office_unit, starts_on=datetime.date(2026, 1, 1))
    unit, other_unit = UnitFactory(name="区卫生监督所"), UnitFactory(name="区卫健委宣传科")
    tasks = [TaskFactory(campaign=campaign, lead_unit=unit, title=f"任务{i}") for i in range(1, 3)]
    tasks[0].co_units.add(other_unit)
    indicator = IndicatorFactory(campaign=campaign, name="开展普法宣传活动", measure_unit="场")
    rule = ReportingRuleFactory(campaign=campaign, weekday=2, starts_on=datetime.date(2026, 1, 1))
    rule.indicators.add(indicator)
    generate_periods(rule=rule, through=datetime.date(2026, 1, 12))
    liaison = MembershipFactory(unit=unit, role=Membership.Role.LIAISON, user__username="liaison").user
    other_liaison = MembershipFactory(unit=other_unit, role=Membership.Role.LIAISON, user__username="other").user
    office = MembershipFactory(unit=office_unit, role=Membership.Role.OFFICE_STAFF, user__username="office").user
    leader = MembershipFactory(unit=office_unit, role=Membership.Role.LEADER, user__username="leader").user
    report = Report.objects.get(unit=unit, period__number=2)
    return Setting(
        campaign=campaign,
        unit=unit,
        other_unit=other_unit,
        liaison=liaison,
        other_liaison=other_liaison,
        office=office,
        leader=leader,
        rule=rule,
        report=report,
        other_report=Report.objects.get(unit=other_unit, period__number=2),
        tasks=tasks,
        indicator=indicator,
    )


@pytest.fixture
def make_user():
    def make(unit, role, username):
        return MembershipFactory(unit=unit, role=role, user=UserFactory(username=username)).user

    return make
