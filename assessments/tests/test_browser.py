"""Issue 20's whole loop in a real browser, as its users do it: the office
imports an assessment-system sheet and a site register, assigns standards to
a lead unit, draws a sample and gives it to two observers; the observers fill
their forms on 390 px phones; the office closes the assessment and reads the
得分率 and the bulletin draft; each 不达标 is an item in its unit's list; the
unit answers one with evidence and the office re-checks it with one tap.
Same chromium, live server and committed data as reports/tests/test_browser.py."""

import datetime
import io

import openpyxl
import pytest
from django.utils import timezone

from assessments.models import MockAssessment, Observation, Recheck, Standard
from campaigns.models import Membership
from campaigns.tests.factories import MembershipFactory
from reports.tests.conftest import build_setting
from reports.tests.test_browser import DESKTOP, PHONE, chromium, new_page, png_bytes, sign_in  # noqa: F401
from supervision.models import RectificationItem

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CLEAN = "市场内干净整洁，无垃圾堆积"
STALLS = "无占道经营、出店经营"
POSTERS = "医院公益广告设置规范、醒目"
RULES = "建立健康教育工作制度"


def workbook(rows):
    book = openpyxl.Workbook()
    for row in rows:
        book.active.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def system_sheet():
    """The shape offices keep: one row per standard, the levels as columns, 牵头单位 left empty."""
    return workbook([
        ["测评项目", "测评内容", "测评标准", "分值", "测评方法", "点位类型"],
        ["公共秩序", "农贸市场秩序", CLEAN, 2, "实地考察", "农贸市场"],
        ["公共秩序", "农贸市场秩序", STALLS, 1, "实地考察", "农贸市场"],
        ["公共卫生", "医疗机构", POSTERS, 2, "实地考察", "医院"],
        ["公共卫生", "健康教育", RULES, 1, "材料审核", ""],
    ])


def site_register(setting):
    return workbook([
        ["点位名称", "点位类型", "地址", "责任单位"],
        ["城东农贸市场", "农贸市场", "东大街1号", setting.unit.name],
        ["城西农贸市场", "农贸市场", "西大街2号", setting.other_unit.name],
        ["区人民医院", "医院", "人民路3号", setting.other_unit.name],
    ])


def upload(page, label, name, content):
    page.get_by_label(label).set_input_files(files=[{"name": name, "mimeType": XLSX, "buffer": content}])


def fits_the_phone(page):
    page.wait_for_load_state()
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], "the page scrolls sideways"


def observe(page, base_url, site, marks):
    """An observer on a phone opens the site from 我的测评点位 and marks it: {standard text: (result, note)}."""
    from playwright.sync_api import expect

    page.goto(f"{base_url}/assessments/observe/")
    expect(page.get_by_role("heading", name="我的测评点位")).to_be_visible()
    page.get_by_role("link", name=site).click()
    expect(page.get_by_role("heading", name=site)).to_be_visible()
    fits_the_phone(page)
    for text, (result, note) in marks.items():
        standard = page.locator("fieldset").filter(has_text=text)
        standard.get_by_text(result, exact=True).click()
        if note:
            standard.get_by_label("存在问题（不达标时必填）").fill(note)
    page.get_by_role("button", name="保存").click()
    expect(page.get_by_role("alert").filter(has_text=f"已保存 {len(marks)} 条")).to_be_visible()


