import datetime

import pytest
import time_machine
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from accounts.models import REMEMBERED_PASSWORDS, PasswordHistory
from accounts.resources import new_initial_password
from campaigns.models import Membership
from campaigns.tests.factories import MembershipFactory, UserFactory

PASSWORD = "pass-word-123"


def refusal(password, user=None):
    with pytest.raises(ValidationError) as refused:
        validate_password(password, user)
    return " ".join(refused.value.messages)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("password", "said"),
    [
        ("zhangsan", "密码太短：至少需要 10 个字符"),
        ("Zz123456", "密码太短：至少需要 10 个字符"),
        ("zhangsan@2026", "密码不能包含用户名"),
        ("ZHANGSAN-Mima-1", "密码不能包含用户名"),
        ("abcdefgh12", "现在只有 2 种；可以加上大写字母、符号"),
        ("Qwertyuiop", "现在只有 2 种"),
    ],
)
def test_weak_passwords_are_refused_in_chinese(password, said):
    user = UserFactory(username="zhangsan")
    assert said in refusal(password, user)


@pytest.mark.django_db
@pytest.mark.parametrize("password", ["Xin-Mima-2026", "Chongzhi-2026", "Demo@2026!", "tianqi晴朗-2026"])
def test_strong_passwords_pass(password):
    validate_password(password, UserFactory(username="zhangsan"))


def test_an_initial_password_meets_the_rules():
    for _ in range(50):
        validate_password(new_initial_password())


@pytest.fixture
def newcomer(client):
    member = MembershipFactory(role=Membership.Role.LIAISON, user__must_change_password=True)
    client.force_login(member.user)
    return member.user


def change(client, old, new):
    return client.post(
        reverse("password_change"), {"old_password": old, "new_password1": new, "new_password2": new}
    )


@pytest.mark.django_db
def test_the_administrators_password_is_refused_at_the_forced_change(client, admin_client, newcomer):
    admin_client.post(
        reverse("admin:auth_user_password_change", args=[newcomer.pk]),
        {"usable_password": "true", "password1": "Chushi-Mima-2026", "password2": "Chushi-Mima-2026"},
    )
    newcomer.refresh_from_db()
    client.force_login(newcomer)

    response = change(client, "Chushi-Mima-2026", "Chushi-Mima-2026")

    assert response.status_code == 200
    assert "新密码不能与当前密码或最近 5 次用过的密码相同" in response.content.decode()
    newcomer.refresh_from_db()
    assert newcomer.must_change_password
    assert change(client, "Chushi-Mima-2026", "Ziji-Mima-2026").url == reverse("password_change_done")


@pytest.mark.django_db
def test_none_of_the_last_five_passwords_may_be_chosen_again(client, newcomer):
    passwords = [PASSWORD] + [f"Mima-{n}-Xin!" for n in range(1, 6)]
    for old, new in zip(passwords, passwords[1:]):
        assert change(client, old, new).status_code == 302, new
    assert PasswordHistory.objects.filter(user=newcomer).count() == REMEMBERED_PASSWORDS

    current = passwords[-1]
    for used in passwords[-REMEMBERED_PASSWORDS:]:
        response = change(client, current, used)
        assert response.status_code == 200, used
        assert "最近 5 次用过的密码" in response.content.decode()
    # The factory's first password is six changes ago: forgotten.
    assert change(client, current, PASSWORD + "X").status_code == 302


@pytest.mark.django_db
def test_an_expired_password_sends_its_owner_to_the_password_page(client, settings):
    settings.PASSWORD_MAX_AGE_DAYS = 90
    member = MembershipFactory(role=Membership.Role.LIAISON)
    user = member.user
    user.set_password("Jiu-Mima-2026")
    user.save()

    with time_machine.travel(timezone.now() + datetime.timedelta(days=89)):
        client.force_login(user)
        assert client.get(reverse("home")).url == reverse("reports:unit_home")
    with time_machine.travel(timezone.now() + datetime.timedelta(days=91)):
        client.force_login(user)
        response = client.get(reverse("reports:unit_home"), follow=True)
        assert response.redirect_chain == [(reverse("password_change"), 302)]
        assert "密码已到期，请修改密码" in response.content.decode()
        assert "每 90 天" in response.content.decode()
        assert change(client, "Jiu-Mima-2026", "Xin-Mima-2026!").url == reverse("password_change_done")
        assert client.get(reverse("home")).url == reverse("reports:unit_home")


@pytest.mark.django_db
def test_passwords_do_not_expire_unless_configured(client, settings):
    settings.PASSWORD_MAX_AGE_DAYS = 0
    user = MembershipFactory(role=Membership.Role.LIAISON).user
    user.password_changed_at = timezone.now() - datetime.timedelta(days=3650)
    user.save()
    client.force_login(user)
    assert client.get(reverse("home")).url == reverse("reports:unit_home")
