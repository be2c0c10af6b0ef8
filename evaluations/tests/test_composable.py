"""Schemes the office composes: target attainment, deductions per rule,
scores the office enters, weights, and evaluations of a quarter, a year or a
phase. Every figure below is worked out by hand from the story of the test."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from pytest_django.asserts import assertContains

from campaigns.tests.factories import CampaignFactory, PhaseFactory
from evaluations import periods, services
from evaluations.models import EnteredScore, Evaluation, Score, ScoringScheme
from evaluations.tests.factories import AT, MONTH, Kind, Month, local, scheme_for
from reports.models import IndicatorValue
from tasks.tests.factories import IndicatorFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def clock(time_machine):
    time_machine.move_to(AT + datetime.timedelta(hours=1), tick=False)


def with_scheme(m, weights, *, deduction=0, cadence=periods.Cadence.MONTHLY):
    """Replace the month's scheme with one of `weights`, each deduction `deduction`."""
    ScoringScheme.objects.filter(campaign=m.campaign).delete()
    m.scheme = scheme_for(m.campaign, weights=weights)
    m.scheme.cadence = cadence
    m.scheme.save()
    m.scheme.components.update(deduction=deduction)
    return m.scheme


def breakdown(evaluation, unit):
    return Score.objects.get(evaluation=evaluation, unit=unit).breakdown


def compute(m, **kwargs):
    kwargs = kwargs or {"month": MONTH}
    return services.compute_evaluation(campaign=m.campaign, by=m.office, at=AT, **kwargs)


def test_target_attainment_counts_the_indicators_a_unit_meets_by_their_own_rule():
    m = Month()
    events = IndicatorFactory(campaign=m.campaign, name="宣传活动", target_value=10, aggregation="sum")
    coverage = IndicatorFactory(campaign=m.campaign, name="覆盖率", target_value=50, aggregation="latest")
    IndicatorFactory(campaign=m.campaign, name="无目标", target_value=None)  # no target: never counted
    m.rule.indicators.add(*m.campaign.indicators.all())
    m.a, a = m.unit("甲单位", 1, statuses=["on_time"] * 4)
    m.b, b = m.unit("乙单位", 2, statuses=["on_time", "on_time", "missing", "on_time"])
    for report, e, c in [(a[0], 4, 30), (a[1], 6, 60), (b[0], 2, 70), (b[1], 3, 80)]:
        IndicatorValue.objects.create(report=report, indicator=events, value=e)
        IndicatorValue.objects.create(report=report, indicator=coverage, value=c)
    # A figure in a report still missing (a draft's) does not count.
    IndicatorValue.objects.create(report=b[2], indicator=events, value=50)
    with_scheme(m, {Kind.TARGETS_MET: Decimal(20)})

    evaluation = compute(m)

    [a_entry] = breakdown(evaluation, m.a)
    [b_entry] = breakdown(evaluation, m.b)
    # 甲: 4 + 6 = 10 ≥ 10 and the latest coverage 60 ≥ 50: 2 of 2.
    assert a_entry["points"] == "20.0"
    assert a_entry["text"] == "应完成指标2项，达到目标2项，指标完成率100%，权重20，得20分"
    # 乙: 2 + 3 = 5 < 10, coverage 80 ≥ 50: 1 of 2.
    assert b_entry["points"] == "10.0"
    assert "达到目标1项" in b_entry["text"] and "未达标：宣传活动" in b_entry["text"]


def test_a_unit_asked_no_indicator_with_a_target_gets_the_full_points():
    m = Month()
    m.a, _ = m.unit("甲单位", 1, statuses=["on_time"] * 4)
    with_scheme(m, {Kind.TARGETS_MET: Decimal(20)})

    [entry] = breakdown(compute(m), m.a)

    assert entry["points"] == "20.0" and "本月无需考核的指标，按满分计" in entry["text"]


