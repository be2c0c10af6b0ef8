"""The reports' tallies: the dashboard's rates and overdue counts kept as
reports change, never added up again from the campaign's history.

`ReportTally` holds, per (period, deadline after extension, unit id % 16),
how many reports stand where. The figures are exactly those of
`reports.rates`:

- expected(at) = SUM(reports) over the rows due by `at`, submitted(at) and
  on_time(at) the same; exempt, awaiting_review, returned and accepted over
  every row (`totals`, `by_period`);
- overdue(at) = SUM(owed) over the rows due before `at` (`overdue_count`).

Every write of a report moves its contribution: `Report.save()` (the report
keeps the tallied fields it was loaded with, see `Report.from_db`), the
queryset's `bulk_create` and `update()` (and so `bulk_update`), and deleting
a report (post_delete). The change runs in the write's transaction, rows
updated in key order. `rebuild()` recomputes every row from the reports
(`manage.py rebuild_tallies`).
"""

import datetime
from collections import Counter, defaultdict
from typing import NamedTuple

from django.db import connection, transaction
from django.db.models import Count, F, Q, Sum
from django.db.models.functions import Mod

from . import rates
from .models import TALLY_COUNTERS, Period, Report, ReportTally

TALLIED_FIELDS = frozenset({"status", "submitted_at", "due_at", "period", "period_id", "unit", "unit_id"})
_FIELDS = ("period_id", "unit_id", "due_at", "status", "submitted_at")


class State(NamedTuple):
    """A report's fields the tallies read."""

    period_id: int
    unit_id: int
    due_at: datetime.datetime
    status: str
    submitted_at: datetime.datetime | None


def loaded(report):
    """Whether every tallied field of `report` was loaded (not deferred)."""
    return all(name in report.__dict__ for name in _FIELDS)


def state(report, *, before=None, fields=None):
    """`report`'s tallied fields; with `fields` (a save's update_fields) only
    those are taken from the instance, the rest from `before`."""
    if fields is None or before is None:
        return State(*(getattr(report, name) for name in _FIELDS))
    names = {"period_id" if f == "period" else "unit_id" if f == "unit" else f for f in fields}
    return State(*(getattr(report, name) if name in names else getattr(before, name) for name in _FIELDS))


def states(reports):
    """{report id: State} of a queryset of reports (1 query)."""
    return {row[0]: State(*row[1:]) for row in reports.order_by().values_list("pk", *_FIELDS)}


def stored_state(report):
    """The tallied fields of `report` as the database holds them, or None."""
    return states(Report.objects.filter(pk=report.pk)).get(report.pk)


def key(report):
    """The tally row a report counts in: (period id, deadline, shard)."""
    return (report.period_id, report.due_at, report.unit_id % ReportTally.SHARDS)


def contribution(report):
    """What one report adds to its tally row, from its status, first
    submission and deadline (no query)."""
    status = report.status
    exempt = status == Report.Status.EXEMPT
    sent = not exempt and report.submitted_at is not None
    return {
        "reports": int(not exempt),
        "submitted": int(sent),
        "on_time": int(sent and report.submitted_at <= report.due_at),
        "exempt": int(exempt),
        "awaiting_review": int(status == Report.Status.SUBMITTED),
        "returned": int(status == Report.Status.RETURNED),
        "accepted": int(status == Report.Status.ACCEPTED),
        "owed": int(status in Report.OWED_STATUSES),
    }


def deltas(changes):
    """{key: Counter of counter deltas} for [(state before or None, state after or None)]."""
    result = defaultdict(Counter)
    for before, after in changes:
        if before == after:
            continue
        if before is not None:
            result[key(before)].subtract(contribution(before))
        if after is not None:
            result[key(after)].update(contribution(after))
    return {k: {name: n for name, n in v.items() if n} for k, v in result.items() if any(v.values())}


