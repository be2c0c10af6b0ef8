import datetime
import re

import pytest
import time_machine
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from campaigns.models import Campaign, Membership
from campaigns.tests.factories import CampaignFactory, MembershipFactory, UserFactory

PASSWORD = "pass-word-123"


@pytest.fixture(autouse=True)
def _axes_on(settings):
    # conftest turns axes off for the rest of the suite; here the real sign-in runs.
    settings.AXES_ENABLED = True
    settings.AXES_FAILURE_LIMIT = 5
    settings.AXES_COOLOFF_TIME = 0.5


def sign_in(client, username, password=PASSWORD, url="login"):
    return client.post(reverse(url), {"username": username, "password": password})


def signed_in_as(client):
    return client.session.get("_auth_user_id")


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("role", "landing"),
    [
        (Membership.Role.LIAISON, "reports:unit_home"),
        (Membership.Role.UNIT_HEAD, "reports:unit_home"),
        (Membership.Role.OFFICE_STAFF, "dashboards:today"),
        # A leader whose unit runs no campaign yet: the (empty) dashboard list.
        (Membership.Role.LEADER, "dashboards:index"),
    ],
)
def test_login_with_the_right_password_lands_on_the_roles_home(client, role, landing):
    member = MembershipFactory(role=role)

    response = sign_in(client, member.user.username)

    assert response.status_code == 302
    assert signed_in_as(client) == str(member.user.pk)
    assert client.get(response.url).url == reverse(landing)


@pytest.mark.django_db
def test_system_admin_without_a_unit_role_lands_on_todays_work(client):
    admin = UserFactory(is_superuser=True, is_staff=True)
    sign_in(client, admin.username)
    assert client.get(reverse("home")).url == reverse("dashboards:today")


@pytest.mark.django_db
def test_a_leader_lands_on_the_dashboard_of_the_campaign_their_unit_runs(client):
    leader = MembershipFactory(role=Membership.Role.LEADER)
    campaign = CampaignFactory(office_unit=leader.unit)
    sign_in(client, leader.user.username)
    assert client.get(reverse("home")).url == reverse("dashboards:campaign", args=[campaign.pk])


@pytest.mark.django_db
def test_user_without_a_role_is_told_whom_to_contact(client):
    CampaignFactory(status=Campaign.Status.ACTIVE, contact_person="樊丽娜", contact_phone="66213720")
    CampaignFactory(status=Campaign.Status.DRAFT, contact_person="草稿联系人", contact_phone="11111111")
    user = UserFactory()

    sign_in(client, user.username)
    response = client.get(reverse("home"))

    assert response.status_code == 200
    page = response.content.decode()
    assert "您的账号尚未分配角色" in page
    assert "樊丽娜" in page and "66213720" in page
    assert "草稿联系人" not in page


@pytest.mark.django_db
def test_staff_without_a_role_lands_in_the_admin(client):
    staff = UserFactory(is_staff=True)
    sign_in(client, staff.username)
    assert client.get(reverse("home")).url == reverse("admin:index")


@pytest.mark.django_db
def test_login_page_names_the_product_and_offers_a_reset(client):
    response = client.get(reverse("login"))
    page = response.content.decode()
    assert "创建活动工作平台" in page
    assert reverse("password_reset") in page and "忘记密码" in page
    assert not re.search(r"<script(?![^>]*\bsrc=)", page), "inline script"
    assert not re.search(r"\son[a-z]+=", page), "inline event handler"


@pytest.mark.django_db
def test_wrong_password_shows_a_chinese_error_and_the_tries_left(client):
    user = UserFactory()

    response = sign_in(client, user.username, "wrong-password")

    assert response.status_code == 200
    assert signed_in_as(client) is None
    page = response.content.decode()
    assert "用户名或密码不正确" in page
    assert "再输错 4 次，账号将被锁定 30 分钟" in page


@pytest.mark.django_db
def test_five_wrong_passwords_lock_the_account_even_against_the_right_one(client):
    user = UserFactory()
    for _ in range(4):
        assert sign_in(client, user.username, "wrong-password").status_code == 200

    fifth = sign_in(client, user.username, "wrong-password")
    assert fifth.status_code == 429
    assert "账号已被锁定" in fifth.content.decode()

    right = sign_in(client, user.username)
    assert right.status_code == 429
    page = right.content.decode()
    assert "已被锁定 30 分钟" in page
    assert "联系领导小组办公室" in page
    assert signed_in_as(client) is None


@pytest.mark.django_db
def test_the_lock_lifts_after_thirty_minutes(client):
    user = UserFactory()
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        for _ in range(5):
            sign_in(client, user.username, "wrong-password")
    with time_machine.travel(start + datetime.timedelta(minutes=29), tick=False):
        assert sign_in(client, user.username).status_code == 429
    with time_machine.travel(start + datetime.timedelta(minutes=31), tick=False):
        assert sign_in(client, user.username).status_code == 302
    assert signed_in_as(client) == str(user.pk)


@pytest.mark.django_db
def test_a_locked_account_does_not_lock_out_a_colleague_on_the_same_computer(client):
    careless, colleague = UserFactory(), UserFactory()
    for _ in range(5):
        sign_in(client, careless.username, "wrong-password")

    assert sign_in(client, colleague.username).status_code == 302
    assert signed_in_as(client) == str(colleague.pk)