def test_each_late_or_missing_report_deducts_its_points_down_to_zero():
    m = Month()
    m.a, _ = m.unit("甲单位", 1, statuses=["on_time", "late", "missing", "exempt"])
    m.b, _ = m.unit("乙单位", 2, statuses=["missing"] * 4)
    with_scheme(m, {Kind.LATE_REPORTS: Decimal(10)}, deduction=Decimal(3))

    evaluation = compute(m)

    [a_entry] = breakdown(evaluation, m.a)
    [b_entry] = breakdown(evaluation, m.b)
    assert a_entry["points"] == "4.0"  # 10 − 2 × 3: one late, one missing, the exempted week owed nothing
    assert a_entry["text"] == "逾期报送或未报2次，每次扣3分，最多扣10分，得4分"
    assert b_entry["points"] == "0.0"  # 4 × 3 = 12 > 10: capped at the component's points


def test_weights_set_each_components_share_of_the_total():
    m = Month()
    m.a, _ = m.unit("甲单位", 1, statuses=["on_time", "late", "on_time", "missing"])
    with_scheme(m, {Kind.SUBMISSION_RATE: Decimal(60), Kind.ON_TIME_RATE: Decimal(40)})

    score = Score.objects.get(evaluation=compute(m), unit=m.a)

    assert [entry["points"] for entry in score.breakdown] == ["45.0", "20.0"]  # 60 × 3/4, 40 × 2/4
    assert score.total == Decimal("65.0")


def test_the_office_enters_a_survey_score_and_it_flows_into_the_score_and_its_explanation(client):
    m = Month()
    m.a, _ = m.unit("甲单位", 1, statuses=["on_time"] * 4)
    m.b, _ = m.unit("乙单位", 2, statuses=["on_time"] * 4)
    with_scheme(m, {Kind.SUBMISSION_RATE: Decimal(80), Kind.SURVEY: Decimal(20)})
    survey = m.scheme.components.get(kind=Kind.SURVEY)
    evaluation = compute(m)
    assert "办公室尚未录入问卷调查得分" in breakdown(evaluation, m.a)[1]["text"]
    client.force_login(m.office)
    url = reverse("evaluations:entered_scores", args=[evaluation.pk, survey.pk])

    page = client.get(reverse("evaluations:detail", args=[evaluation.pk]))
    assertContains(page, url)
    response = client.post(url, {f"unit_{m.a.pk}": "85", f"unit_{m.b.pk}": ""}, follow=True)

    assertContains(response, "已保存问卷调查得分")
    entry = breakdown(evaluation, m.a)[1]
    assert entry["points"] == "17.0"  # 20 × 85 / 100
    assert entry["text"] == "问卷调查得分85分（百分制，办公室录入），权重20，得17分"
    assert Score.objects.get(evaluation=evaluation, unit=m.a).total == Decimal("97.0")
    with pytest.raises(services.EvaluationError, match="还有单位未录入问卷调查得分"):
        services.publish_evaluation(evaluation=evaluation, by=m.office, at=AT)

    # One column pasted from a spreadsheet, in the form's order of units.
    client.post(url, {"paste": "85\n72.5\n"})
    assert breakdown(evaluation, m.b)[1]["points"] == "14.5"
    services.publish_evaluation(evaluation=evaluation, by=m.office, at=AT)
    client.force_login(m.liaisons[m.b.pk])
    own = client.get(reverse("evaluations:score", args=[Score.objects.get(evaluation=evaluation, unit=m.b).pk]))
    assertContains(own, "问卷调查得分72.5分（百分制，办公室录入），权重20，得14.5分")