def apply(changes):
    """Add the deltas of [(state before, state after)] to the tally rows, in
    the caller's transaction, one UPDATE per row touched (rows missing are
    created first, concurrent creators ignoring each other's insert)."""
    changed = deltas(changes)
    if not changed:
        return
    with transaction.atomic(savepoint=False):
        missing = []
        for k in sorted(changed):
            if not _add(k, changed[k]):
                missing.append(k)
        if missing:
            _create(missing)
            for k in missing:
                if not _add(k, changed[k]):
                    raise RuntimeError(f"Tally row {k} could not be created.")


def _add(k, delta):
    period_id, due_at, shard = k
    return ReportTally.objects.filter(period_id=period_id, due_at=due_at, shard=shard).update(
        **{name: F(name) + n for name, n in delta.items()}
    )


def _create(keys):
    periods = dict(
        (pk, (rule_id, campaign_id))
        for pk, rule_id, campaign_id in Period.objects.filter(pk__in={k[0] for k in keys}).values_list(
            "pk", "rule_id", "rule__campaign_id"
        )
    )
    ReportTally.objects.bulk_create(
        [
            ReportTally(
                period_id=period_id,
                due_at=due_at,
                shard=shard,
                rule_id=periods[period_id][0],
                campaign_id=periods[period_id][1],
            )
            for period_id, due_at, shard in keys
        ],
        ignore_conflicts=True,
    )


def indicators_moved(changes, *, period=None):
    """Tell the indicator tallies (reports.indicator_tallies) of the reports
    that entered or left the sent states: `changes` is [(report id, before
    State or None, after State or None)]; `period`, the reports' Period
    when the caller holds it. A query or two per such report, none for the
    rest (a draft saved, a report accepted after submission)."""
    from . import indicator_tallies
    from .indicators import SENT

    for pk, before, after in changes:
        was_sent = before is not None and before.status in SENT
        is_sent = after is not None and after.status in SENT
        if was_sent != is_sent:
            current = after or before
            report = Report(pk=pk, period_id=current.period_id, unit_id=current.unit_id, status=current.status)
            if period is not None and period.pk == report.period_id:
                report.period = period
            indicator_tallies.report_moved(report, was_sent=was_sent, is_sent=is_sent)


def report_deleting(instance):
    """Before a report is deleted (Report's pre_delete), while its values are
    still there: a sent report's values leave the indicator tallies. Its
    values go with it, cascaded without signals, so after the delete there
    would be nothing left to subtract."""
    before = getattr(instance, "_tallied", None) or state(instance)
    indicators_moved([(instance.pk, before, None)])


def report_deleted(instance):
    """A deleted report (one, or a queryset's: Report's post_delete) no longer counts."""
    before = getattr(instance, "_tallied", None) or state(instance)
    apply([(before, None)])


# -- rebuilding -------------------------------------------------------------


def counts():
    """The counters of `ReportTally` as aggregates over reports: `contribution` in SQL."""
    exempt = Q(status=Report.Status.EXEMPT)
    return {
        "reports": Count("id", filter=~exempt),
        "submitted": Count("id", filter=~exempt & Q(submitted_at__isnull=False)),
        "on_time": Count("id", filter=~exempt & Q(submitted_at__lte=F("due_at"))),
        "exempt": Count("id", filter=exempt),
        "awaiting_review": Count("id", filter=Q(status=Report.Status.SUBMITTED)),
        "returned": Count("id", filter=Q(status=Report.Status.RETURNED)),
        "accepted": Count("id", filter=Q(status=Report.Status.ACCEPTED)),
        "owed": Count("id", filter=Q(status__in=Report.OWED_STATUSES)),
    }


def tally_rows(reports):
    """{key: {campaign_id, rule_id, counters}} grouped from a queryset of reports (1 query)."""
    rows = (
        reports.order_by()
        .annotate(tally_shard=Mod("unit_id", ReportTally.SHARDS))
        .values("period_id", "due_at", "tally_shard", "period__rule_id", "period__rule__campaign_id")
        .annotate(**counts())
    )
    result = {}
    for row in rows:
        k = (row.pop("period_id"), row.pop("due_at"), int(row.pop("tally_shard")))
        row["rule_id"], row["campaign_id"] = row.pop("period__rule_id"), row.pop("period__rule__campaign_id")
        result[k] = row
    return result


