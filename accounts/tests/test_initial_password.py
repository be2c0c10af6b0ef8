import pytest
from django.urls import reverse

from accounts.models import User
from campaigns.models import Membership
from campaigns.tests.factories import MembershipFactory, UnitFactory, UserFactory

PASSWORD = "pass-word-123"


@pytest.fixture
def newcomer(client):
    """A liaison signed in with the initial password the administrator gave them."""
    member = MembershipFactory(role=Membership.Role.LIAISON, user__must_change_password=True)
    client.force_login(member.user)
    return member.user


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url",
    [reverse("home"), reverse("reports:unit_home"), reverse("reports:review_queue"), reverse("admin:index")],
)
def test_a_newcomer_is_sent_to_change_the_initial_password_from_every_page(client, newcomer, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response.url == reverse("password_change")


@pytest.mark.django_db
def test_signing_in_with_the_initial_password_leads_to_the_password_page(client):
    user = UserFactory(must_change_password=True)
    MembershipFactory(user=user, role=Membership.Role.LIAISON)

    response = client.post(reverse("login"), {"username": user.username, "password": PASSWORD}, follow=True)

    assert response.redirect_chain[-1] == (reverse("password_change"), 302)
    assert "请先修改初始密码" in response.content.decode()


@pytest.mark.django_db
def test_the_password_page_says_why(client, newcomer):
    response = client.get(reverse("home"), follow=True)
    assert response.redirect_chain == [(reverse("password_change"), 302)]
    assert "请先修改初始密码" in response.content.decode()


@pytest.mark.django_db
def test_a_newcomer_may_still_sign_out_and_load_static_files(client, newcomer):
    assert client.get("/static/css/app.css").status_code == 200
    assert client.post(reverse("logout")).url == reverse("login")
    assert client.session.get("_auth_user_id") is None


@pytest.mark.django_db
def test_a_refused_new_password_keeps_the_newcomer_on_the_page(client, newcomer):
    response = client.post(
        reverse("password_change"),
        {"old_password": PASSWORD, "new_password1": "12345678", "new_password2": "12345678"},
    )
    assert response.status_code == 200
    newcomer.refresh_from_db()
    assert newcomer.must_change_password
    assert client.get(reverse("home")).url == reverse("password_change")


@pytest.mark.django_db
def test_after_changing_the_password_every_page_opens(client, newcomer):
    response = client.post(
        reverse("password_change"),
        {"old_password": PASSWORD, "new_password1": "Xin-Mima-2026", "new_password2": "Xin-Mima-2026"},
    )
    assert response.url == reverse("password_change_done")

    newcomer.refresh_from_db()
    assert not newcomer.must_change_password
    assert newcomer.check_password("Xin-Mima-2026")
    assert client.get(reverse("home")).url == reverse("reports:unit_home")
    assert client.get(reverse("password_change_done")).status_code == 200


@pytest.mark.django_db
def test_a_user_without_the_flag_is_not_held(client):
    member = MembershipFactory(role=Membership.Role.LIAISON)
    client.force_login(member.user)
    assert client.get(reverse("home")).url == reverse("reports:unit_home")


@pytest.mark.django_db
def test_a_user_the_admin_creates_must_change_the_password(admin_client):
    unit = UnitFactory()
    response = admin_client.post(
        reverse("admin:accounts_user_add"),
        {
            "username": "liaison_new",
            "full_name": "新联络员",
            "password1": "Chushi-Mima-2026",
            "password2": "Chushi-Mima-2026",
            "memberships-TOTAL_FORMS": "1",
            "memberships-INITIAL_FORMS": "0",
            "memberships-0-unit": unit.pk,
            "memberships-0-role": Membership.Role.LIAISON,
            "memberships-0-is_active": "on",
        },
    )

    assert response.status_code == 302, response.context and response.context["adminform"].form.errors
    user = User.objects.get(username="liaison_new")
    assert user.must_change_password
    assert user.check_password("Chushi-Mima-2026")
    assert user.memberships.get().unit == unit


@pytest.mark.django_db
def test_a_password_the_admin_sets_must_be_changed(admin_client):
    user = UserFactory()
    assert not user.must_change_password

    response = admin_client.post(
        reverse("admin:auth_user_password_change", args=[user.pk]),
        {"usable_password": "true", "password1": "Chongzhi-2026", "password2": "Chongzhi-2026"},
    )

    assert response.status_code == 302
    user.refresh_from_db()
    assert user.must_change_password
    assert user.check_password("Chongzhi-2026")


@pytest.mark.django_db
def test_editing_a_user_in_the_admin_does_not_touch_the_flag(admin_client):
    user = UserFactory(must_change_password=False)
    data = {
        "username": user.username,
        "full_name": "改名",
        "is_active": "on",
        "date_joined_0": "2026-01-01",
        "date_joined_1": "09:00:00",
        "memberships-TOTAL_FORMS": "0",
        "memberships-INITIAL_FORMS": "0",
    }
    response = admin_client.post(reverse("admin:accounts_user_change", args=[user.pk]), data)
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.full_name == "改名"
    assert not user.must_change_password
