"""The office finds a unit in the review queue, on a phone and at a desk."""

import pytest

from .test_browser import DESKTOP, PHONE, build_story, chromium, new_page, sign_in  # noqa: F401

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_office_searches_the_queue_by_unit_at_390_and_1280_px(live_server, chromium):
    from playwright.sync_api import expect

    build_story()
    with chromium() as browser:
        for viewport in (PHONE, DESKTOP):
            context, page = new_page(browser, viewport)
            sign_in(page, live_server.url, "office")
            page.goto(f"{live_server.url}/review/")
            expect(page.get_by_role("heading", name="审核报送")).to_be_visible()
            page.get_by_label("责任单位").fill("宣传")
            page.get_by_role("button", name="筛选").click()
            rows = page.get_by_role("list").filter(has=page.get_by_role("link", name="审核", exact=True)).get_by_role("listitem")
            expect(rows).to_have_count(1)
            expect(rows.first).to_contain_text("宣传科")
            expect(page.get_by_label("责任单位")).to_have_value("宣传")
            assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]
            context.close()
