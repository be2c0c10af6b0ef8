"""催报: the office chases a late unit, which hears of it at once, and not
more than once in CHASE_INTERVAL_SECONDS."""

import datetime
import re
import zoneinfo

import pytest
from django.core import mail
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains

from campaigns.models import Membership
from campaigns.tests.factories import MembershipFactory, UserFactory
from notifications import chase
from notifications.models import Delivery, Notification, Reminder
from notifications.tests.factories import CampaignWebhookFactory
from reports.models import Report
from reports.tests.conftest import build_setting

pytestmark = pytest.mark.django_db

SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")
Role = Membership.Role


def local(*args):
    return datetime.datetime(*args, tzinfo=SHANGHAI)


# The setting's report is due Tuesday 2026-01-13 17:30; the office chases the next morning.
NOW = local(2026, 1, 14, 10, 5)
HOURS = datetime.timedelta(hours=1)


@pytest.fixture
def setting(db):
    return build_setting()


@pytest.fixture
def clock(time_machine):
    time_machine.move_to(NOW, tick=False)
    return time_machine


@pytest.fixture
def head(setting):
    user = UserFactory(username="head", full_name="王主任", email="head@example.com")
    MembershipFactory(unit=setting.unit, role=Role.UNIT_HEAD, user=user)
    return user


def chase_url(report):
    return reverse("notifications:chase", args=[report.pk])


def messages_of(response):
    return [str(m) for m in response.context["messages"]]


def test_office_chases_a_late_unit_and_its_liaison_and_head_hear_at_once(
    client, setting, head, clock, django_capture_on_commit_callbacks
):
    client.force_login(setting.office)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(chase_url(setting.report), follow=True)

    kind = f"chase_{int(NOW.timestamp() // (4 * 3600))}"
    reminders = Reminder.objects.filter(report=setting.report)
    assert sorted(reminders.values_list("recipient__username", "kind", "sent_by__username")) == [
        ("head", kind, "office"),
        ("liaison", kind, "office"),
    ]
    assert all(r.created_at == NOW for r in reminders)
    # In the notification centre of both, saying who chases and since when the report is due.
    for person in (setting.liaison, head):
        notification = Notification.objects.get(recipient=person)
        assert "领导小组办公室催报，已于 1月13日 17:30 截止，请立即报送。" in notification.body
        assert notification.url == reverse("reports:unit_home")
    # The head has an e-mail address: it went out at once, not at the next minute's job.
    assert [m.to for m in mail.outbox] == [["head@example.com"]]
    assert "领导小组办公室催报" in mail.outbox[0].body
    assert Delivery.objects.get(channel=Delivery.Channel.EMAIL).status == Delivery.Status.SENT
    assert messages_of(response) == [f"已向{setting.unit.display_name}催报：{setting.liaison}、王主任将收到站内通知和电子邮件。"]
    assert response.redirect_chain[-1][0] == setting.report.get_absolute_url()


def test_a_unit_chased_within_four_hours_is_not_chased_again(client, setting, head, clock):
    client.force_login(setting.office)
    client.post(chase_url(setting.report), follow=True)
    clock.move_to(NOW + 3 * HOURS, tick=False)

    response = client.post(chase_url(setting.report), follow=True)

    assert messages_of(response) == ["已于 1月14日 10:05 催报过该单位，请 4 小时后（1月14日 14:05 以后）再催报。"]
    assert Reminder.objects.count() == 2
    assert Notification.objects.filter(recipient=setting.liaison).count() == 1


def test_the_limit_holds_for_the_units_other_reports_and_for_other_office_staff(client, setting, head, clock):
    colleague = MembershipFactory(unit=setting.campaign.office_unit, role=Role.OFFICE_STAFF).user
    earlier = Report.objects.get(unit=setting.unit, period__number=1)
    client.force_login(setting.office)
    client.post(chase_url(setting.report), follow=True)

    client.force_login(colleague)
    response = client.post(chase_url(earlier), follow=True)

    assert messages_of(response)[0].startswith("已于 1月14日 10:05 催报过该单位")
    assert not Reminder.objects.filter(report=earlier).exists()


def test_another_unit_can_be_chased_in_the_same_hour(client, setting, head, clock):
    client.force_login(setting.office)
    client.post(chase_url(setting.report))

    client.post(chase_url(setting.other_report))

    assert Reminder.objects.filter(report=setting.other_report, recipient=setting.other_liaison).exists()


def test_after_the_interval_the_unit_can_be_chased_again(client, setting, head, clock):
    client.force_login(setting.office)
    client.post(chase_url(setting.report))
    later = NOW + 4 * HOURS + datetime.timedelta(minutes=1)
    clock.move_to(later, tick=False)

    client.post(chase_url(setting.report))

    kinds = set(Reminder.objects.filter(recipient=setting.liaison).values_list("kind", flat=True))
    assert kinds == {f"chase_{int(NOW.timestamp() // 14400)}", f"chase_{int(later.timestamp() // 14400)}"}
    assert Notification.objects.filter(recipient=setting.liaison).count() == 2


