"""任务督办: a task's standing against its deadline and 序时进度, and its 办结
(the lead unit applies with evidence, the office confirms or returns it)."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from campaigns.models import Campaign
from reports import deadlines
from reports.models import Report, TaskProgress
from reports.tests.conftest import build_setting, local
from tasks.models import Task, TaskEvent, TaskEvidence
from tasks.tests.factories import TaskFactory

pytestmark = pytest.mark.django_db

NOW = local(2026, 3, 2, 10, 0)
PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 32


@pytest.fixture
def setting(time_machine):
    time_machine.move_to(NOW, tick=False)
    s = build_setting()
    t1, t2 = s.tasks
    # Campaign from 1 January; t1 due 31 March (two thirds of its span gone on 2 March), t2 due 5 March.
    Task.objects.filter(pk=t1.pk).update(due_on=datetime.date(2026, 3, 31))
    Task.objects.filter(pk=t2.pk).update(due_on=datetime.date(2026, 3, 5))
    for task in s.tasks:
        task.refresh_from_db()
    return s


def test_standing_against_the_deadline():
    campaign_start = datetime.date(2026, 1, 1)
    task = Task(due_on=datetime.date(2026, 4, 10), status="open", campaign=Campaign(starts_on=campaign_start))
    today = datetime.date(2026, 3, 1)
    assert deadlines.standing(task, today=today, progress=60).key == "not_due"
    assert deadlines.standing(task, today=datetime.date(2026, 4, 3), progress=90).key == "due_soon"
    overdue = deadlines.standing(task, today=datetime.date(2026, 4, 11), progress=90)
    assert (overdue.key, overdue.label, overdue.light, overdue.days_left) == ("overdue", "已逾期", "red", -1)
    task.due_on = None
    assert deadlines.standing(task, today=today).label == "未设时限"


def test_traffic_light_compares_progress_with_the_elapsed_share():
    task = Task(due_on=datetime.date(2026, 1, 11), status="open", campaign=Campaign(starts_on=datetime.date(2026, 1, 1)))
    today = datetime.date(2026, 1, 6)  # half the span gone: 序时进度 50%
    assert deadlines.standing(task, today=today, progress=30).elapsed == 50
    assert deadlines.standing(task, today=today, progress=30).light == "green"  # 20 points behind: still green
    assert deadlines.standing(task, today=today, progress=29).light == "yellow"
    assert deadlines.standing(task, today=today, progress=None).light == "yellow"


def test_finished_on_time_or_late_by_the_day_the_unit_applied(setting):
    t1, t2 = setting.tasks
    deadlines.declare(task=t1, by=setting.liaison, at=NOW, text="已完成")
    deadlines.confirm(task=t1, by=setting.office, at=local(2026, 4, 20, 9, 0))
    t1.refresh_from_db()
    assert deadlines.standing(t1, today=datetime.date(2026, 5, 1)).label == "已办结（按期）"
    deadlines.declare(task=t2, by=setting.liaison, at=local(2026, 3, 6, 9, 0), text="已完成")
    deadlines.confirm(task=t2, by=setting.office, at=local(2026, 3, 6, 10, 0))
    t2.refresh_from_db()
    assert deadlines.standing(t2, today=datetime.date(2026, 3, 7)).label == "已办结（逾期）"


def test_liaison_applies_with_evidence_and_office_confirms(client, setting):
    t1 = setting.tasks[0]
    client.force_login(setting.liaison)
    page = client.get(reverse("reports:deadline_task", args=[t1.pk]))
    assert "提交办结申请" in page.content.decode()
    response = client.post(
        reverse("reports:deadline_declare", args=[t1.pk]),
        {"text": "已出台实施细则", "files": [SimpleUploadedFile("照片.png", PNG)]},
        follow=True,
    )
    assert "已提交办结申请" in response.content.decode()
    t1.refresh_from_db()
    assert t1.status == "declared"
    evidence = TaskEvidence.objects.get()
    assert evidence.event.comment == "已出台实施细则"
    # The liaison cannot confirm their own application.
    assert client.post(reverse("reports:deadline_decide", args=[t1.pk]), {"decision": "confirm"}).status_code == 404

    client.force_login(setting.office)
    assert client.get(reverse("reports:deadline_evidence", args=[evidence.pk])).status_code == 200
    response = client.post(reverse("reports:deadline_decide", args=[t1.pk]), {"decision": "confirm"}, follow=True)
    assert "已确认办结" in response.content.decode()
    t1.refresh_from_db()
    assert t1.status == "finished"
    assert list(t1.events.values_list("action", flat=True)) == ["declare", "confirm"]


def test_office_returns_with_a_reason_and_the_unit_applies_again(client, setting):
    t1 = setting.tasks[0]
    deadlines.declare(task=t1, by=setting.liaison, at=NOW, text="已完成")
    client.force_login(setting.office)
    response = client.post(reverse("reports:deadline_decide", args=[t1.pk]), {"decision": "return"}, follow=True)
    assert "退回时请填写理由" in response.content.decode()
    t1.refresh_from_db()
    assert t1.status == "declared"
    client.post(reverse("reports:deadline_decide", args=[t1.pk]), {"decision": "return", "comment": "缺少佐证"})
    t1.refresh_from_db()
    assert (t1.status, t1.declared_at) == ("open", None)
    assert TaskEvent.objects.filter(task=t1, action="return", comment="缺少佐证").exists()
    deadlines.declare(task=t1, by=setting.liaison, at=NOW, text="补充了佐证")
    t1.refresh_from_db()
    assert t1.status == "declared"


def test_bad_evidence_or_no_text_changes_nothing(client, setting):
    t1 = setting.tasks[0]
    client.force_login(setting.liaison)
    response = client.post(
        reverse("reports:deadline_declare", args=[t1.pk]),
        {"text": "已完成", "files": [SimpleUploadedFile("总结.pdf", b"not a pdf")]},
        follow=True,
    )
    assert "不符" in response.content.decode()
    response = client.post(reverse("reports:deadline_declare", args=[t1.pk]), {"text": "  "}, follow=True)
    assert "请填写办结情况" in response.content.decode()
    t1.refresh_from_db()
    assert t1.status == "open"
    assert not TaskEvent.objects.exists() and not TaskEvidence.objects.exists()


def test_applying_twice_is_refused(setting):
    t1 = setting.tasks[0]
    deadlines.declare(task=t1, by=setting.liaison, at=NOW, text="已完成")
    with pytest.raises(deadlines.DeadlineRefused, match="不能重复提交"):
        deadlines.declare(task=t1, by=setting.liaison, at=NOW, text="已完成")
    assert TaskEvent.objects.count() == 1


def test_other_units_and_strangers_get_404(client, setting):
    t1 = setting.tasks[0]
    client.force_login(setting.other_liaison)
    assert client.get(reverse("reports:deadline_task", args=[t1.pk])).status_code == 404
    assert client.post(reverse("reports:deadline_declare", args=[t1.pk]), {"text": "x"}).status_code == 404
    assert client.get(reverse("reports:deadline_list", args=[setting.campaign.pk])).status_code == 404
    # A leader reads but does not decide.
    client.force_login(setting.leader)
    assert client.get(reverse("reports:deadline_task", args=[t1.pk])).status_code == 200
    assert client.post(reverse("reports:deadline_decide", args=[t1.pk]), {"decision": "confirm"}).status_code == 404


def test_the_office_opens_the_list_of_a_campaign_without_tasks(client, setting):
    """The dashboard links every campaign to 任务督办; one with no task yet
    (a civilised-city campaign run by its 测评体系) shows an empty list."""
    from campaigns.tests.factories import CampaignFactory

    bare = CampaignFactory(office_unit=setting.campaign.office_unit)
    client.force_login(setting.office)
    response = client.get(reverse("reports:deadline_list", args=[bare.pk]))
    assert response.status_code == 200 and "没有符合条件的任务" in response.content.decode()
    client.force_login(setting.liaison)
    assert client.get(reverse("reports:deadline_list", args=[bare.pk])).status_code == 404


def test_list_shows_standing_and_light_with_constant_queries(client, setting, django_assert_num_queries):
    t1, t2 = setting.tasks
    report = Report.objects.get(unit=setting.unit, period__number=1)
    Report.objects.filter(pk=report.pk).update(status=Report.Status.ACCEPTED, submitted_at=report.due_at)
    TaskProgress.objects.create(report=report, task=t1, percent=10, status=TaskProgress.Status.IN_PROGRESS)
    client.force_login(setting.office)
    url = reverse("reports:deadline_list", args=[setting.campaign.pk])
    with django_assert_num_queries(7) as small:
        page = client.get(url).content.decode()
    # t1: 10% against 序时进度 67% → yellow; t2 due in 3 days.
    assert 'data-standing="not_due" data-light="yellow"' in page
    assert 'data-standing="due_soon"' in page
    assert "即将到期" in page
    for i in range(5):
        TaskFactory(campaign=setting.campaign, lead_unit=setting.other_unit, due_on=datetime.date(2026, 2, 1))
    with django_assert_num_queries(len(small.captured_queries)):
        page = client.get(url + "?show=overdue").content.decode()
    assert page.count('data-standing="overdue"') == 5
    # The liaison sees only the tasks its unit leads.
    client.force_login(setting.liaison)
    page = client.get(url).content.decode()
    assert page.count("deadline-row") == 2


def test_the_workbooks_task_sheet_lists_each_tasks_standing(setting):
    import io

    import openpyxl

    from reports import workbook

    t1, t2 = setting.tasks
    Task.objects.filter(pk=t2.pk).update(due_on=datetime.date(2026, 2, 20))
    out = io.BytesIO()
    workbook.build(campaign=setting.campaign, out=out, at=NOW)
    out.seek(0)
    ws = openpyxl.load_workbook(out)["任务督办"]
    rows = list(ws.iter_rows(min_row=workbook.HEADER_ROW + 1, values_only=True))
    assert [row[1] for row in rows] == ["任务1", "任务2"]
    assert rows[0][3:6] == (datetime.datetime(2026, 3, 31), "未到期", "黄灯")
    assert rows[1][4:6] == ("已逾期", "红灯") and rows[1][8] == 10


def test_the_dashboard_lists_overdue_tasks(client, setting):
    t1, t2 = setting.tasks
    Task.objects.filter(pk=t2.pk).update(due_on=datetime.date(2026, 2, 20))
    other = TaskFactory(campaign=setting.campaign, lead_unit=setting.other_unit, title="别家的任务", due_on=datetime.date(2026, 2, 1))
    url = reverse("dashboards:campaign", args=[setting.campaign.pk])
    client.force_login(setting.office)
    page = client.get(url).content.decode()
    assert "逾期未办结任务（2）" in page
    assert "逾期 10 天" in page and other.title in page
    assert t1.title + "</a>" not in page.split("overdue-tasks-title")[1].split("</section>")[0]
    # Applied for 办结: no longer listed as overdue.
    deadlines.declare(task=other, by=setting.other_liaison, at=NOW, text="已完成")
    client.force_login(setting.liaison)
    page = client.get(url).content.decode()
    assert "逾期未办结任务（1）" in page and other.title not in page


def test_the_liaisons_home_links_each_led_task_to_its_supervision_page(client, setting):
    from campaigns.models import Campaign

    Campaign.objects.filter(pk=setting.campaign.pk).update(status=Campaign.Status.ACTIVE)
    client.force_login(setting.liaison)
    page = client.get(reverse("reports:unit_home")).content.decode()
    assert reverse("reports:deadline_task", args=[setting.tasks[0].pk]) in page
    assert "完成时限 2026年3月31日 · 办理中" in page


def test_the_office_is_told_of_an_application_and_the_unit_of_the_answer(setting):
    from notifications.models import Notification

    t1 = setting.tasks[0]
    deadlines.declare(task=t1, by=setting.liaison, at=NOW, text="已出台实施细则")
    told = Notification.objects.get(recipient=setting.office)
    assert told.title == f"任务办结申请待确认：{t1}" and "已出台实施细则" in told.body
    assert told.url == reverse("reports:deadline_task", args=[t1.pk])
    deadlines.send_back(task=t1, by=setting.office, at=NOW, reason="缺少佐证")
    returned = Notification.objects.get(recipient=setting.liaison)
    assert "被退回" in returned.title and "缺少佐证" in returned.body
    deadlines.declare(task=t1, by=setting.liaison, at=NOW, text="补充了佐证")
    deadlines.confirm(task=t1, by=setting.office, at=NOW)
    assert Notification.objects.filter(recipient=setting.liaison, title=f"任务已确认办结：{t1}").exists()
    assert Notification.objects.filter(recipient=setting.office).count() == 2
