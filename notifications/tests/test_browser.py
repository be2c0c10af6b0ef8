"""Told of an event on a phone: the liaison whose report the office returned
sees it under the bell, goes to the report, and chooses in 通知设置 how to be
told from now on. Drives Debian's chromium like reports/tests/test_browser.py,
whose story and helpers it borrows."""

import re

import pytest

from notifications import events
from notifications.models import Delivery, EventKind
from reports.tests.test_browser import DESKTOP, PHONE, build_story, chromium, new_page, open_menu, sign_in  # noqa: F401

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_returned_report_reaches_the_liaison_who_then_chooses_a_daily_digest(live_server, chromium, settings):  # noqa: F811
    from playwright.sync_api import expect

    settings.AXES_ENABLED = True
    story = build_story()
    medical = Delivery.objects.get(channel=Delivery.Channel.IN_APP, subject__startswith="报送被退回").recipient
    office = story.office

    with chromium() as browser:
        context, page = new_page(browser, PHONE)
        sign_in(page, live_server.url, medical.username)
        page.get_by_role("link", name="通知，1 条未读").click()
        notice = page.locator("li").filter(has_text="报送被退回：周报")
        expect(notice).to_contain_text("退回意见：请写明宣传的时间、地点和参加人数。")
        notice.get_by_role("button", name="去处理").click()
        expect(page.get_by_role("heading", name="区卫健委医政科 · 周报")).to_be_visible()

        open_menu(page)
        account = page.get_by_role("button", name=re.compile(medical.full_name))
        account.click()
        expect(account).to_have_attribute("aria-expanded", "true")
        page.get_by_role("link", name="通知设置").click()
        expect(page.get_by_role("heading", name="通知设置")).to_be_visible()
        expect(page.get_by_label("报送被退回")).to_be_checked()
        expect(page.get_by_label("报送审核通过")).not_to_be_checked()
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], "the page scrolls sideways"
        page.get_by_label("报送审核通过").check()
        page.get_by_label("每日汇总").check()
        page.get_by_role("button", name="保存设置").click()
        expect(page.get_by_role("alert").filter(has_text="通知设置已保存。")).to_be_visible()
        expect(page.get_by_label("每日汇总")).to_be_checked()
        context.close()

        context, page = new_page(browser, DESKTOP)
        sign_in(page, live_server.url, office.username)
        page.get_by_role("link", name="通知", exact=True).click()
        page.get_by_role("link", name="通知设置").click()
        expect(page.get_by_label("整改事项交办")).to_be_checked()
        context.close()

    preferences = events.preferences_of(medical)
    assert preferences.daily_digest and preferences.email[EventKind.REPORT_ACCEPTED]
    assert preferences.email[EventKind.REPORT_RETURNED]
