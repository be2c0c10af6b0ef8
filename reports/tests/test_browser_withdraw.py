"""撤回 on a phone: a liaison who sent a report by mistake takes it back at
390 px, and the report is a draft again with its text (see test_browser for
how chromium is driven)."""

import pytest
from django.utils import timezone

from reports import workflow
from reports.models import Report, ReviewEvent
from reports.tests.test_browser import PHONE, build_story, chromium, new_page, sign_in  # noqa: F401 - a fixture

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_liaison_withdraws_a_sent_report_from_a_phone(live_server, chromium, settings):  # noqa: F811
    from playwright.sync_api import expect

    settings.AXES_ENABLED = True
    story = build_story()
    now = timezone.now()
    report = workflow.save_draft(
        report=story.report, by=story.liaison, at=now, expected_version=story.report.version, work_done="误报的内容。"
    )
    workflow.submit(report=report, by=story.liaison, at=now)

    with chromium() as browser:
        context, page = new_page(browser, PHONE)
        page.on("dialog", lambda dialog: dialog.accept())  # the data-confirm question
        sign_in(page, live_server.url, "liaison")
        page.goto(f"{live_server.url}/reports/{story.report.pk}/")
        withdraw = page.get_by_role("button", name="撤回")
        expect(withdraw).to_be_visible()
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], "the page scrolls sideways"
        withdraw.click()
        expect(page.get_by_role("alert").filter(has_text="已撤回")).to_be_visible()
        expect(page.get_by_label("开展情况")).to_have_value("误报的内容。")
        expect(page.get_by_role("button", name="撤回")).to_have_count(0)
        context.close()

    report = Report.objects.get(pk=story.report.pk)
    assert (report.status, report.submitted_at) == (Report.Status.DRAFT, None)
    assert report.events.order_by("-created_at", "-id").first().action == ReviewEvent.Action.WITHDRAW
