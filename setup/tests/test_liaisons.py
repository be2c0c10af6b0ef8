"""单位与联络员: the office clerk gives the units that owe reports their
liaisons, without the Django admin, and takes an imported plan live."""

import datetime
import re

import pytest
from django.urls import reverse

from accounts.models import User
from campaigns.models import Campaign, Membership
from campaigns.tests.factories import CampaignFactory, MembershipFactory, PhaseFactory, UnitFactory, UserFactory
from reports.models import Report
from reports.tests.conftest import local
from reports.tests.factories import ReportingRuleFactory
from tasks.tests.factories import TaskFactory

pytestmark = pytest.mark.django_db

Role = Membership.Role
NOW = local(2026, 1, 12, 10, 0)


@pytest.fixture
def clock(time_machine):
    time_machine.move_to(NOW, tick=False)


class Plan:
    """A draft whose plan named a unit new to the system (区城管执法局):
    ready to go live but for that unit's liaison."""

    def __init__(self):
        self.office_unit = UnitFactory(name="领导小组办公室")
        self.clerk = MembershipFactory(unit=self.office_unit, role=Role.OFFICE_STAFF, user__username="clerk").user
        self.leader = MembershipFactory(unit=self.office_unit, role=Role.LEADER, user__username="leader").user
        self.campaign = CampaignFactory(
            office_unit=self.office_unit,
            status=Campaign.Status.DRAFT,
            starts_on=datetime.date(2026, 1, 1),
            ends_on=datetime.date(2026, 12, 31),
            contact_person="樊丽娜",
            contact_phone="66213720",
        )
        PhaseFactory(
            campaign=self.campaign, order=1, starts_on=datetime.date(2026, 1, 1), ends_on=datetime.date(2026, 12, 31)
        )
        self.unit = UnitFactory(name="区卫生监督所")
        self.liaison = MembershipFactory(unit=self.unit, role=Role.LIAISON, user__username="liaison").user
        self.new_unit = UnitFactory(name="区城管执法局")
        TaskFactory(campaign=self.campaign, lead_unit=self.unit, title="加强执法人员培训")
        TaskFactory(campaign=self.campaign, lead_unit=self.new_unit, title="整治占道经营")
        self.rule = ReportingRuleFactory(
            campaign=self.campaign, name="周报", starts_on=self.campaign.starts_on, ends_on=self.campaign.ends_on
        )
        self.other_office = MembershipFactory(
            unit=UnitFactory(name="区市场监管局办公室"), role=Role.OFFICE_STAFF, user__username="other_office"
        ).user


@pytest.fixture
def plan(db):
    return Plan()


def url(name, plan, *args):
    return reverse(f"setup:{name}", args=[plan.campaign.pk, *args])


def checklist(client, plan):
    return [item.text for item in client.get(url("overview", plan)).context["missing"]]


def people(unit):
    return set(
        Membership.objects.filter(unit=unit, is_active=True).values_list("user__username", "role")
    )


def test_the_clerk_creates_the_new_units_liaison_activates_and_the_liaison_signs_in(client, plan, clock):
    client.force_login(plan.clerk)
    overview = client.get(url("overview", plan))
    [line] = [item for item in overview.context["missing"] if "联络员" in item.text]
    assert "区城管执法局" in line.text and line.url == url("liaisons", plan)
    assert not client.post(url("activate", plan)).url.startswith("/dashboards")

    page = client.get(url("liaisons", plan)).content.decode()
    assert "区城管执法局" in page and "缺联络员" in page and url("unit_people", plan, plan.new_unit.pk) in page

    response = client.post(
        url("unit_people", plan, plan.new_unit.pk), {"full_name": "周海涛", "phone": "139 1234 5678", "role": "liaison"}
    )

    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    page = response.content.decode()
    password = response.context["password"]
    assert password in page and "只显示这一次" in page and "首次登录后须先修改密码" in page
    user = User.objects.get(username="13912345678")
    assert (user.full_name, user.phone, user.must_change_password) == ("周海涛", "13912345678", True)
    assert not (user.is_staff or user.is_superuser) and password not in user.password
    membership = Membership.objects.get(user=user)
    assert (membership.unit, membership.role, membership.is_active) == (plan.new_unit, Role.LIAISON, True)
    assert membership.history.get().history_user == plan.clerk
    # Only the reminder that the first Tuesday is already past is left.
    assert all("已过截止日" in line for line in checklist(client, plan))

    response = client.post(url("activate", plan))
    assert response.url == reverse("dashboards:campaign", args=[plan.campaign.pk])
    plan.campaign.refresh_from_db()
    assert plan.campaign.status == Campaign.Status.ACTIVE
    report = Report.objects.filter(unit=plan.new_unit).latest("period__number")

    client.logout()
    response = client.post(reverse("login"), {"username": "13912345678", "password": password}, follow=True)
    assert response.redirect_chain[-1] == (reverse("password_change"), 302)
    response = client.post(
        reverse("password_change"),
        {"old_password": password, "new_password1": "Xin-Mima-2026", "new_password2": "Xin-Mima-2026"},
    )
    assert response.url == reverse("password_change_done")
    home = client.get(reverse("reports:unit_home")).content.decode()
    assert report.get_absolute_url() in home
    assert client.get(report.get_absolute_url()).status_code == 200