def test_a_bad_entered_score_says_which_unit_and_changes_nothing(client):
    m = Month()
    m.a, _ = m.unit("甲单位", 1, statuses=["on_time"] * 4)
    m.b, _ = m.unit("乙单位", 2, statuses=["on_time"] * 4)
    with_scheme(m, {Kind.SUBMISSION_RATE: Decimal(80), Kind.SITE_VISIT: Decimal(20)})
    visit = m.scheme.components.get(kind=Kind.SITE_VISIT)
    evaluation = compute(m)
    client.force_login(m.office)
    url = reverse("evaluations:entered_scores", args=[evaluation.pk, visit.pk])

    bad = client.post(url, {f"unit_{m.a.pk}": "90", f"unit_{m.b.pk}": "101"}, follow=True)
    short = client.post(url, {"paste": "90"}, follow=True)
    word = client.post(url, {f"unit_{m.a.pk}": "优秀"}, follow=True)

    assertContains(bad, "乙单位的得分须在0到100分之间（百分制）。")
    assertContains(short, "粘贴了1行分数，本次评定有2个单位")
    assertContains(word, "甲单位的得分“优秀”不是数字")
    assert not EnteredScore.objects.exists()
    client.force_login(m.leader)
    assert client.post(url, {f"unit_{m.a.pk}": "90"}).status_code == 403


def test_a_quarterly_evaluation_scores_the_whole_quarter():
    m = Month()  # March's four weeks, plus a week due in February (missed by all) and one in April
    m.a, _ = m.unit("甲单位", 1, statuses=["on_time"] * 4)
    with_scheme(m, {Kind.SUBMISSION_RATE: Decimal(30)}, cadence=periods.Cadence.QUARTERLY)
    quarter = periods.quarter_span(MONTH)

    evaluation = compute(m, span=quarter)
    march = compute(m)

    assert (evaluation.month, evaluation.ends_on, evaluation.cadence) == (
        datetime.date(2026, 1, 1),
        datetime.date(2026, 3, 31),
        "quarterly",
    )
    assert evaluation.month_label == "2026年第一季度" and march.month_label == "2026年3月"
    [entry] = breakdown(evaluation, m.a)
    assert entry["points"] == "24.0"  # 30 × 4/5: February's week counts in the quarter
    assert entry["text"] == "应报5期，已报4期，报送率80%，权重30，得24分"
    assert breakdown(march, m.a)[0]["points"] == "30.0"


def test_the_office_computes_and_publishes_a_quarter_from_the_page(client):
    m = Month()
    m.a, _ = m.unit("甲单位", 1, statuses=["on_time"] * 4)
    with_scheme(m, {Kind.SUBMISSION_RATE: Decimal(30)}, cadence=periods.Cadence.QUARTERLY)
    client.force_login(m.office)

    page = client.get(reverse("evaluations:list", args=[m.campaign.pk]))
    assertContains(page, "计算季度得分")
    assertContains(page, "2026年第一季度")
    response = client.post(
        reverse("evaluations:compute", args=[m.campaign.pk]), {"period": "quarterly:2026-01-01..2026-03-31"}, follow=True
    )
    assertContains(response, "已计算2026年第一季度各单位得分。")
    evaluation = Evaluation.objects.get(campaign=m.campaign)
    bogus = client.post(
        reverse("evaluations:compute", args=[m.campaign.pk]), {"period": "quarterly:2026-02-01..2026-03-31"}, follow=True
    )
    assertContains(bogus, "请选择要评定的评定期。")
    client.post(reverse("evaluations:publish", args=[evaluation.pk]))
    evaluation.refresh_from_db()
    assert evaluation.is_published and Evaluation.objects.count() == 1


