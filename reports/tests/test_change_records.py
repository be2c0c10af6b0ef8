"""A report changes only through its workflow: the admin shows reports and
their parts read-only, every change of task progress or of a figure is on
record with who and when, and the report page's 修改记录 lists those made
after the first submission."""

from decimal import Decimal

import pytest
from django.urls import reverse

from campaigns.models import Membership
from campaigns.tests.factories import MembershipFactory, UserFactory
from reports import workflow
from reports.models import UNIT_EDIT, IndicatorValue, Report, TaskProgress
from reports.tests.conftest import local

pytestmark = pytest.mark.django_db

Status = Report.Status
NOW = local(2026, 1, 13, 12, 0)


@pytest.fixture(autouse=True)
def clock(time_machine):
    time_machine.move_to(NOW, tick=False)


def fill(s, at, *, percent, value, note="", by=None):
    """The liaison saves the report's working copy: task 1's progress and the figure."""
    report = Report.objects.get(pk=s.report.pk)
    return workflow.save_draft(
        report=report,
        by=by or s.liaison,
        at=at,
        expected_version=report.version,
        work_done="开展普法宣传活动。",
        task_progress={s.tasks[0].pk: (TaskProgress.Status.IN_PROGRESS, percent, note)},
        indicator_values={s.indicator.pk: Decimal(value)},
    )


def send(s, at, **values):
    fill(s, at, **values)
    return workflow.submit(report=Report.objects.get(pk=s.report.pk), by=s.liaison, at=at)


def returned(s):
    """Sent with 40 % and 3 场 (after a draft of 10 % and 1 场), then returned."""
    fill(s, local(2026, 1, 12, 9, 0), percent=10, value=1)
    send(s, local(2026, 1, 12, 10, 0), percent=40, value=3)
    return workflow.return_report(report=s.report, by=s.office, at=local(2026, 1, 12, 11, 0), comment="请补充数据来源。")


def bring(s, status):
    """The setting's report in `status`, with progress and a figure."""
    if status == Status.NOT_STARTED:
        return s.report
    if status == Status.EXEMPT:
        return workflow.exempt(report=s.report, by=s.office, at=local(2026, 1, 12, 9, 0), reason="本期无任务。")
    fill(s, local(2026, 1, 12, 9, 0), percent=40, value=3)
    if status == Status.DRAFT:
        return Report.objects.get(pk=s.report.pk)
    if status == Status.PENDING_SIGN_OFF:
        MembershipFactory(unit=s.unit, role=Membership.Role.UNIT_HEAD)
    report = workflow.submit(report=Report.objects.get(pk=s.report.pk), by=s.liaison, at=local(2026, 1, 12, 10, 0))
    if status == Status.RETURNED:
        return workflow.return_report(report=report, by=s.office, at=local(2026, 1, 12, 11, 0), comment="请补充。")
    if status == Status.ACCEPTED:
        return workflow.accept(report=report, by=s.office, at=local(2026, 1, 12, 11, 0))
    return report


def page(client, user, report):
    client.force_login(user)
    return client.get(reverse("reports:report_detail", args=[report.pk]))


def panel(html):
    """The 修改记录 card of a report page."""
    start = html.index("data-figure-changes")
    return html[start : html.index("</section>", start)]


# The admin shows, never changes


@pytest.mark.parametrize("status", [s for s, _ in Status.choices])
def test_a_superuser_posting_the_admin_change_page_changes_nothing(admin_client, setting, status):
    report = bring(setting, status)
    assert report.status == status
    before = Report.objects.values().get(pk=report.pk)
    progress = list(TaskProgress.objects.filter(report=report).values())
    figures = list(IndicatorValue.objects.filter(report=report).values())
    history = TaskProgress.history.count(), IndicatorValue.history.count(), Report.history.count()
    url = reverse("admin:reports_report_change", args=[report.pk])

    shown = admin_client.get(url).content.decode()
    assert "只能查看，不能修改" in shown and "退回" in shown
    assert 'name="work_done"' not in shown and 'name="task_progress-0-percent"' not in shown
    response = admin_client.post(
        url,
        {
            "work_done": "管理员改写的内容",
            "problems": "无",
            "status": Status.ACCEPTED,
            "task_progress-TOTAL_FORMS": "1",
            "task_progress-INITIAL_FORMS": "1",
            "task_progress-0-id": progress[0]["id"] if progress else "",
            "task_progress-0-report": report.pk,
            "task_progress-0-percent": "100",
            "task_progress-0-status": TaskProgress.Status.COMPLETED,
            "indicator_values-TOTAL_FORMS": "1",
            "indicator_values-INITIAL_FORMS": "1",
            "indicator_values-0-id": figures[0]["id"] if figures else "",
            "indicator_values-0-report": report.pk,
            "indicator_values-0-value": "999",
        },
    )

    assert response.status_code == 403
    assert Report.objects.values().get(pk=report.pk) == before
    assert list(TaskProgress.objects.filter(report=report).values()) == progress
    assert list(IndicatorValue.objects.filter(report=report).values()) == figures
    assert (TaskProgress.history.count(), IndicatorValue.history.count(), Report.history.count()) == history


def test_the_admin_list_says_where_reports_are_changed_and_offers_no_bulk_change(admin_client, setting):
    bring(setting, Status.ACCEPTED)
    html = admin_client.get(reverse("admin:reports_report_changelist")).content.decode()
    assert "不能在此修改或删除" in html
    assert "delete_selected" not in html
    assert admin_client.get(reverse("admin:reports_report_delete", args=[setting.report.pk])).status_code == 403


