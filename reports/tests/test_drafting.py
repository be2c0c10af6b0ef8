"""报一次，用多次: a longer report drafted from the unit's shorter reports."""

import datetime
from decimal import Decimal

import pytest
import time_machine
from pytest_django.asserts import assertContains, assertNotContains

from reports import drafting, selectors
from reports.models import IndicatorValue, Period, Report, TaskProgress
from reports.services import generate_periods
from reports.tests.conftest import local
from reports.tests.factories import ReportingRuleFactory
from tasks.models import Indicator

D = datetime.date
SUM, AVG, MAX, LATEST = (Indicator.Aggregation.SUM, Indicator.Aggregation.AVERAGE, Indicator.Aggregation.MAX,
                         Indicator.Aggregation.LATEST)


class FakeIndicator:
    def __init__(self, pk, aggregation):
        self.pk, self.aggregation = pk, aggregation


def week(number, starts_on, work_done="", values=None, progress=None, problems="", next_steps=""):
    return drafting.Source(
        rule_name="周报",
        number=number,
        starts_on=starts_on,
        ends_on=starts_on + datetime.timedelta(days=6),
        work_done=work_done,
        problems=problems,
        next_steps=next_steps,
        indicator_values=values or {},
        task_progress=progress or {},
    )


# --- the pure assembly ------------------------------------------------------


@pytest.mark.parametrize(
    "aggregation, expected",
    [(SUM, Decimal("9")), (AVG, Decimal("3.00")), (MAX, Decimal("5")), (LATEST, Decimal("1"))],
)
def test_figures_follow_the_indicators_aggregation(aggregation, expected):
    sources = [
        week(5, D(2026, 1, 28), values={1: Decimal("1")}),  # the latest, given out of order
        week(3, D(2026, 1, 14), values={1: Decimal("3")}),
        week(4, D(2026, 1, 21), values={1: Decimal("5")}),
    ]
    draft = drafting.assemble(sources=sources, indicators=[FakeIndicator(1, aggregation)])
    assert draft.indicator_values == {1: expected}


def test_an_average_rounds_to_two_places_and_skips_weeks_without_the_figure():
    sources = [week(1, D(2026, 1, 1), values={1: Decimal("1")}), week(2, D(2026, 1, 8)),
               week(3, D(2026, 1, 15), values={1: Decimal("2")}), week(4, D(2026, 1, 22), values={1: Decimal("2")})]
    draft = drafting.assemble(sources=sources, indicators=[FakeIndicator(1, AVG)])
    assert draft.indicator_values == {1: Decimal("1.67")}


def test_work_done_is_each_week_under_its_heading_without_repeated_lines():
    sources = [
        week(3, D(2026, 1, 14), "开展普法宣传2场。\n召开推进会。"),
        week(4, D(2026, 1, 21), "召开推进会。"),  # nothing new: left out
        week(5, D(2026, 1, 28), "  召开推进会。\n检查门店12家。"),
    ]
    draft = drafting.assemble(sources=sources, indicators=[])
    assert draft.work_done == (
        "第3期（1月14日—1月20日）：开展普法宣传2场。\n召开推进会。\n第5期（1月28日—2月3日）：检查门店12家。"
    )
    assert draft.note == "已根据本单位第3–5期周报自动汇总，请核对修改。"


def test_problems_next_steps_and_task_progress_come_from_the_latest_week():
    sources = [
        week(2, D(2026, 1, 7), problems="旧问题", next_steps="旧打算", progress={7: ("in_progress", 40, "旧"), 8: ("in_progress", 10, "")}),
        week(3, D(2026, 1, 14), problems="新问题", next_steps="新打算", progress={7: ("completed", 100, "办结")}),
    ]
    draft = drafting.assemble(sources=sources, indicators=[])
    assert (draft.problems, draft.next_steps) == ("新问题", "新打算")
    assert draft.task_progress == {7: ("completed", 100, "办结"), 8: ("in_progress", 10, "")}


def test_the_note_names_gaps_in_the_periods():
    sources = [week(n, D(2026, 1, 1) + datetime.timedelta(days=7 * n)) for n in (1, 2, 3, 5, 7, 8)]
    assert drafting.assemble(sources=sources, indicators=[]).note == "已根据本单位第1–3、5、7–8期周报自动汇总，请核对修改。"