def test_spans_tile_the_campaign_by_quarter_year_and_phase():
    campaign = CampaignFactory(starts_on=datetime.date(2025, 11, 15), ends_on=datetime.date(2027, 6, 30))
    PhaseFactory(campaign=campaign, order=1, name="动员部署", starts_on=datetime.date(2025, 11, 15), ends_on=datetime.date(2026, 2, 10))
    PhaseFactory(campaign=campaign, order=2, name="集中整治", starts_on=datetime.date(2026, 2, 11), ends_on=datetime.date(2026, 12, 31))
    today = datetime.date(2026, 4, 2)

    quarters = periods.spans_of(campaign=campaign, cadence=periods.Cadence.QUARTERLY, today=today)
    years = periods.spans_of(campaign=campaign, cadence=periods.Cadence.YEARLY, today=today)
    phases = periods.spans_of(campaign=campaign, cadence=periods.Cadence.PHASE, today=today)

    assert [s.label for s in quarters] == ["2026年第二季度", "2026年第一季度", "2025年第四季度"]
    assert [s.label for s in years] == ["2026年度", "2025年度"]
    assert [(s.label, s.starts_on, s.ends_on) for s in phases] == [
        ("第二阶段（集中整治）", datetime.date(2026, 2, 11), datetime.date(2026, 12, 31)),
        ("第一阶段（动员部署）", datetime.date(2025, 11, 15), datetime.date(2026, 2, 10)),
    ]
    assert periods.span_of_key(campaign=campaign, key=quarters[1].key, today=today) == quarters[1]


def test_a_phase_evaluation_may_begin_on_any_day_a_month_only_on_the_first(refused_by):
    m = Month()
    m.a, _ = m.unit("甲单位", 1, statuses=["on_time"] * 4)
    phase = PhaseFactory(campaign=m.campaign, order=1, name="集中整治", starts_on=datetime.date(2026, 3, 5), ends_on=datetime.date(2026, 3, 31))

    evaluation = compute(m, span=periods.phase_span(phase))

    assert evaluation.month_label == "第一阶段（集中整治）"
    [entry] = [e for e in breakdown(evaluation, m.a) if e["kind"] == Kind.SUBMISSION_RATE]
    assert "应报3期" in entry["text"]  # the week due on 3 March is before the phase
    with refused_by(Evaluation, "evaluation_span_ordered"):
        Evaluation.objects.create(
            campaign=m.campaign, month=datetime.date(2026, 4, 1), ends_on=datetime.date(2026, 3, 31),
            cadence="quarterly", computed_at=AT, computed_by=m.office,
        )


def evaluation_page_queries(client, units, django_assert_num_queries=None, expected=None):
    m = Month(prefix=str(units))
    for order in range(units):
        m.unit(f"{units}-单位{order}", order + 1, statuses=["on_time", "late", "missing", "exempt"])
    with_scheme(m, {Kind.SUBMISSION_RATE: Decimal(40), Kind.TARGETS_MET: Decimal(20), Kind.SURVEY: Decimal(40)})
    evaluation = compute(m)
    survey = m.scheme.components.get(kind=Kind.SURVEY)
    services.enter_scores(
        evaluation=evaluation, component=survey, scores={u.pk: "80" for u in services.entry_units(evaluation)}, by=m.office, at=AT
    )
    client.force_login(m.office)
    url = reverse("evaluations:detail", args=[evaluation.pk])
    if expected is None:
        with CaptureQueriesContext(connection) as context:
            assert client.get(url).status_code == 200
        return len(context.captured_queries)
    with django_assert_num_queries(expected):
        assert client.get(url).status_code == 200
    return expected


def test_the_evaluation_page_reads_in_the_same_queries_whatever_the_number_of_units(client, django_assert_num_queries):
    few = evaluation_page_queries(client, 2)
    client.logout()
    evaluation_page_queries(client, 6, django_assert_num_queries, expected=few)


def test_computing_with_every_kind_takes_the_same_queries_whatever_the_number_of_units():
    def queries(units):
        m = Month(prefix=f"q{units}")
        indicator = IndicatorFactory(campaign=m.campaign, target_value=1)
        m.rule.indicators.add(indicator)
        for order in range(units):
            _, reports = m.unit(f"q{units}-单位{order}", order + 1, statuses=["on_time", "late", "missing", "exempt"])
            IndicatorValue.objects.create(report=reports[0], indicator=indicator, value=2)
            m.returned(reports[1], local(2026, 3, 12, 9))
        with_scheme(m, {kind: Decimal(10) for kind in Kind.values}, deduction=Decimal(1))
        with CaptureQueriesContext(connection) as context:
            compute(m)
        return len(context.captured_queries)

    assert queries(2) == queries(5)


