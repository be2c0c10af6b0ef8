"""同时作为……报送: one submission answers two rules asking for the same thing
in the same span."""

import datetime

import pytest
import time_machine
from django.db import IntegrityError, transaction
from pytest_django.asserts import assertContains

from reports import services, workflow
from reports.models import JointSubmission, Report
from reports.services import generate_periods
from reports.tests.conftest import local
from reports.tests.factories import ReportingRuleFactory
from reports.tests.test_unit_reporting import edit_url, form_data

D = datetime.date
BEFORE = local(2026, 2, 18, 9)


@pytest.fixture
def pair(setting):
    """The unit's February monthly report (21 January – 20 February) and a
    one-off 检查情况 report due the same day."""
    monthly = ReportingRuleFactory(
        campaign=setting.campaign, name="月报", cadence="monthly", weekday=None, day_of_month=20, starts_on=D(2026, 1, 1)
    )
    monthly.indicators.add(setting.indicator)
    once = ReportingRuleFactory(
        campaign=setting.campaign, name="检查情况", cadence="once", weekday=None, starts_on=D(2026, 1, 1),
        ends_on=D(2026, 2, 20),
    )
    once.indicators.add(setting.indicator)
    for rule in (monthly, once):
        generate_periods(rule=rule, through=D(2026, 2, 20))
    return (
        Report.objects.get(unit=setting.unit, period__rule=monthly, period__number=2),
        Report.objects.get(unit=setting.unit, period__rule=once),
    )


def test_the_liaison_sends_once_and_answers_both(client, setting, pair):
    month, once = pair
    client.force_login(setting.liaison)
    with time_machine.travel(BEFORE, tick=False):
        page = client.get(month.get_absolute_url())
        assertContains(page, "同时作为以下报送报送")
        assertContains(page, f"检查情况 {once.period.label}")
        response = client.post(
            edit_url(month), form_data(setting, report=month, submit="1", also_answers=[str(once.pk)]), follow=True
        )
    assertContains(response, f"已同时作为“检查情况 {once.period.label}”报送。")
    month.refresh_from_db()
    once.refresh_from_db()
    assert month.status == once.status == Report.Status.SUBMITTED
    assert once.work_done == month.work_done
    assert once.indicator_values.get().value == 2
    assert {p.task_id: p.percent for p in once.task_progress.all()} == {t.pk: 30 for t in setting.tasks}
    assert once.versions.count() == 1
    joint = JointSubmission.objects.get()
    assert (joint.report, joint.answered, joint.created_by) == (month, once, setting.liaison)

    client.force_login(setting.office)
    assertContains(client.get(month.get_absolute_url()), "本报送同时作为")
    assertContains(client.get(once.get_absolute_url()), f"本报送由<a href=\"{month.get_absolute_url()}\">“月报")


def test_a_draft_save_answers_nothing(client, setting, pair):
    month, once = pair
    client.force_login(setting.liaison)
    with time_machine.travel(BEFORE, tick=False):
        client.post(edit_url(month), form_data(setting, report=month, save="1", also_answers=[str(once.pk)]))
    once.refresh_from_db()
    assert once.status == Report.Status.NOT_STARTED
    assert not JointSubmission.objects.exists()


def test_a_report_that_may_not_be_answered_is_refused_and_nothing_changes(client, setting, pair):
    month, once = pair
    weekly = setting.report  # its period ends outside February's
    client.force_login(setting.liaison)
    with time_machine.travel(BEFORE, tick=False):
        response = client.post(edit_url(month), form_data(setting, report=month, submit="1", also_answers=[str(weekly.pk)]))
    assert response.status_code == 400
    assertContains(response, "所选报送已不能同时报送", status_code=400)
    month.refresh_from_db()
    assert month.status == Report.Status.NOT_STARTED
    assert not JointSubmission.objects.exists()


def test_a_refused_answer_takes_back_the_whole_submission(setting, pair):
    month, once = pair
    Report.objects.filter(pk=once.pk).update(status=Report.Status.EXEMPT)
    with time_machine.travel(BEFORE, tick=False), pytest.raises(workflow.WorkflowError, match="不能由本报送同时报送"):
        services.save_report(
            report=month, by=setting.liaison, at=BEFORE, expected_version=1, work_done="二月工作。", problems="",
            next_steps="", task_progress={}, indicator_values={}, submit=True, also_answers=[once],
        )
    month.refresh_from_db()
    assert (month.status, month.work_done) == (Report.Status.NOT_STARTED, "")


def test_a_report_is_answered_once(setting, pair):
    month, once = pair
    services.save_report(
        report=month, by=setting.liaison, at=BEFORE, expected_version=1, work_done="二月开展检查12次。", problems="",
        next_steps="", task_progress={}, indicator_values={}, submit=True, also_answers=[once],
    )
    from reports.selectors import joint_candidates

    assert not joint_candidates(report=month).exists()
    with pytest.raises(IntegrityError), transaction.atomic():
        JointSubmission.objects.create(report=setting.report, answered=once, created_by=setting.liaison, created_at=BEFORE)
    with pytest.raises(IntegrityError), transaction.atomic():
        JointSubmission.objects.create(report=month, answered=month, created_by=setting.liaison, created_at=BEFORE)


def test_another_units_report_is_never_offered(setting, pair):
    month, once = pair
    from reports.selectors import joint_candidates

    assert list(joint_candidates(report=month)) == [once]


def test_a_report_sent_for_two_cannot_be_withdrawn_alone(client, setting, pair):
    month, once = pair
    client.force_login(setting.liaison)
    with time_machine.travel(BEFORE, tick=False):
        client.post(edit_url(month), form_data(setting, report=month, submit="1", also_answers=[str(once.pk)]))
        month.refresh_from_db()
        with pytest.raises(workflow.WorkflowError, match="不能单独撤回"):
            workflow.withdraw(report=month, by=setting.liaison, at=BEFORE)
    month.refresh_from_db()
    once.refresh_from_db()
    assert month.status == once.status == Report.Status.SUBMITTED
