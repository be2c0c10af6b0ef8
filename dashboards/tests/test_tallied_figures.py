"""The office's whole view reads its rates and overdue count from the reports'
tallies: the same figures as adding the reports up, in a number of queries
that does not grow with the units or the campaign's history."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from core.tests.caches import clear_test_cache
from dashboards.selectors import campaign_figures, default_filters, filtered_periods, recent_periods
from dashboards.selectors.figures import counted_figures
from reports import rates, workflow
from reports.models import Report
from reports.tests.conftest import local

from .test_dashboards import NOW, World, seeded

pytestmark = pytest.mark.django_db


def whole_view(campaign, at):
    filters = default_filters(campaign)
    periods = filtered_periods(rule=filters.rule, filters=filters)
    figures = campaign_figures(
        campaign=campaign, unit_ids=None, filters=filters, periods=periods, at=at,
        recent=recent_periods(campaign=campaign, at=at),
    )
    return figures, periods


def test_the_tallied_figures_are_those_the_reports_add_up_to(time_machine):
    time_machine.move_to(NOW, tick=False)
    world = World()
    # An extension granted (period 3 of unit A now due on the 22nd), a unit
    # excused from period 2, another extension of a report that falls due
    # before the figures are read.
    workflow.decide_extension(request=world.extension, by=world.s.office, at=NOW, grant=True)
    workflow.exempt(report=world.report[world.a, 2], by=world.s.office, at=NOW, reason="本周抽调参加专项检查。")
    request = workflow.request_extension(
        report=world.report[world.b, 3], by=world.s.other_liaison, at=NOW,
        until=local(2026, 1, 21, 9, 0), reason="材料需要汇总。",
    )
    workflow.decide_extension(request=request, by=world.s.office, at=NOW, grant=True)
    reports = Report.objects.filter(period__rule__campaign=world.campaign)
    assert reports.exclude(status=Report.Status.EXEMPT).exclude(due_at__in=reports.values("period__due_at")).count() == 2

    for at in (NOW, local(2026, 1, 20, 18, 0), local(2026, 1, 21, 12, 0), local(2026, 1, 23)):
        clear_test_cache()
        figures, periods = whole_view(world.campaign, at)
        due = [p.pk for p in periods if p.due_at <= at]
        assert figures.whole == rates.totals(reports, at=at)
        assert figures.by_period == rates.by_period(reports.filter(period__in=due), at=at)
        overdue = reports.filter(status__in=Report.OWED_STATUSES, due_at__lt=at)
        assert figures.overdue_count == overdue.count()
        assert [r.pk for r in figures.overdue] == list(
            overdue.order_by("-due_at", "unit__sort_order", "unit__name", "pk").values_list("pk", flat=True)[:30]
        )
        # The unit scope's figures, added up from reports, agree with them.
        scoped = counted_figures(
            campaign=world.campaign, unit_ids={world.a.pk, world.b.pk}, periods=periods, at=at
        )
        assert (scoped["whole"], scoped["by_period"], scoped["overdue_count"]) == (
            figures.whole, figures.by_period, figures.overdue_count
        )
    # Unit B's period 3 went overdue at its extended deadline, not before.
    assert whole_view(world.campaign, local(2026, 1, 21, 8, 0))[0].overdue_count + 1 == (
        whole_view(world.campaign, local(2026, 1, 21, 10, 0))[0].overdue_count
    )


def count(campaign):
    with CaptureQueriesContext(connection) as queries:
        whole_view(campaign, NOW)
    return len(queries)


def test_the_whole_view_costs_the_same_queries_whatever_the_units_and_periods(time_machine):
    time_machine.move_to(NOW, tick=False)
    counts = []
    for units, weeks in ((2, 3), (6, 9)):
        campaign = seeded(units, weeks)
        assert Report.objects.filter(period__rule__campaign=campaign, due_at__lt=NOW).count() >= units * (weeks - 1)
        clear_test_cache()
        cold, warm = count(campaign), count(campaign)
        counts.append((cold, warm))
    # Warm: the default filters (rules, periods), recent periods, the
    # progress cache read (a query with the database cache, none with Redis),
    # the tallies' sums (whole and overdue count in one query, by period in
    # one), the overdue list (its deadline cut-off, its rows) and the
    # indicators' tallies.
    assert counts[0][1] == counts[1][1] <= 11
    # Cold, task progress (reports.progress) is read too, one query more when
    # a task has no figure yet.
    assert 0 <= counts[1][0] - counts[0][0] <= 1
    assert counts[0][1] < counts[0][0]


def test_a_submission_changes_the_whole_view_without_adding_it_up_again(time_machine):
    time_machine.move_to(NOW, tick=False)
    world = World()
    before, _ = whole_view(world.campaign, NOW)
    report = world.report[world.a, 2]
    report = workflow.save_draft(report=report, by=world.s.liaison, at=NOW, expected_version=report.version, work_done="补报。")
    workflow.submit(report=report, by=world.s.liaison, at=NOW, late_reason="人员外出。")
    after, _ = whole_view(world.campaign, NOW)
    assert (after.whole.submitted, after.overdue_count) == (before.whole.submitted + 1, before.overdue_count - 1)
    assert after.whole.late == before.whole.late + 1
    assert datetime.timedelta(0) < NOW - report.due_at
