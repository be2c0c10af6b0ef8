"""The reports' tallies are what adding up the reports gives, however the
reports got where they are: every workflow move, bulk write and deletion
keeps them in step, and a rebuild finds nothing to correct."""

import datetime
import io
import random
from types import SimpleNamespace

import pytest
from django.core.management import call_command
from django.db import IntegrityError, transaction

from campaigns.models import Membership
from campaigns.tests.factories import MembershipFactory, UnitFactory
from reports import rates, selectors, tallies, workflow
from reports.models import TALLY_COUNTERS, ExtensionRequest, Report, ReportTally
from reports.services import generate_periods, load_holiday_notice
from reports.workflow import WorkflowError

from .conftest import local

pytestmark = pytest.mark.django_db

S = Report.Status


def stored():
    """{key: counters} of the tally rows that count something."""
    return {
        (t.period_id, t.due_at, t.shard): {name: getattr(t, name) for name in TALLY_COUNTERS}
        for t in ReportTally.objects.all()
        if t.reports or t.exempt
    }


def assert_rebuild_agrees():
    incremental = stored()
    changed = tallies.rebuild()
    assert stored() == incremental
    assert changed == {"created": 0, "updated": 0, "deleted": changed["deleted"]}
    # What rebuild deletes is rows nothing counts in any more (all zero).
    rebuilt = {k: {n: row[n] for n in TALLY_COUNTERS} for k, row in tallies.tally_rows(Report.objects.all()).items()}
    assert incremental == rebuilt


def test_a_contribution_is_what_the_rates_count():
    due = local(2026, 1, 13, 17, 30)
    report = SimpleNamespace(status=S.ACCEPTED, submitted_at=due, due_at=due)
    assert tallies.contribution(report) == {
        "reports": 1, "submitted": 1, "on_time": 1, "exempt": 0,
        "awaiting_review": 0, "returned": 0, "accepted": 1, "owed": 0,
    }
    late = SimpleNamespace(status=S.RETURNED, submitted_at=due + datetime.timedelta(minutes=1), due_at=due)
    assert tallies.contribution(late)["on_time"] == 0
    assert tallies.contribution(late)["returned"] == 1
    exempt = SimpleNamespace(status=S.EXEMPT, submitted_at=None, due_at=due)
    assert tallies.contribution(exempt) == dict.fromkeys(TALLY_COUNTERS, 0) | {"exempt": 1}
    owed = SimpleNamespace(status=S.DRAFT, submitted_at=None, due_at=due)
    assert tallies.contribution(owed) == dict.fromkeys(TALLY_COUNTERS, 0) | {"reports": 1, "owed": 1}


def test_opening_periods_counts_their_reports(setting):
    assert stored()
    by_key = tallies.tally_rows(Report.objects.all())
    assert sum(row["reports"] for row in by_key.values()) == Report.objects.count() == 4
    assert sum(row["owed"] for row in by_key.values()) == 4
    assert_rebuild_agrees()


def test_a_status_move_updates_one_row_in_the_move(setting, django_assert_num_queries):
    report = setting.report
    workflow.save_draft(report=report, by=setting.liaison, at=local(2026, 1, 12), expected_version=1, work_done="开展宣传。")
    before = ReportTally.objects.get(period=report.period, due_at=report.due_at, shard=report.unit_id % 16)
    workflow.submit(report=report, by=setting.liaison, at=local(2026, 1, 12))
    after = ReportTally.objects.get(pk=before.pk)
    assert (after.submitted - before.submitted, after.on_time - before.on_time) == (1, 1)
    assert (after.owed - before.owed, after.awaiting_review - before.awaiting_review) == (-1, 1)
    report = Report.objects.get(pk=report.pk)
    report.status = S.ACCEPTED
    # The write and one UPDATE of the tally row, in the write's transaction.
    with django_assert_num_queries(3):  # UPDATE report, history row, UPDATE tally
        report.save()
    assert ReportTally.objects.get(pk=before.pk).accepted == before.accepted + 1


def test_a_save_that_changes_nothing_tallied_writes_no_tally(setting, django_assert_num_queries):
    report = Report.objects.get(pk=setting.report.pk)
    report.work_done = "开展宣传。"
    with django_assert_num_queries(2):  # UPDATE report, history row
        report.save()


