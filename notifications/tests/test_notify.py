"""notify(): a notice in each person's bell, with a delivery record per channel,
written in one INSERT per table however many people are told."""

import datetime

import pytest
from django.utils import timezone

from campaigns.tests.factories import CampaignFactory, UnitFactory, UserFactory
from notifications.models import Delivery, Notification
from notifications.services import Message, notify, notify_each
from notifications.tests.factories import CampaignWebhookFactory

AT = timezone.make_aware(datetime.datetime(2025, 3, 3, 9, 0))

pytestmark = pytest.mark.django_db


def test_each_recipient_gets_a_notice_and_a_delivered_in_app_record():
    campaign = CampaignFactory()
    unit = UnitFactory()
    first, second = UserFactory(), UserFactory()
    notified = notify(
        recipients=[(first.pk, unit.pk), second.pk],
        campaign=campaign,
        title="汇总表已生成",
        body="请下载。",
        url="/workbooks/",
        at=AT,
    )
    assert {n.recipient_id for n in notified.notifications} == {first.pk, second.pk}
    notice = Notification.objects.get(recipient=first)
    assert (notice.campaign, notice.title, notice.body, notice.url, notice.created_at, notice.read_at) == (
        campaign,
        "汇总表已生成",
        "请下载。",
        "/workbooks/",
        AT,
        None,
    )
    delivery = Delivery.objects.get(recipient=first)
    assert (delivery.channel, delivery.status, delivery.sent_at, delivery.attempts) == (
        Delivery.Channel.IN_APP,
        Delivery.Status.SENT,
        AT,
        1,
    )
    assert (delivery.notification, delivery.campaign, delivery.unit_id, delivery.subject, delivery.body) == (
        notice,
        campaign,
        unit.pk,
        "汇总表已生成",
        "请下载。",
    )
    assert Delivery.objects.get(recipient=second).unit_id is None


def test_a_person_listed_twice_is_told_once_about_the_first_unit():
    person, first_unit, second_unit = UserFactory(), UnitFactory(), UnitFactory()
    notify(
        recipients=[(person.pk, first_unit.pk), (person.pk, second_unit.pk)],
        campaign=None,
        title="通报",
        body="请学习。",
        url="",
        at=AT,
    )
    assert Notification.objects.filter(recipient=person).count() == 1
    assert list(Delivery.objects.values_list("unit_id", flat=True)) == [first_unit.pk]


def test_an_address_gets_an_email_queued_and_robot_posts_go_with_the_deliveries():
    campaign = CampaignFactory()
    webhook = CampaignWebhookFactory(campaign=campaign)
    person = UserFactory()
    post = Delivery(
        channel=webhook.kind,
        webhook=webhook,
        campaign=campaign,
        address=webhook.name,
        subject="报送提醒：1项",
        body="· 周报",
        created_at=AT,
        next_attempt_at=AT,
    )
    notified = notify_each(
        messages=[
            Message(recipient_id=person.pk, title="提醒", body="请报送。", campaign=campaign, email="a@example.com")
        ],
        posts=[post],
        at=AT,
    )
    assert [d.channel for d in notified.deliveries] == [Delivery.Channel.IN_APP, Delivery.Channel.EMAIL, webhook.kind]
    email = Delivery.objects.get(channel=Delivery.Channel.EMAIL)
    assert (email.status, email.address, email.next_attempt_at, email.attempts, email.sent_at) == (
        Delivery.Status.PENDING,
        "a@example.com",
        AT,
        0,
        None,
    )
    assert email.notification == Notification.objects.get(recipient=person)
    assert Delivery.objects.get(webhook=webhook).notification is None


@pytest.mark.parametrize("people", [1, 12])
def test_one_insert_per_table_whatever_the_number_of_people(people, django_assert_num_queries):
    campaign = CampaignFactory()
    users = [UserFactory() for _ in range(people)]
    messages = [
        Message(recipient_id=user.pk, title="提醒", body="请报送。", campaign=campaign, email=f"u{user.pk}@example.com")
        for user in users
    ]
    with django_assert_num_queries(2):
        notify_each(messages=messages, at=AT)
    assert Notification.objects.count() == people
    assert Delivery.objects.count() == 2 * people


def test_nobody_to_tell_costs_no_query(django_assert_num_queries):
    with django_assert_num_queries(0):
        notified = notify(recipients=[], campaign=None, title="通报", body="请学习。", url="", at=AT)
    assert notified == ([], [])
