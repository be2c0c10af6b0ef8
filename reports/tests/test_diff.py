"""What the office sees changed when a returned report comes back."""

import datetime

import pytest
from django.template.loader import render_to_string

from campaigns.models import Membership
from campaigns.tests.factories import MembershipFactory, UserFactory
from reports import workflow
from reports.diff import (
    DELETE,
    EQUAL,
    INSERT,
    Segment,
    compare_versions,
    diff_indicator_values,
    diff_task_progress,
    diff_text,
)
from reports.models import Report, TaskProgress
from reports.tests.factories import AttachmentFactory, ReportFactory
from tasks.tests.factories import IndicatorFactory, TaskFactory


def kinds(segments):
    return [(s.kind, s.text) for s in segments]


# Text


def test_chinese_text_is_compared_character_by_character():
    segments = diff_text("今天开展了普法宣传活动。", "今天在社区开展了两场普法宣传活动。")
    assert kinds(segments) == [
        (EQUAL, "今天"),
        (INSERT, "在社区"),
        (EQUAL, "开展了"),
        (INSERT, "两场"),
        (EQUAL, "普法宣传活动。"),
    ]


def test_replaced_text_shows_the_deletion_before_the_insertion():
    segments = diff_text("发放资料100份。", "发放资料120份。")
    assert kinds(segments) == [(EQUAL, "发放资料1"), (DELETE, "0"), (INSERT, "2"), (EQUAL, "0份。")]


def test_a_lone_shared_character_between_changes_is_folded_into_them():
    assert kinds(diff_text("甲的乙", "丙的丁")) == [(DELETE, "甲的乙"), (INSERT, "丙的丁")]


def test_the_segments_rebuild_both_texts():
    old = "一、开展宣传活动3场。\n二、发放资料。\n三、回访当事人。"
    new = "一、开展宣传活动5场，参加群众120人。\n三、回访当事人12人次。\n四、下步继续推进。"
    segments = diff_text(old, new)
    assert "".join(s.text for s in segments if s.kind != INSERT) == old
    assert "".join(s.text for s in segments if s.kind != DELETE) == new


def test_unchanged_paragraphs_stay_whole():
    segments = diff_text("第一段。\n第二段。\n", "第一段。\n第二段有改动。\n")
    assert segments[0] == Segment(EQUAL, "第一段。\n第二段")


def test_identical_and_empty_texts_have_no_changes():
    assert kinds(diff_text("同样的内容", "同样的内容")) == [(EQUAL, "同样的内容")]
    assert diff_text("", "") == []
    assert kinds(diff_text(None, "新增")) == [(INSERT, "新增")]
    assert kinds(diff_text("删除", "")) == [(DELETE, "删除")]


# Task progress and figures


def progress(task, status="in_progress", percent=50, note="已完成宣传发动。"):
    return {"task": task, "code": f"{task}、", "title": f"任务{task}", "status": status, "percent": percent, "note": note}


def test_task_progress_changes_are_listed_per_task_with_old_and_new():
    old = [progress(1), progress(2), progress(3)]
    new = [progress(1), progress(2, status="completed", percent=100), progress(4, percent=10)]
    changes = diff_task_progress(old, new)
    assert [(c.kind, c.title) for c in changes] == [("changed", "2、 任务2"), ("added", "4、 任务4"), ("removed", "3、 任务3")]
    status, percent = changes[0].changes
    assert (status.label, status.old, status.new) == ("进展状态", "推进中", "已完成")
    assert (percent.label, percent.old, percent.new) == ("完成进度", "50%", "100%")
    assert changes[1].changes[0].new == "推进中 10%"


def test_a_changed_progress_note_carries_a_character_diff():
    (change,) = diff_task_progress([progress(1, note="已开展培训。")], [progress(1, note="已开展两次培训。")])
    (note,) = change.changes
    assert note.label == "进展说明"
    assert kinds(note.segments) == [(EQUAL, "已开展"), (INSERT, "两次"), (EQUAL, "培训。")]


def value(indicator, text, name="开展普法宣传活动"):
    return {"indicator": indicator, "name": name, "measure_unit": "场", "value": text}


