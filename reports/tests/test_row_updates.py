"""core.rows.RowUpdateQuerySet.bulk_update writes what Django's bulk_update
writes, in one statement on PostgreSQL and one executemany elsewhere, and
leaves the cases it does not cover to Django."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.db.models import F
from django.test.utils import CaptureQueriesContext

from reports.models import IndicatorTally, TaskProgress
from tasks.tests.factories import IndicatorFactory

pytestmark = pytest.mark.django_db


def tallies(setting):
    period = setting.report.period
    rows = [
        IndicatorTally(indicator=setting.indicator, period=period, total=Decimal("1.50"), count=1, maximum=Decimal("1.50")),
        IndicatorTally(indicator=setting.indicator, unit=setting.unit, latest=Decimal(3), latest_ends_on=period.ends_on),
        IndicatorTally(indicator=IndicatorFactory(campaign=setting.campaign), period=period),
    ]
    return IndicatorTally.objects.bulk_create(rows)


def test_it_writes_decimals_nulls_and_dates_as_django_does(setting):
    first, second, third = tallies(setting)
    first.total, first.count, first.maximum = Decimal("12.25"), 4, None
    second.latest, second.latest_ends_on = Decimal("-2.50"), datetime.date(2026, 2, 3)
    third.total = Decimal("0")

    with CaptureQueriesContext(connection) as queries:
        updated = IndicatorTally.objects.bulk_update(
            [first, second, third], ["total", "count", "maximum", "latest", "latest_ends_on"]
        )

    assert updated == 3
    assert len(queries) == 1
    if connection.vendor == "postgresql":
        assert queries[0]["sql"].startswith('UPDATE "reports_indicatortally" SET') and " FROM (VALUES " in queries[0]["sql"]
    else:
        assert queries[0]["sql"].startswith("3 times: UPDATE")
    rows = {row.pk: row for row in IndicatorTally.objects.all()}
    assert (rows[first.pk].total, rows[first.pk].count, rows[first.pk].maximum) == (Decimal("12.25"), 4, None)
    assert (rows[second.pk].latest, rows[second.pk].latest_ends_on) == (Decimal("-2.50"), datetime.date(2026, 2, 3))
    assert rows[second.pk].total == Decimal("0") and rows[third.pk].count == 0


def test_only_the_named_fields_change(setting):
    first, _, _ = tallies(setting)
    first.total, first.count = Decimal("99"), 99

    IndicatorTally.objects.bulk_update([first], ["count"])

    first.refresh_from_db()
    assert (first.total, first.count) == (Decimal("1.50"), 99)


def test_expressions_and_bad_calls_go_to_django(setting):
    progress = TaskProgress.objects.create(report=setting.report, task=setting.tasks[0], percent=10)
    progress.percent = F("percent") + 5

    TaskProgress.objects.bulk_update([progress], ["percent"])

    progress.refresh_from_db()
    assert progress.percent == 15
    with pytest.raises(ValueError, match="primary key"):
        TaskProgress.objects.bulk_update([TaskProgress(report=setting.report, task=setting.tasks[1])], ["percent"])
    with pytest.raises(ValueError):
        TaskProgress.objects.bulk_update([progress], ["id"])
    assert TaskProgress.objects.bulk_update([], ["percent"]) == 0


def test_texts_choices_and_a_row_alone_are_written_as_django_does(setting):
    progress = [
        TaskProgress.objects.create(report=setting.report, task=task, percent=10, note="起步。") for task in setting.tasks[:2]
    ]
    progress[0].status, progress[0].percent, progress[0].note = "completed", 100, "已完成，含“引号”与 'quotes' 和 %s。"
    progress[1].note = ""
    assert TaskProgress.objects.bulk_update(progress, ["status", "percent", "note"]) == 2
    rows = {row.pk: (row.status, row.percent, row.note) for row in TaskProgress.objects.all()}
    assert rows[progress[0].pk] == ("completed", 100, "已完成，含“引号”与 'quotes' 和 %s。")
    assert rows[progress[1].pk] == ("in_progress", 10, "")
    progress[1].percent = 35
    assert TaskProgress.objects.bulk_update([progress[1]], ["percent"]) == 1
    assert TaskProgress.objects.get(pk=progress[1].pk).percent == 35


def test_many_rows_go_in_statements_of_a_few_hundred(setting, monkeypatch):
    from core import rows

    monkeypatch.setattr(rows, "ROWS_PER_STATEMENT", 2)
    tallied = tallies(setting)
    for i, row in enumerate(tallied):
        row.count = 10 + i
    with CaptureQueriesContext(connection) as queries:
        assert IndicatorTally.objects.bulk_update(tallied, ["count"]) == 3
    assert len(queries) == (2 if connection.vendor == "postgresql" else 1)
    assert sorted(IndicatorTally.objects.values_list("count", flat=True)) == [10, 11, 12]
