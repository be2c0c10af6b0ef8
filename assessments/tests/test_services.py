import io

import openpyxl
import pytest
from django.utils import timezone

from assessments import services, sheet, sites
from assessments.models import AssessmentSystem, Site, Standard
from campaigns.models import Unit
from campaigns.tests.factories import CampaignFactory


def rows_of(rows, find=None):
    book = openpyxl.Workbook()
    for row in rows:
        book.active.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    buffer.seek(0)
    return sheet.load(buffer, find=find)


@pytest.fixture
def campaign(db, django_user_model):
    Unit.objects.create(name="市公安局", short_name="公安局")
    Unit.objects.create(name="市城管局")
    return CampaignFactory(title="创建全国文明城市工作方案")


@pytest.fixture
def office(django_user_model):
    return django_user_model.objects.create_user("office", password="x")


SYSTEM = [
    ["测评项目", "测评内容", "测评标准", "分值", "测评方法", "点位类型", "牵头单位", "配合单位"],
    ["A1 公共秩序", "B1 交通", "礼让斑马线", 2, "实地考察", "主次干道、背街小巷", "公安局", "市城管局"],
    [None, None, "不闯红灯", 1, "实地考察", "主次干道", "市公安局", ""],
    ["A2 市容", "B2 环境", "无乱扔垃圾", 1, "实地考察、材料审核", "农贸市场", "市城管局", ""],
]


def test_import_writes_the_tree_in_constant_queries(campaign, office, django_assert_max_num_queries):
    proposal = sheet.read_rows(rows_of(SYSTEM))
    with django_assert_max_num_queries(15):
        system = services.import_system(campaign=campaign, proposal=proposal, by=office, at=timezone.now(), name="测评体系")
    # Three times the standards, the same queries.
    bigger = sheet.read_rows(rows_of(SYSTEM + [[f"A{n}", f"B{n}", f"标准{n}", 1, "实地考察", f"点位{n}", "市城管局", "公安局"] for n in range(3, 9)]))
    with django_assert_max_num_queries(15):
        services.import_system(campaign=campaign, proposal=bigger, by=office, at=timezone.now(), name="测评体系二")
    standards = list(Standard.objects.filter(system=system).order_by("position"))
    assert [s.text for s in standards] == ["礼让斑马线", "不闯红灯", "无乱扔垃圾"]
    assert standards[0].lead_unit.name == "市公安局"  # matched by its short name
    assert [u.name for u in standards[0].co_units.all()] == ["市城管局"]
    assert sorted(t.name for t in standards[0].site_types.all()) == ["主次干道", "背街小巷"]
    assert standards[2].methods == ["实地考察", "材料审核"]


def test_a_later_edition_replaces_the_current_one(campaign, office):
    proposal = sheet.read_rows(rows_of(SYSTEM))
    first = services.import_system(campaign=campaign, proposal=proposal, by=office, at=timezone.now(), name="2025版")
    second = services.import_system(campaign=campaign, proposal=proposal, by=office, at=timezone.now(), name="2026版")
    first.refresh_from_db()
    assert not first.is_current and second.is_current
    assert AssessmentSystem.objects.filter(campaign=campaign).count() == 2


def test_an_unknown_unit_refuses_the_import_and_writes_nothing(campaign, office):
    rows = [*SYSTEM, [None, None, "公益广告", 1, "实地考察", "主次干道", "市宣传部", ""]]
    proposal = sheet.read_rows(rows_of(rows))
    with pytest.raises(services.AssessmentError, match="市宣传部"):
        services.import_system(campaign=campaign, proposal=proposal, by=office, at=timezone.now(), name="x")
    assert not AssessmentSystem.objects.exists()


def test_site_register_import_adds_and_updates(campaign):
    rows = rows_of([
        ["序号", "点位名称", "点位类型", "地址", "责任单位", "经度", "纬度"],
        [1, "东门农贸市场", "农贸市场", "东门路1号", "市城管局", "113.1", "23.1"],
        [2, "人民路", "主次干道", "", "市公安局", "", ""],
        [3, "", "医院", "", "市城管局", "", ""],
        [4, "西区医院", "医院", "", "市城管局", "东经", ""],
    ], find=sites.find_header)
    found, errors = sites.read_rows(rows)
    assert errors == ["第4行：缺少点位名称。", "第5行：经纬度不是有效的数字。"]
    assert services.import_sites(campaign=campaign, rows=found) == (2, 0)
    found[0].address = "东门路2号"
    assert services.import_sites(campaign=campaign, rows=found[:1]) == (0, 1)
    assert Site.objects.get(name="东门农贸市场").address == "东门路2号"


def test_a_short_name_two_units_share_names_the_campaigns_own_or_neither(campaign, office):
    from tasks.tests.factories import TaskFactory

    Unit.objects.create(name="区公安局", short_name="公安局")  # 市公安局 is 公安局 too
    assert services.unit_lookup({"公安局", "市公安局"}).keys() == {"市公安局"}
    proposal = sheet.read_rows(rows_of(SYSTEM))
    with pytest.raises(services.AssessmentError, match="公安局"):
        services.import_system(campaign=campaign, proposal=proposal, by=office, at=timezone.now(), name="x")
    # Once 市公安局 leads one of the campaign's tasks, 公安局 means it there.
    TaskFactory(campaign=campaign, lead_unit=Unit.objects.get(name="市公安局"))
    assert services.unit_lookup({"公安局"}, campaign=campaign)["公安局"].name == "市公安局"
    system = services.import_system(campaign=campaign, proposal=proposal, by=office, at=timezone.now(), name="x")
    assert Standard.objects.get(system=system, position=1).lead_unit.name == "市公安局"


def test_the_site_register_is_written_in_constant_queries(campaign, django_assert_max_num_queries):
    for size in (3, 30):
        rows = [sites.SiteRow(n, f"点位{size}-{n}", f"类型{n % 3}", "市城管局") for n in range(size)]
        with django_assert_max_num_queries(8):
            services.import_sites(campaign=campaign, rows=rows)
