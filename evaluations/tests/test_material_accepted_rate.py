"""测评材料通过率 as a component of the score: of the standards a unit leads
that ask for material (材料审核), the share the office had accepted by the
span's end, worked out by hand below."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from assessments import material
from assessments.models import AssessmentContent, AssessmentItem, AssessmentSystem, Standard
from evaluations import services
from evaluations.models import Score, ScoringScheme
from evaluations.tests.factories import AT, MONTH, Kind, Month, local, scheme_for

pytestmark = pytest.mark.django_db

MATERIAL, SITE = "材料审核", "实地考察"


@pytest.fixture(autouse=True)
def clock(time_machine):
    time_machine.move_to(AT + datetime.timedelta(hours=1), tick=False)


class Materials:
    """The campaign's current 测评体系, its standards and their material."""

    def __init__(self, m):
        self.m = m
        self.system = AssessmentSystem.objects.create(campaign=m.campaign, name="测评体系", created_by=m.office)
        self.content = AssessmentContent.objects.create(
            item=AssessmentItem.objects.create(system=self.system, position=1, name="公共文明"), position=1, name="制度建设"
        )
        self.position = 0

    def standard(self, text, lead, *, methods=(MATERIAL,), co_units=()):
        self.position += 1
        standard = Standard.objects.create(
            system=self.system, content=self.content, position=self.position, text=text, methods=list(methods), lead_unit=lead
        )
        standard.co_units.add(*co_units)
        return standard

    def sent(self, standard, unit, at, *, then=None, reviewed_at=None):
        """The unit's material submitted at `at`, then "accept"ed or "return"ed at `reviewed_at`;
        `then="draft"` saves it without submitting."""
        liaison = self.m.liaisons[unit.pk]
        if then == "draft":
            return material.save_material(standard=standard, unit=unit, by=liaison, at=at, text="草稿")
        row = material.save_and_submit(standard=standard, unit=unit, by=liaison, at=at, text="已印发工作制度。")
        if then == "accept":
            row = material.accept_material(material=row, by=self.m.office, at=reviewed_at)
        elif then == "return":
            row = material.return_material(material=row, by=self.m.office, at=reviewed_at, comment="请补充印发文件。")
        return row


def march_story():
    """甲 leads six standards asking for material and one site-visit standard;
    乙 leads two, 甲 a co-unit of one; 丙 leads a site-visit standard only; 丁 none.

    - 甲: S1 accepted 10 March; S2 returned 12 March; S3 submitted, not
      reviewed; S4 a draft; S5 accepted 2 April (after the month); S6
      accepted 20 March 9:00; 实地考察 standard: not asked.
    - 乙: S7 (甲 a co-unit) nothing of 乙's own, 甲's material accepted
      5 March; S8 accepted 31 March 23:30.
    """
    m = Month()
    m.a, _ = m.unit("甲单位", 1, statuses=["on_time"] * 4)
    m.b, _ = m.unit("乙单位", 2, statuses=["on_time"] * 4)
    m.c, _ = m.unit("丙单位", 3, statuses=["on_time"] * 4)
    m.d, _ = m.unit("丁单位", 4, statuses=["on_time"] * 4)
    s = Materials(m)
    sent_on = local(2026, 3, 2, 9)
    s1, s2, s3, s4, s5, s6 = (s.standard(f"甲的标准{n}", m.a) for n in range(1, 7))
    s.sent(s1, m.a, sent_on, then="accept", reviewed_at=local(2026, 3, 10, 16))
    s.sent(s2, m.a, sent_on, then="return", reviewed_at=local(2026, 3, 12, 16))
    s.sent(s3, m.a, sent_on)
    s.sent(s4, m.a, sent_on, then="draft")
    s.sent(s5, m.a, sent_on, then="accept", reviewed_at=local(2026, 4, 2, 9))
    s.sent(s6, m.a, sent_on, then="accept", reviewed_at=local(2026, 3, 20, 9))
    s.standard("甲的实地考察标准", m.a, methods=(SITE,))
    s7 = s.standard("乙的标准7", m.b, co_units=[m.a])
    s.sent(s7, m.a, sent_on, then="accept", reviewed_at=local(2026, 3, 5, 16))
    s8 = s.standard("乙的标准8", m.b, methods=(MATERIAL, SITE))
    s.sent(s8, m.b, sent_on, then="accept", reviewed_at=local(2026, 3, 31, 23, 30))
    s.standard("丙的实地考察标准", m.c, methods=(SITE,))
    ScoringScheme.objects.filter(campaign=m.campaign).delete()
    m.scheme = scheme_for(m.campaign, weights={Kind.MATERIAL_ACCEPTED_RATE: Decimal(10)})
    return m


