import datetime

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.models import SignInEvent
from campaigns.models import Membership
from campaigns.tests.factories import MembershipFactory
from config import settings as configured

PASSWORD = "pass-word-123"


@pytest.fixture
def liaison(client):
    return MembershipFactory(role=Membership.Role.LIAISON).user


def sign_in(client, user):
    return client.post(reverse("login"), {"username": user.username, "password": PASSWORD})


def signed_in_as(client):
    return client.session.get("_auth_user_id")


@pytest.mark.django_db
def test_thirty_idle_minutes_sign_out_with_a_message_on_the_sign_in_page(client, liaison, settings):
    settings.SESSION_IDLE_TIMEOUT = 30 * 60
    settings.SESSION_ABSOLUTE_TIMEOUT = 12 * 3600
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        assert sign_in(client, liaison).status_code == 302
    with time_machine.travel(start + datetime.timedelta(minutes=29), tick=False):
        assert client.get(reverse("reports:unit_home")).status_code == 200
    with time_machine.travel(start + datetime.timedelta(minutes=29 + 31), tick=False):
        response = client.get(reverse("reports:unit_home"), follow=True)

    assert signed_in_as(client) is None
    assert response.redirect_chain[-1][0] == f"{reverse('login')}?next={reverse('reports:unit_home')}"
    assert "会话已超时，请重新登录" in response.content.decode()
    assert SignInEvent.objects.filter(user=liaison, kind=SignInEvent.Kind.TIMED_OUT).count() == 1


@pytest.mark.django_db
def test_activity_keeps_the_session_until_the_absolute_lifetime(client, liaison, settings):
    settings.SESSION_IDLE_TIMEOUT = 30 * 60
    settings.SESSION_ABSOLUTE_TIMEOUT = 12 * 3600
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        sign_in(client, liaison)
    for minutes in range(20, 12 * 60, 20):
        with time_machine.travel(start + datetime.timedelta(minutes=minutes), tick=False):
            assert client.get(reverse("reports:unit_home")).status_code == 200, minutes
    with time_machine.travel(start + datetime.timedelta(hours=12, minutes=1), tick=False):
        response = client.get(reverse("reports:unit_home"))

    assert response.status_code == 302 and response.url.startswith(reverse("login"))
    assert signed_in_as(client) is None


@pytest.mark.django_db
def test_the_timeouts_come_from_the_settings(client, liaison, settings):
    settings.SESSION_IDLE_TIMEOUT = 5 * 60
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        sign_in(client, liaison)
    with time_machine.travel(start + datetime.timedelta(minutes=6), tick=False):
        assert client.get(reverse("reports:unit_home")).status_code == 302
    assert signed_in_as(client) is None


@pytest.mark.django_db
def test_a_page_within_the_minute_does_not_write_the_session(client, liaison, settings):
    settings.SESSION_IDLE_TIMEOUT = 30 * 60
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        sign_in(client, liaison)
        client.get(reverse("reports:unit_home"))
    with time_machine.travel(start + datetime.timedelta(seconds=30), tick=False):
        session_key = client.session.session_key
        with CaptureQueriesContext(connection) as queries:
            client.get(reverse("reports:unit_home"))
    writes = [q["sql"] for q in queries if q["sql"].startswith("UPDATE") and "django_session" in q["sql"]]
    assert writes == []
    assert client.session.session_key == session_key


def test_the_browser_forgets_the_session_when_it_closes():
    assert configured.SESSION_EXPIRE_AT_BROWSER_CLOSE
    assert configured.SESSION_IDLE_TIMEOUT == 30 * 60
    assert configured.SESSION_COOKIE_AGE == configured.SESSION_ABSOLUTE_TIMEOUT == 12 * 3600
