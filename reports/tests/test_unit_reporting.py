"""A liaison writes, saves, submits and fixes the unit's report."""

import io
import zipfile

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains

from campaigns.models import Membership
from reports import workflow
from reports.models import Attachment, Report, ReportVersion, ReviewEvent
from reports.tests.conftest import local
from tasks.tests.factories import TaskFactory

BEFORE_DEADLINE = local(2026, 1, 12, 10, 0)
AFTER_DEADLINE = local(2026, 1, 14, 9, 0)
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
PDF = b"%PDF-1.7\n" + b"0" * 64


def edit_url(report):
    return reverse("reports:report_edit", args=[report.pk])


def form_data(setting, report=None, **overrides):
    report = report or setting.report
    report.refresh_from_db()
    data = {
        "version": report.version,
        "work_done": "1月8日在辖区3个社区开展普法宣传活动2场，发放宣传资料120份，参加群众80余人。",
        "problems": "基层宣传阵地利用不充分。",
        "next_steps": "结合主题日开展进社区宣传。",
        f"indicator_{setting.indicator.pk}": "2",
    }
    for task in setting.tasks:
        data[f"task_{task.pk}_status"] = "in_progress"
        data[f"task_{task.pk}_percent"] = "30"
        data[f"task_{task.pk}_note"] = "按计划推进。"
    data.update(overrides)
    return data


