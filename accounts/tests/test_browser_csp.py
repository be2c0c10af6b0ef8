"""The content security policy in a real browser: the pages the office, a
liaison and the system admin open raise no `securitypolicyviolation` and log
no console error. Debian's chromium, as reports/tests/test_browser.py drives it."""

import pytest
from django.urls import reverse

from campaigns.tests.factories import UserFactory
from reports.tests.test_browser import DESKTOP, PHONE, build_story, chromium, new_page, sign_in  # noqa: F401

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Installed before any page script runs: every violation of the page is kept.
LISTEN = """
window.__violations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__violations.push(`${event.violatedDirective} ${event.blockedURI} ${event.sourceFile}:${event.lineNumber}`);
});
"""


def visit(page, base_url, paths, problems):
    for path in paths:
        response = page.goto(f"{base_url}{path}")
        assert response.status == 200, (path, response.status)
        assert "Content-Security-Policy" in {name.title(): value for name, value in response.headers.items()}
        page.wait_for_load_state("networkidle")
        chart = page.locator('[data-chart="trend"]')
        if chart.locator("canvas").count():
            # The tooltip is where ECharts would write inline styles: show it.
            chart.hover()
            page.mouse.move(*center(chart))
            page.wait_for_timeout(300)
        problems += [f"{path}: {violation}" for violation in page.evaluate("window.__violations")]


def center(locator):
    box = locator.bounding_box()
    return box["x"] + box["width"] / 2, box["y"] + box["height"] / 2


def console_error(message, problems):
    url = message.location.get("url", "")
    # Chromium asks every site for /favicon.ico; the admin's pages name none.
    if message.type == "error" and not url.endswith("/favicon.ico"):
        problems.append(f"console: {message.text} {url}")


def watched(browser, viewport, problems):
    context, page = new_page(browser, viewport)
    context.add_init_script(LISTEN)
    page.on("console", lambda message: console_error(message, problems))
    page.on("pageerror", lambda error: problems.append(f"page error: {error}"))
    return context, page


def test_the_pages_raise_no_content_security_policy_violation(live_server, chromium, settings):  # noqa: F811
    settings.AXES_ENABLED = True
    story = build_story()
    campaign = story.report.period.rule.campaign
    UserFactory(username="root", is_superuser=True, is_staff=True)
    office_pages = [
        reverse("dashboards:today"),
        reverse("reports:review_queue"),
        reverse("reports:report_detail", args=[story.report.pk]),
        reverse("dashboards:campaign", args=[campaign.pk]),
        reverse("dashboards:holidays"),
        reverse("reports:deadline_list", args=[campaign.pk]),
        reverse("notifications:list"),
        reverse("password_change"),
    ]
    liaison_pages = [
        reverse("reports:unit_home"),
        reverse("reports:report_edit", args=[story.report.pk]),
        reverse("supervision:unit_items"),
        reverse("notifications:preferences"),
    ]
    admin_pages = [
        reverse("admin:index"),
        reverse("admin:accounts_user_changelist"),
        reverse("admin:accounts_user_change", args=[story.liaison.pk]),
        reverse("admin:accounts_signinevent_changelist"),
    ]
    problems = []

    with chromium() as browser:
        context, page = watched(browser, DESKTOP, problems)
        page.goto(f"{live_server.url}{reverse('login')}")
        problems += [f"login: {violation}" for violation in page.evaluate("window.__violations")]
        sign_in(page, live_server.url, "office")
        visit(page, live_server.url, office_pages, problems)
        context.close()

        context, page = watched(browser, PHONE, problems)
        sign_in(page, live_server.url, "liaison")
        visit(page, live_server.url, liaison_pages, problems)
        context.close()

        context, page = watched(browser, DESKTOP, problems)
        sign_in(page, live_server.url, "root")
        visit(page, live_server.url, admin_pages, problems)
        seen = list(problems)
        # The listener hears a violation when there is one: an inline style
        # attribute written into the page is refused.
        page.evaluate("document.body.insertAdjacentHTML('beforeend', '<p style=\"color: red\">x</p>')")
        page.wait_for_timeout(300)
        caught = page.evaluate("window.__violations")
        context.close()

    assert seen == []
    assert len(caught) == 1 and caught[0].startswith("style-src"), caught
