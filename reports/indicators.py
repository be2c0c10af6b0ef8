"""The one definition of an indicator's figure over a window of periods, read
by the dashboard, the workbook (指标汇总) and the documents that add
indicators up (the year-end report through the workbook's figures).

Which values count: those of reports the office has received, SUBMITTED or
ACCEPTED (`SENT`). A draft, a report awaiting the unit head and a returned
report are the unit's working copy; an exempted one has no figures.

Each indicator is counted from one reporting rule. An indicator asked for by
two rules (a weekly report and a monthly one, or a report also answering
another rule's through 同时作为……报送) would otherwise be counted twice for
the same days: its values count only under its counting rule, the rule of
the shortest cadence among those that ask for it (每周 before 每月 before
每季度 …, the earlier rule on a tie; `counting_rules`). An indicator no rule
asks for any more counts under every rule it has values under.

Over a window (the periods overlapping its dates), by `Indicator.aggregation`:
- 求和 (SUM): the sum of the counted values;
- 平均值 (AVERAGE): their mean (sum / count);
- 最大值 (MAX): the largest;
- 最新值 (LATEST, a figure that accumulates): each unit's latest sent value
  in the window (latest by its period's end, then by due time, then the later
  report), under whichever rule it came (one value per unit cannot double
  count), summed over the units; averaged instead when the indicator is a
  share (`Indicator.is_share`: three units at 95 % are at 95 %, not 285 %).
A unit's own figure is the same with that unit alone.

The dashboard's figures over every unit are read from the running tallies
(`reports.models.IndicatorTally`, kept by `reports.indicator_tallies`), so
their cost does not grow with the campaign's history; a scope of units adds
the values up.
"""

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Max, Q, Sum

from tasks.models import Indicator

from . import drafting
from .models import IndicatorTally, IndicatorValue, Period, Report, ReportingRule

SENT = (Report.Status.SUBMITTED, Report.Status.ACCEPTED)

Cadence = ReportingRule.Cadence
# Shorter cadences first (those a longer report is drafted from, then the
# others): the counting rule is the first that asks.
CADENCE_ORDER = [*drafting.CADENCE_ORDER, Cadence.PHASE_END, Cadence.CAMPAIGN_END, Cadence.ONCE]
RANK = {cadence: rank for rank, cadence in enumerate(CADENCE_ORDER)}


def counting_rules(indicator_ids):
    """{indicator id: the id of the rule its values count under} (1 query);
    an indicator no rule asks for is missing (all its values count)."""
    chosen = {}
    rows = ReportingRule.indicators.through.objects.filter(indicator_id__in=indicator_ids).values_list(
        "indicator_id", "reportingrule_id", "reportingrule__cadence"
    )
    for indicator_id, rule_id, cadence in rows:
        key = (RANK.get(cadence, len(RANK)), rule_id)
        if indicator_id not in chosen or key < chosen[indicator_id]:
            chosen[indicator_id] = key
    return {indicator_id: rule_id for indicator_id, (_, rule_id) in chosen.items()}


def counted(rules, *, rule_path):
    """A Q keeping the rows of each indicator's counting rule, `rule_path`
    naming the row's rule id (e.g. "report__period__rule_id")."""
    by_rule = {}
    for indicator_id, rule_id in rules.items():
        by_rule.setdefault(rule_id, []).append(indicator_id)
    keep = ~Q(indicator_id__in=list(rules))
    for rule_id, indicator_ids in by_rule.items():
        keep |= Q(indicator_id__in=indicator_ids, **{rule_path: rule_id})
    return keep


def combine_latest(indicator, values):
    """The units' latest values as one figure: their sum, their mean for a
    share; None without any."""
    values = [value for value in values if value is not None]
    if not values:
        return None
    total = sum(values, Decimal(0))
    return total / len(values) if indicator.is_share else total


def figure(indicator, *, total, count, maximum, latest):
    """The indicator's figure from the counted values' total, count and
    maximum and, for 最新值, `latest` (already combined over the units)."""
    aggregation = indicator.aggregation
    if aggregation == Indicator.Aggregation.LATEST:
        return latest
    if not count:
        return None
    if aggregation == Indicator.Aggregation.SUM:
        return Decimal(total)
    if aggregation == Indicator.Aggregation.AVERAGE:
        return Decimal(total) / count
    return maximum


