"""Task progress has one definition (reports.progress), and the reviewer is
warned, never refused, when a report gives a task less than before."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from reports import workflow
from reports.models import Report, TaskProgress
from reports.progress import campaign_progress, progress_drops, task_progress
from reports.services import generate_periods
from reports.tests.conftest import build_setting
from tasks.models import Task

pytestmark = pytest.mark.django_db

S = Report.Status
NOW = timezone.make_aware(datetime.datetime(2026, 1, 30, 10, 0))


@pytest.fixture
def setting(time_machine):
    time_machine.move_to(NOW, tick=False)
    s = build_setting()
    generate_periods(rule=s.rule, through=datetime.date(2026, 1, 27))
    s.reports = {(r.unit_id, r.period.number): r for r in Report.objects.select_related("period")}
    return s


def sent(setting, unit, number, status, **percents):
    """The unit's report of period `number` in `status`, giving task N `percents["tN"]`."""
    report = setting.reports[unit.pk, number]
    Report.objects.filter(pk=report.pk).update(status=status, submitted_at=report.due_at)
    for key, percent in percents.items():
        task = setting.tasks[int(key[1:]) - 1]
        status = TaskProgress.Status.COMPLETED if percent == 100 else TaskProgress.Status.IN_PROGRESS
        TaskProgress.objects.create(report=report, task=task, percent=percent, status=status)
    return report


def percents(progress):
    return {task_id: p.percent for task_id, p in progress.items()}


def test_a_tasks_progress_is_its_lead_units_latest_accepted_figure(setting):
    s = setting
    t1, t2 = s.tasks
    sent(s, s.unit, 1, S.ACCEPTED, t1=40, t2=10)
    sent(s, s.unit, 2, S.ACCEPTED, t1=96)
    sent(s, s.unit, 3, S.SUBMITTED, t1=99)  # not accepted yet
    sent(s, s.unit, 4, S.PENDING_SIGN_OFF, t1=100)  # not even sent to the office
    sent(s, s.other_unit, 3, S.ACCEPTED, t1=100)  # a co-unit's own part, not the task's figure

    assert percents(task_progress(tasks=Task.objects.all())) == {t1.pk: 96, t2.pk: 10}
    # As of a day: only the periods that ended by then.
    first_end = s.reports[s.unit.pk, 1].period.ends_on
    assert percents(task_progress(tasks=Task.objects.all(), as_of=first_end)) == {t1.pk: 40, t2.pk: 10}
    before = first_end - datetime.timedelta(days=1)
    assert task_progress(tasks=Task.objects.all(), as_of=before) == {}


def test_a_units_progress_is_the_mean_over_the_tasks_it_leads_none_counting_zero(setting):
    s = setting
    t1, _ = s.tasks
    sent(s, s.unit, 1, S.ACCEPTED, t1=61)
    progress = campaign_progress(campaign=s.campaign)

    # The unit leads both tasks: (61 + 0) / 2. The other unit leads none.
    assert progress.by_unit() == {s.unit.pk: Decimal("30.5")}
    assert progress.overall == Decimal("30.5")
    assert progress.of_units({s.other_unit.pk}) is None
    assert progress.percent(t1.pk) == 61


def test_a_task_without_a_lead_unit_has_no_progress_and_does_not_count(setting):
    s = setting
    Task.objects.filter(pk=s.tasks[1].pk).update(lead_unit=None)
    sent(s, s.unit, 1, S.ACCEPTED, t1=50, t2=100)

    progress = campaign_progress(campaign=s.campaign)

    assert [task_id for task_id, _, _ in progress.tasks] == [s.tasks[0].pk]
    assert progress.overall == Decimal("50.0")


# The reviewer's warning


def submit(setting, number, **percents):
    """The liaison sends period `number` through the workflow, giving task N `percents["tN"]`."""
    report = Report.objects.get(pk=setting.reports[setting.unit.pk, number].pk)
    progress = {
        setting.tasks[int(key[1:]) - 1].pk: (TaskProgress.Status.IN_PROGRESS, percent, "")
        for key, percent in percents.items()
    }
    report = workflow.save_draft(
        report=report, by=setting.liaison, at=NOW, expected_version=report.version,
        work_done="本周开展普法宣传。", task_progress=progress,
    )
    return workflow.submit(report=report, by=setting.liaison, at=NOW, late_reason="系统维护，补报。")


def test_the_reviewer_is_warned_when_a_tasks_progress_falls_and_may_still_accept(client, setting):
    s = setting
    t1, t2 = s.tasks
    sent(s, s.unit, 1, S.ACCEPTED, t1=90, t2=20)
    sent(s, s.unit, 2, S.ACCEPTED, t1=96, t2=20)
    sent(s, s.unit, 3, S.RETURNED, t1=10)  # never accepted: not the previous figure
    report = submit(s, 4, t1=61, t2=30)
    assert progress_drops(report=report, rows=report.versions.get().task_progress) == {t1.pk: 96}

    client.force_login(s.office)
    page = client.get(reverse("reports:report_detail", args=[report.pk])).content.decode()

    row = next(line for line in page.splitlines() if t1.title in line and "<tr>" in line)
    assert "61%" in row and "低于上次审核通过的 96%，请核实" in row
    other = next(line for line in page.splitlines() if t2.title in line and "<tr>" in line)
    assert "progress-drop" not in other
    # A warning, not a refusal: the office accepts as usual.
    response = client.post(
        reverse("reports:review", args=[report.pk]), {"action": "accept", "version": report.version, "comment": ""}
    )
    assert response.status_code == 302
    assert Report.objects.get(pk=report.pk).status == S.ACCEPTED
    assert campaign_progress(campaign=s.campaign).percent(t1.pk) == 61


def test_no_warning_without_an_earlier_accepted_figure_or_for_the_unit(client, setting):
    s = setting
    sent(s, s.unit, 1, S.SUBMITTED, t1=96)  # sent, not accepted
    report = submit(s, 2, t1=61)

    assert progress_drops(report=report, rows=report.versions.get().task_progress) == {}
    client.force_login(s.office)
    assert "progress-drop" not in client.get(reverse("reports:report_detail", args=[report.pk])).content.decode()


def test_the_office_report_page_reads_a_fixed_number_of_queries(client, setting, django_assert_num_queries):
    s = setting
    sent(s, s.unit, 1, S.ACCEPTED, t1=96, t2=50)
    report = submit(s, 2, t1=61, t2=40)
    client.force_login(s.office)
    url = reverse("reports:report_detail", args=[report.pk])
    client.get(url)  # warm the session and the caches

    # The previous accepted figures of every task are read in one query; the
    # copy-paste check (reports.similarity) adds its own three, and the
    # 修改记录 two (the history of progress and of figures). A report with no
    # extension request, file or joint submission reads none of them
    # (selectors.with_history_flags).
    with django_assert_num_queries(14):
        page = client.get(url).content.decode()
    assert page.count("progress-drop") == 2
