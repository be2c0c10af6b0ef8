"""The transition helper on its own, with a real state machine: the report's."""

import datetime
import threading
import zoneinfo
from unittest import mock

import pytest
from django.db import connection, transaction
from django.db.models import QuerySet
from django.test.utils import CaptureQueriesContext

from campaigns.models import Unit
from campaigns.tests.factories import UserFactory
from core import transitions
from core.errors import Refused
from reports.models import Period, Report, ReportingRule, ReviewEvent
from reports.tests.factories import ReportFactory

Status = Report.Status
AT = datetime.datetime(2026, 1, 12, 9, 0, tzinfo=zoneinfo.ZoneInfo("Asia/Shanghai"))


class Nope(Refused):
    pass


@pytest.fixture
def report(db):
    return ReportFactory()


@pytest.fixture
def office(db):
    return UserFactory(username="office")


def everything(report):
    report = Report.objects.get(pk=report.pk)
    return (report.status, report.version, report.reopened, report.history.count(), ReviewEvent.objects.count())


def test_an_allowed_move_saves_the_new_state_and_writes_exactly_one_event(report, office):
    change = transitions.transition(report, "exempt", by=office, at=AT, comment="本期无任务。", refusal=Nope("不行"))

    assert (change.action, change.old, change.new) == ("exempt", Status.NOT_STARTED, Status.EXEMPT)
    assert Report.objects.get(pk=report.pk).status == Status.EXEMPT
    event = ReviewEvent.objects.get()
    assert change.event == event
    assert (event.report, event.actor, event.action, event.comment, event.created_at) == (
        report, office, "exempt", "本期无任务。", AT
    )
    assert (event.from_status, event.to_status) == (Status.NOT_STARTED, Status.EXEMPT)
    assert change.obj is not report, "the caller gets the locked row, not its own copy"


def test_a_move_the_table_forbids_is_refused_with_the_apps_error_and_changes_nothing(report, office):
    before = everything(report)

    with pytest.raises(Nope, match="只能审核“已报送”的报送；这份报送当前为“未填报”"):
        transitions.transition(
            report,
            "accept",
            by=office,
            at=AT,
            refusal=lambda row: Nope(f"只能审核“已报送”的报送；这份报送当前为“{row.get_status_display()}”"),
        )

    assert everything(report) == before


def test_a_refusal_from_prepare_leaves_its_fields_unsaved(report, office):
    before = everything(report)

    def prepare(row):
        row.reopened = True
        row.version += 1
        raise Nope("免报时请填写理由。")

    with pytest.raises(Nope, match="理由"):
        transitions.transition(report, "exempt", by=office, at=AT, refusal=Nope("不行"), prepare=prepare)

    assert everything(report) == before


def test_check_runs_before_the_table_and_prepare_after_it(report, office):
    def conflict(row):
        raise Nope("冲突")

    seen = []
    with pytest.raises(Nope, match="冲突"):
        transitions.transition(report, "accept", by=office, at=AT, refusal=Nope("状态不对"), check=conflict)
    with pytest.raises(Nope, match="状态不对"):
        transitions.transition(report, "accept", by=office, at=AT, refusal=Nope("状态不对"), prepare=seen.append)
    assert seen == [], "prepare never runs for a move the table forbids"


def test_a_move_with_several_targets_goes_where_the_caller_says(report, office):
    with pytest.raises(ValueError, match="to="):
        transitions.transition(report, "submit", by=office, at=AT, refusal=Nope("不行"))

    def prepare(row):
        row.submitted_at = AT

    change = transitions.transition(
        report, "submit", by=office, at=AT, to=Status.PENDING_SIGN_OFF, refusal=Nope("不行"), prepare=prepare
    )
    assert Report.objects.get(pk=report.pk).status == Status.PENDING_SIGN_OFF == change.new


def test_a_recorded_step_that_keeps_the_state_still_writes_its_event(report, office):
    change = transitions.transition(report, "reopen", by=office, at=AT, comment="特殊情况。", refusal=Nope("不行"))

    assert change.old == change.new == Status.NOT_STARTED
    assert ReviewEvent.objects.get().action == "reopen"


def test_an_undeclared_move_is_a_programming_error(report, office):
    with pytest.raises(ValueError, match="no move 'publish'"):
        transitions.transition(report, "publish", by=office, at=AT, refusal=Nope("不行"))


def test_the_row_is_read_with_select_for_update(report, office):
    original = QuerySet.select_for_update
    with mock.patch.object(QuerySet, "select_for_update", autospec=True, side_effect=original) as select_for_update:
        transitions.transition(report, "exempt", by=office, at=AT, comment="本期无任务。", refusal=Nope("不行"))

    (rows,), _ = select_for_update.call_args
    assert rows.model is Report
    assert list(rows.values_list("pk", flat=True)) == [report.pk]


@pytest.mark.skipif(not connection.features.has_select_for_update, reason="the database has no row locks (SQLite)")
def test_the_database_is_asked_for_a_row_lock_before_anything_is_written(report, office):
    with CaptureQueriesContext(connection) as queries:
        transitions.transition(report, "exempt", by=office, at=AT, comment="本期无任务。", refusal=Nope("不行"))

    statements = [q["sql"] for q in queries.captured_queries if not q["sql"].startswith(("SAVEPOINT", "RELEASE"))]
    assert statements[0].startswith("SELECT") and 'FOR UPDATE OF "reports_report"' in statements[0]


@pytest.mark.skipif(not connection.features.has_select_for_update, reason="the database has no row locks (SQLite)")
@pytest.mark.django_db(transaction=True)
def test_locking_a_report_read_with_its_period_and_unit_leaves_those_rows_free():
    """Every report of a period shares its period, rule and unit rows: a
    report's lock must not hold them, or each submission of the period
    would wait for the one before it."""
    report = ReportFactory()
    rows = Report.objects.select_related("period__rule", "unit").filter(pk=report.pk)
    taken, errors = [], []

    def other_connection():
        try:
            with transaction.atomic():
                for model, pk in ((Period, report.period_id), (ReportingRule, report.period.rule_id), (Unit, report.unit_id)):
                    taken.append(model.objects.select_for_update(nowait=True).filter(pk=pk).exists())
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            connection.close()

    with transaction.atomic():
        assert transitions.locked(rows).period.rule_id == report.period.rule_id
        thread = threading.Thread(target=other_connection)
        thread.start()
        thread.join()

    assert errors == [] and taken == [True, True, True]


def test_announce_many_sends_one_signal_with_every_change(report, office):
    from core.signals import transitioned_many

    other = ReportFactory()
    heard = []

    def receiver(sender, changes, by, at, **kwargs):
        heard.append((sender, [change.obj for change in changes], by, at))

    transitioned_many.connect(receiver, dispatch_uid="test.announce_many")
    try:
        changes = [transitions.Change(obj=row, action="create", old="", new=row.status) for row in (report, other)]
        transitions.announce_many(changes, by=office, at=AT)
        transitions.announce_many([], by=office, at=AT)  # nothing to tell: no signal
        with pytest.raises(ValueError):
            transitions.announce_many([changes[0], transitions.Change(obj=office, action="x", old="", new="")], by=office, at=AT)
    finally:
        transitioned_many.disconnect(dispatch_uid="test.announce_many")

    assert heard == [(Report, [report, other], office, AT)]
