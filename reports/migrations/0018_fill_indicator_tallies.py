"""Fill the indicator tallies of an existing database (reports.indicator_tallies.rebuild
as it was written, copied: a migration is history frozen at the time it was written)."""

from django.db import migrations
from django.db.models import Count, Max, Sum

SENT = ["submitted", "accepted"]


def fill(apps, schema_editor):
    IndicatorTally = apps.get_model("reports", "IndicatorTally")
    IndicatorValue = apps.get_model("reports", "IndicatorValue")
    values = IndicatorValue.objects.filter(report__status__in=SENT)
    IndicatorTally.objects.all().delete()
    rows = [
        IndicatorTally(indicator_id=indicator_id, period_id=period_id, total=total, count=count, maximum=maximum)
        for indicator_id, period_id, total, count, maximum in values.order_by()
        .values_list("indicator_id", "report__period_id")
        .annotate(total=Sum("value"), count=Count("id"), maximum=Max("value"))
    ]
    # Each unit's latest value: by its period's end, then due time, then the later report.
    latest = {}
    for indicator_id, unit_id, ends_on, due_at, report_id, value in (
        values.order_by()
        .values_list(
            "indicator_id", "report__unit_id", "report__period__ends_on", "report__period__due_at", "report_id", "value"
        )
        .iterator(chunk_size=2000)
    ):
        pair, key = (indicator_id, unit_id), (ends_on, due_at, report_id)
        if pair not in latest or key > latest[pair][0]:
            latest[pair] = (key, value)
    rows += [
        IndicatorTally(indicator_id=indicator_id, unit_id=unit_id, latest=value, latest_ends_on=key[0])
        for (indicator_id, unit_id), (key, value) in latest.items()
    ]
    IndicatorTally.objects.bulk_create(rows, batch_size=2000)


class Migration(migrations.Migration):
    dependencies = [("reports", "0017_indicator_tally")]

    operations = [migrations.RunPython(fill, migrations.RunPython.noop)]
