"""三员分立: the security admin manages people, the auditor reads the trail,
neither sees business data; the auditor's page is theirs alone."""

import datetime

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import timezone

from audit import record
from audit.access import AUDITOR_GROUP, SECURITY_ADMIN_GROUP
from audit.models import AuditEvent
from campaigns.models import Membership
from campaigns.tests.factories import CampaignFactory, MembershipFactory, UnitFactory, UserFactory
from reports.tests.factories import AttachmentFactory, ReportFactory

pytestmark = pytest.mark.django_db


def member_of(group_name, username):
    user = UserFactory(username=username, is_staff=True)
    user.groups.add(Group.objects.get(name=group_name))
    return user


@pytest.fixture
def auditor():
    return member_of(AUDITOR_GROUP, "auditor")


@pytest.fixture
def security_admin():
    return member_of(SECURITY_ADMIN_GROUP, "security")


def codenames(group_name):
    return {f"{p.content_type.app_label}.{p.codename}" for p in Group.objects.get(name=group_name).permissions.select_related("content_type")}


def test_the_groups_hold_exactly_their_permissions():
    assert codenames(SECURITY_ADMIN_GROUP) == {
        "accounts.add_user", "accounts.change_user", "accounts.view_user",
        "auth.add_group", "auth.change_group", "auth.delete_group", "auth.view_group",
        "campaigns.add_membership", "campaigns.change_membership", "campaigns.delete_membership",
        "campaigns.view_membership", "campaigns.view_unit",
    }  # fmt: skip
    auditor = codenames(AUDITOR_GROUP)
    assert {"audit.view_auditevent", "accounts.view_signinevent", "reports.view_historicalreport"} <= auditor
    assert all(".view_" in name for name in auditor)
    assert not any(name.startswith(("campaigns.view_campaign", "reports.view_report", "evaluations.")) for name in auditor)


def test_the_auditor_searches_the_trail_by_action_actor_and_campaign(client, auditor):
    office = UserFactory(username="clerk", full_name="王文书")
    record(action="downloaded", object_type="reports.attachment", object_id="3", actor=office, campaign=5, description="下载“宣传稿.docx”")
    record(action="changed", object_type="evaluations.bulletin", object_id="4", actor=office, campaign=6, description="修改通报“第一期”")
    client.force_login(auditor)

    page = client.get(reverse("audit:search"), {"action": "downloaded", "actor": "王文书"})

    assert page.status_code == 200
    text = page.content.decode()
    assert "下载“宣传稿.docx”" in text
    assert "修改通报" not in text
    by_campaign = client.get(reverse("audit:search"), {"campaign": 6}).content.decode()
    assert "修改通报“第一期”" in by_campaign and "宣传稿" not in by_campaign


def test_the_auditor_lands_on_the_audit_search(client, auditor):
    client.force_login(auditor)
    response = client.get(reverse("home"))
    assert response.status_code == 302 and response["Location"] == reverse("audit:search")


def test_a_start_after_the_end_is_refused_with_a_chinese_message(client, auditor):
    client.force_login(auditor)
    page = client.get(reverse("audit:search"), {"start": "2026-05-02", "end": "2026-05-01"})
    assert page.status_code == 400
    assert "起始日期不能晚于截止日期" in page.content.decode()


def test_the_csv_export_holds_the_rows_and_is_itself_recorded(client, auditor):
    record(action="changed", object_type="notifications.campaignwebhook", object_id="2", description="修改工作群机器人", changes={"有效": [True, False]})
    client.force_login(auditor)

    response = client.get(reverse("audit:export"), {"object_type": "notifications.campaignwebhook"})

    text = response.content.decode("utf-8-sig")
    assert response["Content-Type"].startswith("text/csv")
    assert "修改工作群机器人" in text and "有效：True → False" in text
    export = AuditEvent.objects.get(action=AuditEvent.Action.DOWNLOADED)
    assert export.actor == auditor
    assert export.address == "127.0.0.1"
    assert export.description.startswith("导出审计记录")


def test_the_auditor_reads_the_sign_in_log(client, auditor):
    from accounts.models import SignInEvent

    SignInEvent.objects.create(kind=SignInEvent.Kind.SIGNED_IN, username="liaison7", ip_address="10.0.0.8", user_agent="Firefox")
    SignInEvent.objects.create(kind=SignInEvent.Kind.FAILED, username="stranger", ip_address="10.0.0.9", user_agent="curl")
    client.force_login(auditor)

    text = client.get(reverse("audit:sign_ins")).content.decode()

    assert "liaison7" in text and "10.0.0.8" in text and "登录成功" in text
    assert "stranger" in text and "登录失败" in text
    assert "stranger" not in client.get(reverse("audit:sign_ins"), {"actor": "liaison"}).content.decode()


def test_only_auditors_open_the_audit_pages(client):
    office_unit = UnitFactory()
    office = MembershipFactory(unit=office_unit, role=Membership.Role.OFFICE_STAFF).user
    root = UserFactory(username="root", is_staff=True, is_superuser=True)
    for user in (office, root, member_of(SECURITY_ADMIN_GROUP, "security")):
        client.force_login(user)
        for name in ("audit:search", "audit:export", "audit:sign_ins"):
            assert client.get(reverse(name)).status_code == 404, (user, name)


