"""A liaison's submission costs the same queries whatever the number of the
unit's tasks and the rule's indicators (issue 19): the report form, saving
the draft, submitting (with and without an attachment) and the home page."""

import datetime
import io
import zipfile
from decimal import Decimal

import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile, TemporaryUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from campaigns.models import Membership
from campaigns.tests.factories import CampaignFactory, MembershipFactory, UnitFactory
from reports import services, workflow
from reports.models import UNIT_EDIT, Attachment, IndicatorValue, Report, ReportVersion, TaskProgress
from reports.services import generate_periods
from reports.tests.conftest import local
from reports.tests.factories import ReportingRuleFactory
from tasks.tests.factories import IndicatorFactory, TaskFactory

BEFORE_DEADLINE = local(2026, 1, 12, 10, 0)
PDF = b"%PDF-1.7\n" + b"0" * 64
SMALL, LARGE = (3, 2), (12, 8)
# Measured (SQLite and PostgreSQL alike), the same for both sizes; before
# the bulk writes a save cost 32 queries for 3 tasks and 62 for 12, a
# submission 53 and 83. A submission also moves the dashboard's running
# figures in its transaction: the report tallies (one upsert) and the
# indicator tallies (its values, the rows locked and written, 5 queries
# whatever the number of indicators). The report is locked once for the
# save, its files and its submission, with no savepoint between them
# (reports.services.save_report): 22 → 18 for a save, 52 → 37 for a
# submission with an attachment. The page locks it before its form reads
# the progress and figures, which the save then writes over without reading
# them again (18 → 15, 37 → 34); the form of a report nobody has touched
# reads no history (selectors.with_history_flags, 13 → 8). A save sent at
# once writes the report's row and its history row once, with the move
# (34 → 32).
LIMITS = {
    "form": 8,
    "first save": 15,
    "save changing every row": 15,
    # The period's and the unit's first sent figures make their tally rows (2 more).
    "submit": 32,
    "submit with an attachment": 32,
    "home": 11,
}


class Unit:
    """A unit of its own campaign leading (and supporting) `tasks` tasks, with
    a weekly rule asking for `indicators` figures, and its liaison."""

    def __init__(self, *, tasks, indicators, name):
        office_unit = UnitFactory()
        self.campaign = CampaignFactory(office_unit=office_unit, starts_on=datetime.date(2026, 1, 1))
        self.unit, other = UnitFactory(), UnitFactory()
        self.tasks = [TaskFactory(campaign=self.campaign, lead_unit=self.unit) for _ in range(tasks - 1)]
        # A task the unit supports: its progress is reported too.
        supported = TaskFactory(campaign=self.campaign, lead_unit=other)
        supported.co_units.add(self.unit)
        self.tasks.append(supported)
        self.indicators = [IndicatorFactory(campaign=self.campaign) for _ in range(indicators)]
        self.rule = ReportingRuleFactory(campaign=self.campaign, weekday=2, starts_on=datetime.date(2026, 1, 1))
        self.rule.indicators.add(*self.indicators)
        generate_periods(rule=self.rule, through=datetime.date(2026, 1, 12))
        self.liaison = MembershipFactory(unit=self.unit, role=Membership.Role.LIAISON, user__username=name).user
        self.office = MembershipFactory(
            unit=office_unit, role=Membership.Role.OFFICE_STAFF, user__username=f"{name}-office"
        ).user
        self.report = Report.objects.get(unit=self.unit, period__number=2)

    def data(self, *, percent, value, **extra):
        self.report.refresh_from_db()
        data = {
            "version": self.report.version,
            "work_done": "1月8日在辖区3个社区开展普法宣传活动2场，发放宣传资料120份，参加群众80余人。",
            "problems": "基层宣传阵地利用不充分。",
            "next_steps": "结合主题日开展进社区宣传。",
        }
        for task in self.tasks:
            data[f"task_{task.pk}_status"] = "in_progress"
            data[f"task_{task.pk}_percent"] = str(percent)
            data[f"task_{task.pk}_note"] = f"推进到{percent}%。"
        for indicator in self.indicators:
            data[f"indicator_{indicator.pk}"] = str(value)
        return {**data, **extra}


def counted(call, *args, **kwargs):
    with CaptureQueriesContext(connection) as queries:
        response = call(*args, **kwargs)
    assert response.status_code in (200, 302), response.status_code
    return len(queries.captured_queries)


