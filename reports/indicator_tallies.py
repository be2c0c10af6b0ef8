"""The running tallies of indicator values (reports.models.IndicatorTally)
the dashboard reads its figures from (reports.indicators.indicator_figures).

A report's values count only while it is sent (SUBMITTED or ACCEPTED), and a
sent report's values do not change: the unit edits only a report not started,
a draft or a returned one (workflow.save_draft), and the admin shows reports
read-only. So the tallies move only when a report enters or leaves the sent
states: `report_moved`, called from Report.save() when its status crosses
that line (reports/tallies.py), in the move's transaction. `rebuild` adds
everything up again (a campaign's, or every campaign's).
"""

from django.db import transaction
from django.db.models import Count, Max, Q, Sum

from .indicators import SENT, latest_key, latest_rows
from .models import IndicatorTally, IndicatorValue, Period, Report


@transaction.atomic(savepoint=False)
def report_moved(report, *, was_sent, is_sent):
    """Add the report's values to the tallies when it became sent, subtract
    them when it stopped being sent. The touched rows are locked first
    (select_for_update), so concurrent moves serialise on PostgreSQL; the
    maximum and the latest value are read again for the touched keys only,
    when the move may have changed them. Whether the report's new status is
    already saved does not matter: its own values are taken from `is_sent`
    (4 queries once the rows exist, 6 for the first value of a period or a
    unit; 2 more when a maximum or a latest value is read again; 1 fewer when
    `report.period` is loaded). No savepoint: a failure undoes the caller's move."""
    if bool(was_sent) == bool(is_sent):
        return
    values = dict(IndicatorValue.objects.filter(report=report).values_list("indicator_id", "value"))
    if not values:
        return
    # The period the caller loaded with the report (Report.save()), else read.
    period = report.period if Report.period.is_cached(report) else Period.objects.only("ends_on", "due_at").get(pk=report.period_id)
    keys = sorted(values)
    touched = (
        IndicatorTally.objects.select_for_update()
        .filter(Q(period_id=period.pk) | Q(unit_id=report.unit_id), indicator_id__in=keys)
        .order_by("pk")
    )
    rows = list(touched)
    if len(rows) < 2 * len(keys):
        # The period's or the unit's first sent value of an indicator: its
        # rows are made (a concurrent move may make them too), then locked.
        IndicatorTally.objects.bulk_create(
            [IndicatorTally(indicator_id=i, period_id=period.pk) for i in keys]
            + [IndicatorTally(indicator_id=i, unit_id=report.unit_id) for i in keys],
            ignore_conflicts=True,
        )
        rows = list(touched.all())
    sign = 1 if is_sent else -1
    this_key = latest_key(period.ends_on, period.due_at, report.pk)
    again_max, again_latest = [], []
    for row in rows:
        value = values[row.indicator_id]
        if row.period_id is not None:
            row.total += sign * value
            row.count += sign
            if is_sent:
                row.maximum = value if row.maximum is None else max(row.maximum, value)
            elif row.count == 0:
                row.total, row.maximum = 0, None
            elif row.maximum is None or value >= row.maximum:
                again_max.append(row)
        elif is_sent and (row.latest_ends_on is None or period.ends_on > row.latest_ends_on):
            row.latest, row.latest_ends_on = value, period.ends_on
        elif row.latest_ends_on is not None and period.ends_on >= row.latest_ends_on:
            # A tie on the period's end, or this report's value was the latest.
            again_latest.append(row)
    others = IndicatorValue.objects.filter(report__status__in=SENT).exclude(report=report)
    if again_max:
        maxima = dict(
            others.filter(report__period=period.pk, indicator_id__in=[r.indicator_id for r in again_max])
            .order_by()
            .values_list("indicator_id")
            .annotate(Max("value"))
        )
        for row in again_max:
            row.maximum = maxima.get(row.indicator_id)
    if again_latest:
        found = latest_rows(
            others.filter(report__unit=report.unit_id, indicator_id__in=[r.indicator_id for r in again_latest])
        )
        for row in again_latest:
            key, value = found.get((row.indicator_id, report.unit_id), (None, None))
            if is_sent and (key is None or this_key > key):
                key, value = this_key, values[row.indicator_id]
            row.latest, row.latest_ends_on = value, None if key is None else key[0]
    IndicatorTally.objects.bulk_update(rows, ["total", "count", "maximum", "latest", "latest_ends_on"])


@transaction.atomic
def rebuild(campaign=None):
    """Add the tallies up again from the sent values: the campaign's, or
    every campaign's (None). Returns how many rows it wrote. Run it when no
    report is moving (a deployment, the nightly maintenance); it is safe
    while they move: writers wait for it (tallies.lock_tables)."""
    from .tallies import lock_tables

    lock_tables(IndicatorTally)
    tallies = IndicatorTally.objects.all()
    values = IndicatorValue.objects.filter(report__status__in=SENT)
    if campaign is not None:
        tallies = tallies.filter(indicator__campaign=campaign)
        values = values.filter(indicator__campaign=campaign)
    tallies.delete()
    rows = [
        IndicatorTally(indicator_id=indicator_id, period_id=period_id, total=total, count=count, maximum=maximum)
        for indicator_id, period_id, total, count, maximum in values.order_by()
        .values_list("indicator_id", "report__period_id")
        .annotate(total=Sum("value"), count=Count("id"), maximum=Max("value"))
    ]
    rows += [
        IndicatorTally(indicator_id=indicator_id, unit_id=unit_id, latest=value, latest_ends_on=key[0])
        for (indicator_id, unit_id), (key, value) in latest_rows(values).items()
    ]
    IndicatorTally.objects.bulk_create(rows, batch_size=2000)
    return len(rows)
