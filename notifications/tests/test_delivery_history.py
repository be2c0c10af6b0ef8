"""The office checks that reminders reached the units: the delivery history."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from pytest_django.asserts import assertContains, assertNotContains

from calendars.models import HolidayYear
from campaigns.models import Membership
from campaigns.tests.factories import CampaignFactory, MembershipFactory, UnitFactory, UserFactory
from notifications.models import Delivery
from notifications.tests.factories import DeliveryFactory, RobotDeliveryFactory

pytestmark = pytest.mark.django_db

Role = Membership.Role
NOW = timezone.make_aware(datetime.datetime(2026, 1, 14, 9, 0))
URL = reverse("notifications:deliveries")


@pytest.fixture(autouse=True)
def clock(time_machine):
    time_machine.move_to(NOW, tick=False)


@pytest.fixture
def campaign():
    return CampaignFactory(title="创建全国文明城市行动方案", ends_on=datetime.date(2026, 12, 31))


@pytest.fixture
def office(campaign):
    return MembershipFactory(unit=campaign.office_unit, role=Role.OFFICE_STAFF).user


def shown(response):
    return {delivery.pk for delivery in response.context["page"]}


def test_office_staff_see_every_delivery_of_their_campaigns_with_its_fate(client, campaign, office):
    unit = UnitFactory(name="区卫生监督所", short_name="卫监所")
    liaison = UserFactory(full_name="张联络")
    failed = DeliveryFactory(
        campaign=campaign,
        unit=unit,
        recipient=liaison,
        address="zhang@example.com",
        status=Delivery.Status.FAILED,
        attempts=5,
        last_error="SMTPRecipientsRefused: 邮箱不存在",
        created_at=NOW - datetime.timedelta(hours=2),
    )
    sent = RobotDeliveryFactory(
        webhook__campaign=campaign, webhook__name="联络员工作群", status=Delivery.Status.SENT, attempts=1, sent_at=NOW
    )
    elsewhere = DeliveryFactory(campaign=CampaignFactory())
    client.force_login(office)

    response = client.get(URL)

    assert shown(response) == {failed.pk, sent.pk}
    assert elsewhere.pk not in shown(response)
    assertContains(response, "发送失败")
    assertContains(response, "张联络 &lt;zhang@example.com&gt;")
    assertContains(response, "卫监所")
    assertContains(response, "尝试 5 次")
    assertContains(response, "错误信息：SMTPRecipientsRefused: 邮箱不存在")
    assertContains(response, "企业微信群机器人")
    assertContains(response, "联络员工作群")
    assertContains(response, "已发送")
    assertContains(response, "创建于 2026-01-14 07:00")


def test_the_newest_deliveries_come_first(client, campaign, office):
    old = DeliveryFactory(campaign=campaign, created_at=NOW - datetime.timedelta(days=2))
    new = DeliveryFactory(campaign=campaign, created_at=NOW)
    client.force_login(office)

    response = client.get(URL)

    assert [d.pk for d in response.context["page"]] == [new.pk, old.pk]


def test_filtering_by_campaign_unit_channel_and_status(client, campaign, office):
    other_campaign = CampaignFactory(office_unit=campaign.office_unit)
    unit, other_unit = UnitFactory(), UnitFactory()
    match = DeliveryFactory(campaign=campaign, unit=unit, status=Delivery.Status.FAILED)
    DeliveryFactory(campaign=other_campaign, unit=unit, status=Delivery.Status.FAILED)
    DeliveryFactory(campaign=campaign, unit=other_unit, status=Delivery.Status.FAILED)
    DeliveryFactory(campaign=campaign, unit=unit, status=Delivery.Status.SENT)
    DeliveryFactory(campaign=campaign, unit=unit, status=Delivery.Status.FAILED, channel=Delivery.Channel.IN_APP)
    client.force_login(office)

    response = client.get(
        URL, {"campaign": campaign.pk, "unit": unit.pk, "status": "failed", "channel": "email"}
    )

    assert shown(response) == {match.pk}
    assert client.get(URL, {"status": "failed"}).context["page"].paginator.count == 4


def test_another_offices_campaign_cannot_be_chosen_as_a_filter(client, campaign, office):
    mine = DeliveryFactory(campaign=campaign)
    theirs = CampaignFactory(title="别的办公室的活动")
    DeliveryFactory(campaign=theirs)
    client.force_login(office)

    response = client.get(URL, {"campaign": theirs.pk})

    # The filter is ignored, not obeyed: nothing of the other office shows.
    assert shown(response) == {mine.pk}
    assertNotContains(response, "别的办公室的活动")


def test_deliveries_without_a_campaign_are_for_system_admins_only(client, admin_client, campaign, office):
    orphan = DeliveryFactory(campaign=None, subject="无所属活动的消息")
    client.force_login(office)

    assert orphan.pk not in shown(client.get(URL))
    assert orphan.pk in shown(admin_client.get(URL))


@pytest.mark.parametrize("role", [Role.LIAISON, Role.UNIT_HEAD, Role.LEADER])
def test_liaisons_heads_and_leaders_get_no_delivery_history(client, campaign, role):
    DeliveryFactory(campaign=campaign)
    unit = campaign.office_unit if role == Role.LEADER else UnitFactory()
    client.force_login(MembershipFactory(unit=unit, role=role).user)

    assert client.get(URL).status_code == 404


def test_the_navbar_links_to_the_history_for_office_staff_only(client, campaign, office):
    liaison = MembershipFactory(role=Role.LIAISON).user
    leader = MembershipFactory(unit=campaign.office_unit, role=Role.LEADER).user

    client.force_login(office)
    assertContains(client.get(reverse("notifications:list")), f'href="{URL}"')
    for person in (liaison, leader):
        client.force_login(person)
        assertNotContains(client.get(reverse("notifications:list")), f'href="{URL}"')


def test_the_history_is_paginated(client, campaign, office):
    for _ in range(55):
        DeliveryFactory(campaign=campaign)
    client.force_login(office)

    first = client.get(URL)
    second = client.get(URL, {"page": 2})

    assert len(first.context["page"]) == 50
    assert len(second.context["page"]) == 5
    assertContains(first, "第 1 / 2 页，共 55 条")


@pytest.mark.parametrize("rows", [3, 40])
def test_the_history_costs_the_same_queries_for_40_deliveries_as_for_3(
    client, campaign, office, django_assert_max_num_queries, rows
):
    units = [UnitFactory() for _ in range(3)]
    for number in range(rows):
        if number % 2:
            RobotDeliveryFactory(webhook__campaign=campaign)
        else:
            DeliveryFactory(campaign=campaign, unit=units[number % 3])
    client.force_login(office)

    with django_assert_max_num_queries(12):
        response = client.get(URL, {"campaign": campaign.pk})

    assert len(response.context["page"]) == rows


def test_office_staff_are_warned_when_a_year_their_campaigns_reach_has_no_holidays(client, campaign, office):
    HolidayYear.objects.filter(year=2026).delete()
    client.force_login(office)

    response = client.get(URL)

    assertContains(
        response,
        "2026年的法定节假日和调休安排尚未载入，该年的截止时间和提醒暂按周一至周五计算。"
        "国务院办公厅公布该年放假安排后，请办公室在“节假日安排”页面粘贴通知全文载入。",
    )
    assertContains(response, f'href="{reverse("dashboards:holidays")}"')


def test_no_warning_when_the_years_are_loaded(client, campaign, office):
    assert HolidayYear.objects.filter(year=2026).exists()  # loaded by the migration
    client.force_login(office)

    assertNotContains(client.get(URL), "尚未载入")