def test_the_clerk_finds_an_existing_user_and_makes_them_the_units_liaison(client, plan):
    known = UserFactory(username="wangfang", full_name="王芳", phone="13800001111")
    UserFactory(username="admin", full_name="王管理", is_staff=True, is_superuser=True)
    client.force_login(plan.clerk)

    found = client.get(url("unit_people", plan, plan.new_unit.pk), {"q": "王"}).context["found"]
    assert found == [known]

    response = client.post(url("member_assign", plan, plan.new_unit.pk), {"user": known.pk, "role": "liaison"})

    assert response.url == url("unit_people", plan, plan.new_unit.pk)
    assert people(plan.new_unit) == {("wangfang", Role.LIAISON)}
    assert Membership.objects.get(user=known).history.get().history_user == plan.clerk
    assert not any("联络员" in line for line in checklist(client, plan))


def snapshot():
    return (
        list(User.objects.order_by("pk").values_list("pk", "username", "phone", "is_staff", "is_superuser")),
        list(Membership.objects.order_by("pk").values_list("pk", "user", "unit", "role", "is_active")),
    )


@pytest.mark.parametrize(
    ("data", "error"),
    [
        ({"full_name": "周海涛", "phone": "1391234567", "role": "liaison"}, "应为以 1 开头的 11 位数字"),
        ({"full_name": "周海涛", "phone": "23912345678", "role": "liaison"}, "应为以 1 开头的 11 位数字"),
        ({"full_name": "周海涛", "phone": "13800001111", "role": "liaison"}, "已属于用户“王芳”"),
        ({"full_name": "周海涛", "phone": "13912345678", "role": "office_staff"}, "只能设置联络员或单位负责人"),
        ({"full_name": "周海涛", "phone": "13912345678", "role": "leader"}, "只能设置联络员或单位负责人"),
        ({"full_name": "", "phone": "13912345678", "role": "liaison"}, "这个字段是必填项"),
    ],
)
def test_a_refused_person_changes_nothing_and_says_why(client, plan, data, error):
    UserFactory(username="wangfang", full_name="王芳", phone="138-0000-1111")
    client.force_login(plan.clerk)
    before = snapshot()

    response = client.post(url("unit_people", plan, plan.new_unit.pk), {**data, "is_staff": "on", "is_superuser": "on"})

    assert response.status_code == 200 and "password" not in response.context
    assert error in response.content.decode()
    assert snapshot() == before


def test_refused_assignments_change_nothing_and_say_why(client, plan):
    admin = UserFactory(username="admin", is_staff=True, is_superuser=True)
    client.force_login(plan.clerk)
    before = snapshot()
    unit_page = url("unit_people", plan, plan.new_unit.pk)

    for data, error in [
        ({"user": plan.liaison.pk, "role": "office_staff"}, "只能设置联络员或单位负责人"),
        ({"user": admin.pk, "role": "liaison"}, "所选用户不存在或已停用"),
    ]:
        response = client.post(url("member_assign", plan, plan.new_unit.pk), data, follow=True)
        assert error in response.content.decode()
    response = client.post(url("member_assign", plan, plan.unit.pk), {"user": plan.liaison.pk, "role": "liaison"})
    assert response.url == url("unit_people", plan, plan.unit.pk)
    assert "已是“区卫生监督所”的联络员" in client.get(unit_page).content.decode()
    # A unit that owes nothing in this campaign is not the clerk's to staff.
    stranger = UnitFactory(name="区教育局")
    assert client.post(url("member_assign", plan, stranger.pk), {"user": plan.liaison.pk}).status_code == 404
    assert snapshot() == before


