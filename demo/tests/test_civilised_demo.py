"""The civilised-city demo: a real system's slice, a register, one closed mock
assessment whose figures are as computed by hand below, and its ledger."""

import datetime
import zoneinfo
from decimal import Decimal

import docx
import pytest
import time_machine
from django.urls import reverse

from assessments import mock
from assessments.models import MaterialFile, MockAssessment, Observation, Site, Standard, StandardMaterial
from campaigns.models import Campaign, Membership
from demo.civilised import TITLE, load_civilised
from evaluations.models import Evaluation, Score
from supervision.models import RectificationItem

SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")
NOW = datetime.datetime(2026, 11, 22, 10, 0, tzinfo=SHANGHAI)


@pytest.fixture(scope="module")
def built(shared_db):
    with shared_db() as media_root, time_machine.travel(NOW, tick=False):
        campaign, created = load_civilised(now=NOW, password="Demo@2026!")
        again, created_again = load_civilised(now=NOW, password="Demo@2026!")
    return campaign.pk, created, again.pk, created_again, media_root


@pytest.fixture
def campaign(built, db):
    return Campaign.objects.get(pk=built[0])


@pytest.fixture
def assessment(campaign):
    return MockAssessment.objects.select_related("system").get(campaign=campaign)


def test_loaded_once(built, campaign):
    pk, created, again, created_again, _ = built
    assert created and not created_again and again == pk
    assert Campaign.objects.filter(title=TITLE).count() == 1


def test_the_system_is_the_sheets_slice_with_its_points_and_units(assessment):
    standards = list(Standard.objects.filter(system=assessment.system).select_related("lead_unit", "content__item"))
    assert len(standards) == 15
    assert [s.content.item.name for s in standards].count("公共环境") == 10
    # The 志愿服务 sheet's 材料审核 standards: units have material to send.
    assert [s.lead_unit.short_name for s in standards[11:]] == ["健康路街道", "南桥街道", "胜利路街道", "自由路街道"]
    assert all(s.asks_material and s.score is None for s in standards[11:])
    # The sheet's 6 分 of a content, spread over its standards; sums kept: 6 + 6 + 6 + 5.
    assert [s.score for s in standards[:10]] == [Decimal(x) for x in ("3", "3", "1.5", "1.5", "1.5", "1.5", "2", "2", "2", "5")]
    assert standards[10].score is None  # the excerpt prints none for 交通秩序
    assert standards[0].text == "环境整洁,卫生状况良好,无乱扔杂物、无随地吐痰、无损坏花草树木等现象;"
    assert standards[2].lead_unit.short_name == "区市场监管局"
    assert {u.short_name for u in standards[4].co_units.all()} == {"卫滨区卫健委"}
    assert [s.position for s in standards if s.needs_photo] == [1, 3, 8]
    assert standards[9].methods == ["问卷调查"]


def test_the_register_holds_twenty_sites_of_four_types(campaign):
    counts = {}
    for site in Site.objects.filter(campaign=campaign).select_related("site_type"):
        counts[site.site_type.name] = counts.get(site.site_type.name, 0) + 1
    assert counts == {"城镇主干道": 5, "商业大街": 5, "集贸市场": 5, "都市居住小区": 5}