def test_nothing_to_draft_from_is_no_draft_and_a_cumulative_figure_is_still_prefilled():
    assert drafting.assemble(sources=[], indicators=[FakeIndicator(1, SUM)]) is None
    draft = drafting.assemble(
        sources=[], indicators=[FakeIndicator(1, LATEST), FakeIndicator(2, SUM)], cumulative={1: Decimal("40")}
    )
    assert draft.indicator_values == {1: Decimal("40")}
    assert draft.work_done == "" and "累计" in draft.note


def test_a_week_of_the_span_gives_a_cumulative_figure_before_the_earlier_one():
    sources = [week(3, D(2026, 1, 14), values={1: Decimal("45")})]
    draft = drafting.assemble(sources=sources, indicators=[FakeIndicator(1, LATEST)], cumulative={1: Decimal("40")})
    assert draft.indicator_values == {1: Decimal("45")}


def test_only_shorter_cadences_draft_a_report():
    assert drafting.shorter_cadences("weekly") == []
    assert drafting.shorter_cadences("once") == []
    assert drafting.shorter_cadences("quarterly") == ["weekly", "monthly"]


# --- the report page ---------------------------------------------------------


def send(report, *, work_done, value=None, indicator=None, percent=None, task=None, problems="", next_steps=""):
    """The unit's report as the office received it."""
    Report.objects.filter(pk=report.pk).update(
        status=Report.Status.ACCEPTED, submitted_at=report.due_at, work_done=work_done,
        problems=problems, next_steps=next_steps,
    )
    if value is not None:
        IndicatorValue.objects.create(report=report, indicator=indicator, value=value, allow_negative=False)
    if percent is not None:
        TaskProgress.objects.create(report=report, task=task, percent=percent, status="in_progress", note=f"进度{percent}")


@pytest.fixture
def monthly(setting):
    """The setting's campaign with a monthly rule (the 20th) next to its weekly
    one (Tuesdays), both generated through 20 February: the monthly report of
    February (21 January – 20 February) takes in weeks 4 to 8."""
    rule = ReportingRuleFactory(
        campaign=setting.campaign, name="月报", cadence="monthly", weekday=None, day_of_month=20,
        starts_on=D(2026, 1, 1),
    )
    rule.indicators.add(setting.indicator)
    generate_periods(rule=setting.rule, through=D(2026, 2, 20))
    generate_periods(rule=rule, through=D(2026, 2, 20))
    return Report.objects.get(unit=setting.unit, period__rule=rule, period__number=2)


def weekly_report(setting, number, unit=None):
    return Report.objects.get(unit=unit or setting.unit, period__rule=setting.rule, period__number=number)


def test_the_monthly_report_is_drafted_from_the_weeks_across_the_month_end(client, setting, monthly):
    assert (monthly.period.starts_on, monthly.period.ends_on) == (D(2026, 1, 21), D(2026, 2, 20))
    for number, value in [(3, 7), (4, 2), (5, 3), (7, 4), (8, 50)]:  # weeks 3 and 8 end outside
        send(weekly_report(setting, number), work_done=f"第{number}周工作。", value=value, indicator=setting.indicator,
             percent=number * 10, task=setting.tasks[0], problems=f"问题{number}", next_steps=f"打算{number}")
    send(weekly_report(setting, 6, unit=setting.other_unit), work_done="别的单位的工作。", value=99, indicator=setting.indicator)
    client.force_login(setting.liaison)
    with time_machine.travel(local(2026, 2, 18, 9), tick=False):
        page = client.get(monthly.get_absolute_url())
    form = page.context["form"]
    assert form.initial["work_done"] == (
        "第4期（1月21日—1月27日）：第4周工作。\n第5期（1月28日—2月3日）：第5周工作。\n第7期（2月11日—2月17日）：第7周工作。"
    )
    assert form.initial[f"indicator_{setting.indicator.pk}"] == "9"
    assert form.initial[f"task_{setting.tasks[0].pk}_percent"] == 70
    assert (form.initial["problems"], form.initial["next_steps"]) == ("问题7", "打算7")
    assertContains(page, f"已根据本单位第4–5、7期{setting.rule.name}自动汇总，请核对修改。")
    assertNotContains(page, "别的单位")


