"""The one definition of an indicator's figure (reports.indicators) and its
running tallies (reports.indicator_tallies), checked against figures counted
by hand: two units, a weekly and a monthly rule asking for the same
indicators, each aggregation, and a share."""

import datetime
import importlib
import random
import threading
import time
from decimal import Decimal

import pytest
from django.apps import apps as django_apps
from django.db import connection, transaction
from django.utils import timezone

from campaigns.tests.factories import CampaignFactory, UnitFactory
from reports import indicator_tallies, indicators
from reports.models import Attachment, IndicatorTally, IndicatorValue, Period, Report, ReportingRule, ReportVersion
from reports.tests.factories import ReportingRuleFactory
from reports.workbook import indicator_figures as workbook_figures
from tasks.models import Indicator
from tasks.tests.factories import IndicatorFactory

pytestmark = pytest.mark.django_db

Status = Report.Status
Aggregation = Indicator.Aggregation


def day(month, dom):
    return datetime.date(2026, month, dom)


def period(rule, number, starts_on, ends_on):
    due_at = timezone.make_aware(datetime.datetime.combine(ends_on, datetime.time(17, 30)))
    return Period.objects.create(
        rule=rule, number=number, label=f"第{number}期", starts_on=starts_on, ends_on=ends_on, due_at=due_at
    )


class Ledger:
    """A weekly rule (five weeks from 1 January) and a monthly rule (January)
    asking for the same five indicators, one of each aggregation and a share;
    two units. Every indicator gets the same value in a report, so one table
    says them all:

    | unit | w1 | w2 | w3           | w4        | w5 (1/28–2/3) | m1 (January)    |
    | A    | 1  | 2  | 3            | 4 (draft) | 12            | 10 (accepted)   |
    | B    | 5  | 0  | 7 (returned) | –         | –             | 8 (submitted)   |

    The monthly report repeats the weeks (报一次，用多次): it must not be
    counted again for SUM, AVERAGE and MAX; for 最新值 a unit's latest value
    counts once, whichever rule it came under."""

    def __init__(self):
        self.campaign = CampaignFactory(starts_on=day(1, 1))
        self.a, self.b = UnitFactory(name="甲单位"), UnitFactory(name="乙单位")
        make = lambda name, aggregation, measure="件": IndicatorFactory(  # noqa: E731
            campaign=self.campaign, name=name, aggregation=aggregation, measure_unit=measure
        )
        self.sum = make("开展宣传活动", Aggregation.SUM)
        self.avg = make("平均参与人数", Aggregation.AVERAGE)
        self.max = make("单次最多受理", Aggregation.MAX)
        self.latest = make("累计办结案件", Aggregation.LATEST)
        self.share = make("持证执法率", Aggregation.LATEST, "%")
        self.all = [self.sum, self.avg, self.max, self.latest, self.share]
        # Created first, so a tie on the rule's pk could not hide the cadence.
        self.monthly = ReportingRuleFactory(campaign=self.campaign, cadence=ReportingRule.Cadence.MONTHLY, weekday=None, day_of_month=31)
        self.weekly = ReportingRuleFactory(campaign=self.campaign)
        for rule in (self.monthly, self.weekly):
            rule.indicators.add(*self.all)
        starts = [day(1, 1), day(1, 7), day(1, 14), day(1, 21), day(1, 28)]
        self.weeks = [
            period(self.weekly, n, start, start + datetime.timedelta(days=6 if n > 1 else 5))
            for n, start in enumerate(starts, 1)
        ]
        self.month = period(self.monthly, 1, day(1, 1), day(1, 31))
        self.reports = []
        table = [
            (self.a, self.weeks[0], Status.ACCEPTED, 1),
            (self.a, self.weeks[1], Status.SUBMITTED, 2),
            (self.a, self.weeks[2], Status.ACCEPTED, 3),
            (self.a, self.weeks[3], Status.DRAFT, 4),
            (self.a, self.weeks[4], Status.SUBMITTED, 12),
            (self.a, self.month, Status.ACCEPTED, 10),
            (self.b, self.weeks[0], Status.ACCEPTED, 5),
            (self.b, self.weeks[1], Status.ACCEPTED, 0),
            (self.b, self.weeks[2], Status.RETURNED, 7),
            (self.b, self.month, Status.SUBMITTED, 8),
        ]
        for unit, p, status, value in table:
            report = Report.objects.create(
                period=p, unit=unit, due_at=p.due_at, status=Status.DRAFT
            )
            for indicator in self.all:
                IndicatorValue.objects.create(report=report, indicator=indicator, value=value)
            self.reports.append((report, status))

    def send(self):
        """Move every report to its status as the workflow would, the tallies following."""
        for report, status in self.reports:
            move(report, status)


