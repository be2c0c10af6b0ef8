"""The bell: every signed-in person reads their own notifications, and only theirs."""

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from pytest_django.asserts import assertContains, assertNotContains

from campaigns.models import Membership
from campaigns.tests.factories import MembershipFactory, UserFactory
from notifications.models import Notification
from notifications.tests.factories import NotificationFactory

pytestmark = pytest.mark.django_db

NOW = timezone.make_aware(datetime.datetime(2026, 1, 14, 9, 0))


@pytest.fixture(autouse=True)
def clock(time_machine):
    time_machine.move_to(NOW, tick=False)


@pytest.fixture
def liaison():
    return MembershipFactory(role=Membership.Role.LIAISON, user__username="liaison").user


def badge(response):
    """The number on the bell, or None when the bell shows no badge."""
    html = response.content.decode()
    bell = re.search(r'<a class="navbar-bell.*?</a>', html, re.S).group(0)
    number = re.search(r'badge[^>]*>([^<]+)</span>', bell)
    return number.group(1) if number else None


def test_the_bell_shows_how_many_notifications_are_unread_on_every_page(client, liaison):
    NotificationFactory(recipient=liaison)
    NotificationFactory(recipient=liaison)
    NotificationFactory(recipient=liaison, read_at=NOW)
    NotificationFactory(recipient=UserFactory())  # someone else's
    client.force_login(liaison)

    assert badge(client.get(reverse("reports:unit_home"))) == "2"
    assert badge(client.get(reverse("notifications:list"))) == "2"


def test_the_bell_has_no_badge_when_everything_is_read(client, liaison):
    NotificationFactory(recipient=liaison, read_at=NOW)
    client.force_login(liaison)

    response = client.get(reverse("notifications:list"))

    assert badge(response) is None
    assertContains(response, 'aria-label="通知"')


def test_a_person_with_no_role_still_has_the_bell(client):
    user = UserFactory()
    NotificationFactory(recipient=user)
    client.force_login(user)

    assert badge(client.get(reverse("notifications:list"))) == "1"


def test_the_admin_does_not_count_notifications(admin_client, admin_user):
    NotificationFactory(recipient=admin_user)

    with CaptureQueriesContext(connection) as queries:
        response = admin_client.get(reverse("admin:index"))

    assert response.status_code == 200
    assert not [q["sql"] for q in queries.captured_queries if "notifications_notification" in q["sql"]]


def test_the_list_shows_my_notifications_newest_first_with_their_line_breaks(client, liaison):
    NotificationFactory(recipient=liaison, title="上周的提醒", created_at=NOW - datetime.timedelta(days=7))
    NotificationFactory(
        recipient=liaison,
        title="今天的提醒",
        body="· 周报 第2期：已于 1月13日 17:30 截止，尚未报送。\n· 月报 1月：将于 1月19日 17:30 截止。",
        url=reverse("reports:unit_home"),
        created_at=NOW,
    )
    NotificationFactory(recipient=UserFactory(), title="别人的提醒")
    client.force_login(liaison)

    response = client.get(reverse("notifications:list"))

    titles = [n.title for n in response.context["page"]]
    assert titles == ["今天的提醒", "上周的提醒"]
    assertNotContains(response, "别人的提醒")
    # The body keeps its lines: shown in a pre-wrap block, not run together.
    assertContains(response, '<div class="report-text small mb-2">· 周报 第2期：已于 1月13日 17:30 截止，尚未报送。\n· 月报 1月')
    assertContains(response, f'<input type="hidden" name="next" value="{reverse("reports:unit_home")}">')


def test_unread_notifications_stand_out_and_read_ones_do_not(client, liaison):
    unread = NotificationFactory(recipient=liaison, title="未读的提醒")
    read = NotificationFactory(recipient=liaison, title="已读的提醒", read_at=NOW)
    client.force_login(liaison)

    html = client.get(reverse("notifications:list")).content.decode()

    item = re.compile(r'<li class="list-group-item([^"]*)" id="notification-(\d+)">')
    classes = {int(pk): css for css, pk in item.findall(html)}
    assert "list-group-item-primary" in classes[unread.pk]
    assert "list-group-item-primary" not in classes[read.pk]


