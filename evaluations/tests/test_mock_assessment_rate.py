"""模拟测评得分率 as a component of the score: each unit's 得分率 over the
mock assessments closed in the month, worked out by hand below."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from assessments import selectors as assessment_selectors
from assessments.models import (
    AssessmentContent,
    AssessmentItem,
    AssessmentSystem,
    MockAssessment,
    Observation,
    Recheck,
    SampledSite,
    Site,
    SiteType,
    Standard,
)
from evaluations import services
from evaluations.models import Score, ScoringScheme
from evaluations.tests.factories import AT, MONTH, Kind, Month, local, scheme_for

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def clock(time_machine):
    time_machine.move_to(AT + datetime.timedelta(hours=1), tick=False)


class Sites:
    """A system of three site-visit standards (分值 2, 1 and 3) and sites."""

    def __init__(self, m, *, weighted):
        self.m = m
        self.system = AssessmentSystem.objects.create(campaign=m.campaign, name="测评体系", created_by=m.office, weighted=weighted)
        content = AssessmentContent.objects.create(
            item=AssessmentItem.objects.create(system=self.system, position=1, name="公共秩序"), position=1, name="市场秩序"
        )
        self.market = SiteType.objects.create(campaign=m.campaign, name="农贸市场")
        self.s1, self.s2, self.s3 = (
            Standard.objects.create(system=self.system, content=content, position=n, text=text, score=score, methods=["实地考察"])
            for n, text, score in [(1, "市场内干净整洁", 2), (2, "无占道经营", 1), (3, "公益广告规范", 3)]
        )
        self.sites = {}

    def site(self, name, unit):
        self.sites[name] = Site.objects.create(campaign=self.m.campaign, site_type=self.market, name=name, unit=unit)
        return self.sites[name]

    def assessment(self, name, closed_at, marks, *, status=MockAssessment.Status.CLOSED):
        """A mock assessment closed at `closed_at` with `marks` {site name: [(standard, result)]}."""
        assessment = MockAssessment.objects.create(
            campaign=self.m.campaign, system=self.system, name=name, held_on=closed_at.date(), created_by=self.m.office,
            status=status, closed_at=closed_at if status == MockAssessment.Status.CLOSED else None,
        )
        for site_name, results in marks.items():
            sampled = SampledSite.objects.create(assessment=assessment, site=self.sites[site_name], observer=self.m.office)
            for standard, result in results:
                Observation.objects.create(
                    sampled_site=sampled, standard=standard, result=result, note="问题" if result == "not_met" else "",
                    observed_by=self.m.office, observed_at=closed_at,
                )
        return assessment


def march_story(weighted):
    """甲 has two sites, 乙 one, 丙 one with nothing applicable, 丁 none.

    - 一 (closed 10 March): 甲 X1 S1 met, S2 not met, S3 不适用; 甲 X2 S1 not met,
      S2 met; 乙 Y1 S1 met, S2 met, S3 not met; 丙 Z1 S1 不适用.
    - 二 (closed 25 March): 甲 X1 all three met.
    - Not counted: one closed 28 February (甲 failing all), one closed 2 April
      (乙 failing), one still open in March (乙 failing).
    """
    m = Month()
    m.a, _ = m.unit("甲单位", 1, statuses=["on_time"] * 4)
    m.b, _ = m.unit("乙单位", 2, statuses=["on_time"] * 4)
    m.c, _ = m.unit("丙单位", 3, statuses=["on_time"] * 4)
    m.d, _ = m.unit("丁单位", 4, statuses=["on_time"] * 4)
    s = Sites(m, weighted=weighted)
    s.site("X1", m.a), s.site("X2", m.a), s.site("Y1", m.b), s.site("Z1", m.c)
    met, failed, na = "met", "not_met", "na"
    s.assessment("第一次模拟测评", local(2026, 3, 10, 16), {
        "X1": [(s.s1, met), (s.s2, failed), (s.s3, na)],
        "X2": [(s.s1, failed), (s.s2, met)],
        "Y1": [(s.s1, met), (s.s2, met), (s.s3, failed)],
        "Z1": [(s.s1, na)],
    })
    s.assessment("第二次模拟测评", local(2026, 3, 25, 16), {"X1": [(s.s1, met), (s.s2, met), (s.s3, met)]})
    s.assessment("二月模拟测评", local(2026, 2, 28, 16), {"X1": [(s.s1, failed), (s.s2, failed)]})
    s.assessment("四月模拟测评", local(2026, 4, 2, 16), {"Y1": [(s.s1, failed)]})
    s.assessment("进行中", local(2026, 3, 28, 16), {"Y1": [(s.s2, failed)]}, status=MockAssessment.Status.OPEN)
    # 乙's failure re-checked and found put right: the 得分率 stays what the day found.
    failure = Observation.objects.get(sampled_site__site__name="Y1", standard=s.s3, sampled_site__assessment__name="第一次模拟测评")
    Recheck.objects.create(observation=failure, result="met", checked_by=m.office, checked_at=local(2026, 3, 20, 10))
    ScoringScheme.objects.filter(campaign=m.campaign).delete()
    m.scheme = scheme_for(m.campaign, weights={Kind.MOCK_ASSESSMENT_RATE: Decimal(10)})
    return m


def entries(m):
    evaluation = services.compute_evaluation(campaign=m.campaign, by=m.office, at=AT, month=MONTH)
    return {unit.name: Score.objects.get(evaluation=evaluation, unit=unit).breakdown[0] for unit in (m.a, m.b, m.c, m.d)}


def test_a_weighted_system_pools_the_points_of_the_months_assessments():
    found = entries(march_story(weighted=True))

    # 甲, 一: S1 (2 分) met 1 of 2 → 1, S2 (1 分) met 1 of 2 → 0.5, S3 不适用: 1.5 of 3;
    # 二: 2 + 1 + 3 = 6 of 6. Pooled 7.5 of 9 = 83.3 %, 10 × 7.5 / 9 = 8.33.
    assert found["甲单位"]["points"] == "8.3"
    assert found["甲单位"]["text"] == "本月结束的模拟测评2次，该单位负责的点位得7.5分，应得9分（不适用不计），得分率83.3%，权重10，得8.3分"
    assert found["甲单位"]["inputs"]["assessments"] == 2
    # 乙: 2 + 1 + 0 of 6 = 50 % (the re-check, April's and the open assessment's failures aside).
    assert found["乙单位"]["points"] == "5.0"
    assert "得分率50%" in found["乙单位"]["text"] and "模拟测评1次" in found["乙单位"]["text"]
    # 丙: sampled, but nothing applied; 丁: not sampled. Both the full points, as 督导检查得分 does.
    for name in ("丙单位", "丁单位"):
        assert found[name]["points"] == "10.0"
        assert "未抽中该单位负责的点位" in found[name]["text"] and "按满分计" in found[name]["text"]


def test_an_unweighted_system_counts_observations_met_over_made():
    found = entries(march_story(weighted=False))

    # 甲: 一 met 2 of 4 (不适用 left out), 二 met 3 of 3: 5 of 7 = 71.4 %, 10 × 5 / 7 = 7.14.
    assert found["甲单位"]["points"] == "7.1"
    assert found["甲单位"]["text"] == "本月结束的模拟测评2次，该单位负责的点位达标5项次，测评7项次（不适用不计），得分率71.4%，权重10，得7.1分"
    # 乙: 2 of 3 = 66.7 %, 6.67.
    assert found["乙单位"]["points"] == "6.7"
    assert found["丁单位"]["points"] == "10.0"


def test_the_rates_of_every_unit_are_read_in_one_query(django_assert_num_queries):
    m = march_story(weighted=True)
    start, end = local(2026, 3, 1, 0), local(2026, 4, 1, 0)

    with django_assert_num_queries(1):
        rates = assessment_selectors.unit_rates(campaign=m.campaign, start=start, until=end)

    assert {unit_id: (rate.rate, n) for unit_id, (rate, n) in rates.items()} == {
        m.a.pk: (Decimal("83.3"), 2),
        m.b.pk: (Decimal("50.0"), 1),
    }


def test_computing_the_component_takes_the_same_queries_whatever_the_number_of_units():
    def queries(units):
        m = Month(prefix=f"q{units}")
        s = Sites(m, weighted=True)
        marks = {}
        for order in range(units):
            unit, _ = m.unit(f"q{units}-单位{order}", order + 1, statuses=["on_time"] * 4)
            s.site(f"q{units}-点位{order}", unit)
            marks[f"q{units}-点位{order}"] = [(s.s1, "met"), (s.s2, "not_met")]
        s.assessment("一", local(2026, 3, 10, 16), marks)
        s.assessment("二", local(2026, 3, 20, 16), marks)
        ScoringScheme.objects.filter(campaign=m.campaign).delete()
        scheme_for(m.campaign, weights={Kind.MOCK_ASSESSMENT_RATE: Decimal(10)})
        with CaptureQueriesContext(connection) as context:
            evaluation = services.compute_evaluation(campaign=m.campaign, by=m.office, at=AT, month=MONTH)
        # Each unit: 2 of 3 points in each assessment, 4 of 6 = 66.7 %.
        assert {s.breakdown[0]["points"] for s in Score.objects.filter(evaluation=evaluation)} == {"6.7"}
        return len(context.captured_queries)

    assert queries(2) == queries(5)


@pytest.mark.parametrize("with_rate", [True, False])
def test_a_mock_assessments_scores_count_once(with_rate):
    """Closing a mock assessment records its 得分率 per unit in the ledger as a
    模拟测评. A scheme with the 模拟测评得分率 component counts it there, and
    督导检查得分 averages the 督导检查 only; a scheme without it keeps counting
    the mock assessment as an inspection."""
    from supervision import services as supervision
    from supervision.models import Inspection

    m = Month()
    m.a, _ = m.unit("甲单位", 1, statuses=["on_time"] * 4)
    for kind, score in ((Inspection.Kind.ON_SITE, 90), (Inspection.Kind.MOCK_ASSESSMENT, 40)):
        supervision.record_inspection(
            campaign=m.campaign, by=m.office, at=local(2026, 3, 10, 16), kind=kind,
            inspected_on=datetime.date(2026, 3, 10), inspectors="樊丽娜", units=[(m.a, score)],
        )
    ScoringScheme.objects.filter(campaign=m.campaign).delete()
    weights = {Kind.INSPECTION_SCORE: Decimal(10)}
    if with_rate:
        weights[Kind.MOCK_ASSESSMENT_RATE] = Decimal(10)
    scheme_for(m.campaign, weights=weights)

    evaluation = services.compute_evaluation(campaign=m.campaign, by=m.office, at=AT, month=MONTH)
    entry = next(e for e in Score.objects.get(evaluation=evaluation, unit=m.a).breakdown if "督导检查" in e["text"])

    if with_rate:
        assert entry["points"] == "9.0" and "督导检查1次，平均得分90分" in entry["text"]
    else:
        # (90 + 40) / 2 = 65: 6.5 of 10.
        assert entry["points"] == "6.5" and "督导检查2次，平均得分65分" in entry["text"]


def test_a_campaign_run_on_its_assessment_alone_scores_the_units_it_names():
    """No unit owes a report: the units scored are those the system and the
    register name (lead and co-units, sites' units), the office aside; with no
    assessment component in the scheme there is still no one to score."""
    from campaigns.tests.factories import UnitFactory

    m = Month()
    m.a, m.b, m.c = (UnitFactory(name=name, short_name=name, sort_order=n) for n, name in enumerate(("甲单位", "乙单位", "丙单位")))
    s = Sites(m, weighted=True)
    s.s1.lead_unit = m.office_unit  # the office leads a standard: it still is not ranked
    s.s1.save()
    s.s2.co_units.add(m.c)
    s.site("X1", m.a)
    s.site("Y1", m.b)
    s.assessment("第一次模拟测评", local(2026, 3, 10, 16), {"X1": [(s.s1, "met"), (s.s2, "not_met")], "Y1": [(s.s1, "met")]})
    m.rule.delete()  # the campaign has no reporting at all
    ScoringScheme.objects.filter(campaign=m.campaign).delete()
    scheme = scheme_for(m.campaign, weights={Kind.INSPECTION_SCORE: Decimal(10)})

    with pytest.raises(services.EvaluationError, match="没有可评定的单位"):
        services.compute_evaluation(campaign=m.campaign, by=m.office, at=AT, month=MONTH)

    scheme.delete()
    scheme_for(m.campaign, weights={Kind.MOCK_ASSESSMENT_RATE: Decimal(10)})
    evaluation = services.compute_evaluation(campaign=m.campaign, by=m.office, at=AT, month=MONTH)

    points = {score.unit.name: score.breakdown[0]["points"] for score in Score.objects.filter(evaluation=evaluation).select_related("unit")}
    # 甲: S1 (2 分) met, S2 (1 分) not met: 2 of 3 → 6.7; 乙: S1 met → 10; 丙, a co-unit never drawn: full.
    assert points == {"甲单位": "6.7", "乙单位": "10.0", "丙单位": "10.0"}


def test_the_units_an_assessment_names_are_read_in_one_query(django_assert_num_queries):
    m = march_story(weighted=True)
    with django_assert_num_queries(1):
        named = assessment_selectors.assessed_unit_ids(m.campaign)
    assert named == {m.a.pk, m.b.pk, m.c.pk}
