import datetime
import io
import zoneinfo

import pytest
import time_machine
from django.core.management import call_command
from django.db.models import F, Q

from accounts.models import User
from calendars.models import WorkCalendar
from campaigns.models import Campaign, Membership, Unit
from demo.scale import STRUCTURAL_UNITS
from reports.models import IndicatorValue, Period, Report, ReportingRule, TaskProgress
from reports.services import generate_periods, period_due_at, rule_owing_units
from tasks.models import PATH_STEP, Indicator, Task

SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")
# A Thursday; the eight weeks before it include the 2026 Spring Festival,
# when the Tuesday deadline of 17 February moves to the next working day.
NOW = datetime.datetime(2026, 3, 12, 10, 0, tzinfo=SHANGHAI)
TODAY = NOW.date()
SIZE = dict(units=12, tasks=20, weeks=8, seed=7)


def seed(**options):
    out = io.StringIO()
    with time_machine.travel(NOW, tick=False):
        call_command("seed_scale", **{**SIZE, **options}, stdout=out)
    printed = {}
    for line in out.getvalue().splitlines():
        key, sep, value = line.partition(": ")
        if sep:
            printed[key] = float(value) if key == "seconds" else int(value)
    return printed


def reports_of(campaign):
    return Report.objects.filter(period__rule__campaign=campaign)


def database_counts(campaign):
    reports = reports_of(campaign)
    tasks = Task.objects.filter(campaign=campaign)
    co_units = Task.co_units.through.objects.filter(task__campaign=campaign)
    unit_ids = set(tasks.values_list("lead_unit", flat=True)) | set(co_units.values_list("unit", flat=True))
    counts = {
        "campaign_id": campaign.pk,
        "units": len(unit_ids),
        "tasks": tasks.count(),
        "assignments": tasks.filter(lead_unit__isnull=False).count() + co_units.count(),
        "indicators": Indicator.objects.filter(campaign=campaign).count(),
        "rules": ReportingRule.objects.filter(campaign=campaign).count(),
        "periods": Period.objects.filter(rule__campaign=campaign).count(),
        "reports": reports.count(),
        "task_progress": TaskProgress.objects.filter(report__in=reports).count(),
        "indicator_values": IndicatorValue.objects.filter(report__in=reports).count(),
        "late": reports.late().count(),
    }
    counts.update({f"status.{status}": reports.filter(status=status).count() for status in Report.Status.values})
    return counts


@pytest.fixture
def seeded(db):
    printed = seed()
    return printed, Campaign.objects.get(pk=printed["campaign_id"])


def test_printed_counts_are_the_database_counts(seeded):
    printed, campaign = seeded
    assert {
        key: value for key, value in printed.items() if key not in ("units_created", "people", "seconds")
    } == database_counts(campaign)
    # One liaison for every reporting unit, and one office clerk.
    assert printed["people"] == User.objects.count() == SIZE["units"] + 1
    assert Membership.objects.filter(role="liaison").values("unit").distinct().count() == SIZE["units"]
    assert printed["units"] == SIZE["units"]
    assert printed["tasks"] == SIZE["tasks"]
    assert printed["units_created"] == Unit.objects.count() == SIZE["units"] + len(STRUCTURAL_UNITS)
    assert printed["seconds"] >= 0
    # About four co-units a task.
    assert 3 * SIZE["tasks"] <= printed["assignments"] - SIZE["tasks"] <= 5 * SIZE["tasks"]


def test_every_report_has_one_progress_row_per_task_its_unit_leads_or_supports(seeded):
    _, campaign = seeded
    tasks_of = {}
    for task in Task.objects.filter(campaign=campaign).prefetch_related("co_units"):
        for unit_id in [task.lead_unit_id, *(unit.pk for unit in task.co_units.all())]:
            tasks_of.setdefault(unit_id, set()).add(task.pk)
    reports = list(reports_of(campaign).values_list("pk", "unit_id"))
    expected = {(report, task) for report, unit in reports for task in tasks_of[unit]}
    actual = list(TaskProgress.objects.filter(report__period__rule__campaign=campaign).values_list("report", "task"))
    assert len(actual) == len(set(actual))
    assert set(actual) == expected