@pytest.mark.django_db
def test_a_successful_login_forgets_earlier_typos(client):
    user = UserFactory()
    for _ in range(4):
        sign_in(client, user.username, "wrong-password")
    sign_in(client, user.username)
    client.logout()

    for _ in range(4):
        assert sign_in(client, user.username, "wrong-password").status_code == 200
    assert sign_in(client, user.username).status_code == 302


@pytest.mark.django_db
def test_the_admin_login_locks_the_same_account(client):
    admin = UserFactory(is_superuser=True, is_staff=True)
    for _ in range(5):
        sign_in(client, admin.username, "wrong-password", url="admin:login")

    response = sign_in(client, admin.username, url="admin:login")

    assert response.status_code == 429
    assert "账号已被锁定" in response.content.decode()
    assert sign_in(client, admin.username).status_code == 429


@pytest.mark.django_db
def test_logout_requires_post(client):
    user = UserFactory()
    sign_in(client, user.username)

    assert client.get(reverse("logout")).status_code == 405
    assert signed_in_as(client) == str(user.pk)

    response = client.post(reverse("logout"), follow=True)
    assert signed_in_as(client) is None
    assert response.redirect_chain[-1][0] == reverse("login")
    assert "您已安全退出" in response.content.decode()


@pytest.mark.django_db
def test_password_reset_sends_a_chinese_email_with_a_working_link(client):
    user = UserFactory(email="liaison@example.gov.cn", must_change_password=True)

    response = client.post(reverse("password_reset"), {"email": "Liaison@example.gov.cn"})
    assert response.url == reverse("password_reset_done")

    (email,) = mail.outbox
    assert email.to == ["liaison@example.gov.cn"]
    assert email.subject == "【创建活动工作平台】重设登录密码"
    assert "24 小时内" in email.body and user.username in email.body
    link = re.search(r"http://testserver(/accounts/password/reset/\S+/)", email.body).group(1)

    form_page = client.get(link, follow=True)
    assert "设置新密码" in form_page.content.decode()
    done = client.post(
        form_page.redirect_chain[-1][0], {"new_password1": "Xin-Mima-2026", "new_password2": "Xin-Mima-2026"}
    )
    assert done.url == reverse("password_reset_complete")

    user.refresh_from_db()
    assert user.check_password("Xin-Mima-2026")
    assert not user.must_change_password, "a password the user chose is not an initial one"
    assert sign_in(client, user.username, "Xin-Mima-2026").status_code == 302


@pytest.mark.django_db
def test_password_reset_for_an_unknown_email_reveals_nothing_and_sends_nothing(client):
    UserFactory(email="liaison@example.gov.cn")
    response = client.post(reverse("password_reset"), {"email": "nobody@example.gov.cn"})
    assert response.url == reverse("password_reset_done")
    assert mail.outbox == []


@pytest.mark.django_db
def test_a_locked_out_clerk_who_resets_the_password_can_sign_in_at_once(client):
    user = UserFactory(email="liaison@example.gov.cn")
    for _ in range(5):
        sign_in(client, user.username, "wrong-password")

    client.post(reverse("password_reset"), {"email": user.email})
    link = re.search(r"http://testserver(/accounts/password/reset/\S+/)", mail.outbox[0].body).group(1)
    form_url = client.get(link).url
    client.post(form_url, {"new_password1": "Xin-Mima-2026", "new_password2": "Xin-Mima-2026"})

    assert sign_in(client, user.username, "Xin-Mima-2026").status_code == 302


@pytest.mark.django_db
def test_a_used_reset_link_is_refused_in_chinese(client):
    user = UserFactory(email="liaison@example.gov.cn")
    client.post(reverse("password_reset"), {"email": user.email})
    link = re.search(r"http://testserver(/accounts/password/reset/\S+/)", mail.outbox[0].body).group(1)
    form_url = client.get(link).url
    client.post(form_url, {"new_password1": "Xin-Mima-2026", "new_password2": "Xin-Mima-2026"})

    again = client.get(link, follow=True)
    assert "链接已失效" in again.content.decode()


@pytest.mark.django_db
def test_inactive_account_cannot_sign_in(client):
    user = UserFactory(is_active=False)
    response = sign_in(client, user.username)
    assert response.status_code == 200
    assert signed_in_as(client) is None


@pytest.mark.django_db
def test_the_office_sees_a_locked_account_in_the_admin_and_unlocks_it(client, admin_client):
    locked, typo, fine = UserFactory(), UserFactory(), UserFactory()
    for _ in range(5):
        sign_in(client, locked.username, "wrong-password")
    sign_in(client, typo.username, "wrong-password")
    changelist = reverse("admin:accounts_user_changelist")

    listed = admin_client.get(changelist, {"locked_out": "yes"})
    assert [user.username for user in listed.context["cl"].result_list] == [locked.username]

    response = admin_client.post(
        changelist, {"action": "unlock", "_selected_action": [locked.pk, typo.pk, fine.pk]}, follow=True
    )
    assert "已解除 1 个账号的登录锁定" in response.content.decode()
    assert list(admin_client.get(changelist, {"locked_out": "yes"}).context["cl"].result_list) == []
    assert sign_in(client, locked.username).status_code == 302
