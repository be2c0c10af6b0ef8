import datetime
import io

import pytest
import time_machine
from axes.models import AccessAttempt
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from accounts.models import SignInEvent
from accounts.services import prune_sign_in_log
from campaigns.tests.factories import UserFactory

PASSWORD = "pass-word-123"


@pytest.fixture(autouse=True)
def _axes_on(settings):
    settings.AXES_ENABLED = True


def sign_in(client, username, password=PASSWORD, url="login"):
    return client.post(
        reverse(url), {"username": username, "password": password}, REMOTE_ADDR="10.1.2.3", HTTP_USER_AGENT="Firefox/140"
    )


@pytest.mark.django_db
def test_sign_ins_failures_and_sign_outs_are_logged_with_who_when_and_where(client):
    user = UserFactory()
    at = timezone.now().replace(microsecond=0)
    with time_machine.travel(at, tick=False):
        sign_in(client, user.username, "wrong-password")
        sign_in(client, "nobody", "wrong-password")
        sign_in(client, user.username)
        client.post(reverse("logout"), REMOTE_ADDR="10.1.2.3", HTTP_USER_AGENT="Firefox/140")
        sign_in(client, user.username, "wrong-password", url="admin:login")

    rows = list(SignInEvent.objects.order_by("pk").values_list("kind", "username", "user", "ip_address", "path"))
    assert rows == [
        (SignInEvent.Kind.FAILED, user.username, user.pk, "10.1.2.3", reverse("login")),
        (SignInEvent.Kind.FAILED, "nobody", None, "10.1.2.3", reverse("login")),
        (SignInEvent.Kind.SIGNED_IN, user.username, user.pk, "10.1.2.3", reverse("login")),
        (SignInEvent.Kind.SIGNED_OUT, user.username, user.pk, "10.1.2.3", reverse("logout")),
        (SignInEvent.Kind.FAILED, user.username, user.pk, "10.1.2.3", reverse("admin:login")),
    ]
    assert set(SignInEvent.objects.values_list("at", flat=True)) == {at}
    assert set(SignInEvent.objects.values_list("user_agent", flat=True)) == {"Firefox/140"}


@pytest.mark.django_db
def test_a_256_character_username_gets_a_clear_message_not_a_server_error(client):
    response = sign_in(client, "a" * 256)

    assert response.status_code == 200
    page = response.content.decode()
    assert "用户名不能超过 150 个字符（现有 256 个）" in page
    assert client.session.get("_auth_user_id") is None
    admin = sign_in(client, "b" * 256, url="admin:login")
    assert admin.status_code == 200
    assert "用户名不能超过 150 个字符" in admin.content.decode()
    # Refused before any password was tried: nothing counted against anyone.
    assert not AccessAttempt.objects.exists()


@pytest.mark.django_db
def test_pruning_deletes_only_records_older_than_the_retention(settings):
    settings.SIGN_IN_LOG_RETENTION_DAYS = 365
    now = timezone.now()
    kept = [
        SignInEvent.objects.create(kind=SignInEvent.Kind.SIGNED_IN, username="a", at=now - datetime.timedelta(days=d))
        for d in (0, 180, 364)
    ]
    SignInEvent.objects.create(kind=SignInEvent.Kind.FAILED, username="a", at=now - datetime.timedelta(days=366))

    assert prune_sign_in_log(at=now) == 1
    assert list(SignInEvent.objects.order_by("-at")) == kept


@pytest.mark.django_db
def test_pruning_never_deletes_less_than_180_days_old(settings):
    settings.SIGN_IN_LOG_RETENTION_DAYS = 30
    now = timezone.now()
    young = SignInEvent.objects.create(kind=SignInEvent.Kind.FAILED, username="a", at=now - datetime.timedelta(days=179))
    SignInEvent.objects.create(kind=SignInEvent.Kind.FAILED, username="a", at=now - datetime.timedelta(days=181))

    out = io.StringIO()
    call_command("prune_sign_in_log", stdout=out)

    assert list(SignInEvent.objects.all()) == [young]
    assert "已删除 1 条" in out.getvalue()


@pytest.mark.django_db
def test_the_admin_shows_the_log_read_only(admin_client, django_assert_max_num_queries):
    users = UserFactory.create_batch(5)
    for user in users:
        SignInEvent.objects.create(kind=SignInEvent.Kind.SIGNED_IN, username=user.username, user=user, ip_address="10.1.2.3")

    with django_assert_max_num_queries(7):
        response = admin_client.get(reverse("admin:accounts_signinevent_changelist"))

    assert response.status_code == 200
    page = response.content.decode()
    assert all(user.username in page for user in users) and "登录成功" in page
    assert admin_client.get(reverse("admin:accounts_signinevent_add")).status_code == 403
    event = SignInEvent.objects.first()
    assert admin_client.post(reverse("admin:accounts_signinevent_delete", args=[event.pk]), {"post": "yes"}).status_code == 403
    assert SignInEvent.objects.filter(pk=event.pk).exists()
