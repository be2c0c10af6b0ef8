"""节假日安排: the office pastes the State Council's notice, checks it on the
year's calendar, confirms, and every deadline the new days change moves, with
one notice to each unit concerned. Nobody else opens the page."""

import datetime
from pathlib import Path

import pytest
import time_machine
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains

from calendars.models import CalendarDay, HolidayYear
from calendars.notice import read_notice
from campaigns.models import Membership
from campaigns.tests.factories import CampaignFactory, MembershipFactory, UnitFactory
from dashboards.services import MOVED_TITLE, load_holiday_notice
from notifications.models import Delivery, Notification
from reports.models import Report
from reports.tests.conftest import local
from reports.tests.factories import PeriodFactory, ReportFactory, ReportingRuleFactory

pytestmark = pytest.mark.django_db

URL = reverse("dashboards:holidays")
NOTICES = Path(__file__).resolve().parents[2] / "calendars" / "tests" / "notices"
# 2027 is beyond chinesecalendar, so the migration loads nothing for it.
NOTICE_2027 = """国务院办公厅关于2027年部分节假日安排的通知

一、元旦：1月1日（周五）至3日（周日）放假，共3天。

二、劳动节：5月1日（周六）至5日（周三）放假调休，共5天。5月8日（周六）上班。
"""
NOW = local(2027, 4, 20, 9, 0)


def days_2027():
    return list(CalendarDay.objects.filter(date__year=2027).values_list("date", "is_working", "name"))


@pytest.fixture
def office(client):
    client.force_login(MembershipFactory(role=Membership.Role.OFFICE_STAFF).user)
    return client


@pytest.mark.parametrize("role", [Membership.Role.LIAISON, Membership.Role.UNIT_HEAD, Membership.Role.LEADER])
def test_people_who_do_not_keep_the_calendar_get_404(client, role):
    client.force_login(MembershipFactory(role=role).user)

    assert client.get(URL).status_code == 404
    assert client.post(URL, {"text": NOTICE_2027, "confirm": ""}).status_code == 404
    assert days_2027() == []


def test_signed_out_visitors_are_sent_to_sign_in(client):
    assert client.get(URL).status_code == 302


def test_system_admins_keep_the_calendar(admin_client):
    assertContains(admin_client.get(URL), "节假日安排")


def test_the_office_sees_the_loaded_years_in_a_fixed_number_of_queries(office, django_assert_num_queries):
    # session, user, the user's roles (the page's check and the menu's), the bell, the loaded years
    with django_assert_num_queries(5):
        response = office.get(URL)

    assertContains(response, "2026年")
    assertContains(response, "chinesecalendar")


def test_the_preview_shows_the_year_on_a_calendar_and_writes_nothing(office, django_assert_num_queries):
    # session, user, the user's roles (the page's check and the menu's), the year's days already loaded, the bell
    with django_assert_num_queries(5):
        response = office.post(URL, {"text": NOTICE_2027, "preview": ""})

    assertContains(response, "核对2027年节假日安排")
    assertContains(response, "劳动节")
    assertContains(response, '<td class="holiday-day-work" title="劳动节调休上班">8<span class="holiday-mark">班</span></td>', html=True)
    assertContains(response, '<td class="holiday-day-off" title="元旦">1<span class="holiday-mark">休</span></td>', html=True)
    assertContains(response, "确认载入")
    assert days_2027() == []
    assert not HolidayYear.objects.filter(year=2027).exists()


def test_bad_text_gets_a_sentence_and_writes_nothing(office):
    response = office.post(URL, {"text": "国务院办公厅关于2027年部分节假日安排的通知\n一、元旦：2月30日放假。", "confirm": ""})

    assert response.status_code == 200
    assertContains(response, "第一项“元旦”中的日期“2月30日”不存在，请核对通知原文。")
    assertNotContains(response, "确认载入")
    assert days_2027() == []


