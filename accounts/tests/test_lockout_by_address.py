import datetime
import io

import pytest
import time_machine
from axes.models import AccessAttempt
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from accounts.models import SignInEvent
from campaigns.tests.factories import UserFactory

PASSWORD = "pass-word-123"
OFFICE = "10.1.2.3"
ELSEWHERE = "10.9.9.9"


@pytest.fixture(autouse=True)
def _axes_on(settings):
    settings.AXES_ENABLED = True
    settings.AXES_FAILURE_LIMIT = 5
    settings.AXES_ADDRESS_FAILURE_LIMIT = 15
    settings.AXES_COOLOFF_TIME = 0.5
    settings.TRUSTED_PROXY_HEADER = ""


def sign_in(client, username, password=PASSWORD, address=OFFICE, **headers):
    return client.post(
        reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=address, **headers
    )


@pytest.mark.django_db
def test_sixteen_wrong_passwords_over_four_accounts_lock_the_address(client):
    users = UserFactory.create_batch(4)
    answers = [sign_in(client, user.username, "wrong-password").status_code for user in users for _ in range(4)]

    assert answers[:14] == [200] * 14
    assert answers[14:] == [429, 429]
    locked = sign_in(client, users[0].username)
    assert locked.status_code == 429
    page = locked.content.decode()
    assert "登录已被暂停" in page and "多个账号累计输错密码 15 次" in page
    # The same people, from another address, are not locked: each account had only four tries.
    assert sign_in(client, users[0].username, address=ELSEWHERE).status_code == 302


@pytest.mark.django_db
def test_a_locked_address_cannot_be_used_to_lock_other_accounts(client):
    for user in UserFactory.create_batch(3):
        for _ in range(5):
            sign_in(client, user.username, "wrong-password")
    victim = UserFactory()

    for _ in range(10):
        assert sign_in(client, victim.username, "wrong-password").status_code == 429

    assert not AccessAttempt.objects.filter(username=victim.username).exists()
    assert sign_in(client, victim.username, address=ELSEWHERE).status_code == 302
    assert SignInEvent.objects.filter(username=victim.username, kind=SignInEvent.Kind.LOCKED_OUT).count() == 10


@pytest.mark.django_db
def test_a_colleague_signing_in_does_not_wipe_what_was_tried_from_the_address(client):
    tried, colleague = UserFactory.create_batch(4), UserFactory()
    for user in tried[:3]:
        for _ in range(4):
            sign_in(client, user.username, "wrong-password")
    assert sign_in(client, colleague.username).status_code == 302
    client.logout()

    for _ in range(2):
        sign_in(client, tried[3].username, "wrong-password")
    assert sign_in(client, tried[3].username, "wrong-password").status_code == 429


@pytest.mark.django_db
def test_the_address_lock_lifts_after_the_cool_off(client):
    users = UserFactory.create_batch(3)
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        for user in users:
            for _ in range(5):
                sign_in(client, user.username, "wrong-password")
        assert sign_in(client, UserFactory().username).status_code == 429
    with time_machine.travel(start + datetime.timedelta(minutes=31), tick=False):
        assert sign_in(client, UserFactory().username).status_code == 302


@pytest.mark.django_db
def test_a_forwarded_address_is_ignored_unless_a_proxy_header_is_configured(client):
    user = UserFactory()
    sign_in(client, user.username, "wrong-password", address="10.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.7")
    assert SignInEvent.objects.get().ip_address == "10.0.0.1"
    assert AccessAttempt.objects.get().ip_address == "10.0.0.1"


@pytest.mark.django_db
def test_behind_the_configured_proxy_the_clients_own_address_is_logged(client, settings):
    settings.TRUSTED_PROXY_HEADER = "HTTP_X_FORWARDED_FOR"
    settings.TRUSTED_PROXY_COUNT = 1
    user = UserFactory()

    # The client wrote the first entry itself; our proxy appended the address it saw.
    sign_in(client, user.username, "wrong-password", address="10.0.0.1", HTTP_X_FORWARDED_FOR="1.2.3.4, 203.0.113.7")
    sign_in(client, user.username, "wrong-password", address="10.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.8")
    sign_in(client, user.username, "wrong-password", address="10.0.0.1", HTTP_X_FORWARDED_FOR="not-an-address")

    addresses = list(SignInEvent.objects.order_by("pk").values_list("kind", "ip_address"))
    assert addresses == [
        (SignInEvent.Kind.FAILED, "203.0.113.7"),
        (SignInEvent.Kind.FAILED, "203.0.113.8"),
        (SignInEvent.Kind.FAILED, "10.0.0.1"),
    ]


@pytest.mark.django_db
def test_two_proxies_read_the_second_entry_from_the_right(client, settings):
    settings.TRUSTED_PROXY_HEADER = "HTTP_X_FORWARDED_FOR"
    settings.TRUSTED_PROXY_COUNT = 2
    user = UserFactory()
    sign_in(client, user.username, address="10.0.0.1", HTTP_X_FORWARDED_FOR="1.2.3.4, 203.0.113.7, 10.0.0.2")
    assert SignInEvent.objects.get().ip_address == "203.0.113.7"


@pytest.mark.django_db
def test_an_address_is_unlocked_by_the_axes_command(client):
    for user in UserFactory.create_batch(3):
        for _ in range(5):
            sign_in(client, user.username, "wrong-password")
    call_command("axes_reset_ip", OFFICE, stdout=io.StringIO())
    assert sign_in(client, UserFactory().username).status_code == 302