# Every change of progress or of a figure is on record


def test_each_saved_change_of_progress_and_figures_is_recorded_with_who_and_when(setting):
    s = setting
    fill(s, local(2026, 1, 12, 9, 0), percent=10, value=1)
    fill(s, local(2026, 1, 12, 9, 30), percent=10, value=1)  # nothing changed: no row
    send(s, local(2026, 1, 12, 10, 0), percent=40, value=3)

    progress = list(TaskProgress.history.filter(report_id=s.report.pk).order_by("history_date"))
    figures = list(IndicatorValue.history.filter(report_id=s.report.pk).order_by("history_date"))
    assert [(row.percent, row.history_date, row.history_user) for row in progress] == [
        (10, local(2026, 1, 12, 9, 0), s.liaison),
        (40, local(2026, 1, 12, 10, 0), s.liaison),
    ]
    assert [(row.value, row.history_type) for row in figures] == [(Decimal(1), "+"), (Decimal(3), "~")]
    assert {row.history_change_reason for row in progress + figures} == {UNIT_EDIT}


def test_a_cleared_figure_is_recorded(setting):
    s = setting
    returned(s)
    report = Report.objects.get(pk=s.report.pk)
    workflow.save_draft(
        report=report, by=s.liaison, at=local(2026, 1, 12, 14, 0), expected_version=report.version,
        work_done="开展普法宣传活动。", indicator_values={s.indicator.pk: None},
    )
    last = IndicatorValue.history.filter(report_id=s.report.pk).latest()
    assert (last.history_type, last.history_user, last.value) == ("-", s.liaison, Decimal(3))
    assert not IndicatorValue.objects.filter(report=s.report).exists()


# The 修改记录 of the report page


def test_the_office_sees_who_changed_which_figure_after_a_return(client, setting):
    s = setting
    returned(s)
    send(s, local(2026, 1, 12, 15, 0), percent=60, value=5, note="已完成入户宣传")

    html = panel(page(client, s.office, s.report).content.decode())
    assert "指标 开展普法宣传活动" in html and "3场</span> → 5场" in html
    assert f"任务 {s.tasks[0].code} 任务1".replace("  ", " ") in html
    assert "40%</span> → 60%" in html and "已完成入户宣传" in html
    assert str(s.liaison) in html and "1月12日 15:00" in html
    # What the unit typed before it first sent the report is in the first version.
    assert "1场" not in html and "10%" not in html
    assert "未经报送页面修改" not in html


def test_the_office_does_not_see_edits_not_yet_sent_but_the_unit_does(client, setting):
    s = setting
    returned(s)
    fill(s, local(2026, 1, 12, 14, 0), percent=70, value=7)

    office_html = panel(page(client, s.office, s.report).content.decode())
    assert "7场" not in office_html and "首次报送后，任务进展和指标数值没有修改。" in office_html
    unit_html = panel(page(client, s.liaison, s.report).content.decode())
    assert "3场</span> → 7场" in unit_html


def test_a_figure_changed_outside_the_report_pages_is_flagged(client, setting):
    s = setting
    bring(s, Status.ACCEPTED)
    figure = IndicatorValue.objects.get(report=s.report)
    figure.value = Decimal(30)
    figure.save()  # a shell or a script: no user, no workflow step

    html = panel(page(client, s.office, s.report).content.decode())
    assert "3场</span> → 30场" in html
    assert "未记录操作人" in html and "未经报送页面修改" in html


def test_no_panel_before_the_first_submission(client, setting):
    s = setting
    fill(s, local(2026, 1, 12, 9, 0), percent=10, value=1)
    assert "data-figure-changes" not in page(client, s.liaison, s.report).content.decode()


def test_the_record_costs_the_same_queries_however_many_changes(client, setting, django_assert_num_queries):
    s = setting
    returned(s)
    fill(s, local(2026, 1, 12, 13, 0), percent=50, value=4)
    send(s, local(2026, 1, 12, 13, 30), percent=55, value=5)
    client.force_login(s.office)
    url = reverse("reports:report_detail", args=[s.report.pk])
    client.get(url)
    with django_assert_num_queries(14) as few:
        small = panel(client.get(url).content.decode())

    workflow.return_report(report=s.report, by=s.office, at=local(2026, 1, 12, 14, 0), comment="再核实。")
    for minute in range(1, 7):
        fill(s, local(2026, 1, 12, 14, minute), percent=55 + minute, value=5 + minute)
    send(s, local(2026, 1, 12, 14, 30), percent=70, value=20)
    with django_assert_num_queries(len(few.captured_queries)):
        large = panel(client.get(url).content.decode())
    assert small.count("list-group-item") == 4
    assert large.count("list-group-item") == 4 + 2 * 7


# Who may see it is unchanged


def test_the_unit_sees_its_own_record_and_strangers_get_404(client, setting):
    s = setting
    returned(s)
    send(s, local(2026, 1, 12, 15, 0), percent=60, value=5)
    assert "3场</span> → 5场" in panel(page(client, s.liaison, s.report).content.decode())
    assert page(client, s.other_liaison, s.report).status_code == 404
    assert page(client, UserFactory(username="stranger"), s.report).status_code == 404
