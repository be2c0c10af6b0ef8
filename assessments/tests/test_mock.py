"""模拟测评: the draw, the observers' marks, the 得分率, and closing into the ledger."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from assessments import mock
from assessments.models import (
    AssessmentContent,
    AssessmentItem,
    AssessmentSystem,
    MockAssessment,
    Observation,
    SampledSite,
    Site,
    SiteType,
    Standard,
)
from assessments.services import AssessmentError
from campaigns.tests.factories import CampaignFactory, UnitFactory, UserFactory
from supervision.models import RectificationItem

NOW = timezone.make_aware(datetime.datetime(2026, 12, 1, 10, 0))


@pytest.fixture
def world(db):
    campaign = CampaignFactory()
    office = UserFactory(username="clerk")
    observer = UserFactory(username="observer", full_name="王测评")
    market, road = SiteType.objects.create(campaign=campaign, name="农贸市场"), SiteType.objects.create(campaign=campaign, name="主次干道")
    units = [UnitFactory(name="城东街道"), UnitFactory(name="城西街道")]
    for n in range(6):
        Site.objects.create(campaign=campaign, site_type=market, name=f"市场{n}", unit=units[n % 2])
        Site.objects.create(campaign=campaign, site_type=road, name=f"道路{n}", unit=units[n % 2])
    system = AssessmentSystem.objects.create(campaign=campaign, name="测评体系", created_by=office, weighted=True)
    item = AssessmentItem.objects.create(system=system, position=1, name="公共秩序")
    content = AssessmentContent.objects.create(item=item, position=1, name="市场秩序")
    clean = Standard.objects.create(system=system, content=content, position=1, text="市场内干净整洁", score=2, methods=["实地考察"])
    stalls = Standard.objects.create(system=system, content=content, position=2, text="无占道经营", score=1, methods=["实地考察"])
    papers = Standard.objects.create(system=system, content=content, position=3, text="制度上墙", score=1, methods=["材料审核"])
    for standard in (clean, stalls, papers):
        standard.site_types.add(market)
    stalls.site_types.add(road)
    assessment = MockAssessment.objects.create(
        campaign=campaign, system=system, name="第一次模拟测评", held_on=datetime.date(2026, 11, 30), created_by=office
    )
    return dict(campaign=campaign, office=office, observer=observer, market=market, road=road, units=units,
                clean=clean, stalls=stalls, papers=papers, assessment=assessment)


def test_the_draw_is_repeatable_from_its_seed_and_bounded(world):
    assessment = world["assessment"]
    first = mock.draw(assessment=assessment, counts={world["market"]: 2, world["road"]: 3}, seed=42)
    again = mock.draw(assessment=assessment, counts={world["market"]: 2, world["road"]: 3}, seed=42)
    assert [s.pk for s in first] == [s.pk for s in again]
    assessment.refresh_from_db()
    assert assessment.seed == 42
    assert SampledSite.objects.filter(assessment=assessment).count() == 5  # the second draw replaced the first
    with pytest.raises(AssessmentError, match="只有 6 个在用点位"):
        mock.draw(assessment=assessment, counts={world["market"]: 7})


def test_a_site_gets_the_site_visit_standards_of_its_type(world):
    found = mock.standards_for(world["assessment"].system, [world["market"].pk, world["road"].pk])
    assert found[world["market"].pk] == [world["clean"], world["stalls"]]  # 制度上墙 is 材料审核
    assert found[world["road"].pk] == [world["stalls"]]


def _open_with_two_markets(world):
    assessment = world["assessment"]
    markets = list(Site.objects.filter(site_type=world["market"]).order_by("name")[:2])  # 市场0 (城东), 市场1 (城西)
    mock.choose(assessment=assessment, sites=markets)
    mock.assign(assessment=assessment, sampled_sites=list(SampledSite.objects.filter(assessment=assessment)), observer=world["observer"])
    mock.start(assessment=assessment)
    return {s.site.name: s for s in SampledSite.objects.filter(assessment=assessment).select_related("site")}


def test_observations_are_checked(world):
    sampled = _open_with_two_markets(world)
    site = sampled["市场0"]
    with pytest.raises(AssessmentError, match="请写明存在的问题"):
        mock.observe(sampled_site=site, standard=world["clean"], result="not_met", note=" ", by=world["observer"], at=NOW)
    with pytest.raises(AssessmentError, match="不适用于该点位类型"):
        mock.observe(sampled_site=site, standard=world["papers"], result="met", by=world["observer"], at=NOW)
    mock.observe(sampled_site=site, standard=world["clean"], result="met", by=world["observer"], at=NOW)
    mock.observe(sampled_site=site, standard=world["clean"], result="not_met", note="垃圾未清", by=world["observer"], at=NOW)
    assert Observation.objects.get().result == "not_met"  # corrected, not doubled


def test_closing_scores_units_by_their_rate_and_opens_one_item_per_failure(world, django_assert_max_num_queries):
    sampled = _open_with_two_markets(world)
    marks = [
        ("市场0", world["clean"], "met", ""),
        ("市场0", world["stalls"], "not_met", "门口占道摆卖"),
        ("市场1", world["clean"], "not_met", "地面积水"),
        ("市场1", world["stalls"], "na", ""),
    ]
    for site, standard, result, note in marks:
        mock.observe(sampled_site=sampled[site], standard=standard, result=result, note=note, by=world["observer"], at=NOW)
    with django_assert_max_num_queries(3):
        figures = mock.results(world["assessment"])
    # Weighted: 市场干净整洁 (2 分) met 1 of 2 → 1 point; 无占道经营 (1 分) met 0 of 1 → 0; 1 of 3 = 33.3 %.
    assert figures.overall.rate == Decimal("33.3")
    east, west = world["units"]
    assert figures.by_unit[east.pk].rate == Decimal("66.7")  # 2×1 + 1×0 over 3
    assert figures.by_unit[west.pk].rate == Decimal("0.0")  # 不适用 left out: 0 of 2 points
    inspection = mock.close(assessment=world["assessment"], by=world["office"], at=NOW, deadline=datetime.date(2026, 12, 20))
    scores = dict(inspection.inspected_units.values_list("unit__name", "score"))
    assert scores == {"城东街道": Decimal("66.7"), "城西街道": Decimal("0.0")}
    items = RectificationItem.objects.filter(finding__inspection=inspection).order_by("unit__name")
    assert [(i.unit.name, i.finding.description) for i in items] == [
        ("城东街道", "【市场0】无占道经营：门口占道摆卖"),
        ("城西街道", "【市场1】市场内干净整洁：地面积水"),
    ]
    assert set(Observation.objects.filter(result="not_met").values_list("finding__rectification__pk", flat=True)) == {i.pk for i in items}
    world["assessment"].refresh_from_db()
    assert world["assessment"].status == "closed"
    with pytest.raises(AssessmentError, match="不能填写"):
        mock.observe(sampled_site=sampled["市场0"], standard=world["clean"], result="met", by=world["observer"], at=NOW)


def test_a_large_team_of_observers_fits_the_ledger(world):
    from assessments.mock import _observers

    sampled = [SampledSite(observer=UserFactory(username=f"obs{n}", full_name=f"测评员{n:02d}")) for n in range(40)]
    text = _observers(sampled)
    assert len(text) <= 200 and text.endswith("等 40 人")
