"""The office is warned when a year that running campaigns reach has no
holiday data: its deadlines and reminders fall back to Monday-Friday."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from pytest_django.asserts import assertContains, assertNotContains

from calendars.models import HolidayYear
from campaigns.models import Campaign, Membership
from campaigns.selectors import missing_holiday_years
from campaigns.tests.factories import CampaignFactory, MembershipFactory
from reports.tests.factories import PeriodFactory, ReportingRuleFactory

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 6, 1)  # 2026 is loaded by the migration; 2027 on are not
WARNING = (
    "2027年、2028年的法定节假日和调休安排尚未载入，该年的截止时间和提醒暂按周一至周五计算。"
    "国务院办公厅公布该年放假安排后，请办公室在“节假日安排”页面粘贴通知全文载入。"
)


def test_years_up_to_the_latest_campaign_end_without_holidays_are_missing():
    CampaignFactory(ends_on=datetime.date(2027, 3, 31))
    CampaignFactory(ends_on=datetime.date(2028, 6, 30))

    assert missing_holiday_years(today=TODAY) == [2027, 2028]


def test_a_loaded_year_is_not_missing():
    CampaignFactory(ends_on=datetime.date(2028, 6, 30))
    HolidayYear.objects.create(year=2027, source="文件：2027.txt")

    assert missing_holiday_years(today=TODAY) == [2028]


def test_no_more_than_two_years_ahead_are_asked_for():
    CampaignFactory(ends_on=datetime.date(2035, 12, 31))

    assert missing_holiday_years(today=TODAY) == [2027, 2028]


def test_this_year_counts_when_it_is_not_loaded():
    CampaignFactory(ends_on=datetime.date(2026, 12, 31))
    HolidayYear.objects.filter(year=2026).delete()

    assert missing_holiday_years(today=TODAY) == [2026]


@pytest.mark.parametrize("status", [Campaign.Status.DRAFT, Campaign.Status.CLOSED])
def test_only_active_campaigns_count(status):
    CampaignFactory(ends_on=datetime.date(2028, 12, 31), status=status)

    assert missing_holiday_years(today=TODAY) == []


def test_a_campaign_that_ended_needs_no_later_years():
    CampaignFactory(ends_on=datetime.date(2026, 3, 31))

    assert missing_holiday_years(today=TODAY) == []


def test_the_read_costs_two_queries(django_assert_num_queries):
    CampaignFactory(ends_on=datetime.date(2028, 6, 30))

    with django_assert_num_queries(2):
        missing_holiday_years(today=TODAY)


@pytest.fixture
def campaign(time_machine):
    time_machine.move_to(timezone.make_aware(datetime.datetime(2026, 6, 1, 9, 0)), tick=False)
    campaign = CampaignFactory(ends_on=datetime.date(2028, 12, 31))
    PeriodFactory(rule=ReportingRuleFactory(campaign=campaign))
    return campaign


def test_office_staff_see_the_warning_on_the_review_queue(client, campaign):
    client.force_login(MembershipFactory(unit=campaign.office_unit, role=Membership.Role.OFFICE_STAFF).user)

    response = client.get(reverse("reports:review_queue"))

    assertContains(response, WARNING)
    assertContains(response, f'href="{reverse("dashboards:holidays")}"')


def test_the_warning_goes_once_the_years_are_loaded(client, campaign):
    HolidayYear.objects.bulk_create([HolidayYear(year=2027, source="x"), HolidayYear(year=2028, source="x")])
    client.force_login(MembershipFactory(unit=campaign.office_unit, role=Membership.Role.OFFICE_STAFF).user)

    assertNotContains(client.get(reverse("reports:review_queue")), "尚未载入")


def test_leaders_who_cannot_load_holidays_are_not_warned(client, campaign):
    client.force_login(MembershipFactory(unit=campaign.office_unit, role=Membership.Role.LEADER).user)

    response = client.get(reverse("reports:review_queue"))

    assert response.status_code == 200
    assertNotContains(response, "尚未载入")


def test_system_admins_get_a_link_to_the_holiday_page(admin_client, campaign):
    response = admin_client.get(reverse("reports:review_queue"))

    assertContains(response, WARNING)
    assertContains(response, f'href="{reverse("dashboards:holidays")}"')