def move(report, status):
    """The Report.save() hook (reports/tallies.py) moves the indicator tallies."""
    report.status = status
    report.submitted_at = None if status == Status.DRAFT else report.due_at
    report.save()


@pytest.fixture
def ledger():
    return Ledger()


# By hand, the whole year (w1–w5; the month not counted again):
# SUM 1+2+3+12 (A) + 5+0 (B) = 23 over 6 values; AVERAGE 23/6; MAX 12;
# 最新值 A's w5 12 (ends 2/3, after the month) + B's month 8 = 20; the share (12+8)/2 = 10.
YEAR = (day(1, 1), None)
YEAR_FIGURES = {"sum": Decimal(23), "avg": Decimal(23) / 6, "max": Decimal(12), "latest": Decimal(20), "share": Decimal(10)}
# Up to 27 January (w1–w4 and the month, which overlaps it): SUM 1+2+3+5+0 = 11
# over 5; AVERAGE 2.2; MAX 5; 最新值 A's month 10 + B's month 8 = 18; the share 9.
JANUARY = (day(1, 1), day(1, 27))
JANUARY_FIGURES = {"sum": Decimal(11), "avg": Decimal("2.2"), "max": Decimal(5), "latest": Decimal(18), "share": Decimal(9)}


def dashboard_values(ledger, figures, latest):
    from dashboards.selectors.figures import indicator_totals

    totals = {t.indicator.pk: t.value for t in indicator_totals(campaign=ledger.campaign, figures=figures, latest=latest)}
    return {name: totals[getattr(ledger, name).pk] for name in ("sum", "avg", "max", "latest", "share")}


def q(value):
    return Decimal(value).quantize(Decimal("0.01"))


@pytest.mark.parametrize("window, expected", [(YEAR, YEAR_FIGURES), (JANUARY, JANUARY_FIGURES)])
def test_the_dashboard_reads_the_figures_counted_by_hand_from_the_tallies(
    ledger, window, expected, django_assert_max_num_queries
):
    ledger.send()
    with django_assert_max_num_queries(4 if window[1] is None else 7):
        figures, latest = indicators.indicator_figures(campaign=ledger.campaign, unit_ids=None, window=window)
    assert dashboard_values(ledger, figures, latest) == {name: q(value) for name, value in expected.items()}
    assert figures[ledger.sum.pk]["count"] == (6 if window[1] is None else 5)


def test_the_year_from_the_tallies_costs_four_queries(ledger, django_assert_num_queries):
    ledger.send()
    with django_assert_num_queries(4):
        indicators.indicator_figures(campaign=ledger.campaign, unit_ids=None, window=YEAR)