def test_from_the_sheet_to_a_rechecked_rectification(live_server, chromium, tmp_path):  # noqa: F811
    from docx import Document
    from playwright.sync_api import expect

    # Closing writes the ledger and tells the units: give a busy CI machine time.
    expect.set_options(timeout=15_000)
    setting = build_setting()
    campaign = setting.campaign
    observers = [
        MembershipFactory(
            unit=campaign.office_unit, role=Membership.Role.OFFICE_STAFF, user__username=username, user__full_name=name
        ).user
        for username, name in (("wangce", "王测评"), ("lice", "李测评"))
    ]
    base = f"{live_server.url}/assessments"
    deadline = timezone.localdate() + datetime.timedelta(days=10)

    with chromium() as browser:
        # The office, at a desk: the system, the register, the assignment, the sample.
        context, page = new_page(browser, DESKTOP)
        sign_in(page, live_server.url, setting.office.username)
        page.goto(f"{base}/{campaign.pk}/import/")
        upload(page, "测评体系表（.xlsx）", "测评体系.xlsx", system_sheet())
        page.get_by_role("button", name="上传并预览").click()
        expect(page.get_by_role("heading", name="预览：全国文明城市测评体系")).to_be_visible()
        page.get_by_role("button", name="确认导入").click()
        expect(page.get_by_text(CLEAN)).to_be_visible()

        page.goto(f"{base}/{campaign.pk}/sites/import/")
        upload(page, "点位表（.xlsx）", "点位表.xlsx", site_register(setting))
        page.get_by_role("button", name="上传并预览").click()
        expect(page.get_by_role("heading", name="预览点位表")).to_be_visible()
        page.get_by_role("button", name="确认导入").click()
        expect(page.get_by_text("区人民医院")).to_be_visible()

        # 分解责任: the health-education standard goes to the 区卫健委宣传科.
        page.goto(f"{base}/{campaign.pk}/assignment/")
        expect(page.get_by_role("heading", name="分解责任")).to_be_visible()
        page.locator("tr").filter(has_text=RULES).locator('input[name="standards"]').check()
        page.get_by_label("设为牵头单位").select_option(label=setting.other_unit.name)
        page.get_by_role("button", name="分解所选标准").click()
        expect(page.get_by_role("alert").filter(has_text="已分解 1 条测评标准")).to_be_visible()

        page.goto(f"{base}/{campaign.pk}/mock/")
        page.get_by_label("名称").fill("第一次模拟测评")
        page.get_by_label("测评日期").fill(timezone.localdate().isoformat())
        page.get_by_role("button", name="新建模拟测评").click()
        expect(page.get_by_role("heading", name="第一次模拟测评")).to_be_visible()
        assessment_url = page.url
        page.get_by_label("农贸市场（共 2 个）").fill("2")
        page.get_by_label("医院（共 1 个）").fill("1")
        page.get_by_label("随机数种子").fill("7")
        page.get_by_role("button", name="抽取点位").click()
        expect(page.get_by_role("alert").filter(has_text="已抽取 3 个点位")).to_be_visible()
        for sites, observer in ((("城东农贸市场", "区人民医院"), "王测评"), (("城西农贸市场",), "李测评")):
            for site in sites:
                page.get_by_label(f"选择{site}").check()
            page.locator("#observer").select_option(label=observer)
            page.get_by_role("button", name="指定测评员").click()
            # Each assignment's own message: the previous one is still on the page until it reloads.
            expect(page.get_by_role("alert").filter(has_text=f"已将 {len(sites)} 个点位交给{observer}测评")).to_be_visible()
        page.get_by_role("button", name="开始测评").click()
        expect(page.get_by_role("button", name="结束测评，不达标列入整改台账")).to_be_visible()
        context.close()

        # Two observers, each on a phone.
        context, page = new_page(browser, PHONE)
        sign_in(page, live_server.url, "wangce")
        observe(page, live_server.url, "城东农贸市场", {CLEAN: ("不达标", "市场东侧垃圾桶满溢，地面有积水。"), STALLS: ("达标", "")})
        observe(page, live_server.url, "区人民医院", {POSTERS: ("达标", "")})
        context.close()
        context, page = new_page(browser, PHONE)
        sign_in(page, live_server.url, "lice")
        observe(page, live_server.url, "城西农贸市场", {CLEAN: ("达标", ""), STALLS: ("不达标", "西门外有三处摊贩占道经营。")})
        context.close()

        # The office closes it and reads the results.
        context, page = new_page(browser, DESKTOP)
        sign_in(page, live_server.url, setting.office.username)
        page.goto(assessment_url)
        page.get_by_label("整改期限").fill(deadline.isoformat())
        page.get_by_role("button", name="结束测评，不达标列入整改台账").click()
        expect(page.get_by_role("alert").filter(has_text="处不达标已列入整改台账")).to_be_visible()
        rates = page.get_by_role("region", name="得分率")
        # Weighted by 分值, each standard's points its 分值 × its observations met ÷ made:
        # 干净整洁 (2 分) met 1 of 2 → 1, 占道经营 (1 分) 1 of 2 → 0.5, 公益广告 (2 分) 1 of 1 → 2;
        # 3.5 of 5 = 70.0 %.
        expect(rates).to_contain_text("70.0%")
        with page.expect_download() as download:
            page.get_by_role("link", name="下载通报草稿（Word）").click()
        path = tmp_path / "通报.docx"
        download.value.save_as(path)
        text = "\n".join(p.text for p in Document(path).paragraphs)
        assert "模拟测评" in text and "市场东侧垃圾桶满溢" in text and "西门外有三处摊贩占道经营" in text
        context.close()

        # The unit's liaison, on a phone, answers with a photo.
        context, page = new_page(browser, PHONE)
        sign_in(page, live_server.url, setting.liaison.username)
        page.get_by_role("link").filter(has_text=CLEAN).first.click()
        # The click only starts the navigation: wait for the item's form before reading its address or width.
        expect(page.get_by_label("整改情况")).to_be_visible()
        item_url = page.url
        fits_the_phone(page)
        page.get_by_label("整改情况").fill("已增设垃圾桶4个，安排专人每日清运，积水已排除。")
        page.get_by_label("佐证材料").set_input_files(
            files=[{"name": "整改后.png", "mimeType": "image/png", "buffer": png_bytes()}]
        )
        page.get_by_role("button", name="提交整改报告").click()
        expect(page.get_by_role("alert").filter(has_text="整改报告已提交")).to_be_visible()
        context.close()

        # The office re-checks the site: one tap verifies the item.
        context, page = new_page(browser, DESKTOP)
        sign_in(page, live_server.url, setting.office.username)
        page.goto(item_url)
        page.get_by_role("button", name="复查达标").click()
        expect(page.get_by_role("alert").filter(has_text="销号")).to_be_visible()
        context.close()

    assert Standard.objects.get(text=RULES).lead_unit == setting.other_unit
    assert MockAssessment.objects.get().status == MockAssessment.Status.CLOSED
    items = RectificationItem.objects.filter(campaign=campaign)
    assert sorted(items.values_list("unit__name", flat=True)) == sorted([setting.unit.name, setting.other_unit.name])
    item = items.get(unit=setting.unit)
    assert item_url.endswith(f"/supervision/items/{item.pk}/")
    assert item.status == RectificationItem.Status.CLOSED
    recheck = Recheck.objects.get()
    assert recheck.observation == Observation.objects.get(finding__rectification=item) and recheck.result == "met"