def test_the_list_is_paginated_twenty_to_a_page(client, liaison):
    for number in range(25):
        NotificationFactory(recipient=liaison, title=f"提醒{number}", created_at=NOW - datetime.timedelta(hours=number))
    client.force_login(liaison)

    first = client.get(reverse("notifications:list"))
    second = client.get(reverse("notifications:list"), {"page": 2})

    assert len(first.context["page"]) == 20
    assert [n.title for n in second.context["page"]] == [f"提醒{n}" for n in range(20, 25)]
    assertContains(first, "第 1 / 2 页，共 25 条")


@pytest.mark.parametrize("count", [3, 30])
def test_the_list_costs_the_same_queries_for_30_notifications_as_for_3(
    client, liaison, django_assert_max_num_queries, count
):
    for _ in range(count):
        NotificationFactory(recipient=liaison)
    client.force_login(liaison)

    with django_assert_max_num_queries(6):
        response = client.get(reverse("notifications:list"))

    assert response.status_code == 200


def test_marking_one_notification_read(client, liaison):
    notification = NotificationFactory(recipient=liaison)
    other = NotificationFactory(recipient=liaison)
    client.force_login(liaison)

    response = client.post(reverse("notifications:mark_read", args=[notification.pk]))

    assert response.status_code == 302
    assert response["Location"] == reverse("notifications:list")
    notification.refresh_from_db()
    other.refresh_from_db()
    assert notification.read_at == NOW
    assert other.read_at is None


def test_opening_a_notification_marks_it_read_and_goes_to_its_page(client, liaison):
    notification = NotificationFactory(recipient=liaison, url=reverse("reports:unit_home"))
    client.force_login(liaison)

    response = client.post(
        reverse("notifications:mark_read", args=[notification.pk]), {"next": reverse("reports:unit_home")}
    )

    assert response["Location"] == reverse("reports:unit_home")
    notification.refresh_from_db()
    assert notification.read_at == NOW


def test_marking_read_does_not_send_anyone_to_another_site(client, liaison):
    notification = NotificationFactory(recipient=liaison)
    client.force_login(liaison)

    response = client.post(reverse("notifications:mark_read", args=[notification.pk]), {"next": "https://evil.example/"})

    assert response["Location"] == reverse("notifications:list")


def test_marking_read_again_keeps_the_first_reading_time(client, liaison):
    first_read = NOW - datetime.timedelta(days=1)
    notification = NotificationFactory(recipient=liaison, read_at=first_read)
    client.force_login(liaison)

    client.post(reverse("notifications:mark_read", args=[notification.pk]))

    notification.refresh_from_db()
    assert notification.read_at == first_read


def test_marking_all_read_touches_only_my_unread_notifications(client, liaison):
    mine = [NotificationFactory(recipient=liaison) for _ in range(3)]
    theirs = NotificationFactory(recipient=UserFactory())
    client.force_login(liaison)

    response = client.post(reverse("notifications:mark_all_read"), follow=True)

    assert Notification.objects.filter(pk__in=[n.pk for n in mine], read_at=NOW).count() == 3
    theirs.refresh_from_db()
    assert theirs.read_at is None
    assertContains(response, "已将 3 条通知标为已读。")
    assert badge(response) is None


def test_nobody_can_mark_or_see_another_persons_notification(client, liaison):
    theirs = NotificationFactory(recipient=UserFactory(), title="别人的提醒")
    client.force_login(liaison)

    response = client.post(reverse("notifications:mark_read", args=[theirs.pk]))

    assert response.status_code == 404
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_marking_read_needs_a_post(client, liaison):
    notification = NotificationFactory(recipient=liaison)
    client.force_login(liaison)

    assert client.get(reverse("notifications:mark_read", args=[notification.pk])).status_code == 405
    assert client.get(reverse("notifications:mark_all_read")).status_code == 405
    notification.refresh_from_db()
    assert notification.read_at is None


def test_signed_out_visitors_are_sent_to_sign_in(client):
    response = client.get(reverse("notifications:list"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