def test_the_mock_assessment_was_drawn_observed_and_closed(assessment, built):
    assert assessment.status == "closed" and assessment.seed == 20260
    sampled = assessment.sampled_sites.select_related("site", "observer")
    assert sampled.count() == 12
    assert {s.observer.username for s in sampled} == {"ceping_wang", "ceping_liu"}
    observations = Observation.objects.filter(sampled_site__assessment=assessment)
    # 3 sites of each type: 3×2 + 3×2 + 3×4 + 3×3 standards.
    assert observations.count() == 33
    assert observations.filter(result="na").count() == 1
    failures = observations.filter(result="not_met")
    assert failures.count() == 7 and not failures.filter(note="").exists()
    # A photo only where the standard asks for one: the three failures of standards 1, 3 and 8.
    assert sorted(o.standard.position for o in observations.exclude(photo="")) == [1, 3, 8]
    media_root = built[-1]
    assert all((media_root / o.photo.name).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" for o in observations.exclude(photo=""))


def test_the_figures_are_as_computed_by_hand(assessment, django_assert_max_num_queries):
    with django_assert_max_num_queries(2):
        results = mock.results(assessment)
    # Per standard (made, met) × 分值: s1 5/6×3, s2 5/6×3, s3 2/3×1.5, s4 3/3×1.5,
    # s5 1/2×1.5 (one 不适用), s6 2/3×1.5, s7 3/3×2, s8 2/3×2, s9 2/3×2
    # = 2.5 + 2.5 + 1 + 1.5 + 0.75 + 1 + 2 + 4/3 + 4/3 = 13.9167 of 18 → 77.3 %.
    assert (results.overall.made, results.overall.failed) == (32, 7)
    assert results.overall.rate == Decimal("77.3")
    units = {s.unit.short_name: s.unit_id for s in Site.objects.filter(campaign=assessment.campaign).select_related("unit")}
    by_unit = {name: results.by_unit[pk].rate for name, pk in units.items() if pk in results.by_unit}
    assert by_unit == {
        "区城管局": Decimal("83.3"),  # 平原路 fails s1: (2/3×3 + 3) / 6
        "胜利路街道": Decimal("50.0"),  # its street fails s2: 3 / 6
        "自由路街道": Decimal("83.3"),  # street met; 金域华府 fails s8: (3 + 3 + 2 + 0 + 2) / 12
        "南桥街道": Decimal("83.3"),  # street met; 家属院 fails s9: 10 / 12
        "区市场监管局": Decimal("70.8"),  # (1 + 1.5 + 0.75 + 1) / 6
        "区住建局": Decimal("100.0"),  # 卫滨花园 met everything
    }
    by_type = {t.name: results.by_site_type[t.pk].rate for t in assessment.campaign.site_types.all()}
    assert by_type == {"城镇主干道": Decimal("83.3"), "商业大街": Decimal("83.3"), "集贸市场": Decimal("70.8"), "都市居住小区": Decimal("77.8")}


def test_the_failures_are_the_units_ledger_items_and_one_was_answered(assessment):
    items = RectificationItem.objects.filter(finding__inspection=assessment.inspection).select_related("unit")
    per_unit = {}
    for item in items:
        per_unit[item.unit.short_name] = per_unit.get(item.unit.short_name, 0) + 1
    assert per_unit == {"区市场监管局": 3, "区城管局": 1, "胜利路街道": 1, "自由路街道": 1, "南桥街道": 1}
    assert sorted(items.values_list("status", flat=True)) == ["in_progress", "open", "open", "open", "open", "open", "submitted"]
    answered = items.get(status="submitted")
    assert answered.finding.description.startswith("【铁西农贸市场】市场柜台、摊位摆放整洁有序")
    (response,) = answered.responses.all()
    (evidence,) = response.evidence.all()
    assert evidence.content_type == "image/png" and evidence.original_name == "铁西农贸市场整改后.png"
    scores = dict(assessment.inspection.inspected_units.values_list("unit__short_name", "score"))
    assert scores["胜利路街道"] == Decimal("50.0")


def test_observers_and_liaisons_sign_in_and_see_their_part(assessment, client):
    assert client.login(username="ceping_liu", password="Demo@2026!")
    assert client.get(reverse("assessments:mock_detail", args=[assessment.pk])).status_code == 200
    assert Membership.objects.filter(user__username="ceping_liu", unit=assessment.campaign.office_unit, role="office_staff").exists()
    assert client.login(username="liaison_wm_scjg", password="Demo@2026!")
    assert client.get(reverse("assessments:mock_detail", args=[assessment.pk])).status_code == 404
    page = client.get(reverse("supervision:unit_items")).content.decode()
    # The market authority's three items, and not the others' four.
    items = RectificationItem.objects.filter(finding__inspection=assessment.inspection)
    shown = {item.unit.short_name for item in items if reverse("supervision:item_detail", args=[item.pk]) + '"' in page}
    assert shown == {"区市场监管局"} and "创建全国文明城市" in page


def test_material_is_in_every_state_of_review(campaign, built):
    states = dict(
        StandardMaterial.objects.filter(standard__system__campaign=campaign).values_list("unit__short_name", "status")
    )
    assert states == {"健康路街道": "accepted", "胜利路街道": "returned", "自由路街道": "submitted"}
    returned = StandardMaterial.objects.get(standard__system__campaign=campaign, status="returned")
    assert "批复文件" in returned.events.get(action="return").comment
    # Each sent with a Word file that opens, holding what the unit wrote.
    for file in MaterialFile.objects.filter(material__standard__system__campaign=campaign).select_related("material"):
        assert file.original_name.endswith(".docx")
        text = "\n".join(p.text for p in docx.Document(built[-1] / file.file.name).paragraphs)
        assert file.material.text in text


def test_the_draft_evaluation_scores_every_unit_the_assessment_concerns(campaign):
    """No unit of this campaign owes a report: the units scored are those the
    system and the register name, the office (区文明办, leading 群众评价) aside."""
    evaluation = Evaluation.objects.get(campaign=campaign)
    assert evaluation.month == datetime.date(2026, 11, 1) and not evaluation.is_published
    scores = {s.unit.short_name: s for s in Score.objects.filter(evaluation=evaluation).select_related("unit")}
    assert len(scores) == 11 and "区文明办" not in scores
    # 模拟测评得分率 50 × rate (test_the_figures_are_as_computed_by_hand),
    # 测评材料通过率 30 × accepted / asked, 整改按期销号率 20 (no item due in November: full).
    totals = {name: score.total for name, score in scores.items()}
    assert totals == {
        "胜利路街道": Decimal("45.0"),  # 50 × 50 % = 25, its material returned: 0 of 1, 20
        "南桥街道": Decimal("61.7"),  # 50 × 10/12 = 41.7, its material not sent: 0 of 1, 20
        "自由路街道": Decimal("61.7"),  # 41.7, its material still waiting for the office: 0 of 1, 20
        "区市场监管局": Decimal("85.4"),  # 50 × 70.8 % = 35.4, asked for no material: 30, 20
        "区城管局": Decimal("91.7"),  # 41.7 + 30 + 20
        "健康路街道": Decimal("100.0"),  # its street met everything, its material accepted
        "区住建局": Decimal("100.0"),  # 卫滨花园 met everything
        # Co-units only, never drawn: full points, as for an inspection sample.
        "卫滨区卫健委": Decimal("100.0"),
        "区教育局": Decimal("100.0"),
        "区公安分局": Decimal("100.0"),
        "区消防救援大队": Decimal("100.0"),
    }
    assert scores["胜利路街道"].rank == 11 and scores["南桥街道"].rank == scores["自由路街道"].rank == 9
    texts = [entry["text"] for entry in scores["自由路街道"].breakdown]
    assert "测评材料通过率" not in texts[0] and "已通过审核0条" in texts[1]
