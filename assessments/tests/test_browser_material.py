"""材料审核 in a real browser, on a liaison's phone: a draft saved with a
file, then submitted; a returned material has a file removed and is sent
again. The 移除 buttons sit inside the main form and submit forms of their
own (a form inside a form is dropped by browsers, and then the main form's
buttons no longer belong to it).

The data is built before the browser starts and read after it stops:
Django refuses ORM calls while Playwright's event loop runs."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from assessments import material
from assessments.models import MaterialFile, Standard, StandardMaterial
from assessments.tests.test_material import PDF
from assessments.tests.test_material import world as material_world  # noqa: F401 (a fixture)
from reports.tests.test_browser import PHONE, chromium, new_page, sign_in  # noqa: F401 (chromium is a fixture)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

Status = StandardMaterial.Status


def test_a_liaison_saves_submits_and_resends_material_from_a_phone(live_server, chromium, material_world, tmp_path):  # noqa: F811
    from playwright.sync_api import expect

    world = material_world
    now = timezone.now()
    # A second standard the unit leads, whose material the office returned: two files sent.
    returned_standard = Standard.objects.create(
        system=world.asked.system, content=world.content, position=4, text="健康教育活动有记录", methods=["材料审核"],
        lead_unit=world.unit,
    )
    sent = material.save_and_submit(
        standard=returned_standard, unit=world.unit, by=world.liaison, at=now, text="活动记录见附件。",
        files=[SimpleUploadedFile("活动记录.pdf", PDF), SimpleUploadedFile("旧照片.pdf", PDF)],
    )
    material.return_material(material=sent, by=world.office, at=now, comment="旧照片不是本年度的，请去掉。")
    old_photo = sent.files.get(original_name="旧照片.pdf")
    first_url = live_server.url + reverse("assessments:material_edit", args=[world.asked.pk, world.unit.pk])
    returned_url = live_server.url + reverse("assessments:material_edit", args=[returned_standard.pk, world.unit.pk])
    upload = tmp_path / "制度文件.pdf"
    upload.write_bytes(PDF)
    widths = []

    with chromium() as browser:
        context, page = new_page(browser, PHONE)
        page.on("dialog", lambda dialog: dialog.accept())  # 确定提交？ / 确定移除？
        sign_in(page, live_server.url, "liaison")
        page.goto(first_url)
        page.get_by_label("材料说明").fill("已印发健康教育工作制度。")
        page.get_by_label("上传材料文件").set_input_files(str(upload))
        page.get_by_role("button", name="保存草稿").click()
        expect(page.get_by_role("alert").filter(has_text="草稿已保存。")).to_be_visible()
        expect(page.get_by_role("link", name="制度文件.pdf")).to_be_visible()
        widths.append(page.evaluate("document.documentElement.scrollWidth"))
        # With a file listed (and its 移除 button), 提交审核 still submits the main form.
        page.get_by_role("button", name="提交审核").click()
        expect(page.get_by_role("alert").filter(has_text="材料已提交领导小组办公室审核。")).to_be_visible()

        page.goto(returned_url)
        expect(page.locator(".alert-danger").filter(has_text="旧照片不是本年度的，请去掉。")).to_be_visible()
        widths.append(page.evaluate("document.documentElement.scrollWidth"))
        files = page.get_by_role("listitem").filter(has=page.get_by_role("link", name="旧照片.pdf"))
        files.get_by_role("button", name="移除").click()
        expect(page.get_by_role("alert").filter(has_text="已移除文件“旧照片.pdf”。")).to_be_visible()
        expect(page.get_by_role("link", name="旧照片.pdf")).to_have_count(0)
        expect(page.get_by_role("link", name="活动记录.pdf")).to_be_visible()
        page.get_by_role("button", name="提交审核").click()
        expect(page.get_by_role("alert").filter(has_text="材料已提交领导小组办公室审核。")).to_be_visible()
        context.close()

    assert all(width <= PHONE["width"] for width in widths), f"the page scrolls sideways: {widths}"
    first = StandardMaterial.objects.get(standard=world.asked, unit=world.unit)
    assert (first.status, first.text) == (Status.SUBMITTED, "已印发健康教育工作制度。")
    assert list(first.files.values_list("original_name", flat=True)) == ["制度文件.pdf"]
    sent.refresh_from_db()
    old_photo.refresh_from_db()
    assert sent.status == Status.SUBMITTED
    assert old_photo.removed_at is not None  # sent once, so kept on record
    assert list(MaterialFile.objects.filter(material=sent, removed_at__isnull=True).values_list("original_name", flat=True)) == ["活动记录.pdf"]
    assert list(sent.events.values_list("action", flat=True)) == ["submit", "return", "submit"]