def test_task_deadlines_met_counts_the_lead_units_tasks_finished_by_their_deadline():
    from tasks.models import TaskStatus
    from tasks.tests.factories import TaskFactory

    m = Month()
    m.a, _ = m.unit("甲单位", 1, statuses=["on_time"] * 4)
    m.b, _ = m.unit("乙单位", 2, statuses=["on_time"] * 4)
    applied = local(2026, 3, 9, 10, 0)
    confirmed = local(2026, 3, 11, 10, 0)
    # 甲: one finished on time (applied 9 March for a 10 March deadline), one applied late.
    TaskFactory(campaign=m.campaign, lead_unit=m.a, title="完成摸底排查", due_on=datetime.date(2026, 3, 10),
                status=TaskStatus.FINISHED, declared_at=applied, finished_at=confirmed)
    TaskFactory(campaign=m.campaign, lead_unit=m.a, title="建立长效机制", due_on=datetime.date(2026, 3, 5),
                status=TaskStatus.FINISHED, declared_at=applied, finished_at=confirmed)
    # 乙: one due in March still open; one due in April is not yet due; none due before.
    TaskFactory(campaign=m.campaign, lead_unit=m.b, title="开展集中整治", due_on=datetime.date(2026, 3, 20))
    TaskFactory(campaign=m.campaign, lead_unit=m.b, title="总结验收", due_on=datetime.date(2026, 4, 20))
    with_scheme(m, {Kind.TASK_DEADLINES: Decimal(10)})

    evaluation = compute(m)

    [a_entry] = breakdown(evaluation, m.a)
    [b_entry] = breakdown(evaluation, m.b)
    assert a_entry["points"] == "5.0"
    assert a_entry["text"] == "牵头任务到期2项，按期办结1项，按期办结率50%（未按期：建立长效机制），权重10，得5分"
    assert b_entry["points"] == "0.0"
    assert "到期1项，按期办结0项" in b_entry["text"] and "开展集中整治" in b_entry["text"]


def test_a_figure_two_rules_ask_for_is_counted_under_the_longer_one_only():
    from reports.models import Report
    from reports.tests.factories import PeriodFactory, ReportingRuleFactory

    m = Month()
    events = IndicatorFactory(campaign=m.campaign, name="宣传活动", target_value=15, aggregation="sum")
    m.rule.indicators.add(events)
    m.a, weeks = m.unit("甲单位", 1, statuses=["on_time"] * 4)
    monthly = ReportingRuleFactory(campaign=m.campaign, name="月报", cadence="monthly", weekday=None, day_of_month=31)
    monthly.indicators.add(events)
    month_period = PeriodFactory(rule=monthly, number=1, due_at=local(2026, 3, 31, 17, 30))
    month_report = Report.objects.create(
        period=month_period, unit=m.a, due_at=month_period.due_at, status=Report.Status.SUBMITTED,
        submitted_at=local(2026, 3, 30, 10, 0),
    )
    # The weeks give 2 + 3 + 4 + 0 = 9; the month, drafted from them, 9 too: 9 < 15, not 18.
    for report, value in zip(weeks, [2, 3, 4, 0], strict=True):
        IndicatorValue.objects.create(report=report, indicator=events, value=value)
    IndicatorValue.objects.create(report=month_report, indicator=events, value=9)
    with_scheme(m, {Kind.TARGETS_MET: Decimal(20)})

    [entry] = breakdown(compute(m), m.a)

    assert entry["points"] == "0.0" and "未达标：宣传活动" in entry["text"]
