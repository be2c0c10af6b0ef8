import datetime
from decimal import ROUND_HALF_UP, Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from evaluations import services
from evaluations.models import Evaluation, ManualAdjustment, Score
from evaluations.tests.factories import AT, MONTH, WEIGHTS, Kind, Month, build_month, local

pytestmark = pytest.mark.django_db


def p(value):
    """Points as the scheme rounds them: to 0.1, half up."""
    return Decimal(value).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


W = WEIGHTS
# Worked out by hand from build_month()'s story, component by component.
EXPECTED = {
    "甲单位": [
        p(W[Kind.SUBMISSION_RATE] * 4 / 4),
        p(W[Kind.ON_TIME_RATE] * 4 / 4),
        p(W[Kind.RETURNED_REPORTS] - 0 * 2),  # the February return does not count
        p(W[Kind.TASK_PROGRESS] * Decimal((80 + 100) / 2) / 100),  # the last report sent, not the first
        p(W[Kind.INSPECTION_SCORE] * 90 / 100),
        p(W[Kind.RECTIFICATION_ON_TIME] * 1 / 1),  # the item closed in February is done with
    ],
    "乙单位": [
        p(W[Kind.SUBMISSION_RATE] * 3 / 4),
        p(W[Kind.ON_TIME_RATE] * 2 / 4),
        p(W[Kind.RETURNED_REPORTS] - 1 * 2),
        p(W[Kind.TASK_PROGRESS] * 60 / 100),
        p(W[Kind.INSPECTION_SCORE]),  # not inspected with a score in March: full points
        p(W[Kind.RECTIFICATION_ON_TIME] * 1 / 3),  # 2 due in March + 1 still open from February
    ],
    "丙单位": [
        p(W[Kind.SUBMISSION_RATE] * 3 / 3),  # the exempted week owed nothing
        p(W[Kind.ON_TIME_RATE] * 3 / 3),
        p(W[Kind.RETURNED_REPORTS]),
        p(W[Kind.TASK_PROGRESS] * 50 / 100),
        p(W[Kind.INSPECTION_SCORE] * Decimal((70 + 80) / 2) / 100),
        p(W[Kind.RECTIFICATION_ON_TIME]),  # nothing due by the end of March
    ],
}
EXPECTED["丁单位"] = EXPECTED["丙单位"]


@pytest.fixture
def month(db):
    return build_month()


def compute(month, at=AT):
    return services.compute_evaluation(campaign=month.campaign, month=MONTH, by=month.office, at=at)


def scores(evaluation):
    return {s.unit.name: s for s in Score.objects.filter(evaluation=evaluation).select_related("unit")}


def test_every_units_components_and_total_are_the_figures_worked_out_by_hand(month):
    evaluation = compute(month)

    got = scores(evaluation)
    assert set(got) == set(EXPECTED)
    for name, components in EXPECTED.items():
        assert [Decimal(e["points"]) for e in got[name].breakdown] == components, name
        assert got[name].computed_total == sum(components)
        assert got[name].total == sum(components)
        assert got[name].manual_total == 0


def test_ranks_are_competition_ranks_with_ties_sharing_a_place(month):
    evaluation = compute(month)

    totals = {name: sum(c) for name, c in EXPECTED.items()}
    assert totals["丙单位"] == totals["丁单位"]
    assert totals["甲单位"] > totals["丙单位"] > totals["乙单位"]
    assert {name: s.rank for name, s in scores(evaluation).items()} == {"甲单位": 1, "丙单位": 2, "丁单位": 2, "乙单位": 4}


def test_the_breakdown_says_where_each_point_came_from(month):
    evaluation = compute(month)

    b = [entry["text"] for entry in scores(evaluation)["乙单位"].breakdown]
    assert b[0] == "应报4期，已报3期，报送率75%，权重30，得22.5分"
    assert b[1] == "应报4期，按时报送2期，按时报送率50%，权重20，得10分"
    assert b[2] == "被退回1次，每次扣2分，权重10，得8分"
    assert b[3] == "截至月底牵头任务平均进度60%，权重20，得12分"
    assert b[4] == "本月未接受计分的督导检查，按满分计，权重10，得10分"
    assert b[5] == "应整改3项，按期销号1项，按期销号率33.3%，权重10，得3.3分"
    c = [entry["text"] for entry in scores(evaluation)["丙单位"].breakdown]
    assert c[4] == "本月督导检查2次，平均得分75分（百分制），权重10，得7.5分"
    assert c[5] == "本月无到期的整改事项，按满分计，权重10，得10分"
    a = [entry["text"] for entry in scores(evaluation)["甲单位"].breakdown]
    assert a[3] == "截至月底牵头任务平均进度90%，权重20，得18分"