def test_the_interval_comes_from_the_settings(setting, head, settings):
    settings.CHASE_INTERVAL_SECONDS = 3600
    chase.chase(report=setting.report, by=setting.office, at=NOW)

    with pytest.raises(chase.ChaseRefused) as refused:
        chase.chase(report=setting.report, by=setting.office, at=NOW + datetime.timedelta(minutes=59))
    chase.chase(report=setting.report, by=setting.office, at=NOW + datetime.timedelta(minutes=61))

    assert refused.value.message == "已于 1月14日 10:05 催报过该单位，请 1 小时后（1月14日 11:05 以后）再催报。"
    assert Reminder.objects.filter(recipient=setting.liaison).count() == 2


def test_two_colleagues_pressing_at_the_same_moment_chase_once(setting, head):
    colleague = MembershipFactory(unit=setting.campaign.office_unit, role=Role.OFFICE_STAFF).user
    chase.chase(report=setting.report, by=setting.office, at=NOW)

    with pytest.raises(chase.ChaseRefused):
        chase.chase(report=setting.report, by=colleague, at=NOW)

    assert Reminder.objects.count() == 2
    assert set(Reminder.objects.values_list("sent_by", flat=True)) == {setting.office.pk}


def test_a_report_not_yet_due_cannot_be_chased(setting, head):
    with pytest.raises(chase.ChaseRefused) as refused:
        chase.chase(report=setting.report, by=setting.office, at=local(2026, 1, 13, 17, 0))

    assert refused.value.message == "本期报送 1月13日 17:30 才截止，尚未逾期，不能催报；截止前系统会自动提醒。"
    assert not Reminder.objects.exists()


def sent(report):
    Report.objects.filter(pk=report.pk).update(status=Report.Status.SUBMITTED, submitted_at=NOW)
    report.refresh_from_db()


def test_a_report_already_sent_cannot_be_chased(setting, head):
    sent(setting.report)

    with pytest.raises(chase.ChaseRefused) as refused:
        chase.chase(report=setting.report, by=setting.office, at=NOW + HOURS)

    assert refused.value.message == f"{setting.unit.display_name}本期无需催报：当前状态为“已报送”。"
    assert not Reminder.objects.exists()


def test_a_locked_report_cannot_be_chased_until_reopened(setting, head):
    setting.rule.lock_after_days = 1
    setting.rule.save()
    report = Report.objects.select_related("unit", "period__rule__campaign").get(pk=setting.report.pk)

    with pytest.raises(chase.ChaseRefused) as refused:
        chase.chase(report=report, by=setting.office, at=local(2026, 1, 15, 10, 0))

    assert "本期报送已锁定" in refused.value.message
    assert not Reminder.objects.exists()


def test_a_unit_without_liaison_or_head_accounts_cannot_be_chased(setting):
    Membership.objects.filter(unit=setting.unit).update(is_active=False)

    with pytest.raises(chase.ChaseRefused) as refused:
        chase.chase(report=setting.report, by=setting.office, at=NOW)

    assert "还没有联络员或单位负责人的账号" in refused.value.message
    assert not Notification.objects.exists()


def test_a_chase_is_posted_to_the_campaigns_group_robot_too(setting, head, django_capture_on_commit_callbacks, monkeypatch):
    CampaignWebhookFactory(campaign=setting.campaign, name="联络员工作群")
    posted = []
    monkeypatch.setattr("notifications.deliveries.post_to_robot", lambda url, text: posted.append(text))

    with django_capture_on_commit_callbacks(execute=True):
        chased = chase.chase(report=setting.report, by=setting.office, at=NOW)

    assert chased.robot_posts == 1
    assert len(posted) == 1
    assert "领导小组办公室催报" in posted[0]
    assert setting.unit.display_name in posted[0]
    robot = Delivery.objects.get(channel=Delivery.Channel.WECOM)
    assert robot.status == Delivery.Status.SENT
    assert robot.pk in chased.delivery_ids


def test_a_sweep_at_the_same_moment_keeps_its_own_robot_post(setting, head):
    from notifications import reminders

    CampaignWebhookFactory(campaign=setting.campaign)
    reminders.sweep(at=NOW)  # the daily overdue reminders, posted to the group too
    swept = set(Delivery.objects.values_list("pk", flat=True))

    chased = chase.chase(report=setting.report, by=setting.office, at=NOW)

    assert swept
    assert not swept & set(chased.delivery_ids)
    assert chased.robot_posts == 1
    assert set(chased.delivery_ids) == set(
        Delivery.objects.exclude(pk__in=swept).exclude(channel=Delivery.Channel.IN_APP).values_list("pk", flat=True)
    )