def test_the_clerk_undoes_a_role_given_by_mistake_but_not_one_the_admin_gave(client, plan):
    client.force_login(plan.clerk)
    client.post(url("member_assign", plan, plan.new_unit.pk), {"user": plan.liaison.pk, "role": "unit_head"})
    mistake = Membership.objects.get(unit=plan.new_unit, role=Role.UNIT_HEAD)

    response = client.post(url("member_end", plan, mistake.pk), follow=True)

    mistake.refresh_from_db()
    assert not mistake.is_active
    assert mistake.history.latest().history_user == plan.clerk
    assert "已撤销" in response.content.decode()

    # The admin's liaison serves every campaign the unit reports to.
    before = snapshot()
    response = client.post(url("member_end", plan, Membership.objects.get(user=plan.liaison, role=Role.LIAISON).pk))
    assert snapshot() == before
    assert "请联系系统管理员" in client.get(response.url).content.decode()

    # Given back by the clerk, it can be undone again.
    client.post(url("member_assign", plan, plan.new_unit.pk), {"user": plan.liaison.pk, "role": "unit_head"})
    assert people(plan.new_unit) == {("liaison", Role.UNIT_HEAD)}
    client.post(url("member_end", plan, mistake.pk))
    assert people(plan.new_unit) == set()


@pytest.mark.parametrize("who", ["liaison", "other_office", "leader"])
def test_only_the_campaigns_office_opens_the_page_and_acts(client, plan, who):
    client.force_login(getattr(plan, who))
    before = snapshot()
    requests = [
        ("GET", url("liaisons", plan), {}),
        ("GET", url("unit_people", plan, plan.new_unit.pk), {}),
        ("POST", url("unit_people", plan, plan.new_unit.pk), {"full_name": "周海涛", "phone": "13912345678"}),
        ("POST", url("member_assign", plan, plan.new_unit.pk), {"user": plan.liaison.pk, "role": "liaison"}),
        ("POST", url("member_end", plan, Membership.objects.get(user=plan.liaison).pk), {}),
    ]
    statuses = [
        (client.get(path) if method == "GET" else client.post(path, data)).status_code for method, path, data in requests
    ]
    assert statuses == [404] * len(requests)
    assert snapshot() == before


# Session, user, campaign, the page's context, then rules, owing units, the
# units and their people: the same for 2 units or 32.
def test_the_page_costs_the_same_for_more_units(client, plan, django_assert_max_num_queries):
    client.force_login(plan.clerk)
    with django_assert_max_num_queries(9):
        page = client.get(url("liaisons", plan)).content.decode()
    assert page.count("设置人员") == 2
    for n in range(30):
        unit = UnitFactory()
        TaskFactory(campaign=plan.campaign, lead_unit=unit)
        MembershipFactory(unit=unit, role=Role.LIAISON)
        MembershipFactory(unit=unit, role=Role.UNIT_HEAD)
    with django_assert_max_num_queries(9):
        page = client.get(url("liaisons", plan)).content.decode()
    assert page.count("设置人员") == 32
    assert re.search(r"区城管执法局.*缺联络员", page, re.S)


def test_a_new_persons_username_is_the_phone_number_or_next_to_it_when_taken(client, plan):
    UserFactory(username="13912345678", full_name="旧账号", phone="")
    client.force_login(plan.clerk)

    response = client.post(
        url("unit_people", plan, plan.new_unit.pk), {"full_name": "周海涛", "phone": "13912345678", "role": "unit_head"}
    )

    assert response.context["membership"].user.username == "13912345678_2"
    assert people(plan.new_unit) == {("13912345678_2", Role.UNIT_HEAD)}