def test_manual_points_change_the_total_and_the_ranking(month):
    evaluation = compute(month)
    d = scores(evaluation)["丁单位"]

    services.add_adjustment(score=d, points="1.5", reason="积极承办全区文明执法现场会。", by=month.office, at=AT)

    got = scores(evaluation)
    assert got["丁单位"].manual_total == Decimal("1.5")
    assert got["丁单位"].total == sum(EXPECTED["丁单位"]) + Decimal("1.5")
    assert {name: s.rank for name, s in got.items()} == {"甲单位": 1, "丁单位": 2, "丙单位": 3, "乙单位": 4}


def test_computing_again_keeps_manual_points_and_takes_new_data(month):
    evaluation = compute(month)
    services.add_adjustment(score=scores(evaluation)["乙单位"], points="-3", reason="瞒报问题。", by=month.office, at=AT)
    # 乙 sends its missing report, late, before the office computes again.
    from reports.models import Report

    Report.objects.filter(unit=month.b, period=month.periods[3]).update(
        status=Report.Status.SUBMITTED, submitted_at=local(2026, 4, 2, 9, 0)
    )
    from tasks.models import Task

    led = list(Task.objects.filter(lead_unit=month.b))
    month.progress(Report.objects.get(unit=month.b, period=month.periods[3]), [60], tasks=led)

    again = compute(month, at=AT + datetime.timedelta(days=1))

    assert again.pk == evaluation.pk
    b = scores(again)["乙单位"]
    assert b.breakdown[0]["points"] == str(p(W[Kind.SUBMISSION_RATE] * 4 / 4))
    expected = sum(EXPECTED["乙单位"]) - EXPECTED["乙单位"][0] + p(W[Kind.SUBMISSION_RATE])
    assert b.computed_total == expected
    assert b.manual_total == Decimal(-3)
    assert b.total == expected - 3
    assert ManualAdjustment.objects.filter(score=b).count() == 1


def test_a_published_evaluation_is_not_computed_again_nor_adjusted(month):
    evaluation = compute(month)
    services.publish_evaluation(evaluation=evaluation, by=month.office, at=AT)
    before = list(Score.objects.order_by("pk").values_list("pk", "total", "rank"))

    with pytest.raises(services.EvaluationError, match="已发布"):
        compute(month)
    with pytest.raises(services.EvaluationError, match="已发布"):
        services.add_adjustment(score=scores(evaluation)["甲单位"], points="1", reason="补充加分", by=month.office)

    assert list(Score.objects.order_by("pk").values_list("pk", "total", "rank")) == before


@pytest.mark.parametrize(
    ("points", "reason", "message"),
    [("0", "理由", "不能为 0"), ("abc", "理由", "请填写数字"), ("1.25", "理由", "一位小数"), ("2", "  ", "请填写加减分的理由")],
)
def test_bad_manual_points_are_refused_and_change_nothing(month, points, reason, message):
    evaluation = compute(month)
    score = scores(evaluation)["甲单位"]

    with pytest.raises(services.EvaluationError, match=message):
        services.add_adjustment(score=score, points=points, reason=reason, by=month.office)

    assert not ManualAdjustment.objects.exists()
    score.refresh_from_db()
    assert score.total == sum(EXPECTED["甲单位"])


def test_a_month_not_begun_or_without_a_scheme_is_refused(month):
    with pytest.raises(services.EvaluationError, match="尚未开始"):
        services.compute_evaluation(campaign=month.campaign, month=datetime.date(2026, 5, 1), by=month.office, at=AT)
    month.scheme.components.all().delete()
    with pytest.raises(services.EvaluationError, match="评分方案"):
        compute(month)
    assert not Evaluation.objects.exists()


def test_the_database_refuses_a_month_that_is_not_a_first_day(month, refused_by):
    with refused_by(Evaluation, "evaluation_month_first_day"):
        Evaluation.objects.create(campaign=month.campaign, month=datetime.date(2026, 3, 2), computed_at=AT, computed_by=month.office)


def test_the_database_refuses_manual_points_without_a_reason(month, refused_by):
    score = scores(compute(month))["甲单位"]
    with refused_by(ManualAdjustment, "adjustment_has_reason"):
        ManualAdjustment.objects.create(score=score, points=1, reason=" ", by=month.office, at=AT)


def queries_to_compute(units):
    m = Month(prefix=str(units))
    for order in range(units):
        unit, reports = m.unit(f"{units}-单位{order}", order + 1, statuses=["on_time", "late", "missing", "exempt"])
        m.progress(reports[1], [40])
        m.returned(reports[1], local(2026, 3, 12, 9))
        m.inspection(datetime.date(2026, 3, 5), {unit: Decimal(88)})
        m.rectification(unit, datetime.date(2026, 3, 20))
    with CaptureQueriesContext(connection) as context:
        services.compute_evaluation(campaign=m.campaign, month=MONTH, by=m.office, at=AT)
    assert Score.objects.filter(evaluation__campaign=m.campaign).count() == units
    return len(context.captured_queries)


def test_computing_costs_the_same_queries_for_30_units_as_for_3(db):
    assert queries_to_compute(30) == queries_to_compute(3)
