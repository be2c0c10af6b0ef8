"""A mock assessment's results: the workbook, the bulletin draft, the office
workbook's 模拟测评 sheet, and the warning before closing with sites unobserved."""

import datetime
import io

import openpyxl
import pytest
from django.urls import reverse
from django.utils import timezone

from assessments import mock
from assessments.models import (
    AssessmentContent,
    AssessmentItem,
    AssessmentSystem,
    MockAssessment,
    SampledSite,
    Site,
    SiteType,
    Standard,
)
from assessments.workbook import write_mock_assessments
from campaigns.models import Membership
from campaigns.tests.factories import CampaignFactory, MembershipFactory, UnitFactory, UserFactory
from core.official import docx_text
from reports import workbook as office_workbook
from reports.workbook import HEADER_ROW
from supervision.models import RectificationItem

NOW = timezone.make_aware(datetime.datetime(2026, 12, 1, 10, 0))
DEADLINE = datetime.date(2026, 12, 15)


@pytest.fixture
def world(db):
    """Three sites of two types and two units, three standards (分值 2, 1, 3), every
    applicable standard observed:

    - 东市场 (农贸市场, 城东街道): 干净整洁 不达标 (地面积水), 无占道经营 达标
    - 西市场 (农贸市场, 城西街道): 干净整洁 达标, 无占道经营 不达标 (摊位占道)
    - 东大街 (主次干道, 城东街道): 无占道经营 不适用, 路面无垃圾 不达标 (路边有垃圾)
    """
    office_unit = UnitFactory(name="市文明办")
    campaign = CampaignFactory(office_unit=office_unit, short_title="文明城市创建")
    clerk, observer = UserFactory(username="clerk", full_name="樊丽娜"), UserFactory(username="obs", full_name="王测评")
    for user in (clerk, observer):
        MembershipFactory(user=user, unit=office_unit, role=Membership.Role.OFFICE_STAFF)
    liaison = UserFactory(username="liaison")
    MembershipFactory(user=liaison, role=Membership.Role.LIAISON)
    market, road = (SiteType.objects.create(campaign=campaign, name=n) for n in ("农贸市场", "主次干道"))
    east, west = UnitFactory(name="城东街道", short_name=""), UnitFactory(name="城西街道", short_name="")
    system = AssessmentSystem.objects.create(campaign=campaign, name="全国文明城市测评体系", created_by=clerk, weighted=True)
    order = AssessmentContent.objects.create(
        item=AssessmentItem.objects.create(system=system, position=1, name="公共秩序"), position=1, name="市场秩序"
    )
    streets = AssessmentContent.objects.create(
        item=AssessmentItem.objects.create(system=system, position=2, name="市容环境"), position=1, name="道路"
    )
    clean = Standard.objects.create(system=system, content=order, position=1, text="市场内干净整洁", score=2, methods=["实地考察"])
    stalls = Standard.objects.create(system=system, content=order, position=2, text="无占道经营", score=1, methods=["实地考察"])
    litter = Standard.objects.create(system=system, content=streets, position=3, text="路面无垃圾", score=3, methods=["实地考察"])
    clean.site_types.add(market)
    stalls.site_types.add(market, road)
    litter.site_types.add(road)
    assessment = MockAssessment.objects.create(
        campaign=campaign, system=system, name="第一次模拟测评", held_on=datetime.date(2026, 11, 30), created_by=clerk, status="open"
    )

    def sample(name, site_type, unit):
        site = Site.objects.create(campaign=campaign, site_type=site_type, name=name, unit=unit)
        return SampledSite.objects.create(assessment=assessment, site=site, observer=observer)

    def mark(sampled, standard, result, note=""):
        mock.observe(sampled_site=sampled, standard=standard, result=result, note=note, by=observer, at=NOW)

    east_market, west_market, east_street = sample("东市场", market, east), sample("西市场", market, west), sample("东大街", road, east)
    mark(east_market, clean, "not_met", "地面积水")
    mark(east_market, stalls, "met")
    mark(west_market, clean, "met")
    mark(west_market, stalls, "not_met", "摊位占道")
    mark(east_street, stalls, "na")
    mark(east_street, litter, "not_met", "路边有垃圾")
    return dict(
        campaign=campaign, clerk=clerk, observer=observer, liaison=liaison, assessment=assessment, system=system,
        market=market, road=road, east=east, west=west, order=order, clean=clean, stalls=stalls, litter=litter,
        mark=mark, sample=sample,
    )


def close(world):
    mock.close(assessment=world["assessment"], by=world["clerk"], at=NOW, deadline=DEADLINE)