def test_figure_changes_ignore_how_the_number_is_written():
    old = [value(1, "3.00"), value(2, "12.50", name="发放宣传资料"), value(3, "1")]
    new = [value(1, "3"), value(2, "20.00", name="发放宣传资料"), value(4, "100.00", name="群众满意度")]
    changes = diff_indicator_values(old, new)
    assert [(c.kind, c.title, c.changes[0].old, c.changes[0].new) for c in changes] == [
        ("changed", "发放宣传资料", "12.5 场", "20 场"),
        ("added", "群众满意度", "", "100 场"),
        ("removed", "开展普法宣传活动", "1 场", ""),
    ]


# Two real versions, as the report page shows them


@pytest.fixture
def returned_and_resubmitted():
    """A report sent, returned by the office and sent again with changes."""
    report = ReportFactory()
    liaison = MembershipFactory(unit=report.unit, role=Membership.Role.LIAISON).user
    office = UserFactory()
    campaign = report.period.rule.campaign
    task = TaskFactory(campaign=campaign, lead_unit=report.unit, code="1、", title="开展普法宣传")
    indicator = IndicatorFactory(campaign=campaign, name="开展普法宣传活动", measure_unit="场")
    report.period.rule.indicators.add(indicator)
    kept = AttachmentFactory(report=report, original_name="签到表.jpg", uploaded_by=liaison)
    dropped = AttachmentFactory(report=report, original_name="旧照片.jpg", uploaded_by=liaison)
    at = report.due_at - datetime.timedelta(days=2)

    def send(when, work_done, percent, figure):
        current = Report.objects.get(pk=report.pk)
        current = workflow.save_draft(
            report=current, by=liaison, at=when, expected_version=current.version,
            work_done=work_done, problems="人手不足。", next_steps="",
            task_progress={task.pk: (TaskProgress.Status.IN_PROGRESS, percent, "")},
            indicator_values={indicator.pk: figure},
        )
        return workflow.submit(report=current, by=liaison, at=when)

    send(at, "在社区开展宣传<script>alert(1)</script>活动。", 30, 2)
    workflow.return_report(report=report, by=office, at=at + datetime.timedelta(hours=2), comment="请写明参加人数。")
    workflow.remove_attachment(attachment=dropped, by=liaison, at=at + datetime.timedelta(hours=3))
    added = AttachmentFactory(report=report, original_name="活动照片.jpg", uploaded_by=liaison)
    send(at + datetime.timedelta(hours=4), "在社区开展宣传<script>alert(1)</script>活动，参加群众120人。", 60, 3)
    old, new = report.versions.order_by("number")
    return old, new, {"kept": kept, "dropped": dropped, "added": added}


@pytest.mark.django_db
def test_compare_versions_finds_every_kind_of_change(returned_and_resubmitted):
    old, new, files = returned_and_resubmitted
    diff = compare_versions(old, new)
    assert [t.label for t in diff.changed_texts] == ["开展情况"]
    assert [c.label for c in diff.tasks[0].changes] == ["完成进度"]
    assert (diff.indicators[0].changes[0].old, diff.indicators[0].changes[0].new) == ("2 场", "3 场")
    assert diff.attachments_added == [files["added"]]
    assert diff.attachments_removed == [files["dropped"]]
    assert diff.has_changes


@pytest.mark.django_db
def test_the_diff_partial_marks_changes_and_escapes_the_units_text(returned_and_resubmitted):
    old, new, _ = returned_and_resubmitted
    html = render_to_string("reports/_version_diff.html", {"old": old, "new": new})
    assert '<ins class="diff-ins">，参加群众120人</ins>' in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<script>" not in html
    assert '<del class="diff-del">30%</del> → <ins class="diff-ins">60%</ins>' in html
    assert "活动照片.jpg" in html and "旧照片.jpg" in html
    assert "存在问题" in html and "未修改" in html


@pytest.mark.django_db
def test_a_version_sent_again_unchanged_says_so(returned_and_resubmitted):
    old, _, _ = returned_and_resubmitted
    html = render_to_string("reports/_version_diff.html", {"old": old, "new": old})
    assert "没有修改" in html
    assert "diff-ins" not in html.split("</p>", 1)[1]