def latest_key(ends_on, due_at, report_id):
    """The order in which a unit's values replace each other as its latest."""
    return (ends_on, due_at, report_id)


def latest_rows(values):
    """{(indicator id, unit id): (latest_key, value)}: each unit's latest
    value among `values` (an IndicatorValue queryset), in two grouped queries
    rather than a window function, which SQLite sorts slowly over half a
    million rows."""
    last = {
        (indicator_id, unit_id): ends_on
        for indicator_id, unit_id, ends_on in values.order_by()
        .values_list("indicator_id", "report__unit_id")
        .annotate(ends_on=Max("report__period__ends_on"))
    }
    if not last:
        return {}
    found = {}
    rows = values.filter(report__period__ends_on__in=set(last.values())).values_list(
        "indicator_id", "report__unit_id", "report__period__ends_on", "report__period__due_at", "report_id", "value"
    )
    for indicator_id, unit_id, ends_on, due_at, report_id, value in rows.iterator(chunk_size=2000):
        pair = (indicator_id, unit_id)
        key = latest_key(ends_on, due_at, report_id)
        if last.get(pair) == ends_on and (pair not in found or key > found[pair][0]):
            found[pair] = (key, value)
    return found


def latest_by_unit(values):
    """{(indicator id, unit id): value}: each unit's latest value among `values`."""
    return {pair: value for pair, (_key, value) in latest_rows(values).items()}


@dataclass
class Figure:
    """An indicator's figure over every unit of `values`, and each unit's."""

    value: Decimal = None
    count: int = 0
    units: dict = field(default_factory=dict)  # unit id -> (value, count)


def figures(values):
    """{indicator id: Figure} over `values`, an IndicatorValue queryset of
    sent reports (the caller's window and units), by the definition above (5
    queries)."""
    indicators = {
        indicator.pk: indicator
        for indicator in Indicator.objects.filter(pk__in=values.values("indicator_id")).only(
            "aggregation", "name", "measure_unit"
        )
    }
    if not indicators:
        return {}
    rules = counting_rules(list(indicators))
    per_unit = {}
    rows = (
        values.filter(counted(rules, rule_path="report__period__rule_id"))
        .order_by()
        .values_list("indicator_id", "report__unit_id")
        .annotate(total=Sum("value"), count=Count("id"), maximum=Max("value"))
    )
    for indicator_id, unit_id, total, count, maximum in rows:
        per_unit[(indicator_id, unit_id)] = (total, count, maximum)
    latest_ids = [pk for pk, i in indicators.items() if i.aggregation == Indicator.Aggregation.LATEST]
    latest = latest_by_unit(values.filter(indicator_id__in=latest_ids)) if latest_ids else {}
    result = {}
    for pair in sorted(set(per_unit) | set(latest), key=lambda pair: pair):
        indicator_id, unit_id = pair
        indicator = indicators[indicator_id]
        total, count, maximum = per_unit.get(pair, (Decimal(0), 0, None))
        value = figure(indicator, total=total, count=count, maximum=maximum, latest=latest.get(pair))
        result.setdefault(indicator_id, Figure()).units[unit_id] = (value, count)
    for indicator_id, found in result.items():
        indicator = indicators[indicator_id]
        parts = [per_unit[(indicator_id, unit_id)] for unit_id in found.units if (indicator_id, unit_id) in per_unit]
        total = sum((t for t, _, _ in parts), Decimal(0))
        count = sum(c for _, c, _ in parts)
        maxima = [m for _, _, m in parts if m is not None]
        found.count = count
        found.value = figure(
            indicator,
            total=total,
            count=count,
            maximum=max(maxima) if maxima else None,
            latest=combine_latest(indicator, [v for (i, _), v in latest.items() if i == indicator_id]),
        )
    return result


# The dashboard's read.