def measure(client, unit):
    """The queries of each step of one liaison's submission, and of its resubmission after a return."""
    edit = reverse("reports:report_edit", args=[unit.report.pk])
    client.force_login(unit.liaison)
    counts = {}
    with time_machine.travel(BEFORE_DEADLINE, tick=False):
        counts["form"] = counted(client.get, unit.report.get_absolute_url())
        counts["first save"] = counted(client.post, edit, unit.data(percent=30, value=2, save="1"))
        counts["save changing every row"] = counted(client.post, edit, unit.data(percent=40, value=3, save="1"))
        counts["submit"] = counted(client.post, edit, unit.data(percent=50, value=4, submit="1"))
        workflow.return_report(report=unit.report, by=unit.office, at=BEFORE_DEADLINE, comment="请补充活动照片。")
        pdf = SimpleUploadedFile("活动照片.pdf", PDF, content_type="application/pdf")
        counts["submit with an attachment"] = counted(
            client.post, edit, unit.data(percent=60, value=5, submit="1", files=[pdf])
        )
        counts["home"] = counted(client.get, reverse("reports:unit_home"))
    return counts


def test_a_submission_costs_the_same_queries_for_3_tasks_and_for_12(client, db):
    small = Unit(tasks=SMALL[0], indicators=SMALL[1], name="small")
    large = Unit(tasks=LARGE[0], indicators=LARGE[1], name="large")
    measured = {"small": measure(client, small), "large": measure(client, large)}
    for step in LIMITS:
        print(f"{step}: {SMALL} {measured['small'][step]}, {LARGE} {measured['large'][step]} queries")
    assert measured["small"] == measured["large"]
    for step, limit in LIMITS.items():
        assert measured["large"][step] <= limit, (step, measured["large"][step])
    # Nothing lost, nothing written twice.
    report = large.report
    report.refresh_from_db()
    assert report.status == Report.Status.SUBMITTED
    assert TaskProgress.objects.filter(report=report).count() == LARGE[0]
    assert set(TaskProgress.objects.filter(report=report).values_list("percent", flat=True)) == {60}
    assert IndicatorValue.objects.filter(report=report).count() == LARGE[1]
    assert [v["number"] for v in ReportVersion.objects.filter(report=report).values("number")] == [1, 2]
    latest = report.versions.get(number=2)
    assert len(latest.task_progress) == LARGE[0] and len(latest.indicator_values) == LARGE[1]
    assert {row["percent"] for row in latest.task_progress} == {60}
    assert list(latest.attachments.values_list("original_name", flat=True)) == ["活动照片.pdf"]
    assert Attachment.objects.filter(report=report).count() == 1
    # One history row per row written: created, then changed three times.
    assert TaskProgress.history.filter(report_id=report.pk).count() == LARGE[0] * 4
    assert IndicatorValue.history.filter(report_id=report.pk).count() == LARGE[1] * 4
    # The report's (the periods' reports are made in bulk, without one): two
    # saves, two submissions each saved and sent in one write, the return.
    assert list(Report.history.filter(id=report.pk).order_by("history_id").values_list("status", flat=True)) == [
        "draft", "draft", "submitted", "returned", "submitted"
    ]


def test_one_save_creates_changes_and_clears_rows_each_with_its_history(db):
    unit = Unit(tasks=4, indicators=3, name="mixed")
    report, by = unit.report, unit.liaison
    first, second, third = unit.indicators

    def save(progress, figures):
        report.refresh_from_db()
        return workflow.save_draft(
            report=report, by=by, at=BEFORE_DEADLINE, expected_version=report.version, work_done="开展宣传。",
            task_progress=progress, indicator_values=figures,
        )

    save({unit.tasks[0].pk: ("in_progress", 10, "起步。")}, {first.pk: Decimal("1"), second.pk: Decimal("2")})
    save(
        {task.pk: ("completed" if i == 0 else "in_progress", 20, "推进。") for i, task in enumerate(unit.tasks)},
        {first.pk: None, second.pk: Decimal("2"), third.pk: Decimal("3.5")},
    )
    rows = {p.task_id: (p.status, p.percent, p.note) for p in TaskProgress.objects.filter(report=report)}
    assert rows == {
        task.pk: ("completed" if i == 0 else "in_progress", 20, "推进。") for i, task in enumerate(unit.tasks)
    }
    assert dict(IndicatorValue.objects.filter(report=report).values_list("indicator", "value")) == {
        second.pk: Decimal("2"),
        third.pk: Decimal("3.5"),
    }
    history = IndicatorValue.history.filter(report_id=report.pk)
    # The unchanged figure wrote nothing; the cleared one is on record as deleted, by whom and when.
    assert sorted(history.values_list("indicator_id", "history_type")) == sorted(
        [(first.pk, "+"), (second.pk, "+"), (first.pk, "-"), (third.pk, "+")]
    )
    assert {(h.history_user_id, h.history_date, h.history_change_reason) for h in history} == {
        (by.pk, BEFORE_DEADLINE, UNIT_EDIT)
    }
    assert set(TaskProgress.history.filter(report_id=report.pk).values_list("history_type", flat=True)) == {"+", "~"}
    assert TaskProgress.history.filter(report_id=report.pk).count() == 1 + 4


