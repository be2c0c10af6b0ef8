"""The campaign's admin page fits a 1280 px screen: its widest inline (the
indicators) scrolls inside its own box, never the whole page sideways."""

import pytest

from campaigns.tests.factories import UserFactory
from reports.tests.conftest import build_setting
from reports.tests.test_browser import DESKTOP, PASSWORD, chromium, new_page  # noqa: F401

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_campaigns_admin_page_does_not_scroll_sideways_at_1280_px(live_server, chromium):
    setting = build_setting()  # a campaign with an indicator, a rule and tasks
    UserFactory(username="root", is_superuser=True, is_staff=True)
    with chromium() as browser:
        context, page = new_page(browser, DESKTOP)
        page.goto(f"{live_server.url}/admin/login/")
        page.fill("#id_username", "root")
        page.fill("#id_password", PASSWORD)
        page.click("input[type=submit]")
        page.goto(f"{live_server.url}/admin/campaigns/campaign/{setting.campaign.pk}/change/")
        assert page.locator("#indicators-group").is_visible()
        assert page.evaluate("document.documentElement.scrollWidth") <= DESKTOP["width"]
        context.close()
