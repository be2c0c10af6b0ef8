"""Rectification rates per unit and campaign, and the workbook's ledger rows,
checked against figures worked out here from the items themselves."""

import datetime
import random

import pytest

from campaigns.tests.factories import UnitFactory
from supervision import selectors, services
from supervision.models import Inspection, RectificationItem

from .conftest import NOW, local, record


def build_ledger(setting, *, seed=7, units=4, per_unit=5):
    """Items of several units, driven through random lives: left open, in
    progress, submitted, rejected, closed before or after their deadline."""
    rng = random.Random(seed)
    all_units = [setting.unit, setting.other_unit] + [UnitFactory() for _ in range(units - 2)]
    findings = [
        services.FindingInput(unit, f"问题{n}。", f"整改{n}。", datetime.date(2026, 1, 13) + datetime.timedelta(days=rng.randrange(0, 10)))
        for unit in all_units
        for n in range(per_unit)
    ]
    services.record_inspection(
        campaign=setting.campaign,
        by=setting.office,
        at=NOW,
        kind=Inspection.Kind.ON_SITE,
        inspected_on=NOW.date(),
        inspectors="樊丽娜",
        units=[(unit, None) for unit in all_units],
        findings=findings,
    )
    for item in RectificationItem.objects.all():
        fate = rng.choice(["open", "start", "submit", "reject", "close_early", "close_late"])
        if fate == "start":
            services.start_work(item=item, by=setting.liaison, at=NOW)
        if fate in ("submit", "reject", "close_early"):
            services.submit_response(item=item, by=setting.liaison, at=item.due_at - datetime.timedelta(hours=3), text="已整改。")
        if fate == "close_late":
            services.submit_response(item=item, by=setting.liaison, at=item.due_at + datetime.timedelta(days=1), text="已整改。")
        if fate == "reject":
            services.reject(item=item, by=setting.office, at=item.due_at - datetime.timedelta(hours=1), reason="不合格。")
        if fate in ("close_early", "close_late"):
            services.verify(item=item, by=setting.office, at=item.due_at + datetime.timedelta(days=2))
    return all_units


def expected_figures(items, at):
    total = len(items)
    closed = sum(1 for i in items if i.status == "closed")
    on_time = sum(1 for i in items if i.status == "closed" and i.submitted_at <= i.due_at)
    overdue = sum(1 for i in items if i.status != "closed" and i.due_at < at)
    return total, closed, on_time, overdue


@pytest.mark.parametrize("seed", [1, 7, 42])
def test_rates_per_unit_and_overall_equal_those_counted_from_the_items(setting, seed, django_assert_max_num_queries):
    units = build_ledger(setting, seed=seed)
    at = local(2026, 1, 19, 12, 0)
    items = list(RectificationItem.objects.all())

    with django_assert_max_num_queries(1):
        rates = selectors.rectification_rates(campaign=setting.campaign, at=at)

    for unit in units:
        row = rates.by_unit[unit.pk]
        mine = [i for i in items if i.unit_id == unit.pk]
        assert (row.total, row.closed, row.closed_on_time, row.overdue_open) == expected_figures(mine, at)
    overall = rates.overall
    total, closed, on_time, overdue = expected_figures(items, at)
    assert (overall.total, overall.closed, overall.closed_on_time, overall.overdue_open) == (total, closed, on_time, overdue)
    if closed + overdue:
        assert float(overall.rate) == pytest.approx(round(100 * closed / (closed + overdue), 1))
    assert sum(1 for i in items if i.closed_on_time) == on_time


def test_rates_for_some_units_only(setting):
    build_ledger(setting)
    at = local(2026, 1, 19, 12, 0)

    rates = selectors.rectification_rates(campaign=setting.campaign, unit_ids=[setting.unit.pk], at=at)

    mine = list(RectificationItem.objects.filter(unit=setting.unit))
    assert [row.unit_id for row in rates.units] == [setting.unit.pk]
    assert (rates.overall.total, rates.overall.closed, rates.overall.closed_on_time, rates.overall.overdue_open) == expected_figures(mine, at)


def test_a_campaign_without_items_has_no_rate(setting):
    rates = selectors.rectification_rates(campaign=setting.campaign, at=NOW)
    assert rates.units == [] and rates.overall.total == 0 and rates.overall.rate is None


def test_ledger_rows_carry_every_item_with_its_finding_and_inspection(setting, django_assert_max_num_queries):
    record(setting)
    item = RectificationItem.objects.order_by("deadline").first()
    services.submit_response(item=item, by=setting.liaison, at=NOW, text="已整改。")
    services.verify(item=item, by=setting.office, at=NOW)

    with django_assert_max_num_queries(1):
        rows = list(selectors.ledger_rows(campaign=setting.campaign))

    assert len(rows) == 2
    first = next(row for row in rows if row["id"] == item.pk)
    assert first["unit"] == "区卫生监督所"
    assert first["inspection_kind"] == "现场检查"
    assert first["finding"] == "执法文书填写不规范。"
    assert first["status_display"] == "已销号" and first["closed_on_time"]
    assert first["deadline"] == datetime.date(2026, 1, 16)
    assert list(selectors.ledger_rows(campaign=setting.campaign, start=datetime.date(2026, 1, 13))) == []
    assert len(list(selectors.ledger_rows(campaign=setting.campaign, end=datetime.date(2026, 1, 12)))) == 2