def test_confirming_loads_the_year(office):
    response = office.post(URL, {"text": NOTICE_2027, "confirm": ""}, follow=True)

    assertContains(response, "已载入2027年节假日安排：放假8天，调休上班1天。没有需要调整的报送截止时间。")
    assert sorted(days_2027()) == [
        (datetime.date(2027, 1, 1), False, "元旦"),
        (datetime.date(2027, 1, 2), False, "元旦"),
        (datetime.date(2027, 1, 3), False, "元旦"),
        *[(datetime.date(2027, 5, d), False, "劳动节") for d in range(1, 6)],
        (datetime.date(2027, 5, 8), True, "劳动节调休上班"),
    ]
    loaded = HolidayYear.objects.get(year=2027)
    assert loaded.notice == NOTICE_2027.strip()


def test_loading_a_year_again_replaces_its_days_and_keeps_the_history(office):
    office.post(URL, {"text": (NOTICES / "2025.txt").read_text(encoding="utf-8"), "confirm": ""})

    assert CalendarDay.objects.filter(date__year=2025).count() == 28 + 5
    # The migration's rows, replaced, are kept in the history as deleted.
    assert CalendarDay.history.filter(date__year=2025, history_type="-").count() == 28 + 5
    assert CalendarDay.history.filter(date__year=2025, history_type="+").count() == 28 + 5
    assert HolidayYear.history.filter(year=2025).latest("history_date").history_user is not None
    assert HolidayYear.objects.get(year=2025).source == "国务院办公厅通知（节假日安排页面）"


class Deadlines:
    """A weekly rule that shifts past holidays and one that does not, with
    deadlines the 2027 notice changes."""

    def __init__(self):
        campaign = CampaignFactory(starts_on=datetime.date(2027, 1, 1), ends_on=datetime.date(2027, 12, 31))
        self.campaign = campaign
        self.unit, self.other_unit = UnitFactory(), UnitFactory()
        self.liaison = MembershipFactory(
            unit=self.unit, role=Membership.Role.LIAISON, user__email="liaison@example.gov.cn"
        ).user
        self.head = MembershipFactory(unit=self.unit, role=Membership.Role.UNIT_HEAD).user
        self.other_liaison = MembershipFactory(unit=self.other_unit, role=Membership.Role.LIAISON).user
        shifting = ReportingRuleFactory(campaign=campaign, name="周报", shift_holidays=True)
        fixed = ReportingRuleFactory(campaign=campaign, name="快报", shift_holidays=False)

        # Monday 5/3 becomes a holiday: due Thursday 5/6.
        self.may_3 = PeriodFactory(
            rule=shifting, label="第18期", starts_on=datetime.date(2027, 4, 27), ends_on=datetime.date(2027, 5, 3),
            due_at=local(2027, 5, 3, 17, 30),
        )
        self.owed = ReportFactory(period=self.may_3, unit=self.unit)
        self.extended = ReportFactory(period=self.may_3, unit=self.other_unit, due_at=local(2027, 5, 12, 17, 30))
        # Saturday 5/8 was moved to Monday 5/10; it is a working day now, so the deadline comes back.
        self.may_8 = PeriodFactory(
            rule=shifting, label="第19期", starts_on=datetime.date(2027, 5, 4), ends_on=datetime.date(2027, 5, 8),
            due_at=local(2027, 5, 10, 17, 30),
        )
        self.submitted = ReportFactory(
            period=self.may_8, unit=self.other_unit, status=Report.Status.SUBMITTED, submitted_at=NOW
        )
        # Set by hand, not by the calendar: left alone.
        self.by_hand = PeriodFactory(
            rule=ReportingRuleFactory(campaign=campaign, name="专报", shift_holidays=True),
            label="第1期", starts_on=datetime.date(2027, 4, 27), ends_on=datetime.date(2027, 5, 3),
            due_at=local(2027, 5, 4, 12, 0),
        )
        self.fixed = PeriodFactory(
            rule=fixed, label="第1期", starts_on=datetime.date(2027, 4, 27), ends_on=datetime.date(2027, 5, 3),
            due_at=local(2027, 5, 3, 17, 30),
        )
        self.fixed_report = ReportFactory(period=self.fixed, unit=self.unit)