@pytest.mark.parametrize("window, expected", [(YEAR, YEAR_FIGURES), (JANUARY, JANUARY_FIGURES)])
def test_a_scope_of_units_adds_the_values_up_by_the_same_definition(ledger, window, expected, django_assert_max_num_queries):
    ledger.send()
    IndicatorTally.objects.all().delete()  # the scoped read never uses them
    with django_assert_max_num_queries(6):
        figures, latest = indicators.indicator_figures(
            campaign=ledger.campaign, unit_ids=[ledger.a.pk, ledger.b.pk], window=window
        )
    assert dashboard_values(ledger, figures, latest) == {name: q(value) for name, value in expected.items()}
    # A alone, the whole year: 1+2+3+12 = 18 over 4; its latest 12, the share too.
    figures, latest = indicators.indicator_figures(campaign=ledger.campaign, unit_ids=[ledger.a.pk], window=YEAR)
    assert dashboard_values(ledger, figures, latest) == {
        "sum": q(18), "avg": q(Decimal("4.5")), "max": q(12), "latest": q(12), "share": q(12)
    }


def test_the_workbook_and_the_documents_count_the_same(ledger, django_assert_max_num_queries):
    ledger.send()
    values = IndicatorValue.objects.filter(report__period__rule__campaign=ledger.campaign, report__status__in=indicators.SENT)
    with django_assert_max_num_queries(5):
        found = workbook_figures(values)
    assert {name: found[getattr(ledger, name).pk][0] for name in YEAR_FIGURES} == {
        "sum": (23.0, 6), "avg": (3.83, 6), "max": (12.0, 6), "latest": (20.0, 6), "share": (10.0, 6)
    }
    a, b = ledger.a.pk, ledger.b.pk
    # Each unit's own: A 1+2+3+12 over 4 (mean 4.5, max 12, latest 12); B 5+0 over 2 (latest: its month, 8).
    assert found[ledger.sum.pk][1] == {a: (18.0, 4), b: (5.0, 2)}
    assert found[ledger.avg.pk][1] == {a: (4.5, 4), b: (2.5, 2)}
    assert found[ledger.max.pk][1] == {a: (12.0, 4), b: (5.0, 2)}
    assert found[ledger.latest.pk][1] == {a: (12.0, 4), b: (8.0, 2)}


def test_an_indicator_asked_by_one_rule_only_counts_every_value_once(ledger):
    """Without the weekly rule asking, the monthly figures are the ones counted."""
    ledger.send()
    ledger.weekly.indicators.remove(ledger.sum)
    figures, _ = indicators.indicator_figures(campaign=ledger.campaign, unit_ids=None, window=YEAR)
    assert (figures[ledger.sum.pk]["total"], figures[ledger.sum.pk]["count"]) == (Decimal(18), 2)


def test_incremental_tallies_equal_a_rebuild_and_the_data_migration(ledger):
    ledger.send()
    kept = snapshot()
    assert kept and indicator_tallies.rebuild(campaign=ledger.campaign) > 0
    assert snapshot() == kept
    importlib.import_module("reports.migrations.0018_fill_indicator_tallies").fill(django_apps, None)
    assert snapshot() == kept


def test_a_deleted_sent_report_takes_its_values_out_of_the_tallies(ledger):
    """The admin deletes a sent report (and a queryset of them): its values
    leave the running tallies as a rebuild would leave them out."""
    ledger.send()
    sent = list(Report.objects.filter(status__in=(Status.SUBMITTED, Status.ACCEPTED), indicator_values__isnull=False).distinct())
    assert len(sent) >= 2
    for model in (ReportVersion, Attachment):
        model.objects.filter(report__in=sent).delete()
    sent[0].delete()
    Report.objects.filter(pk=sent[1].pk).delete()
    incremental = snapshot()
    indicator_tallies.rebuild(campaign=ledger.campaign)
    assert snapshot() == incremental


def snapshot():
    """The tallies that hold something (a key whose values all left keeps an empty row)."""
    rows = {}
    for t in IndicatorTally.objects.all():
        if t.period_id is not None and t.count:
            rows[("period", t.indicator_id, t.period_id)] = (t.total, t.count, t.maximum)
        elif t.unit_id is not None and t.latest is not None:
            rows[("unit", t.indicator_id, t.unit_id)] = (t.latest, t.latest_ends_on)
    return rows


