"""催报 of many units in one action, per period or the whole overdue list:
a confirmation listing who will be reminded and who skipped, the per-unit
rate limit respected, each unit chased once, and a summary of what was done."""

import datetime
import zoneinfo
from unittest import mock

import pytest
from django.urls import reverse

from campaigns.models import Membership
from campaigns.tests.factories import CampaignFactory, MembershipFactory, UnitFactory
from notifications import chase
from notifications.models import Notification, Reminder
from reports.models import Report
from reports.tests.conftest import build_setting
from reports.tests.factories import PeriodFactory, ReportFactory, ReportingRuleFactory

pytestmark = pytest.mark.django_db

SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")
Role = Membership.Role

# The setting's units owe periods 1 and 2 (due 6 and 13 January 2026); the office chases on the 14th.
NOW = datetime.datetime(2026, 1, 14, 10, 5, tzinfo=SHANGHAI)


@pytest.fixture
def setting(db):
    return build_setting()


@pytest.fixture(autouse=True)
def clock(time_machine):
    time_machine.move_to(NOW, tick=False)
    return time_machine


def url(setting):
    return reverse("notifications:chase_overdue", args=[setting.campaign.pk])


def overdue(setting):
    return Report.objects.filter(period__rule__campaign=setting.campaign, status__in=Report.OWED_STATUSES, due_at__lt=NOW)


def test_the_office_sees_who_will_be_chased_then_confirms_and_each_person_hears_once(
    client, setting, django_assert_num_queries, django_capture_on_commit_callbacks
):
    assert overdue(setting).count() == 4  # two units, two periods each
    client.force_login(setting.office)
    # Session, user, the campaign, the overdue reports, last chases,
    # the units' people, and the base page's two.
    with django_assert_num_queries(8):
        response = client.post(url(setting))
    page = response.content.decode()
    assert response.status_code == 200
    assert "将催报（2 个单位）" in page and "确认催报 2 个单位" in page
    assert setting.unit.display_name in page and setting.other_unit.display_name in page
    assert not Reminder.objects.exists()

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url(setting), {"confirmed": "1"})
    page = response.content.decode()
    assert "已催报（2 个单位）" in page
    assert "已通知：" in page
    reminders = Reminder.objects.filter(kind=chase.chase_kind(NOW))
    assert reminders.count() == 4 and set(reminders.values_list("sent_by", flat=True)) == {setting.office.pk}
    # One message per person, naming both of the unit's overdue periods.
    for person in (setting.liaison, setting.other_liaison):
        notification = Notification.objects.get(recipient=person)
        assert "有2项报送逾期未报" in notification.title


def test_units_chased_recently_are_skipped_and_listed_and_a_second_run_chases_nobody(
    client, setting, django_capture_on_commit_callbacks, clock
):
    earlier = NOW - datetime.timedelta(hours=1)
    clock.move_to(earlier, tick=False)
    chase.chase(report=setting.report, by=setting.office, at=earlier)
    clock.move_to(NOW, tick=False)
    client.force_login(setting.office)
    with django_capture_on_commit_callbacks(execute=True):
        page = client.post(url(setting), {"confirmed": "1"}).content.decode()
    assert "已催报（1 个单位）" in page
    assert "未催报（2 份）" in page
    assert "已于 1月14日 09:05 催报过，1月14日 13:05 以后才能再次催报。" in page
    assert Reminder.objects.filter(report__unit=setting.other_unit).count() == 2
    count = Reminder.objects.count()
    # Pressed again (or a reload): everybody was chased within the interval.
    with django_capture_on_commit_callbacks(execute=True):
        page = client.post(url(setting), {"confirmed": "1"}).content.decode()
    assert "没有催报任何单位。" in page and "未催报（4 份）" in page
    assert Reminder.objects.count() == count


def test_a_unit_a_colleague_chased_a_moment_ago_is_claimed_once(client, setting, django_capture_on_commit_callbacks):
    chase.chase(report=setting.report, by=setting.office, at=NOW)
    count = Reminder.objects.count()
    # As if both had read the last chases before either wrote.
    with mock.patch.object(chase, "last_chases", return_value={}):
        result = chase.chase_many(
            reports=overdue(setting).filter(period=setting.report.period), by=setting.office, at=NOW
        )
    assert [unit.unit for unit in result.chased] == [setting.other_unit]
    assert [(report.pk, why) for report, why in result.skipped] == [
        (setting.report.pk, "刚刚已被催报（可能是同事同时操作）。")
    ]
    assert Reminder.objects.count() - count == 1  # the other unit's liaison, once


def test_chasing_one_period_chases_only_that_period(client, setting, django_capture_on_commit_callbacks):
    client.force_login(setting.office)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url(setting), {"confirmed": "1", "period": setting.report.period_id})
    assert set(Reminder.objects.values_list("report__period", flat=True)) == {setting.report.period_id}


def test_a_unit_with_nobody_to_remind_and_a_locked_period_are_skipped_with_the_reason(client, setting):
    lonely = UnitFactory(name="区档案馆", short_name="档案馆")
    ReportFactory(period=setting.report.period, unit=lonely)
    setting.rule.lock_after_days = 7
    setting.rule.save()
    client.force_login(setting.office)
    page = client.post(url(setting)).content.decode()
    assert "档案馆" in page and "还没有联络员或单位负责人的账号，无法催报。" in page
    assert "本期报送已锁定" in page  # period 1 was due on the 6th, locked on the 13th


def test_only_the_campaigns_office_may_chase_in_bulk(client, setting):
    stranger = MembershipFactory(unit=CampaignFactory().office_unit, role=Role.OFFICE_STAFF).user
    for user in (setting.leader, setting.liaison, stranger):
        client.force_login(user)
        assert client.post(url(setting), {"confirmed": "1"}).status_code == 404
    assert not Reminder.objects.exists()
    client.force_login(setting.office)
    assert client.get(url(setting)).status_code == 405
    other_period = PeriodFactory(rule=ReportingRuleFactory(campaign=CampaignFactory()))
    assert client.post(url(setting), {"period": other_period.pk}).status_code == 404
    assert client.post(url(setting), {"period": "x"}).status_code == 404


def test_the_queue_and_the_dashboard_offer_the_bulk_chase(client, setting):
    client.force_login(setting.office)
    queue = client.get(reverse("reports:review_queue"), {"status": "overdue"}).content.decode()
    assert url(setting) in queue and "一键催报全部逾期未报单位（4 份）" in queue
    dashboard = client.get(reverse("dashboards:campaign", args=[setting.campaign.pk])).content.decode()
    assert url(setting) in dashboard and "全部催报" in dashboard
    client.force_login(setting.leader)
    dashboard = client.get(reverse("dashboards:campaign", args=[setting.campaign.pk])).content.decode()
    assert url(setting) not in dashboard