def test_periods_and_owing_units_are_what_the_project_would_generate(seeded):
    _, campaign = seeded
    weekly = campaign.reporting_rules.get(cadence=ReportingRule.Cadence.WEEKLY)
    monthly = campaign.reporting_rules.get(cadence=ReportingRule.Cadence.MONTHLY)
    assert (weekly.weekday, weekly.due_time) == (2, datetime.time(17, 30))
    assert monthly.owners == ReportingRule.Owners.LISTED and monthly.units.exists()

    periods = list(weekly.periods.order_by("starts_on"))
    assert len(periods) == SIZE["weeks"]
    assert periods[-1].starts_on <= TODAY <= periods[-1].ends_on  # the campaign is live today
    assert all(b.starts_on == a.ends_on + datetime.timedelta(days=1) for a, b in zip(periods, periods[1:]))
    assert campaign.status == Campaign.Status.ACTIVE and campaign.ends_on > TODAY

    calendar = WorkCalendar.between(campaign.starts_on, campaign.ends_on)
    for rule in (weekly, monthly):
        # Nothing is missing: the project's own generator finds no period to add.
        assert generate_periods(rule=rule, through=TODAY) == (0, 0)
        owing = set(rule_owing_units(rule=rule).values_list("pk", flat=True))
        for period in rule.periods.all():
            assert period.due_at == period_due_at(rule=rule, deadline=period.ends_on, work_calendar=calendar)
            reports = period.reports.all()
            assert set(reports.values_list("unit", flat=True)) == owing
            assert reports.count() == len(owing)
            assert not reports.exclude(due_at=period.due_at).exists()
    # The holiday moved one deadline (17 February 2026 -> 24 February).
    shifted = weekly.periods.get(ends_on=datetime.date(2026, 2, 17))
    assert shifted.due_at.astimezone(SHANGHAI).date() == datetime.date(2026, 2, 24)


def test_rows_keep_the_constraints_and_look_real(seeded):
    _, campaign = seeded
    reports = reports_of(campaign)
    for model, rows in [
        (Report, reports),
        (TaskProgress, TaskProgress.objects.filter(report__in=reports)),
        (IndicatorValue, IndicatorValue.objects.filter(report__in=reports)),
        (Task, Task.objects.filter(campaign=campaign)),
        (Unit, Unit.objects.all()),
    ]:
        assert rows.exists(), model
        for row in rows:
            row.validate_constraints()

    # Statuses: several states, and late reports with a reason.
    statuses = set(reports.values_list("status", flat=True))
    assert {"accepted", "submitted", "draft", "not_started"} <= statuses
    assert len(statuses) >= 5
    assert reports.late().exists()
    assert not reports.late().filter(late_reason="").exists()
    sent = reports.filter(status__in=["submitted", "returned", "accepted"])
    assert not sent.filter(submitted_at__isnull=True).exists()
    assert not reports.filter(submitted_at__gt=NOW).exists()
    assert not reports.filter(status__in=["not_started", "exempt"], submitted_at__isnull=False).exists()
    # Only each rule's current period is still open.
    assert set(reports.filter(due_at__gt=NOW).values_list("period", flat=True)) == {
        rule.periods.latest("starts_on").pk for rule in campaign.reporting_rules.all()
    }

    progress = TaskProgress.objects.filter(report__in=reports)
    assert not progress.filter(Q(percent__lt=0) | Q(percent__gt=100)).exists()
    assert progress.filter(status="completed").exists() and progress.filter(status="in_progress").exists()
    assert not progress.filter(status="completed").exclude(percent=100).exists()

    values = IndicatorValue.objects.filter(report__in=reports)
    assert not values.exclude(allow_negative=F("indicator__allow_negative")).exists()
    assert values.filter(indicator__allow_negative=True, value__lt=0).exists()
    assert not values.filter(indicator__allow_negative=False, value__lt=0).exists()
    assert not values.filter(report__status__in=["not_started", "exempt"]).exists()

    # The task tree: paths as Task.save() would set them, codes by level.
    tasks = Task.objects.filter(campaign=campaign).select_related("parent").prefetch_related("co_units")
    depths = set()
    for task in tasks:
        assert task.tree_path == task.compute_path()
        assert task.depth == len(task.tree_path) // PATH_STEP - 1
        depths.add(task.depth)
        assert task.lead_unit_id is not None
        co_units = {unit.pk for unit in task.co_units.all()}
        assert 3 <= len(co_units) <= 5 and task.lead_unit_id not in co_units
    assert depths == {0, 1, 2}
    assert tasks.get(tree_path="0001").code == "一、"
    assert tasks.get(tree_path="00010001").code == "（一）"
    assert tasks.get(tree_path="000100010001").code == "1、"


def test_a_second_run_adds_a_new_campaign_and_reuses_the_units(db):
    first = seed()
    units = Unit.objects.count()
    second = seed()
    assert second["campaign_id"] != first["campaign_id"]
    assert second["units_created"] == 0 and Unit.objects.count() == units
    assert second["people"] == 0, "the first run's liaisons are reused"
    one, two = Campaign.objects.get(pk=first["campaign_id"]), Campaign.objects.get(pk=second["campaign_id"])
    assert one.title != two.title and two.title.endswith("（第2次）")
    # Same seed, same moment: the same data, counted separately per campaign.
    ignore = {"campaign_id", "units_created", "people", "seconds"}
    assert {k: v for k, v in second.items() if k not in ignore} == {k: v for k, v in first.items() if k not in ignore}
    assert database_counts(two) == {**database_counts(one), "campaign_id": two.pk}
    assert Report.objects.count() == 2 * first["reports"]


def test_sizes_below_one_are_refused(db):
    from django.core.management.base import CommandError

    with pytest.raises((CommandError, SystemExit)):
        call_command("seed_scale", units=0, stdout=io.StringIO(), stderr=io.StringIO())