def docx_bytes():
    """The same bytes at every call: a fixed date in the zip entries, which
    otherwise carry the clock's time (and differ across a second boundary)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(zipfile.ZipInfo("[Content_Types].xml", (2026, 1, 1, 0, 0, 0)), "<Types/>")
        archive.writestr(zipfile.ZipInfo("word/document.xml", (2026, 1, 1, 0, 0, 0)), "<w:document/>")
    return buffer.getvalue()


def test_liaison_saves_a_draft_then_submits_with_an_attachment_on_time(client, setting):
    client.force_login(setting.liaison)
    with time_machine.travel(BEFORE_DEADLINE, tick=False):
        response = client.post(edit_url(setting.report), form_data(setting, save="1"))
        assert response.status_code == 302
        setting.report.refresh_from_db()
        assert setting.report.status == Report.Status.DRAFT
        assert setting.report.indicator_values.get().value == 2
        assert list(setting.report.task_progress.values_list("percent", flat=True)) == [30, 30]

        photo = SimpleUploadedFile("活动照片.png", PNG, content_type="image/png")
        response = client.post(edit_url(setting.report), form_data(setting, submit="1", files=[photo]), follow=True)

    assertContains(response, "已报送领导小组办公室")
    report = Report.objects.get(pk=setting.report.pk)
    assert report.status == Report.Status.SUBMITTED
    assert report.submitted_at == BEFORE_DEADLINE
    assert not report.is_late
    attachment = report.attachments.get()
    assert attachment.original_name == "活动照片.png"
    assert attachment.content_type == "image/png"
    assert not attachment.file.name.endswith(".png"), "stored under a generated name"
    version = report.versions.get()
    assert version.number == 1
    assert list(version.attachments.all()) == [attachment]
    assert version.indicator_values[0]["value"] == "2.00"
    assert report.events.get().action == ReviewEvent.Action.SUBMIT


def test_a_submitted_report_is_read_only_until_returned(client, setting):
    client.force_login(setting.liaison)
    with time_machine.travel(BEFORE_DEADLINE, tick=False):
        client.post(edit_url(setting.report), form_data(setting, submit="1"))
        response = client.post(edit_url(setting.report), form_data(setting, work_done="偷偷修改", save="1"))
        page = client.get(setting.report.get_absolute_url())
    assert response.status_code == 302
    setting.report.refresh_from_db()
    assert "偷偷修改" not in setting.report.work_done
    assertNotContains(page, 'name="submit"')


def test_late_submission_is_recorded_and_needs_a_reason(client, setting):
    client.force_login(setting.liaison)
    with time_machine.travel(AFTER_DEADLINE, tick=False):
        refused = client.post(edit_url(setting.report), form_data(setting, submit="1"))
        assertContains(refused, "请填写逾期说明", status_code=400)
        setting.report.refresh_from_db()
        assert setting.report.submitted_at is None
        # Said at the field itself (the long form's last box on a phone), not only at the top.
        assert refused.context["form"].errors["late_reason"] == ["本期已超过截止时间，请填写逾期说明后再报送。"]
        assertContains(refused, 'id="id_late_reason"', status_code=400)
        assertContains(refused, "is-invalid", status_code=400)
        assert setting.report.work_done == "", "a refused submission saves nothing"

        client.post(edit_url(setting.report), form_data(setting, submit="1", late_reason="集中执法检查，材料延误。"))

    report = Report.objects.get(pk=setting.report.pk)
    assert report.status == Report.Status.SUBMITTED
    assert report.is_late
    assert report.late_reason == "集中执法检查，材料延误。"


def test_a_locked_period_refuses_a_first_submission(client, setting):
    setting.rule.lock_after_days = 1
    setting.rule.save()
    client.force_login(setting.liaison)
    with time_machine.travel(local(2026, 1, 15, 9, 0), tick=False):
        response = client.post(edit_url(setting.report), form_data(setting, submit="1", late_reason="迟了"), follow=True)
    assertContains(response, "本期报送已锁定")
    setting.report.refresh_from_db()
    assert setting.report.status == Report.Status.NOT_STARTED


def test_copy_paste_of_the_previous_report_is_warned_before_submitting(client, setting):
    client.force_login(setting.liaison)
    previous = Report.objects.get(unit=setting.unit, period__number=1)
    text = "1月5日在辖区3个社区开展普法宣传活动2场，发放宣传资料120份，参加群众80余人。"
    with time_machine.travel(local(2026, 1, 5, 10, 0), tick=False):
        client.post(edit_url(previous), form_data(setting, report=previous, work_done=text, submit="1"))
    with time_machine.travel(BEFORE_DEADLINE, tick=False):
        warned = client.post(edit_url(setting.report), form_data(setting, work_done=text, submit="1"))
        assertContains(warned, "与本单位上一期报送的内容完全相同")
        setting.report.refresh_from_db()
        assert setting.report.status == Report.Status.DRAFT, "saved, not sent"

        client.post(edit_url(setting.report), form_data(setting, work_done=text, submit="1", confirmed="1"))
    setting.report.refresh_from_db()
    assert setting.report.status == Report.Status.SUBMITTED


def test_empty_work_done_is_warned(client, setting):
    client.force_login(setting.liaison)
    with time_machine.travel(BEFORE_DEADLINE, tick=False):
        warned = client.post(edit_url(setting.report), form_data(setting, work_done="本周工作正常开展。", submit="1"))
    assertContains(warned, "几乎没有实际内容")


@pytest.mark.parametrize(
    "name, content, message",
    [
        ("病毒.exe", b"MZ" + b"\x00" * 10, "类型不能上传"),
        ("伪装.pdf", b"MZ" + b"\x00" * 10, "内容与扩展名 .pdf 不符"),
        ("照片.jpg", PNG, "看起来是PNG 图片文件"),
        ("空文件.pdf", b"", "是空文件"),
    ],
)
def test_a_bad_attachment_is_refused_with_a_clear_message_and_nothing_changes(client, setting, name, content, message):
    client.force_login(setting.liaison)
    upload = SimpleUploadedFile(name, content)
    with time_machine.travel(BEFORE_DEADLINE, tick=False):
        response = client.post(edit_url(setting.report), form_data(setting, work_done="新内容" * 10, save="1", files=[upload]))
    assertContains(response, message, status_code=400)
    setting.report.refresh_from_db()
    assert setting.report.status == Report.Status.NOT_STARTED
    assert setting.report.work_done == ""
    assert not Attachment.objects.exists()


def test_an_attachment_over_the_size_limit_is_refused(client, setting, settings):
    settings.ATTACHMENT_MAX_BYTES = 1024
    client.force_login(setting.liaison)
    upload = SimpleUploadedFile("大文件.pdf", PDF + b"0" * 2048)
    with time_machine.travel(BEFORE_DEADLINE, tick=False):
        response = client.post(edit_url(setting.report), form_data(setting, save="1", files=[upload]))
    assertContains(response, "超过 0 MB 的上限", status_code=400)
    assert not Attachment.objects.exists()


def test_word_and_chinese_file_names_survive_the_download(client, setting):
    client.force_login(setting.liaison)
    upload = SimpleUploadedFile("签到表（第二周）.docx", docx_bytes())
    with time_machine.travel(BEFORE_DEADLINE, tick=False):
        client.post(edit_url(setting.report), form_data(setting, save="1", files=[upload]))
    attachment = Attachment.objects.get()
    response = client.get(reverse("reports:attachment_download", args=[attachment.pk]))
    assert response.status_code == 200
    assert "filename*=utf-8''%E7%AD%BE%E5%88%B0%E8%A1%A8" in response["Content-Disposition"]
    assert b"".join(response.streaming_content) == docx_bytes()


def test_the_second_of_two_simultaneous_edits_is_refused_and_nothing_is_overwritten(client, setting):
    client.force_login(setting.liaison)
    with time_machine.travel(BEFORE_DEADLINE, tick=False):
        stale = form_data(setting)  # both opened the page at this version
        client.post(edit_url(setting.report), {**stale, "work_done": "第一位同事写的内容：开展宣传活动两场。", "save": "1"})
        response = client.post(edit_url(setting.report), {**stale, "work_done": "第二位同事写的内容", "save": "1"})
    assertContains(response, "已被他人修改", status_code=409)
    assertContains(response, "第二位同事写的内容", status_code=409)  # kept in the form for copying
    setting.report.refresh_from_db()
    assert setting.report.work_done == "第一位同事写的内容：开展宣传活动两场。"


def test_indicator_figures_are_checked_with_messages_that_say_what_is_wrong(client, setting):
    setting.indicator.max_value = 50
    setting.indicator.save()
    client.force_login(setting.liaison)
    with time_machine.travel(BEFORE_DEADLINE, tick=False):
        negative = client.post(edit_url(setting.report), form_data(setting, **{f"indicator_{setting.indicator.pk}": "-1", "save": "1"}))
        too_big = client.post(edit_url(setting.report), form_data(setting, **{f"indicator_{setting.indicator.pk}": "500", "save": "1"}))
        words = client.post(edit_url(setting.report), form_data(setting, **{f"indicator_{setting.indicator.pk}": "两场", "save": "1"}))
        percent = client.post(edit_url(setting.report), form_data(setting, **{f"task_{setting.tasks[0].pk}_percent": "120", "save": "1"}))
    assertContains(negative, "“开展普法宣传活动”不能为负数", status_code=400)
    assertContains(too_big, "超过了单次填报上限 50场", status_code=400)
    assertContains(words, "“开展普法宣传活动”请填写数字", status_code=400)
    assertContains(percent, "完成进度须在 0 到 100 之间", status_code=400)
    assert not setting.report.indicator_values.exists()


def test_with_a_unit_head_the_report_goes_through_sign_off(client, setting, make_user):
    head = make_user(setting.unit, Membership.Role.UNIT_HEAD, "head")
    client.force_login(setting.liaison)
    with time_machine.travel(BEFORE_DEADLINE, tick=False):
        client.post(edit_url(setting.report), form_data(setting, submit="1"))
    setting.report.refresh_from_db()
    assert setting.report.status == Report.Status.PENDING_SIGN_OFF

    client.force_login(head)
    sign_off = reverse("reports:sign_off", args=[setting.report.pk])
    with time_machine.travel(local(2026, 1, 12, 15, 0), tick=False):
        client.post(sign_off, {"action": "return", "comment": "请补充活动照片。"})
    setting.report.refresh_from_db()
    assert setting.report.status == Report.Status.RETURNED

    client.force_login(setting.liaison)
    with time_machine.travel(local(2026, 1, 12, 16, 0), tick=False):
        client.post(edit_url(setting.report), form_data(setting, submit="1"))
    client.force_login(head)
    with time_machine.travel(local(2026, 1, 12, 16, 30), tick=False):
        client.post(sign_off, {"action": "pass"})
    setting.report.refresh_from_db()
    assert setting.report.status == Report.Status.SUBMITTED
    actions = list(setting.report.events.values_list("action", flat=True))
    assert actions == ["submit", "head_return", "submit", "sign_off"]
    assert setting.report.submitted_at == BEFORE_DEADLINE, "the unit's first submission counts for lateness"


def test_the_unit_head_alone_may_sign_off(client, setting):
    with time_machine.travel(BEFORE_DEADLINE, tick=False):
        client.force_login(setting.liaison)
        client.post(edit_url(setting.report), form_data(setting, submit="1"))
        response = client.post(reverse("reports:sign_off", args=[setting.report.pk]), {"action": "pass"})
    assert response.status_code == 403


def test_extension_requested_before_the_deadline_stays_on_record(client, setting):
    client.force_login(setting.liaison)
    with time_machine.travel(BEFORE_DEADLINE, tick=False):
        response = client.post(
            reverse("reports:extension_request", args=[setting.report.pk]),
            {"until": "2026-01-15T17:30", "reason": "本周集中开展专项执法检查。"},
            follow=True,
        )
    assertContains(response, "延期申请已提交")
    extension = setting.report.extension_requests.get()
    assert extension.status == "pending"
    assert extension.requested_due_at == local(2026, 1, 15, 17, 30)

    with time_machine.travel(AFTER_DEADLINE, tick=False):
        late = client.post(
            reverse("reports:extension_request", args=[setting.other_report.pk]),
            {"until": "2026-01-20T17:30", "reason": "来不及"},
        )
    assert late.status_code == 404, "another unit's report"


def test_a_returned_report_shows_the_comment_and_the_changes_after_resubmission(client, setting):
    client.force_login(setting.liaison)
    with time_machine.travel(BEFORE_DEADLINE, tick=False):
        client.post(edit_url(setting.report), form_data(setting, submit="1"))
        workflow.return_report(report=setting.report, by=setting.office, at=BEFORE_DEADLINE, comment="请写明活动地点。")
        page = client.get(setting.report.get_absolute_url())
        assertContains(page, "请写明活动地点。")
        client.post(edit_url(setting.report), form_data(setting, work_done="1月8日在城东社区开展普法宣传活动2场，参加群众80余人。", submit="1"))
    assert ReportVersion.objects.filter(report=setting.report).count() == 2
    client.force_login(setting.office)
    office_page = client.get(setting.report.get_absolute_url())
    assertContains(office_page, "与退回版本（第1次报送）相比的修改")
    assertContains(office_page, "城东")


def test_home_lists_what_the_unit_owes(client, setting):
    client.force_login(setting.liaison)
    with time_machine.travel(BEFORE_DEADLINE, tick=False):
        response = client.get(reverse("reports:unit_home"))
    assertContains(response, "逾期未报（1）")  # period 1, due 2026-01-06
    assertContains(response, "本期待报（1）")
    assertContains(response, setting.tasks[0].title)
    assertNotContains(response, setting.other_unit.name)


@pytest.mark.parametrize("extra_tasks", [0, 12])
def test_report_page_and_home_queries_do_not_grow_with_tasks(client, setting, django_assert_max_num_queries, extra_tasks):
    for _ in range(extra_tasks):
        TaskFactory(campaign=setting.campaign, lead_unit=setting.unit).co_units.add(setting.other_unit)
    client.force_login(setting.liaison)
    with time_machine.travel(BEFORE_DEADLINE, tick=False):
        client.post(edit_url(setting.report), form_data(setting, save="1"))
        with django_assert_max_num_queries(22):
            page = client.get(setting.report.get_absolute_url())
        # The home's tasks with their progress: the tasks, then their lead
        # units' latest accepted reports (reports.progress.task_progress).
        with django_assert_max_num_queries(15):
            home = client.get(reverse("reports:unit_home"))
    assert page.status_code == home.status_code == 200


def test_a_drafts_attachment_stays_with_the_unit_until_it_is_sent(client, setting):
    client.force_login(setting.liaison)
    with time_machine.travel(BEFORE_DEADLINE, tick=False):
        client.post(edit_url(setting.report), form_data(setting, save="1", files=[SimpleUploadedFile("草稿附件.pdf", PDF)]))
    attachment = Attachment.objects.get()
    url = reverse("reports:attachment_download", args=[attachment.pk])
    assert client.get(url).status_code == 200
    client.force_login(setting.office)
    assert client.get(url).status_code == 404, "not sent yet"
    client.force_login(setting.liaison)
    with time_machine.travel(BEFORE_DEADLINE, tick=False):
        client.post(edit_url(setting.report), form_data(setting, submit="1"))
    client.force_login(setting.office)
    assert client.get(url).status_code == 200


def test_the_office_sees_that_a_unit_head_returned_a_report_internally(client, setting, make_user):
    head = make_user(setting.unit, Membership.Role.UNIT_HEAD, "head")
    client.force_login(setting.liaison)
    with time_machine.travel(BEFORE_DEADLINE, tick=False):
        client.post(edit_url(setting.report), form_data(setting, submit="1"))
        client.force_login(head)
        client.post(reverse("reports:sign_off", args=[setting.report.pk]), {"action": "return", "comment": "补充照片"})
        client.force_login(setting.office)
        page = client.get(setting.report.get_absolute_url())
    assertContains(page, "单位负责人已退回联络员修改")


def test_a_photo_shows_as_a_thumbnail_through_the_same_checked_view(client, setting):
    client.force_login(setting.liaison)
    uploads = [SimpleUploadedFile("现场照片.png", PNG), SimpleUploadedFile("签到表.pdf", PDF)]
    with time_machine.travel(BEFORE_DEADLINE, tick=False):
        client.post(edit_url(setting.report), form_data(setting, save="1", files=uploads))
        page = client.get(setting.report.get_absolute_url())
    photo, sheet = Attachment.objects.get(original_name="现场照片.png"), Attachment.objects.get(original_name="签到表.pdf")
    photo_url = reverse("reports:attachment_download", args=[photo.pk])
    assertContains(page, f'src="{photo_url}?inline=1"')
    assertContains(page, 'loading="lazy"')
    assertNotContains(page, f'{reverse("reports:attachment_download", args=[sheet.pk])}?inline=1')

    shown = client.get(photo_url, {"inline": "1"})
    assert shown.status_code == 200 and shown["Content-Type"] == "image/png"
    assert shown["Content-Disposition"].startswith("inline")
    assert client.get(photo_url)["Content-Disposition"].startswith("attachment")
    pdf = client.get(reverse("reports:attachment_download", args=[sheet.pk]), {"inline": "1"})
    assert pdf["Content-Disposition"].startswith("attachment"), "only checked photos are shown in the page"

    client.force_login(setting.other_liaison)
    assert client.get(photo_url, {"inline": "1"}).status_code == 404


def test_an_attachment_whose_file_was_not_restored_answers_a_clear_404(client, setting):
    client.force_login(setting.liaison)
    upload = SimpleUploadedFile("签到表.docx", docx_bytes())
    with time_machine.travel(BEFORE_DEADLINE, tick=False):
        client.post(edit_url(setting.report), form_data(setting, save="1", files=[upload]))
    attachment = Attachment.objects.get()
    attachment.file.storage.delete(attachment.file.name)
    for query in ({}, {"inline": "1"}):
        response = client.get(reverse("reports:attachment_download", args=[attachment.pk]), query)
        assertContains(response, "文件不存在，可能尚未从备份中恢复", status_code=404)


def test_a_pasted_megabyte_of_work_done_is_refused_and_nothing_changes(client, setting):
    client.force_login(setting.liaison)
    before = Report.objects.values_list("work_done", "version").get(pk=setting.report.pk)
    with time_machine.travel(BEFORE_DEADLINE, tick=False):
        response = client.post(edit_url(setting.report), form_data(setting, save="1", work_done="x" * 1_000_000))
    assertContains(response, "“开展情况”最多10000字，请精简后再提交。", status_code=400)
    assert Report.objects.values_list("work_done", "version").get(pk=setting.report.pk) == before