def download(client, world, name):
    client.force_login(world["clerk"])
    response = client.get(reverse(f"assessments:{name}", args=[world["assessment"].pk]))
    assert response.status_code == 200
    return b"".join(response.streaming_content)


def rows(sheet):
    return [row for row in sheet.iter_rows(min_row=HEADER_ROW + 1, values_only=True)]


# Hand-computed, weighted by 分值 (不适用 left out):
#   overall: 干净整洁 2 × 1/2 + 无占道经营 1 × 1/2 + 路面无垃圾 3 × 0/1 = 1.5 of 6 → 25.0 %
#   公共秩序: 1.5 of 3 → 50.0 %; 市容环境: 0 of 3 → 0.0 %
#   城东街道: 干净整洁 0 + 无占道经营 1 + 路面无垃圾 0 = 1 of 6 → 16.7 %; 城西街道: 2 of 3 → 66.7 %
#   农贸市场: 1.5 of 3 → 50.0 %; 主次干道: 0 of 3 → 0.0 %
def test_the_workbook_holds_the_rates_the_standards_and_the_problems(client, world):
    close(world)
    book = openpyxl.load_workbook(io.BytesIO(download(client, world, "mock_workbook")))
    assert book.sheetnames == ["得分率", "测评标准", "问题清单"]
    assert rows(book["得分率"]) == [
        ("总体", "全部点位", 5, 2, 3, 0.25),
        ("测评项目", "公共秩序", 4, 2, 2, 0.5),
        ("测评项目", "市容环境", 1, 0, 1, 0.0),
        ("责任单位", "城东街道", 3, 1, 2, 0.167),
        ("责任单位", "城西街道", 2, 1, 1, 0.667),
        ("点位类型", "主次干道", 1, 0, 1, 0.0),
        ("点位类型", "农贸市场", 4, 2, 2, 0.5),
    ]
    assert rows(book["测评标准"]) == [
        ("公共秩序", "市场秩序", "市场内干净整洁", 2, 2, 1, 0.5),
        ("公共秩序", "市场秩序", "无占道经营", 1, 2, 1, 0.5),
        ("市容环境", "道路", "路面无垃圾", 3, 1, 0, 0.0),
    ]
    observed = datetime.datetime(2026, 12, 1, 10, 0)
    due = datetime.datetime(2026, 12, 15)
    assert rows(book["问题清单"]) == [
        ("东大街", "主次干道", "城东街道", "路面无垃圾", "路边有垃圾", "王测评", observed, due, "待整改"),
        ("东市场", "农贸市场", "城东街道", "市场内干净整洁", "地面积水", "王测评", observed, due, "待整改"),
        ("西市场", "农贸市场", "城西街道", "无占道经营", "摊位占道", "王测评", observed, due, "待整改"),
    ]


def test_the_bulletin_draft_names_the_weakest_and_lists_each_units_problems(client, world):
    close(world)
    text = docx_text(download(client, world, "mock_bulletin"))
    assert "关于第一次模拟测评情况的通报" in text
    assert "2026年11月30日" in text and "主次干道1个、农贸市场2个，共3个点位，涉及2个责任单位" in text
    assert "由王测评1名测评员" in text and "总得分率25.0%（按分值计算）" in text
    assert "得分率低于总得分率的有：市容环境（0.0%）" in text
    assert "得分率低于总得分率的有：城东街道（16.7%）" in text
    east = text.index("（一）城东街道（不达标2处）")
    west = text.index("（二）城西街道（不达标1处）")
    assert east < text.index("东大街（主次干道）：路面无垃圾。存在问题：路边有垃圾。") < west
    assert east < text.index("东市场（农贸市场）：市场内干净整洁。存在问题：地面积水。") < west
    assert west < text.index("西市场（农贸市场）：无占道经营。存在问题：摊位占道。")
    assert text.count("请于2026年12月15日前整改到位") == 2
    assert "文明城市创建领导小组办公室" in text


def test_before_the_close_the_bulletin_says_so_and_gives_no_deadline(client, world):
    text = docx_text(download(client, world, "mock_bulletin"))
    assert "存在问题：地面积水。" in text
    assert "请于" not in text and "尚未结束" in text


def test_only_the_office_and_leaders_download(client, world):
    client.force_login(world["liaison"])
    for name in ("mock_workbook", "mock_bulletin"):
        assert client.get(reverse(f"assessments:{name}", args=[world["assessment"].pk])).status_code == 404


def grow(world, count):
    """`count` more sites of 城西街道, each with a new standard, observed: one met, one not."""
    for n in range(count):
        standard = Standard.objects.create(
            system=world["system"], content=world["order"], position=10 + n, text=f"新增标准{n}", score=1, methods=["实地考察"]
        )
        standard.site_types.add(world["market"])
        sampled = world["sample"](f"新市场{n}", world["market"], world["west"])
        world["mark"](sampled, standard, "not_met", f"问题{n}")
        world["mark"](sampled, world["clean"], "met")