class ReadsInChunks:
    """An upload's temporary file that remembers its largest single read."""

    def __init__(self, file):
        self.file, self.largest = file, 0

    def read(self, size=-1):
        data = self.file.read(size)
        self.largest = max(self.largest, len(data))
        return data

    def __getattr__(self, name):
        return getattr(self.file, name)

    def __iter__(self):
        return iter(self.file)


def spooled(name, content):
    """An upload as Django's handlers keep one above FILE_UPLOAD_MAX_MEMORY_SIZE: on disk."""
    uploaded = TemporaryUploadedFile(name, "application/octet-stream", len(content), None)
    uploaded.write(content)
    uploaded.seek(0)
    uploaded.file = ReadsInChunks(uploaded.file)
    return uploaded


def docx_of(size):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", b"<w:document/>" + b"0" * size)
    return buffer.getvalue()


def test_an_attachment_is_checked_hashed_and_stored_in_chunks_never_read_whole(db):
    unit = Unit(tasks=1, indicators=0, name="chunks")
    size = 3 * 1024 * 1024
    contents = {"大文件.pdf": b"%PDF-1.7\n" + b"0" * size, "大文件.docx": docx_of(size)}
    files = [spooled(name, content) for name, content in contents.items()]
    unit.report.refresh_from_db()
    services.save_report(
        report=unit.report, by=unit.liaison, at=BEFORE_DEADLINE, expected_version=unit.report.version,
        work_done="上传材料。", problems="", next_steps="", task_progress={}, indicator_values={}, files=files,
    )
    for uploaded in files:
        name, largest = uploaded.name, uploaded.file.largest
        # Sniffed by its head (and a zip's directory), hashed in chunks; moved, not copied, into storage.
        assert 0 < largest <= 64 * 1024, (name, largest)
        uploaded.close()  # as Django does at the end of a request: the file has moved
        stored = Attachment.objects.get(original_name=name)
        assert stored.size == len(contents[name])
        with stored.file.open("rb") as handle:
            assert handle.read() == contents[name]


def test_the_report_is_locked_once_before_its_form_reads_the_progress_and_figures(client, db):
    """The save writes over what the form read (reports.views.unit.report_edit):
    on PostgreSQL the row lock comes first, and only the report's row is locked."""
    unit = Unit(tasks=3, indicators=2, name="order")
    client.force_login(unit.liaison)
    edit = reverse("reports:report_edit", args=[unit.report.pk])
    with time_machine.travel(BEFORE_DEADLINE, tick=False), CaptureQueriesContext(connection) as queries:
        response = client.post(edit, unit.data(percent=30, value=2, submit="1"))
    assert response.status_code == 302
    statements = [q["sql"] for q in queries.captured_queries]
    reads = [i for i, sql in enumerate(statements) if 'FROM "tasks_task"' in sql or 'FROM "tasks_indicator"' in sql]
    assert len(reads) == 2  # the form's; the save reads neither again
    if connection.features.has_select_for_update:
        locks = [i for i, sql in enumerate(statements) if "FOR UPDATE" in sql and 'FROM "reports_report"' in sql]
        assert len(locks) == 1 and locks[0] < min(reads)
        assert statements[locks[0]].endswith('FOR UPDATE OF "reports_report"')


def test_a_submission_takes_the_shared_tally_rows_last(client, db):
    """Every submission of a period writes the same tally rows (the period's
    report and indicator tallies), which stay locked from their write to the
    commit: the version, its attachments and the text's fingerprints are
    written before them, and only the move's audit row after."""
    unit = Unit(tasks=3, indicators=2, name="tallies")
    client.force_login(unit.liaison)
    edit = reverse("reports:report_edit", args=[unit.report.pk])
    pdf = SimpleUploadedFile("活动照片.pdf", PDF, content_type="application/pdf")
    with time_machine.travel(BEFORE_DEADLINE, tick=False), CaptureQueriesContext(connection) as queries:
        response = client.post(edit, unit.data(percent=30, value=2, submit="1", files=[pdf]))
    assert response.status_code == 302
    statements = [q["sql"] for q in queries.captured_queries]

    def where(table, verb=""):
        return [i for i, sql in enumerate(statements) if f'"{table}"' in sql and sql.startswith(verb)]

    first_tally = min(where("reports_reporttally", "UPDATE") + where("reports_indicatortally"))
    for table in ("reports_reportversion", "reports_reportversion_attachments", "reports_textfingerprint"):
        written = where(table, "INSERT")
        assert written and max(written) < first_tally, table
    assert where("reports_report", "UPDATE") == [first_tally - 2]  # the row, then its history row
    after = [sql.split(" (")[0] for sql in statements[first_tally:] if "INSERT" in sql and "tally" not in sql]
    assert len(after) == 1 and '"audit_auditevent"' in after[0], after