def test_an_extension_moves_the_report_to_the_row_of_its_new_deadline(setting):
    report = setting.report
    request = ExtensionRequest.objects.create(
        report=report, requested_by=setting.liaison, requested_at=local(2026, 1, 12),
        requested_due_at=local(2026, 1, 15, 17, 30), reason="集中开展执法检查。",
    )
    workflow.decide_extension(request=request, by=setting.office, at=local(2026, 1, 12, 9), grant=True)
    row = ReportTally.objects.get(due_at=local(2026, 1, 15, 17, 30))
    assert (row.reports, row.owed, row.shard) == (1, 1, report.unit_id % 16)
    assert_rebuild_agrees()


def test_bulk_updates_and_deletions_keep_the_tallies(setting):
    Report.objects.filter(period__number=1).update(status=S.SUBMITTED, submitted_at=local(2026, 1, 6, 9))
    Report.objects.filter(pk=setting.other_report.pk).delete()
    assert_rebuild_agrees()
    whole = tallies.totals(setting.campaign, local(2026, 1, 14))
    assert whole == rates.totals(Report.objects.filter(period__rule__campaign=setting.campaign), at=local(2026, 1, 14))
    assert (whole.expected, whole.submitted, whole.awaiting_review) == (3, 2, 2)


def test_the_database_refuses_a_negative_count(setting):
    row = ReportTally.objects.first()
    with pytest.raises(IntegrityError), transaction.atomic():
        ReportTally.objects.filter(pk=row.pk).update(owed=-1)


def test_rebuild_corrects_rows_and_says_what_it_changed(setting):
    row = ReportTally.objects.first()
    ReportTally.objects.filter(pk=row.pk).update(reports=row.reports + 5)
    ReportTally.objects.create(
        campaign=setting.campaign, rule=setting.rule, period=row.period, due_at=local(2030, 1, 1), shard=3
    )
    out = io.StringIO()
    call_command("rebuild_tallies", "--campaign", str(setting.campaign.pk), stdout=out)
    assert "新建 0 行，更正 1 行，删除 1 行" in out.getvalue()
    out = io.StringIO()
    call_command("rebuild_tallies", stdout=out)
    assert "新建 0 行，更正 0 行，删除 0 行" in out.getvalue()
    assert_rebuild_agrees()


class RandomWorld:
    """Six units (two with a head), a weekly rule that locks reports a day
    after their deadline, and random moves through the real services."""

    def __init__(self, setting, rng):
        self.s, self.rng = setting, rng
        self.units = [setting.unit, setting.other_unit, *(UnitFactory(name=f"单位{i}") for i in range(4))]
        rule = setting.rule
        rule.owners = rule.Owners.LISTED
        rule.lock_after_days = 1
        rule.save()
        rule.units.set(self.units)
        self.heads = {}
        for unit in self.units[:2]:
            self.heads[unit.pk] = MembershipFactory(unit=unit, role=Membership.Role.UNIT_HEAD).user
        self.liaisons = {setting.unit.pk: setting.liaison, setting.other_unit.pk: setting.other_liaison}
        for unit in self.units[2:]:
            self.liaisons[unit.pk] = MembershipFactory(unit=unit, role=Membership.Role.LIAISON).user
        self.through = datetime.date(2026, 1, 12)
        self.holidays = []

    def at(self):
        """A moment of the campaign's first weeks, around the deadlines."""
        return local(2026, 1, 1, 8) + datetime.timedelta(hours=self.rng.randrange(0, 24 * 60))

    def report(self):
        return self.rng.choice(list(Report.objects.filter(period__rule=self.s.rule)))

    def move(self):
        rng, s = self.rng, self.s
        report, at = self.report(), self.at()
        liaison, head = self.liaisons.get(report.unit_id), self.heads.get(report.unit_id)
        action = rng.choice(
            ["submit", "submit", "submit", "accept", "accept", "return", "sign_off", "head_return", "exempt",
             "reopen", "extension", "withdraw", "undo", "holiday", "periods", "create", "delete"]
        )
        if action == "submit":
            report = workflow.save_draft(
                report=report, by=liaison, at=at, expected_version=report.version, work_done=f"第{rng.random()}次。"
            )
            workflow.submit(report=report, by=liaison, at=at, late_reason="事出有因。")
        elif action == "accept":
            workflow.accept(report=report, by=s.office, at=at)
        elif action == "return":
            workflow.return_report(report=report, by=s.office, at=at, comment="请补充。")
        elif action == "sign_off":
            workflow.sign_off(report=report, by=head or s.office, at=at)
        elif action == "head_return":
            workflow.head_return(report=report, by=head or s.office, at=at, comment="请修改。")
        elif action == "exempt":
            workflow.exempt(report=report, by=s.office, at=at, reason="本期免报。")
        elif action == "reopen":
            workflow.reopen(report=report, by=s.office, at=at, reason="补报。")
        elif action == "extension":
            request = workflow.request_extension(
                report=report, by=liaison, at=at, until=report.due_at + datetime.timedelta(days=rng.randint(1, 3)),
                reason="需要时间。",
            )
            workflow.decide_extension(request=request, by=s.office, at=at, grant=rng.random() < 0.8)
        elif action == "withdraw":
            workflow.withdraw(report=report, by=liaison, at=at)
        elif action == "undo":
            last = report.events.order_by("-created_at", "-id").first()
            if last is not None:
                workflow.undo_review(report=report, by=last.actor, at=last.created_at + datetime.timedelta(minutes=5))
        elif action == "holiday":
            # A notice declaring one of the next deadlines a day off (the
            # year's earlier notice replaced: its moves go back).
            day = rng.choice([datetime.date(2026, 1, 13), datetime.date(2026, 1, 20), datetime.date(2026, 1, 27)])
            days = [(day, False, "调休")] if rng.random() < 0.7 else []
            load_holiday_notice(notice=SimpleNamespace(year=2026, days=days), text="通知", at=local(2026, 1, 10))
        elif action == "periods":
            self.through = min(self.through + datetime.timedelta(days=7), datetime.date(2026, 3, 1))
            generate_periods(rule=s.rule, through=self.through)
        elif action == "create":
            taken = set(Report.objects.filter(period=report.period).values_list("unit_id", flat=True))
            free = [u for u in self.units if u.pk not in taken]
            if free:
                Report.objects.create(period=report.period, unit=rng.choice(free), due_at=report.period.due_at)
        elif action == "delete":
            if not report.events.exists() and not report.versions.exists() and not report.extension_requests.exists():
                if rng.random() < 0.5:
                    report.delete()
                else:
                    Report.objects.filter(pk=report.pk).delete()
        return action