def window_periods(*, campaign, window):
    """The campaign's periods overlapping the window (start, end), either
    end open when None, as a queryset."""
    start, end = window
    periods = Period.objects.filter(rule__campaign=campaign)
    if start:
        periods = periods.filter(ends_on__gte=start)
    if end:
        periods = periods.filter(starts_on__lte=end)
    return periods


def indicator_figures(*, campaign, unit_ids, window, at=None):
    """({indicator id: {"total", "average", "maximum", "count"}}, {indicator
    id: the 最新值 figure}) over the sent reports of the periods overlapping
    `window` (start, end), of the units `unit_ids` or of every unit (None),
    by the definition above. Every unit: from the tallies (4 queries; rows
    read: indicators × periods in the window, and indicators × units for
    最新值), unless a unit's latest tally lies after the window's end (then its
    values are read). A scope of units: from the values (about 6 queries).
    `at` is the moment the dashboard is drawn; the window already bounds it."""
    indicators = {
        indicator.pk: indicator
        for indicator in Indicator.objects.filter(campaign=campaign).only("aggregation", "name", "measure_unit")
    }
    if not indicators:
        return {}, {}
    rules = counting_rules(list(indicators))
    latest_ids = [pk for pk, i in indicators.items() if i.aggregation == Indicator.Aggregation.LATEST]
    values = None
    if unit_ids is None:
        rows = tally_sums(campaign=campaign, window=window, rules=rules)
        latest = tally_latest(window=window, indicator_ids=latest_ids) if latest_ids else {}
    else:
        values = window_values(campaign=campaign, unit_ids=unit_ids, window=window)
        rows = list(
            values.filter(counted(rules, rule_path="report__period__rule_id"))
            .order_by()
            .values_list("indicator_id")
            .annotate(total=Sum("value"), count=Count("id"), maximum=Max("value"))
        )
        latest = None if latest_ids else {}
    if latest is None:
        if values is None:
            values = window_values(campaign=campaign, unit_ids=unit_ids, window=window)
        latest = latest_by_unit(values.filter(indicator_id__in=latest_ids))
    result = {}
    for indicator_id, total, count, maximum in rows:
        if count:
            result[indicator_id] = {
                "total": total,
                "average": Decimal(total) / count,
                "maximum": maximum,
                "count": count,
            }
    combined = {}
    for (indicator_id, _unit_id), value in latest.items():
        combined.setdefault(indicator_id, []).append(value)
    return result, {
        indicator_id: combine_latest(indicators[indicator_id], found) for indicator_id, found in combined.items()
    }


def tally_sums(*, campaign, window, rules):
    start, end = window
    tallies = IndicatorTally.objects.filter(indicator__campaign=campaign, period__isnull=False, count__gt=0)
    if start:
        tallies = tallies.filter(period__ends_on__gte=start)
    if end:
        tallies = tallies.filter(period__starts_on__lte=end)
    return list(
        tallies.filter(counted(rules, rule_path="period__rule_id"))
        .order_by()
        .values_list("indicator_id")
        .annotate(total=Sum("total"), count=Sum("count"), maximum=Max("maximum"))
    )


def tally_latest(*, window, indicator_ids):
    """{(indicator id, unit id): value} from the units' latest tallies, or
    None when one of them lies after the window's end (its latest in the
    window is then an earlier value, which only the values hold)."""
    start, end = window
    tallies = IndicatorTally.objects.filter(
        indicator_id__in=indicator_ids, unit__isnull=False, latest__isnull=False
    )
    if start:
        tallies = tallies.filter(latest_ends_on__gte=start)
    found = {}
    for indicator_id, unit_id, value, ends_on in tallies.values_list(
        "indicator_id", "unit_id", "latest", "latest_ends_on"
    ):
        if end and ends_on > end:
            return None
        found[(indicator_id, unit_id)] = value
    return found


def window_values(*, campaign, unit_ids, window):
    """The sent values of the window's periods (found by index, 1 query),
    rather than a filter over every value the campaign ever had."""
    values = IndicatorValue.objects.filter(
        report__period__in=list(window_periods(campaign=campaign, window=window).values_list("pk", flat=True)),
        report__status__in=SENT,
    )
    if unit_ids is not None:
        values = values.filter(report__unit__in=unit_ids)
    return values