def due(obj):
    obj.refresh_from_db()
    return obj.due_at


def test_deadlines_that_fall_on_new_holidays_move_and_the_unit_is_told_once():
    world = Deadlines()

    moved, units = load_holiday_notice(notice=read_notice(NOTICE_2027), text=NOTICE_2027, at=NOW)

    assert due(world.may_3) == local(2027, 5, 6, 17, 30)
    assert due(world.owed) == local(2027, 5, 6, 17, 30)
    assert due(world.extended) == local(2027, 5, 12, 17, 30)  # its own extension stands
    assert due(world.may_8) == local(2027, 5, 8, 17, 30)  # no longer needs moving
    assert due(world.submitted) == local(2027, 5, 10, 17, 30)  # sent: no longer owed
    assert due(world.by_hand) == local(2027, 5, 4, 12, 0)
    assert due(world.fixed) == local(2027, 5, 3, 17, 30)
    assert due(world.fixed_report) == local(2027, 5, 3, 17, 30)
    assert [m.report_id for m in moved] == [world.owed.pk]
    assert units == 1

    told = Notification.objects.filter(title=MOVED_TITLE)
    assert sorted(told.values_list("recipient_id", flat=True)) == sorted([world.liaison.pk, world.head.pk])
    assert "周报 第18期：5月3日 17:30 改为 5月6日 17:30" in told.first().body
    emailed = Delivery.objects.filter(notification__in=told, channel=Delivery.Channel.EMAIL)
    assert list(emailed.values_list("address", flat=True)) == ["liaison@example.gov.cn"]
    assert world.owed.history.latest("history_date").history_change_reason == "按节假日安排调整截止时间"


def test_a_last_period_that_took_in_the_campaigns_last_days_moves_by_its_own_deadline():
    world = Deadlines()
    # Its deadline is Saturday 8 May; the period runs on to 12 May, the campaign's last days.
    last = PeriodFactory(
        rule=world.by_hand.rule, label="第2期", starts_on=datetime.date(2027, 5, 4), ends_on=datetime.date(2027, 5, 12),
        deadline=datetime.date(2027, 5, 8), due_at=local(2027, 5, 10, 17, 30),
    )
    load_holiday_notice(notice=read_notice(NOTICE_2027), text=NOTICE_2027, at=NOW)
    # Saturday 8 May is a working day now: the deadline comes back to it, not to the period's end.
    assert due(last) == local(2027, 5, 8, 17, 30)


def test_passed_deadlines_stay_where_they_were():
    world = Deadlines()

    load_holiday_notice(notice=read_notice(NOTICE_2027), text=NOTICE_2027, at=local(2027, 5, 4, 9, 0))

    assert due(world.may_3) == local(2027, 5, 3, 17, 30)
    assert due(world.owed) == local(2027, 5, 3, 17, 30)
    assert not Notification.objects.filter(title=MOVED_TITLE).exists()


def test_loading_the_same_notice_again_moves_nothing():
    world = Deadlines()
    load_holiday_notice(notice=read_notice(NOTICE_2027), text=NOTICE_2027, at=NOW)

    moved, units = load_holiday_notice(notice=read_notice(NOTICE_2027), text=NOTICE_2027, at=NOW)

    assert (moved, units) == ([], 0)
    assert due(world.owed) == local(2027, 5, 6, 17, 30)
    assert Notification.objects.filter(title=MOVED_TITLE).count() == 2


def test_the_page_reports_how_many_deadlines_moved(client):
    Deadlines()

    with time_machine.travel(NOW, tick=False):
        client.force_login(MembershipFactory(role=Membership.Role.OFFICE_STAFF).user)
        response = client.post(URL, {"text": NOTICE_2027, "confirm": ""}, follow=True)

    assertContains(response, "1份报送的截止时间已随之调整，已通知1个单位。")