def entries(m, at=AT):
    evaluation = services.compute_evaluation(campaign=m.campaign, by=m.office, at=at, month=MONTH)
    return {unit.name: Score.objects.get(evaluation=evaluation, unit=unit).breakdown[0] for unit in (m.a, m.b, m.c, m.d)}


def test_the_share_of_the_asked_material_accepted_by_the_months_end():
    found = entries(march_story())

    # 甲: asked S1–S6 (6); accepted in March S1 and S6 (returned, submitted,
    # draft and accepted in April are not): 2 of 6 = 33.3 %, 10 × 2 / 6 = 3.33.
    assert found["甲单位"]["points"] == "3.3"
    assert found["甲单位"]["text"] == "截至月底，该单位牵头的6条测评标准（材料审核）中已通过审核2条，通过率33.3%，权重10，得3.3分"
    assert found["甲单位"]["inputs"] == {"asked": 6, "accepted": 2}
    # 乙: asked S7 and S8; only S8 is its own and accepted (31 March 23:30):
    # 甲's material for S7 is a co-unit's. 1 of 2 = 50 %, 5.
    assert found["乙单位"]["points"] == "5.0"
    assert found["乙单位"]["text"] == "截至月底，该单位牵头的2条测评标准（材料审核）中已通过审核1条，通过率50%，权重10，得5分"
    # 丙 leads a site-visit standard only, 丁 nothing: asked for no material, the full points.
    for name in ("丙单位", "丁单位"):
        assert found[name]["points"] == "10.0"
        assert found[name]["inputs"] == {"asked": 0, "accepted": 0}
        assert found[name]["text"] == "该单位没有牵头需要材料审核的测评标准，无需报送测评材料，按满分计，权重10，得10分"


def test_the_month_computed_before_its_end_counts_what_was_accepted_by_then():
    # 20 March 12:00: 甲 has S1 (10 March) and S6 (20 March 9:00): 2 of 6;
    # at 20 March 8:00 S6 was not yet accepted: 1 of 6 = 16.7 %, 1.67.
    m = march_story()
    found = entries(m, at=local(2026, 3, 20, 8))

    assert found["甲单位"]["points"] == "1.7"
    assert found["甲单位"]["text"] == "截至计算时，该单位牵头的6条测评标准（材料审核）中已通过审核1条，通过率16.7%，权重10，得1.7分"
    # 乙's S8, accepted 31 March, not yet: 0 of 2.
    assert found["乙单位"]["points"] == "0.0"


def test_the_rate_as_of_the_cutoff_is_read_in_one_query(django_assert_num_queries):
    m = march_story()

    with django_assert_num_queries(1):
        rates = material.accepted_rate(m.campaign, as_of=local(2026, 4, 1, 0))

    assert rates == {m.a.pk: (2, 6), m.b.pk: (1, 2)}
    # Without a cutoff, every acceptance so far (甲's S5 of 2 April too).
    assert material.accepted_rate(m.campaign) == {m.a.pk: (3, 6), m.b.pk: (1, 2)}


def test_computing_the_component_takes_the_same_queries_whatever_the_number_of_units():
    def queries(units):
        m = Month(prefix=f"q{units}")
        s = Materials(m)
        for order in range(units):
            unit, _ = m.unit(f"q{units}-单位{order}", order + 1, statuses=["on_time"] * 4)
            accepted, waiting = s.standard(f"q{units}-标准{order}-1", unit), s.standard(f"q{units}-标准{order}-2", unit)
            s.sent(accepted, unit, local(2026, 3, 2, 9), then="accept", reviewed_at=local(2026, 3, 10, 16))
            s.sent(waiting, unit, local(2026, 3, 2, 9))
        ScoringScheme.objects.filter(campaign=m.campaign).delete()
        scheme_for(m.campaign, weights={Kind.MATERIAL_ACCEPTED_RATE: Decimal(10)})
        with CaptureQueriesContext(connection) as context:
            evaluation = services.compute_evaluation(campaign=m.campaign, by=m.office, at=AT, month=MONTH)
        # Each unit: 1 of 2 accepted, 50 %, 5 points.
        assert {s.breakdown[0]["points"] for s in Score.objects.filter(evaluation=evaluation)} == {"5.0"}
        assert Score.objects.filter(evaluation=evaluation).count() == units
        return len(context.captured_queries)

    assert queries(2) == queries(5)
