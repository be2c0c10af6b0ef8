"""The ledger and the inspection form in a real browser: the office on a
phone (390 px) and at a desk (1280 px). Same chromium, live server and
committed data as reports/tests/test_browser.py."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from reports.tests.conftest import build_setting
from reports.tests.test_browser import DESKTOP, PHONE, chromium, new_page, png_bytes, sign_in  # noqa: F401
from supervision import services
from supervision.models import Inspection, RectificationItem

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def inspected(setting):
    """One on-site inspection with a finding at each unit; the first unit has
    answered with a photo."""
    now = timezone.now()
    services.record_inspection(
        campaign=setting.campaign,
        by=setting.office,
        at=now,
        kind=Inspection.Kind.ON_SITE,
        inspected_on=timezone.localdate(now),
        inspectors="樊丽娜、李蓉",
        summary="现场检查执法文书和公示栏。",
        units=[(setting.unit, 86), (setting.other_unit, 90)],
        findings=[
            services.FindingInput(setting.unit, "执法文书填写不规范。", "规范执法文书填写，组织一次培训。", timezone.localdate(now) + datetime.timedelta(days=10)),
            services.FindingInput(setting.other_unit, "公示栏信息未更新。", "更新公示栏信息。", timezone.localdate(now) + datetime.timedelta(days=12)),
        ],
    )
    item = RectificationItem.objects.get(unit=setting.unit)
    photo = SimpleUploadedFile("整改后照片.png", png_bytes(), content_type="image/png")
    services.submit_response(item=item, by=setting.liaison, at=now, text="已组织培训。", files=[photo])
    return item


def test_the_office_reads_the_ledger_as_cards_on_a_phone_and_adds_findings_without_losing_them(live_server, chromium):
    from playwright.sync_api import expect

    setting = build_setting()
    item = inspected(setting)
    deadline = (timezone.localdate() + datetime.timedelta(days=20)).isoformat()
    ledger_url = f"{live_server.url}/supervision/campaigns/{setting.campaign.pk}/ledger/"

    with chromium() as browser:
        context, page = new_page(browser, PHONE)
        sign_in(page, live_server.url, "office")
        page.goto(ledger_url)
        expect(page.get_by_role("heading", name="整改台账")).to_be_visible()
        card = page.locator("table.table-cards tbody tr").filter(has_text="执法文书填写不规范")
        box = card.bounding_box()
        assert box["width"] > 300, "one card across the phone, not a narrow column"
        label = card.locator('td[data-label="整改期限"]')
        assert page.evaluate("(td) => getComputedStyle(td, '::before').content", label.element_handle()) == '"整改期限"'
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], "the ledger scrolls sideways"

        # The unit's photo shows as a thumbnail, loaded through the checked view.
        page.goto(f"{live_server.url}/supervision/items/{item.pk}/")
        thumbnail = page.locator("img.attachment-thumb")
        expect(thumbnail).to_be_visible()
        thumbnail.scroll_into_view_if_needed()
        page.wait_for_function("(img) => img.complete && img.naturalWidth > 0", arg=thumbnail.element_handle())
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]

        # A fourth finding row is added in the page; what was typed stays.
        page.goto(f"{live_server.url}/supervision/campaigns/{setting.campaign.pk}/inspections/new/")
        page.get_by_label("检查人员").fill("樊丽娜")
        page.get_by_label(setting.unit.display_name, exact=True).check()
        rows = page.locator("#findings-rows fieldset")
        expect(rows).to_have_count(3)
        rows.nth(0).get_by_label("责任单位").select_option(label=str(setting.unit))
        rows.nth(0).get_by_label("发现问题").fill("消毒记录不全。")
        rows.nth(0).get_by_label("整改要求").fill("补齐消毒记录。")
        rows.nth(0).get_by_label("整改期限").fill(deadline)
        page.get_by_role("button", name="增加一个问题").click()
        expect(rows).to_have_count(4)
        expect(rows.nth(3)).to_contain_text("问题 4")
        expect(rows.nth(0).get_by_label("发现问题")).to_have_value("消毒记录不全。")
        expect(page.get_by_label("检查人员")).to_have_value("樊丽娜")
        rows.nth(3).get_by_label("责任单位").select_option(label=str(setting.unit))
        rows.nth(3).get_by_label("发现问题").fill("投诉电话未公示。")
        rows.nth(3).get_by_label("整改要求").fill("公示投诉电话。")
        rows.nth(3).get_by_label("整改期限").fill(deadline)
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
        page.get_by_role("button", name="保存检查并生成整改事项").click()
        expect(page.get_by_role("alert").filter(has_text="生成整改事项 2 项")).to_be_visible()

        # The inspection just saved is corrected; the change is in its history.
        page.get_by_role("link", name="修改").click()
        page.get_by_label("检查人员").fill("樊丽娜、李蓉")
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
        page.get_by_role("button", name="保存修改").click()
        expect(page.get_by_role("alert").filter(has_text="已保存修改（1 处）")).to_be_visible()
        expect(page.get_by_text("检查人员：樊丽娜 → 樊丽娜、李蓉")).to_be_visible()
        context.close()

        context, page = new_page(browser, DESKTOP)
        sign_in(page, live_server.url, "office")
        page.goto(ledger_url)
        expect(page.locator("table.table-cards thead")).to_be_visible()
        assert page.evaluate("document.documentElement.scrollWidth") <= DESKTOP["width"]
        context.close()

    added = RectificationItem.objects.filter(finding__inspection__inspectors="樊丽娜、李蓉", finding__inspection__kind="scheduled")
    assert sorted(added.values_list("finding__description", flat=True)) == ["投诉电话未公示。", "消毒记录不全。"]
