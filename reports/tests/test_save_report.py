"""The report form's one write: the working copy, its files and the submission together."""

from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from reports import services, workflow
from reports.models import Report
from reports.tests.conftest import local

BEFORE_DEADLINE = local(2026, 1, 12, 10, 0)
AFTER_DEADLINE = local(2026, 1, 14, 9, 0)
PDF = b"%PDF-1.7\n" + b"0" * 64


def save(setting, *, at, **overrides):
    report = setting.report
    report.refresh_from_db()
    arguments = {
        "report": report,
        "by": setting.liaison,
        "at": at,
        "expected_version": report.version,
        "work_done": "开展普法宣传活动2场。",
        "problems": "",
        "next_steps": "",
        "task_progress": {task.pk: ("in_progress", 30, "按计划推进。") for task in setting.tasks},
        "indicator_values": {setting.indicator.pk: Decimal("2")},
        **overrides,
    }
    return services.save_report(**arguments)


def test_a_liaison_saves_attaches_and_submits_in_one_step(setting):
    files = [SimpleUploadedFile("方案.pdf", PDF, content_type="application/pdf")]
    report = save(setting, at=BEFORE_DEADLINE, files=files, submit=True)
    assert report.status == Report.Status.SUBMITTED
    assert report.versions.count() == 1
    assert report.attachments.get().original_name == "方案.pdf"
    assert report.task_progress.count() == len(setting.tasks)
    assert report.indicator_values.get().value == Decimal("2")


def test_a_refused_late_submission_keeps_nothing_of_the_attempt(setting):
    files = [SimpleUploadedFile("方案.pdf", PDF, content_type="application/pdf")]
    with pytest.raises(workflow.WorkflowError, match="逾期说明"):
        save(setting, at=AFTER_DEADLINE, files=files, submit=True)
    report = Report.objects.get(pk=setting.report.pk)
    assert report.status == Report.Status.NOT_STARTED
    assert report.work_done == ""
    assert not report.attachments.exists()
    assert not report.task_progress.exists()


def test_a_refused_file_after_the_save_keeps_nothing_and_the_report_can_be_sent_again(setting):
    # The save runs first, then the file is refused: the steps share one
    # transaction without savepoints, so the save goes with it.
    files = [SimpleUploadedFile("方案.pdf", b"not a pdf at all", content_type="application/pdf")]
    version = Report.objects.get(pk=setting.report.pk).version
    with pytest.raises(workflow.WorkflowError, match="内容与扩展名"):
        save(setting, at=BEFORE_DEADLINE, files=files, submit=True)
    report = Report.objects.get(pk=setting.report.pk)
    assert (report.status, report.work_done, report.version) == (Report.Status.NOT_STARTED, "", version)
    assert not report.task_progress.exists() and not report.indicator_values.exists()
    assert not report.history.exclude(history_type="+").exists()

    good = [SimpleUploadedFile("方案.pdf", PDF, content_type="application/pdf")]
    report = save(setting, at=BEFORE_DEADLINE, files=good, submit=True)
    assert report.status == Report.Status.SUBMITTED and report.attachments.count() == 1