@pytest.mark.parametrize("seed", [19, 2026])
def test_random_moves_keep_the_tallies_equal_to_a_rebuild(seed):
    """Reports entering and leaving the sent states in a seeded random order:
    after each few moves the running tallies are what a rebuild adds up.
    Ties on purpose: a monthly period ending with the last week, equal values."""
    rng = random.Random(seed)
    campaign = CampaignFactory(starts_on=day(1, 1))
    units = [UnitFactory() for _ in range(3)]
    inds = [
        IndicatorFactory(campaign=campaign, aggregation=aggregation)
        for aggregation in (Aggregation.SUM, Aggregation.MAX, Aggregation.LATEST)
    ]
    weekly = ReportingRuleFactory(campaign=campaign)
    monthly = ReportingRuleFactory(campaign=campaign, cadence=ReportingRule.Cadence.MONTHLY, weekday=None, day_of_month=27)
    periods = [period(weekly, n, day(1, 1) + datetime.timedelta(days=7 * (n - 1)), day(1, 7 * n)) for n in range(1, 5)]
    periods.append(period(monthly, 1, day(1, 1), day(1, 28)))
    reports = []
    for unit in units:
        for p in periods:
            report = Report.objects.create(period=p, unit=unit, due_at=p.due_at, status=Status.DRAFT)
            for indicator in rng.sample(inds, rng.randint(1, len(inds))):
                IndicatorValue.objects.create(report=report, indicator=indicator, value=rng.choice([0, 1, 2, 2, 5, 9]))
            reports.append(report)
    statuses = [Status.DRAFT, Status.SUBMITTED, Status.ACCEPTED, Status.RETURNED, Status.PENDING_SIGN_OFF]
    for step in range(1, 121):
        move(rng.choice(reports), rng.choice(statuses))
        if step % 15 == 0:
            incremental = snapshot()
            indicator_tallies.rebuild(campaign=campaign)
            assert snapshot() == incremental, f"step {step}"


@pytest.mark.django_db(transaction=True)
def test_two_units_sent_at_once_are_both_counted(monkeypatch):
    """Two reports of one period sent in two threads touch the same tally
    row: the lock serialises them (PostgreSQL), no sum is lost."""
    ledger = Ledger()
    first = Report.objects.get(period=ledger.weeks[3], unit=ledger.a)  # A's draft of 4
    second = Report.objects.create(period=ledger.weeks[3], unit=ledger.b, due_at=ledger.weeks[3].due_at, status=Status.DRAFT)
    for indicator in ledger.all:
        IndicatorValue.objects.create(report=second, indicator=indicator, value=6)
    ledger.send()
    # The rows already there, so that only their lock (not the insert) keeps the writers apart.
    IndicatorTally.objects.bulk_create([IndicatorTally(indicator=i, period=ledger.weeks[3]) for i in ledger.all])
    # Each writer lingers after reading its rows: without the lock both would add to the same old sum.
    key = indicator_tallies.latest_key
    monkeypatch.setattr(indicator_tallies, "latest_key", lambda *args: time.sleep(0.3) or key(*args))
    barrier = threading.Barrier(2)
    errors = []

    def send(report):
        try:
            barrier.wait()
            with transaction.atomic():
                move(report, Status.SUBMITTED)
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=send, args=(report,)) for report in (first, second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    # SQLite's shared test database may refuse the second writer outright;
    # what must never happen is a sent report missing from its tally.
    assert all("locked" in str(error) for error in errors), errors
    incremental = snapshot()
    indicator_tallies.rebuild(campaign=ledger.campaign)
    assert snapshot() == incremental
    if not errors:
        tally = IndicatorTally.objects.get(indicator=ledger.sum, period=ledger.weeks[3])
        assert (tally.total, tally.count, tally.maximum) == (Decimal(10), 2, Decimal(6))
