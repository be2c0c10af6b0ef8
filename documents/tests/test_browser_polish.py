"""润色 in the browser: under each paragraph of a draft a 润色 button; the
suggestion shows beside the paragraph and replaces it only when the office
adopts it; a suggestion that changed a figure shows as the refusal it is.
The draft page is stood in for by a page with two paragraphs that includes
templates/documents/_polish.html as the draft page does. Drives Debian's
chromium like reports/tests/test_browser.py."""

import pytest
from django.http import HttpResponse
from django.template import engines
from django.urls import include, path

from campaigns.models import Campaign, Membership
from campaigns.tests.factories import CampaignFactory, MembershipFactory
from documents.tests.test_polish import PARAGRAPH, POLISHED, model  # noqa: F401
from reports.tests.test_browser import DESKTOP, chromium, new_page, sign_in  # noqa: F401

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True), pytest.mark.urls(__name__)]

SECOND = "下一步，我们将继续开展宣传，力争全年覆盖群众3,000人次。"

DRAFT_PAGE = """{% extends "base.html" %}{% block content %}
<h1>起草</h1>
<form method="post">
  <textarea class="form-control" name="p1" aria-label="第一段" data-polish>{{ first }}</textarea>
  <textarea class="form-control" name="p2" aria-label="第二段" data-polish>{{ second }}</textarea>
</form>
{% include "documents/_polish.html" %}
{% endblock %}"""


def draft_page(request, pk):
    context = {"campaign": Campaign.objects.get(pk=pk), "first": PARAGRAPH, "second": SECOND}
    return HttpResponse(engines["django"].from_string(DRAFT_PAGE).render(context, request=request))


urlpatterns = [path("test-draft/<int:pk>/", draft_page), path("", include("config.urls"))]


def test_the_office_polishes_a_paragraph_and_adopts_it_and_a_changed_figure_is_refused(
    live_server, chromium, model  # noqa: F811
):
    from playwright.sync_api import expect

    campaign = CampaignFactory()
    office = MembershipFactory(unit=campaign.office_unit, role=Membership.Role.OFFICE_STAFF).user

    with chromium() as browser:
        context, page = new_page(browser, DESKTOP)
        sign_in(page, live_server.url, office.username)
        page.goto(f"{live_server.url}/test-draft/{campaign.pk}/")
        first, second = page.get_by_label("第一段"), page.get_by_label("第二段")
        buttons = page.get_by_role("button", name="润色", exact=True)
        expect(buttons).to_have_count(2)

        model.delay = 0.5
        buttons.first.click()
        expect(page.get_by_role("button", name="润色中…")).to_be_disabled()
        expect(page.get_by_text(POLISHED)).to_be_visible()
        model.delay = 0
        expect(first).to_have_value(PARAGRAPH)  # nothing changes until the office adopts it
        page.get_by_role("button", name="采用", exact=True).click()
        expect(first).to_have_value(POLISHED)
        expect(page.get_by_role("button", name="采用", exact=True)).to_have_count(0)

        model.reply(SECOND.replace("3,000", "5,000"))
        buttons.nth(1).click()
        expect(page.get_by_text("模型改动了数字：3,000→5,000，已拒绝，原文未改。")).to_be_visible()
        expect(second).to_have_value(SECOND)
        expect(page.get_by_role("button", name="采用", exact=True)).to_have_count(0)

        model.reply(SECOND.replace("我们将", "将"))
        buttons.nth(1).click()
        page.get_by_role("button", name="不采用").click()
        expect(page.get_by_role("button", name="不采用")).to_have_count(0)
        expect(second).to_have_value(SECOND)
        context.close()

    assert [request["json"]["messages"][1]["content"] for request in model.received] == [PARAGRAPH, SECOND, SECOND]