def test_the_auditor_sees_no_business_page_and_changes_nothing_in_the_admin(client, auditor):
    campaign = CampaignFactory()
    report = ReportFactory(period__rule__campaign=campaign)
    attachment = AttachmentFactory(report=report)
    victim = UserFactory(username="victim")
    client.force_login(auditor)

    assert client.get(reverse("reports:report_detail", args=[report.pk])).status_code == 404
    assert client.get(reverse("reports:attachment_download", args=[attachment.pk])).status_code == 404
    assert client.get(reverse("dashboards:campaign", args=[campaign.pk])).status_code == 404
    assert client.get(reverse("admin:campaigns_campaign_changelist")).status_code == 403
    assert client.get(reverse("admin:reports_report_changelist")).status_code == 403
    assert client.get(reverse("admin:audit_auditevent_changelist")).status_code == 200
    response = client.post(reverse("admin:accounts_user_change", args=[victim.pk]), {"username": "victim", "is_active": ""})
    assert response.status_code == 403
    victim.refresh_from_db()
    assert victim.is_active


def test_the_security_admin_manages_people_but_sees_no_report(client, security_admin):
    report = ReportFactory()
    person = UserFactory(username="person", full_name="李四")
    client.force_login(security_admin)

    assert client.get(reverse("admin:accounts_user_changelist")).status_code == 200
    assert client.get(reverse("admin:reports_report_changelist")).status_code == 403
    assert client.get(reverse("admin:campaigns_campaign_changelist")).status_code == 403
    assert client.get(reverse("admin:audit_auditevent_changelist")).status_code == 403
    assert client.get(reverse("reports:report_detail", args=[report.pk])).status_code == 404
    page = client.get(reverse("admin:accounts_user_change", args=[person.pk])).content.decode()
    # Only a system admin makes a system admin.
    assert 'name="is_superuser"' not in page and 'name="is_active"' in page


def test_the_audit_page_costs_the_same_queries_however_many_records(client, auditor, django_assert_num_queries):
    office = UserFactory(username="clerk")

    def add(count):
        for n in range(count):
            record(action="downloaded", object_type="reports.attachment", object_id=str(n), actor=office, campaign=1, description=f"下载“{n}.docx”")

    client.force_login(auditor)
    add(2)
    # Session, user, the menu and the bell (base.html), the auditor's group, the
    # object types on the trail, the count, the page.
    with django_assert_num_queries(8):
        assert client.get(reverse("audit:search")).status_code == 200
    add(30)
    with django_assert_num_queries(8):
        assert client.get(reverse("audit:search")).status_code == 200
    day = (timezone.localdate() - datetime.timedelta(days=1)).isoformat()
    with django_assert_num_queries(8):
        assert client.get(reverse("audit:search"), {"start": day, "actor": "clerk", "page": 2}).status_code == 200


def test_the_auditor_reads_every_history_table_even_one_added_later(db):
    from django.contrib.auth.models import Group, Permission

    auditor = Group.objects.get(name="审计员")
    history = Permission.objects.filter(codename__startswith="view_historical")
    assert history.filter(content_type__model="historicalindicatorvalue").exists()
    assert set(history) <= set(auditor.permissions.all())


def test_the_security_admin_cannot_take_over_the_system_admin_or_an_auditor_nor_widen_a_group(client, auditor):
    from django.contrib.auth.models import Group

    security = member_of(SECURITY_ADMIN_GROUP, "security2")
    root = UserFactory(username="root2", is_staff=True, is_superuser=True)
    person = UserFactory(username="clerk2", is_staff=False)
    client.force_login(security)
    for target in (root, auditor):
        assert client.get(reverse("admin:accounts_user_change", args=[target.pk])).status_code in (302, 404)
        response = client.post(
            reverse("admin:auth_user_password_change", args=[target.pk]),
            {"password1": "Xy!23456789ab", "password2": "Xy!23456789ab"},
        )
        assert response.status_code in (302, 404)
        target.refresh_from_db()
        assert not target.check_password("Xy!23456789ab")
    # Their own group: not theirs to widen; the system groups are not listed.
    group = Group.objects.get(name=SECURITY_ADMIN_GROUP)
    before = set(group.permissions.values_list("pk", flat=True))
    client.post(reverse("admin:auth_group_change", args=[group.pk]), {"name": group.name, "permissions": []})
    assert set(group.permissions.values_list("pk", flat=True)) == before
    # A person they do manage: a password reset is on the trail.
    response = client.post(
        reverse("admin:auth_user_password_change", args=[person.pk]),
        {"password1": "Xy!23456789ab", "password2": "Xy!23456789ab"},
    )
    assert response.status_code == 302
    assert AuditEvent.objects.filter(object_id=str(person.pk), description__contains="重设").exists()


@pytest.mark.parametrize(
    "query",
    [{"end": "9999-12-31"}, {"start": "0001-01-01"}, {"actor": "a\x00b"}, {"actor": "x" * 5000}, {"campaign": "9" * 30}],
)
def test_the_audit_pages_answer_hostile_queries_without_an_error(client, auditor, query):
    client.force_login(auditor)
    for name in ("audit:search", "audit:export", "audit:sign_ins"):
        assert client.get(reverse(name), query).status_code < 500, (name, query)


def test_the_trail_keeps_the_client_address_the_trusted_proxy_header_gives(rf, settings):
    from audit import request_address

    request = rf.get("/", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.9, 10.0.0.7")
    settings.TRUSTED_PROXY_HEADER = ""
    assert request_address(request) == "127.0.0.1"
    settings.TRUSTED_PROXY_HEADER, settings.TRUSTED_PROXY_COUNT = "HTTP_X_FORWARDED_FOR", 1
    assert request_address(request) == "10.0.0.7"
