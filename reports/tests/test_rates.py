"""Rates are honest: exempt units and periods not yet due are not expected."""

from decimal import Decimal

from reports import rates, workflow
from reports.models import Report
from reports.tests.conftest import local

AT = local(2026, 1, 14, 9, 0)  # period 2 fell due on Tuesday 2026-01-13 17:30


def send(report, by, at):
    workflow.save_draft(report=report, by=by, at=at, expected_version=report.version, work_done="开展宣传活动两场，参加群众80人。")
    return workflow.submit(report=report, by=by, at=at, late_reason="材料整理延误。")


def test_rates_count_first_submissions_against_the_deadline(setting):
    reports = Report.objects.filter(period__rule=setting.rule)
    first_period = reports.get(unit=setting.unit, period__number=1)
    send(first_period, setting.liaison, local(2026, 1, 6, 10, 0))  # on time
    send(setting.report, setting.liaison, local(2026, 1, 14, 8, 0))  # late
    # The other unit: period 1 missing, period 2 exempt.
    workflow.exempt(report=setting.other_report, by=setting.office, at=local(2026, 1, 12, 9, 0), reason="集中培训")

    total = rates.totals(reports, at=AT)
    assert (total.expected, total.submitted, total.on_time, total.exempt) == (3, 2, 1, 1)
    assert total.submission_rate == Decimal("66.7")
    assert total.on_time_rate == Decimal("33.3")
    assert (total.missing, total.late) == (1, 1)

    per_unit = rates.by_unit(reports, at=AT)
    assert per_unit[setting.unit.pk].submission_rate == 100
    assert per_unit[setting.unit.pk].on_time_rate == 50
    assert per_unit[setting.other_unit.pk].expected == 1
    assert per_unit[setting.other_unit.pk].submission_rate == 0


def test_a_period_not_yet_due_is_not_expected_and_nothing_exceeds_100_percent(setting):
    reports = Report.objects.filter(period__rule=setting.rule)
    before = local(2026, 1, 5, 9, 0)  # nothing due yet
    send(Report.objects.get(unit=setting.unit, period__number=1), setting.liaison, before)
    total = rates.totals(reports, at=before)
    assert total.expected == 0
    assert total.submission_rate is None, "no rate rather than a made-up one"
    later = rates.by_unit(reports, at=local(2026, 3, 1, 9, 0))
    assert all(r.submission_rate is None or r.submission_rate <= 100 for r in later.values())


def test_an_extension_moves_what_is_expected(setting):
    request = workflow.request_extension(
        report=setting.report, by=setting.liaison, at=local(2026, 1, 12, 9, 0), until=local(2026, 1, 16, 17, 30), reason="专项检查"
    )
    workflow.decide_extension(request=request, by=setting.office, at=local(2026, 1, 12, 10, 0), grant=True)
    mine = Report.objects.filter(unit=setting.unit)
    assert rates.totals(mine, at=AT).expected == 1, "period 2 is extended to Friday"


def test_rates_by_unit_take_one_query(setting, django_assert_num_queries):
    with django_assert_num_queries(1):
        rates.by_unit(Report.objects.filter(period__rule=setting.rule), at=AT)