def test_a_started_report_is_never_overwritten(client, setting, monthly):
    send(weekly_report(setting, 4), work_done="第4周工作。", value=2, indicator=setting.indicator)
    Report.objects.filter(pk=monthly.pk).update(status=Report.Status.DRAFT, work_done="联络员自己写的。", version=2)
    client.force_login(setting.liaison)
    with time_machine.travel(local(2026, 2, 18, 9), tick=False):
        page = client.get(monthly.get_absolute_url())
    assert page.context["form"].initial["work_done"] == "联络员自己写的。"
    assert page.context["form"].initial[f"indicator_{setting.indicator.pk}"] is None
    assertNotContains(page, "自动汇总")


def test_the_draft_is_saved_only_when_the_liaison_saves(client, setting, monthly):
    send(weekly_report(setting, 4), work_done="第4周工作。")
    client.force_login(setting.liaison)
    with time_machine.travel(local(2026, 2, 18, 9), tick=False):
        client.get(monthly.get_absolute_url())
    monthly.refresh_from_db()
    assert (monthly.status, monthly.work_done) == (Report.Status.NOT_STARTED, "")


def test_a_weekly_report_gets_no_summary_but_its_cumulative_figure(client, setting):
    setting.indicator.aggregation = LATEST
    setting.indicator.save()
    send(weekly_report(setting, 1), work_done="第1周工作。", value=40, indicator=setting.indicator)
    client.force_login(setting.liaison)
    with time_machine.travel(local(2026, 1, 12, 9), tick=False):
        page = client.get(setting.report.get_absolute_url())
    form = page.context["form"]
    assert form.initial["work_done"] == ""
    assert form.initial[f"indicator_{setting.indicator.pk}"] == "40"
    assertContains(page, "已根据本单位此前报送的累计数预填指标")


def test_a_returned_or_unsent_week_is_not_a_source(setting, monthly):
    send(weekly_report(setting, 4), work_done="第4周工作。")
    Report.objects.filter(pk=weekly_report(setting, 5).pk).update(status=Report.Status.DRAFT, work_done="草稿")
    Report.objects.filter(pk=weekly_report(setting, 6).pk).update(
        status=Report.Status.RETURNED, work_done="退回", submitted_at=local(2026, 2, 10, 9)
    )
    draft = selectors.report_draft(report=monthly, indicators=[])
    assert draft.work_done == "第4期（1月21日—1月27日）：第4周工作。"


@pytest.mark.parametrize("weeks", [1, 4])
def test_the_report_page_asks_as_many_queries_whatever_the_number_of_weeks(
    client, setting, monthly, django_assert_num_queries, weeks
):
    for number in range(4, 4 + weeks):
        send(weekly_report(setting, number), work_done=f"第{number}周工作。", value=1, indicator=setting.indicator,
             percent=10, task=setting.tasks[0])
    client.force_login(setting.liaison)
    with time_machine.travel(local(2026, 2, 18, 9), tick=False):
        with django_assert_num_queries(QUERIES):
            page = client.get(monthly.get_absolute_url())
    assertContains(page, "自动汇总")


# The form reads the tasks with their progress, the indicators with their figures: a query each;
# an untouched report has no versions, events, extensions, files or joint
# submissions to read (selectors.with_history_flags).
QUERIES = 11


def test_a_quarterly_report_is_drafted_from_the_monthly_reports(setting, monthly):
    quarterly = ReportingRuleFactory(
        campaign=setting.campaign, name="季报", cadence="quarterly", weekday=None, day_of_month=25, starts_on=D(2026, 1, 1)
    )
    generate_periods(rule=quarterly, through=D(2026, 3, 1))
    report = Report.objects.get(unit=setting.unit, period__rule=quarterly)
    send(weekly_report(setting, 4), work_done="第4周工作。")
    send(monthly, work_done="二月的小结。")
    draft = selectors.report_draft(report=report, indicators=[])
    assert draft.work_done.endswith("二月的小结。")
    assert "月报" in draft.note
    assert Period.objects.filter(rule=quarterly).count() == 1