@pytest.mark.parametrize("seed", [19, 2026])
def test_rebuild_equals_the_incremental_tallies_after_random_workflows(setting, seed):
    world = RandomWorld(setting, random.Random(seed))
    generate_periods(rule=setting.rule, through=datetime.date(2026, 1, 26))
    done = []
    for _ in range(300):
        try:
            done.append(world.move())
        except WorkflowError:
            continue
    # The moves did happen: every kind at least once.
    assert {"submit", "accept", "return", "exempt", "extension", "holiday", "create", "delete"} <= set(done)
    assert Report.objects.filter(status=S.ACCEPTED).exists() and Report.objects.filter(status=S.EXEMPT).exists()
    assert Report.objects.exclude(due_at__in=Report.objects.values("period__due_at")).exists(), "an extension"
    assert_rebuild_agrees()
    for at in (local(2026, 1, 13, 17, 30), local(2026, 1, 21), local(2026, 3, 1)):
        reports = Report.objects.filter(period__rule__campaign=setting.campaign)
        assert tallies.totals(setting.campaign, at) == rates.totals(reports, at=at)
        periods = list(setting.rule.periods.values_list("pk", flat=True))
        assert tallies.by_period(periods, at) == rates.by_period(reports, at=at)
        overdue = reports.filter(status__in=Report.OWED_STATUSES, due_at__lt=at).count()
        assert tallies.overdue_count(setting.campaign, at) == overdue
        # The review queue's tabs (reports.selectors.queue_counts), the campaign's and each period's.
        assert selectors.tallied_queue_counts(campaign=setting.campaign, period=None, at=at) == (
            selectors.scanned_queue_counts(reports, at=at)
        )
        for period in [None, *setting.rule.periods.all()]:
            counts = selectors.tallied_queue_counts(campaign=setting.campaign, period=period, at=at)
            if period is not None:
                assert counts == selectors.scanned_queue_counts(reports.filter(period=period), at=at)
            # Each work tab lists as many reports as its count says: the queue's pager takes it for its own.
            for status, count in counts.items():
                listed = selectors.queue_reports(campaign=setting.campaign, period=period, status=status, at=at)
                assert listed.count() == count, (status, period)
    assert selectors.scanned_queue_counts(Report.objects.all(), at=local(2026, 3, 1))["submitted"] > 0