@pytest.mark.parametrize("name", ["mock_workbook", "mock_bulletin"])
def test_the_downloads_read_a_fixed_number_of_queries(client, world, name, django_assert_num_queries):
    client.force_login(world["clerk"])
    url = reverse(f"assessments:{name}", args=[world["assessment"].pk])
    # session, user, the user's memberships (campaigns.access.unit_ids), the
    # assessment, its sites, standards and observations, the audit row
    with django_assert_num_queries(8):
        assert client.get(url).status_code == 200
    grow(world, 4)
    with django_assert_num_queries(8):
        assert client.get(url).status_code == 200


def test_the_office_workbook_lists_closed_mock_assessments_by_unit(world):
    def mock_sheet():
        out = io.BytesIO()
        office_workbook.build(campaign=world["campaign"], out=out, at=NOW)
        return rows(openpyxl.load_workbook(out)["模拟测评"])

    assert mock_sheet() == [], "an assessment under way is not listed"
    close(world)
    held = datetime.datetime(2026, 11, 30)
    assert mock_sheet() == [
        ("第一次模拟测评", held, "全部点位", 5, 2, 3, 0.25),
        ("第一次模拟测评", held, "城东街道", 3, 1, 2, 0.167),
        ("第一次模拟测评", held, "城西街道", 2, 1, 1, 0.667),
    ]


def test_closing_with_unobserved_standards_asks_first(client, world):
    unobserved = world["sample"]("北市场", world["market"], world["west"])
    world["mark"](unobserved, world["clean"], "met")
    client.force_login(world["clerk"])
    url = reverse("assessments:mock_close", args=[world["assessment"].pk])
    response = client.post(url, {"deadline": "2099-01-31"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "还有 1 个点位的 1 条测评标准没有填写（测评员：王测评）" in page
    assert "北市场" in page and "1 / 2" in page and "仍然结束" in page and "返回" in page
    assert "东市场" not in page, "complete sites are not listed"
    world["assessment"].refresh_from_db()
    assert world["assessment"].status == "open" and not RectificationItem.objects.exists()

    response = client.post(url, {"deadline": "2099-01-31", "confirmed": "1"})
    assert response.url == reverse("assessments:mock_detail", args=[world["assessment"].pk])
    world["assessment"].refresh_from_db()
    assert world["assessment"].status == "closed" and RectificationItem.objects.count() == 3


def test_closing_with_everything_observed_goes_straight_through(client, world):
    client.force_login(world["clerk"])
    response = client.post(reverse("assessments:mock_close", args=[world["assessment"].pk]), {"deadline": "2099-01-31"})
    assert response.status_code == 302
    world["assessment"].refresh_from_db()
    assert world["assessment"].status == "closed" and RectificationItem.objects.count() == 3


def test_the_office_workbooks_sheet_reads_a_fixed_number_of_queries(world, django_assert_num_queries):
    assessments = MockAssessment.objects.filter(pk=world["assessment"].pk)

    def build():
        # the closed assessments, their observations, the weights, the units' names
        with django_assert_num_queries(4):
            office_workbook.build_sheet(campaign=world["campaign"], out=io.BytesIO(), at=NOW, write=write_mock_assessments)

    assessments.update(status="closed", closed_at=NOW)
    build()
    assessments.update(status="open", closed_at=None)
    grow(world, 4)
    assessments.update(status="closed", closed_at=NOW)
    build()


def test_the_office_workbook_lists_an_assessment_in_the_range_it_closed_in(world):
    """Held 30 November, closed 1 December: in December's workbook, as in
    December's 模拟测评得分率; not in November's."""
    from reports.workbook import WorkbookWriter

    MockAssessment.objects.filter(pk=world["assessment"].pk).update(status="closed", closed_at=NOW)

    def listed(date_from, date_to):
        writer = WorkbookWriter(campaign=world["campaign"], date_from=date_from, date_to=date_to, at=NOW, progress=None)
        write_mock_assessments(writer)
        out = io.BytesIO()
        writer.wb.save(out)
        sheet = openpyxl.load_workbook(io.BytesIO(out.getvalue()))["模拟测评"]
        return {row[0] for row in sheet.iter_rows(values_only=True) if row[0] == "第一次模拟测评"}

    assert listed(datetime.date(2026, 11, 1), datetime.date(2026, 11, 30)) == set()
    assert listed(datetime.date(2026, 12, 1), datetime.date(2026, 12, 31)) == {"第一次模拟测评"}
