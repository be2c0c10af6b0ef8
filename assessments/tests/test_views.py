"""The office's import pages: upload, preview, confirm; who may; what bad input gets."""

import io

import openpyxl
import pytest
from django.urls import reverse

from assessments.models import AssessmentSystem, Site, Standard
from audit.models import AuditEvent
from campaigns.models import Membership, Unit
from campaigns.tests.factories import CampaignFactory, MembershipFactory, UnitFactory, UserFactory


def xlsx(rows, name="体系.xlsx"):
    book = openpyxl.Workbook()
    for row in rows:
        book.active.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    buffer.seek(0)
    buffer.name = name
    return buffer


SYSTEM = [
    ["XX市文明城市测评体系"],
    ["测评项目", "测评内容", "测评标准", "分值", "测评方法", "点位类型", "牵头单位"],
    ["A1 公共秩序", "B1 交通", "礼让斑马线", 2, "实地考察", "主次干道", "市公安局"],
    [None, None, "不闯红灯", 1, "实地考察", "主次干道", "市公安局"],
    ["A2 市容", "B2 环境", "无乱扔垃圾", 1, "实地考察、材料审核", "农贸市场", "市城管局"],
]


@pytest.fixture
def world(db):
    office_unit = UnitFactory(name="市文明办")
    campaign = CampaignFactory(office_unit=office_unit)
    Unit.objects.create(name="市公安局")
    Unit.objects.create(name="市城管局")
    office = UserFactory(username="clerk")
    MembershipFactory(user=office, unit=office_unit, role=Membership.Role.OFFICE_STAFF)
    liaison = UserFactory(username="liaison")
    MembershipFactory(user=liaison, role=Membership.Role.LIAISON)
    return campaign, office, liaison


def test_upload_preview_confirm(client, world):
    campaign, office, _ = world
    client.force_login(office)
    url = reverse("assessments:system_import", args=[campaign.pk])
    response = client.post(url, {"name": "测评体系", "edition": "2026年版", "weighted": "on", "file": xlsx(SYSTEM)})
    assert response.status_code == 200
    page = response.content.decode()
    assert "读到 2 个测评项目、3 条测评标准" in page and "礼让斑马线" in page
    assert not AssessmentSystem.objects.exists()  # nothing written before the office confirms
    payload = response.context["payload"]
    response = client.post(reverse("assessments:system_confirm", args=[campaign.pk]), {"payload": payload})
    assert response.status_code == 302
    system = AssessmentSystem.objects.get()
    assert (system.name, system.edition, system.weighted, system.is_current) == ("测评体系", "2026年版", True, True)
    assert Standard.objects.filter(system=system).count() == 3
    assert AuditEvent.objects.filter(object_type="assessments.assessmentsystem", action="created").exists()
    page = client.get(reverse("assessments:system", args=[campaign.pk])).content.decode()
    assert "现行版本" in page and "无乱扔垃圾" in page


def test_unknown_units_block_the_confirmation(client, world):
    campaign, office, _ = world
    client.force_login(office)
    rows = [*SYSTEM, [None, None, "公益广告", 1, "实地考察", "主次干道", "市宣传部"]]
    response = client.post(reverse("assessments:system_import", args=[campaign.pk]), {"name": "x", "file": xlsx(rows)})
    assert "以下单位在系统中不存在" in response.content.decode() and "市宣传部" in response.content.decode()
    response = client.post(reverse("assessments:system_confirm", args=[campaign.pk]), {"payload": response.context["payload"]})
    assert response.status_code == 400
    assert not AssessmentSystem.objects.exists()


@pytest.mark.parametrize(
    "upload, message",
    [
        (io.BytesIO(b"name,unit\n"), "请上传 Excel 工作簿"),
        (xlsx([["姓名", "电话"], ["张三", "1"]]), "没有找到表头"),
    ],
)
def test_bad_files_get_a_chinese_message_and_change_nothing(client, world, upload, message):
    campaign, office, _ = world
    client.force_login(office)
    upload.name = getattr(upload, "name", "x.csv")
    response = client.post(reverse("assessments:system_import", args=[campaign.pk]), {"name": "x", "file": upload})
    assert message in response.content.decode()
    assert not AssessmentSystem.objects.exists()


def test_an_altered_payload_is_refused(client, world):
    campaign, office, _ = world
    client.force_login(office)
    response = client.post(reverse("assessments:system_confirm", args=[campaign.pk]), {"payload": "forged"}, follow=True)
    assert "预览已过期或被改动" in response.content.decode()
    assert not AssessmentSystem.objects.exists()