def lock_tables(*models):
    """Hold off every writer of these tables until the transaction ends, and
    wait for those already writing, so that what is added up next is exactly
    what the tallies must hold (PostgreSQL; SQLite writes one at a time). A
    rebuild runs in its own transaction: it is safe while reports move."""
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        for model in models:
            cursor.execute(f'LOCK TABLE "{model._meta.db_table}" IN SHARE ROW EXCLUSIVE MODE')


def rebuild(campaign=None):
    """Recompute the tally rows (of one campaign, or every one) from the
    reports: rows created, corrected and removed. Returns
    {"created": n, "updated": n, "deleted": n}."""
    reports = Report.objects.all()
    tallies = ReportTally.objects.all()
    if campaign is not None:
        reports = reports.filter(period__rule__campaign=campaign)
        tallies = tallies.filter(campaign=campaign)
    with transaction.atomic():
        # Writers first: a report saved after this reads its row again only
        # once the rebuild commits, and adds its change on top of it.
        lock_tables(ReportTally)
        wanted = tally_rows(reports)
        existing = {(t.period_id, t.due_at, t.shard): t for t in tallies}
        stale = [t.pk for k, t in existing.items() if k not in wanted]
        changed = []
        for k, t in existing.items():
            row = wanted.get(k)
            if row is not None and any(getattr(t, name) != row[name] for name in TALLY_COUNTERS):
                for name in TALLY_COUNTERS:
                    setattr(t, name, row[name])
                changed.append(t)
        new = [
            ReportTally(period_id=k[0], due_at=k[1], shard=k[2], **row) for k, row in sorted(wanted.items()) if k not in existing
        ]
        ReportTally.objects.filter(pk__in=stale).delete()
        ReportTally.objects.bulk_update(changed, TALLY_COUNTERS, batch_size=500)
        ReportTally.objects.bulk_create(new, batch_size=1000)
    return {"created": len(new), "updated": len(changed), "deleted": len(stale)}


# -- reading ----------------------------------------------------------------


def _sums(at):
    due = Q(due_at__lte=at)
    return {
        "expected": Sum("reports", filter=due, default=0),
        "submitted": Sum("submitted", filter=due, default=0),
        "on_time": Sum("on_time", filter=due, default=0),
        "exempt": Sum("exempt", default=0),
        "awaiting_review": Sum("awaiting_review", default=0),
        "returned": Sum("returned", default=0),
        "accepted": Sum("accepted", default=0),
    }


def summary(campaign, at):
    """(the campaign's rates.Rates, how many reports are overdue at `at`), 1 query."""
    row = ReportTally.objects.filter(campaign=campaign).aggregate(
        **_sums(at), overdue=Sum("owed", filter=Q(due_at__lt=at), default=0)
    )
    overdue = row.pop("overdue")
    return rates.Rates(**row), overdue


def totals(campaign, at):
    """rates.totals over the campaign's reports, from the tallies (1 query)."""
    return summary(campaign, at)[0]


def overdue_count(campaign, at):
    """How many of the campaign's reports are still owed past their deadline (1 query)."""
    return summary(campaign, at)[1]


def by_period(period_ids, at):
    """rates.by_period over these periods' reports, from the tallies (1 query):
    {period id: Rates}, periods with no report left out."""
    sums = _sums(at)
    rows = (
        ReportTally.objects.filter(period__in=period_ids)
        .order_by()
        .values("period")
        # Prefixed: the counters' names are the table's columns.
        .annotate(all_reports=Sum(F("reports") + F("exempt")), **{f"sum_{name}": s for name, s in sums.items()})
    )
    return {
        row["period"]: rates.Rates(**{name: row[f"sum_{name}"] for name in sums}) for row in rows if row["all_reports"]
    }