def test_nothing_is_sent_when_the_chase_does_not_commit(setting, head, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        chase.chase(report=setting.report, by=setting.office, at=NOW)

    assert len(callbacks) == 1
    assert mail.outbox == []
    assert Delivery.objects.get(channel=Delivery.Channel.EMAIL).status == Delivery.Status.PENDING


# Who may chase


def test_the_units_own_liaison_and_a_leader_may_not_chase(client, setting, clock):
    for person in (setting.liaison, setting.leader):
        client.force_login(person)
        assert client.post(chase_url(setting.report)).status_code == 403
    assert not Reminder.objects.exists()


def test_another_units_liaison_and_another_office_get_not_found(client, setting, clock):
    stranger_office = MembershipFactory(role=Role.OFFICE_STAFF).user
    for person in (setting.other_liaison, stranger_office):
        client.force_login(person)
        assert client.post(chase_url(setting.report)).status_code == 404
    assert not Reminder.objects.exists()


def test_chasing_needs_a_post(client, setting, clock):
    client.force_login(setting.office)

    assert client.get(chase_url(setting.report)).status_code == 405
    assert not Reminder.objects.exists()


# Where the office chases


def overdue_tab(client):
    return client.get(reverse("reports:review_queue"), {"status": "overdue"})


def test_the_overdue_tab_has_a_chase_button_on_each_late_unit(client, setting, clock):
    sent(setting.other_report)
    client.force_login(setting.office)

    html = overdue_tab(client).content.decode()

    buttons = re.findall(r'formaction="/reports/(\d+)/chase/"', html)
    owed = Report.objects.filter(status__in=Report.OWED_STATUSES, due_at__lt=NOW)
    assert sorted(int(pk) for pk in buttons) == sorted(owed.values_list("pk", flat=True))
    assert str(setting.other_report.pk) not in buttons
    assert 'data-confirm="确定立即向' in html


def test_the_chase_button_returns_to_the_queue(client, setting, head, clock):
    client.force_login(setting.office)
    queue = reverse("reports:review_queue") + "?status=overdue"

    response = client.post(chase_url(setting.report), {"next": queue})

    assert response["Location"] == queue


def test_the_overdue_tab_shows_when_a_unit_was_last_chased(client, setting, head, clock):
    client.force_login(setting.office)
    client.post(chase_url(setting.report))
    clock.move_to(NOW + HOURS, tick=False)

    response = overdue_tab(client)

    assertContains(response, "该单位最近催报于 1月14日 10:05，1月14日 14:05 后可再次催报")
    html = response.content.decode()
    button = re.search(rf'<button[^>]*formaction="{chase_url(setting.report)}"[^>]*>', html).group(0)
    assert "disabled" in button


def test_leaders_see_the_overdue_tab_without_chase_buttons(client, setting, clock):
    client.force_login(setting.leader)

    response = overdue_tab(client)

    assert response.status_code == 200
    assertNotContains(response, "/chase/")


@pytest.mark.parametrize("late_units", [2, 12])
def test_the_overdue_tab_costs_the_same_queries_for_12_late_units_as_for_2(
    client, setting, clock, django_assert_max_num_queries, late_units
):
    from campaigns.tests.factories import UnitFactory
    from reports.tests.factories import ReportFactory

    period = setting.report.period
    for _ in range(late_units):
        report = ReportFactory(period=period, unit=UnitFactory())
        MembershipFactory(unit=report.unit, role=Role.LIAISON)
        chase.chase(report=Report.objects.select_related("unit", "period__rule__campaign").get(pk=report.pk), by=setting.office, at=NOW)
    client.force_login(setting.office)

    # 15: the queue reads its page's latest versions in one query of its own.
    with django_assert_max_num_queries(15):
        response = overdue_tab(client)

    assert response.content.decode().count("该单位最近催报于") == late_units


def test_the_report_page_offers_the_chase_and_says_who_chased_last(client, setting, head, clock):
    client.force_login(setting.office)
    page = client.get(setting.report.get_absolute_url())
    assertContains(page, "该单位尚未被催报过")
    assertContains(page, f'action="{chase_url(setting.report)}"')

    client.post(chase_url(setting.report))
    page = client.get(setting.report.get_absolute_url())

    assertContains(page, f"该单位最近催报于 1月14日 10:05（{setting.office}）")
    assertContains(page, "1月14日 14:05 后可再次催报")
    assertNotContains(page, f'action="{chase_url(setting.report)}"')


def test_the_report_page_offers_no_chase_before_the_deadline(client, setting, head, time_machine):
    time_machine.move_to(local(2026, 1, 12, 9, 0), tick=False)
    client.force_login(setting.office)

    assertNotContains(client.get(setting.report.get_absolute_url()), "/chase/")