def test_a_liaison_gets_404(client, world):
    campaign, _, liaison = world
    client.force_login(liaison)
    for name in ("system", "system_import", "site_list", "sites_import"):
        assert client.get(reverse(f"assessments:{name}", args=[campaign.pk])).status_code == 404


def test_site_register_upload_preview_confirm(client, world):
    campaign, office, _ = world
    client.force_login(office)
    rows = [["点位名称", "点位类型", "地址", "责任单位"], ["东门市场", "农贸市场", "东门路1号", "市城管局"], ["人民路", "主次干道", "", "市公安局"]]
    response = client.post(reverse("assessments:sites_import", args=[campaign.pk]), {"file": xlsx(rows, "点位.xlsx")})
    assert "读到 2 个点位" in response.content.decode()
    response = client.post(reverse("assessments:sites_confirm", args=[campaign.pk]), {"payload": response.context["payload"]})
    assert response.status_code == 302
    assert sorted(Site.objects.values_list("name", flat=True)) == ["东门市场", "人民路"]
    page = client.get(reverse("assessments:site_list", args=[campaign.pk])).content.decode()
    assert "农贸市场（1）" in page


def test_the_system_page_reads_in_constant_queries(client, world, django_assert_max_num_queries):
    campaign, office, _ = world
    client.force_login(office)
    url = reverse("assessments:system_import", args=[campaign.pk])
    many = SYSTEM + [[f"A{n}", f"B{n}", f"标准{n}", 1, "实地考察", f"点位{n}", "市城管局"] for n in range(3, 30)]
    response = client.post(url, {"name": "x", "file": xlsx(many)})
    client.post(reverse("assessments:system_confirm", args=[campaign.pk]), {"payload": response.context["payload"]})
    with django_assert_max_num_queries(16):
        assert client.get(reverse("assessments:system", args=[campaign.pk])).status_code == 200


def test_a_damaged_workbook_or_an_oversized_register_gets_a_message(client, world, monkeypatch):
    from assessments import sheet

    campaign, office, _ = world
    client.force_login(office)
    import zipfile

    damaged = io.BytesIO()
    with zipfile.ZipFile(xlsx(SYSTEM)) as good, zipfile.ZipFile(damaged, "w") as bad:
        for member in good.namelist():
            data = good.read(member)
            bad.writestr(member, data[: len(data) // 2] if member.endswith("sheet1.xml") else data)
    damaged.seek(0)
    damaged.name = "坏.xlsx"
    response = client.post(reverse("assessments:system_import", args=[campaign.pk]), {"name": "x", "file": damaged})
    assert response.status_code == 200 and "无法读取这个文件" in response.content.decode()
    monkeypatch.setattr(sheet, "MAX_ROWS", 2)
    rows = [["点位名称", "点位类型", "责任单位"], ["东门市场", "农贸市场", "市城管局"], ["人民路", "主次干道", "市公安局"]]
    response = client.post(reverse("assessments:sites_import", args=[campaign.pk]), {"file": xlsx(rows, "点位.xlsx")})
    assert response.status_code == 200 and "超过 2 行" in response.content.decode()
    assert not Site.objects.exists()


def test_a_preview_confirms_only_on_its_own_page_and_campaign(client, world):
    campaign, office, _ = world
    client.force_login(office)
    rows = [["点位名称", "点位类型", "责任单位"], ["东门市场", "农贸市场", "市城管局"]]
    payload = client.post(reverse("assessments:sites_import", args=[campaign.pk]), {"file": xlsx(rows, "点位.xlsx")}).context["payload"]
    response = client.post(reverse("assessments:system_confirm", args=[campaign.pk]), {"payload": payload}, follow=True)
    assert "预览已过期或被改动" in response.content.decode()
    other = CampaignFactory(office_unit=campaign.office_unit)
    response = client.post(reverse("assessments:sites_confirm", args=[other.pk]), {"payload": payload}, follow=True)
    assert "预览已过期或被改动" in response.content.decode()
    assert not Site.objects.exists() and not AssessmentSystem.objects.exists()


def test_a_score_beyond_what_the_system_holds_is_reported_not_a_500(client, world):
    campaign, office, _ = world
    client.force_login(office)
    rows = [*SYSTEM, [None, None, "公益广告", 12000, "实地考察", "主次干道", "市公安局"]]
    response = client.post(reverse("assessments:system_import", args=[campaign.pk]), {"name": "x", "file": xlsx(rows)})
    assert "分值“12000”超出范围" in response.content.decode()
    response = client.post(reverse("assessments:system_confirm", args=[campaign.pk]), {"payload": response.context["payload"]})
    assert response.status_code == 302
    assert Standard.objects.get(text="公益广告").score is None
