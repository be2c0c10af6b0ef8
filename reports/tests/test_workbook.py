"""The aggregated Excel workbook: its figures, its safety, and how the office
gets it (requested, built once by the worker, downloaded, retried)."""

import datetime
import io
from decimal import Decimal

import openpyxl
import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone

from campaigns.models import Membership
from campaigns.tests.factories import CampaignFactory, MembershipFactory, UnitFactory
from notifications.models import Delivery, Notification
from reports import exports, workbook
from reports.models import IndicatorValue, Report, TaskProgress, WorkbookExport
from reports.services import generate_periods
from reports.tests.conftest import build_setting, local
from tasks.models import Indicator
from tasks.tests.factories import IndicatorFactory

pytestmark = pytest.mark.django_db

AT = local(2026, 1, 22, 10, 0)
FORMULAS = ["=SUM(A1:A9)", "+86 138", "-1 件未办结", "@所有人", "#N/A", "=HYPERLINK(\"http://x\")"]
S = Report.Status


class World:
    """A campaign with two units and four weekly periods (due 6, 13, 20 and 27
    January) in every state a report can be in at AT, 22 January."""

    def __init__(self):
        setting = build_setting()
        self.setting = setting
        self.campaign, self.unit, self.other = setting.campaign, setting.unit, setting.other_unit
        generate_periods(rule=setting.rule, through=datetime.date(2026, 1, 27))
        self.sum_indicator = setting.indicator
        self.sum_indicator.target_value = Decimal("10")
        self.sum_indicator.save()
        self.latest_indicator = IndicatorFactory(
            campaign=self.campaign, name="志愿者人数", measure_unit="人", aggregation=Indicator.Aggregation.LATEST,
            target_value=Decimal("50"), position=2,
        )
        reports = {(r.unit_id, r.period.number): r for r in Report.objects.select_related("period")}
        u, o = self.unit.pk, self.other.pk
        self.reports = reports
        work_done, problems, next_steps, late_reason = FORMULAS[:4]
        self.set(
            reports[u, 1], S.ACCEPTED, sent=-1,
            work_done=work_done, problems=problems, next_steps=next_steps, late_reason=late_reason,
        )
        self.set(reports[o, 1], S.SUBMITTED, sent=+30, work_done=FORMULAS[4], late_reason=FORMULAS[5])  # late
        self.set(reports[u, 2], S.RETURNED, sent=-2, work_done="退回前的内容")
        self.set(reports[o, 2], S.EXEMPT)
        self.set(reports[u, 3], S.ACCEPTED, sent=+1, work_done="第三期\x0b含控制字符")  # late by an hour
        self.set(reports[o, 3], S.NOT_STARTED)  # overdue
        self.set(reports[u, 4], S.PENDING_SIGN_OFF, sent=-48)  # sent to the head before the deadline
        self.set(reports[o, 4], S.DRAFT, work_done="草稿")  # not yet due
        self.value(reports[u, 1], self.sum_indicator, "3")
        self.value(reports[u, 3], self.sum_indicator, "4.5")
        self.value(reports[o, 1], self.sum_indicator, "2")
        self.value(reports[u, 2], self.sum_indicator, "100")  # returned: not counted
        self.value(reports[o, 4], self.sum_indicator, "100")  # draft: not counted
        self.value(reports[u, 1], self.latest_indicator, "30")
        self.value(reports[u, 3], self.latest_indicator, "40")
        self.value(reports[o, 1], self.latest_indicator, "12")
        task = setting.tasks[0]
        TaskProgress.objects.create(report=reports[u, 1], task=task, status="in_progress", percent=20)
        TaskProgress.objects.create(report=reports[u, 3], task=task, status="in_progress", percent=60, note="=1+1")
        TaskProgress.objects.create(report=reports[o, 1], task=task, status="completed", percent=100)

    def set(self, report, status, *, sent=None, **text):
        submitted_at = report.due_at + datetime.timedelta(hours=sent) if sent is not None else None
        Report.objects.filter(pk=report.pk).update(status=status, submitted_at=submitted_at, **text)

    def value(self, report, indicator, value):
        IndicatorValue.objects.create(report=report, indicator=indicator, value=Decimal(value))

    def build(self, **dates):
        out = io.BytesIO()
        workbook.build(campaign=self.campaign, out=out, at=AT, **dates)
        out.seek(0)
        return openpyxl.load_workbook(out)


@pytest.fixture
def world(db):
    return World()


def rows(ws):
    return list(ws.iter_rows(min_row=workbook.HEADER_ROW + 1, values_only=True))


def expected_rates(reports):
    """The rates' definition written out over model objects."""
    due = [r for r in reports if r.due_at <= AT and r.status != S.EXEMPT]
    submitted = [r for r in due if r.submitted_at is not None]
    on_time = [r for r in submitted if r.submitted_at <= r.due_at]
    exempt = [r for r in reports if r.status == S.EXEMPT]
    return len(due), len(submitted), len(on_time), len(exempt)


def test_summary_figures_equal_the_rates_counted_by_hand(world):
    ws = world.build()["汇总"]
    table = {row[0]: row for row in rows(ws)}
    for label, reports in [
        ("全部单位（合计）", list(Report.objects.all())),
        (world.unit.display_name, list(Report.objects.filter(unit=world.unit))),
        (world.other.display_name, list(Report.objects.filter(unit=world.other))),
    ]:
        expected, submitted, on_time, exempt = expected_rates(reports)
        assert table[label][1:7] == (expected, submitted, on_time, submitted - on_time, expected - submitted, exempt)
        assert table[label][7] == pytest.approx(round(submitted / expected, 3))
        assert table[label][8] == pytest.approx(round(on_time / expected, 3))
    # unit: 3 due (1, 2, 3), all sent, 2 on time; other: 2 due (1, 3; 2 exempt), 1 sent late.
    assert table["全部单位（合计）"][1:7] == (5, 4, 2, 2, 1, 1)
    assert ws.cell(row=4, column=8).number_format == "0.0%"


def test_every_sheet_has_the_title_time_frozen_header_and_print_setup(world):
    book = world.build(date_from=datetime.date(2026, 1, 1), date_to=datetime.date(2026, 1, 31))
    assert book.sheetnames == ["汇总", "报送情况", "任务进展", "指标汇总", "明细", "逾期清单", "任务督办", "整改台账", "模拟测评"]
    for ws in book:
        assert world.campaign.title in ws["A1"].value
        assert "生成时间：2026-01-22 10:00" in ws["A1"].value
        assert "截止日期 2026-01-01 至 2026-01-31" in ws["A1"].value
        assert ws.freeze_panes == "B4"
        assert ws.print_title_rows == "$1:$3"
        assert ws.page_setup.orientation == "landscape"
        assert int(ws.page_setup.paperSize) == int(ws.PAPERSIZE_A4)
        assert ws.sheet_properties.pageSetUpPr.fitToPage


def test_grid_colours_each_report_like_its_status_light(world):
    ws = world.build()["报送情况"]
    fills = {}
    for row in ws.iter_rows(min_row=4):
        for cell in row[1:]:
            fills[(row[0].value, cell.column - 1)] = (cell.value, cell.fill.fgColor.rgb[-6:])
    u, o = world.unit.display_name, world.other.display_name
    assert fills[u, 1] == ("按时", "198754")
    assert fills[o, 1] == ("逾期报", "FD7E14")
    assert fills[u, 2] == ("退回", "6F42C1")
    assert fills[o, 2] == ("免报", "0DCAF0")
    assert fills[u, 3] == ("逾期报", "FD7E14")
    assert fills[o, 3] == ("未报", "DC3545")
    assert fills[u, 4] == ("待审核", "0D6EFD")
    assert fills[o, 4] == ("未到期", "ADB5BD")
    legend = [cell.value for cell in ws[2]]
    assert legend[:8] == ["图例：", "按时报送", "逾期报送", "逾期未报", "已退回", "免报", "未到期", "待单位负责人审核"]


def test_indicator_totals_follow_each_indicators_aggregation(world):
    table = {(row[0], row[4]): row for row in rows(world.build()["指标汇总"])}
    name, latest = world.sum_indicator.name, world.latest_indicator.name
    # Sums over submitted and accepted reports only (the returned and the draft 100s are left out).
    assert table[name, "全部单位（合计）"][5:8] == (3 + 4.5 + 2, 3, "未达标")
    assert table[name, world.unit.display_name][5:7] == (7.5, 2)
    assert table[name, world.other.display_name][5:7] == (2, 1)
    # Latest: the unit's period 3 figure; the total adds each unit's latest.
    assert table[latest, world.unit.display_name][5] == 40
    assert table[latest, "全部单位（合计）"][5:8] == (40 + 12, 3, "达标")
    assert table[latest, "全部单位（合计）"][2] == "最新值"


def test_the_latest_share_of_several_units_is_their_average_not_their_sum(world):
    """Three units at 95 % are not at 285 %: a rate's latest figures average."""
    indicator = world.latest_indicator
    indicator.measure_unit = "%"
    indicator.save()
    table = {(row[0], row[4]): row for row in rows(world.build()["指标汇总"])}
    assert table[indicator.name, world.unit.display_name][5] == 40
    assert table[indicator.name, "全部单位（合计）"][5] == (40 + 12) / 2


def test_task_progress_is_the_lead_units_latest_accepted_progress(world):
    """One row per task (reports.progress): the lead unit's period 3 (accepted)
    figure, not its pending period 4 nor the co-unit's submitted 100 %."""
    table = {row[1].strip("　"): row for row in rows(world.build()["任务进展"])}
    task = world.setting.tasks[0].title
    assert table[task][2:6] == (world.unit.display_name, world.other.display_name, "推进中", 60)
    assert table[task][6] == f"{world.setting.rule.name} {world.reports[world.unit.pk, 3].period.label}"
    assert table[task][7] == "=1+1"
    assert table[world.setting.tasks[1].title][4] == "未填报"
    # As of the end of a range: period 3 ends after 13 January, period 1's 20 % counts.
    early = {row[1].strip("　"): row for row in rows(world.build(date_to=datetime.date(2026, 1, 11))["任务进展"])}
    assert early[task][5] == 20


def test_summary_gives_each_units_task_progress(world):
    summary = {row[0]: row for row in rows(world.build()["汇总"])}
    # The unit leads both tasks: (60 + 0) / 2; the other leads none.
    assert summary[world.unit.display_name][9] == 30.0
    assert summary[world.other.display_name][9] is None
    assert summary["全部单位（合计）"][9] == 30.0


def test_details_list_every_report_with_its_text_and_overdue_list_the_owed(world):
    book = world.build()
    details = rows(book["明细"])
    assert len(details) == Report.objects.count() == 8
    first = next(row for row in details if row[7] == FORMULAS[0])
    assert first[:7] == (
        world.unit.display_name, world.setting.rule.name, world.reports[world.unit.pk, 1].period.label,
        datetime.datetime(2026, 1, 6, 17, 30), "审核通过", datetime.datetime(2026, 1, 6, 16, 30), "否",
    )
    assert first[8:] == tuple(FORMULAS[1:4])
    assert any(row[7] == "第三期含控制字符" and row[6] == "是" for row in details)
    overdue = rows(book["逾期清单"])
    owed = [r for r in Report.objects.all() if r.is_overdue(AT)]
    assert [(row[0], row[4]) for row in overdue] == [(r.unit.display_name, (AT - r.due_at).days) for r in owed]
    assert len(overdue) == 1


def test_formula_like_input_stays_text(world):
    book = world.build()
    cells = [cell for ws in book for row in ws.iter_rows() for cell in row if cell.value in FORMULAS + ["=1+1"]]
    assert {cell.value for cell in cells} == set(FORMULAS) | {"=1+1"}
    assert all(cell.data_type == "s" for cell in cells), [(c.coordinate, c.data_type) for c in cells]


def test_a_range_keeps_only_the_periods_due_within_it(world):
    book = world.build(date_from=datetime.date(2026, 1, 7), date_to=datetime.date(2026, 1, 13))
    assert {row[2] for row in rows(book["明细"])} == {world.reports[world.unit.pk, 2].period.label}
    assert rows(book["汇总"])[0][1:7] == (1, 1, 1, 0, 0, 1)


def test_the_rectification_ledger_lists_every_item_with_its_state(world, time_machine):
    """One item closed on time, one open past its deadline, one rejected with
    a formula-like requirement: the sheet says so, and keeps the text as text."""
    from supervision import services as supervision
    from supervision.models import Inspection

    setting = world.setting
    time_machine.move_to(local(2026, 1, 12, 9, 0), tick=False)
    inspection = supervision.record_inspection(
        campaign=world.campaign, by=setting.office, at=local(2026, 1, 12, 9, 0), kind=Inspection.Kind.UNANNOUNCED,
        inspected_on=datetime.date(2026, 1, 12), inspectors="督导组", units=[(world.unit, None), (world.other, None)],
        findings=[
            supervision.FindingInput(world.unit, "执法记录仪未全程开启", "建立执法记录仪使用台账", datetime.date(2026, 1, 16)),
            supervision.FindingInput(world.unit, "公示栏信息过期", "更新公示栏", datetime.date(2026, 1, 16)),
            supervision.FindingInput(world.other, "文书不规范", "=整改文书", datetime.date(2026, 1, 30)),
        ],
    )
    closed, overdue, rejected = [f.rectification for f in inspection.findings.order_by("pk")]
    supervision.submit_response(item=closed, by=setting.liaison, at=local(2026, 1, 15, 10, 0), text="已建立台账。")
    supervision.verify(item=closed, by=setting.office, at=local(2026, 1, 15, 16, 0))
    supervision.submit_response(item=rejected, by=setting.other_liaison, at=local(2026, 1, 20, 10, 0), text="已整改。")
    supervision.reject(item=rejected, by=setting.office, at=local(2026, 1, 20, 16, 0), reason="缺少整改前后对比照片。")

    ledger = rows(world.build()["整改台账"])
    assert [(row[0], row[3], row[6], row[9], row[10]) for row in ledger] == [
        (world.unit.display_name, "执法记录仪未全程开启", "已销号", "是", None),
        (world.unit.display_name, "公示栏信息过期", "待整改", None, "是"),
        (world.other.display_name, "文书不规范", "已退回", None, None),  # due 1/30, after AT
    ]
    assert ledger[0][1] == datetime.datetime(2026, 1, 12) and ledger[0][5] == datetime.datetime(2026, 1, 16)
    assert ledger[0][8] == datetime.datetime(2026, 1, 15, 16, 0)
    assert ledger[2][4] == "=整改文书"
    assert rows(world.build(date_from=datetime.date(2026, 1, 13))["整改台账"]) == [], "inspected before the range"


def test_the_workbook_reads_a_fixed_number_of_queries(world, django_assert_max_num_queries):
    # Task progress (reports.progress: the lead units' latest reports, then their rows) reads one
    # query more when, as here, a task has no figure; the 任务督办 sheet reads one; the 模拟测评
    # sheet one (none closed here; four when some are).
    with django_assert_max_num_queries(23):
        world.build()
    generate_periods(rule=world.setting.rule, through=datetime.date(2026, 3, 31))
    with django_assert_max_num_queries(23):
        world.build()


# The export's life


@pytest.fixture
def export(world):
    return WorkbookExport.objects.create(
        campaign=world.campaign, requested_by=world.setting.office,
        date_from=datetime.date(2026, 1, 1), date_to=datetime.date(2026, 1, 31),
    )


def test_the_job_builds_a_queued_workbook_once(export, world):
    from reports import jobs

    assert jobs.build_workbook(export.pk) == WorkbookExport.Status.DONE
    export.refresh_from_db()
    first = export.file.name
    assert jobs.build_workbook(export.pk) is None
    export.refresh_from_db()
    assert (export.status, export.percent, export.file.name) == ("done", 100, first)
    with export.file.open("rb") as handle:
        assert openpyxl.load_workbook(handle).sheetnames[0] == "汇总"


def test_a_failure_leaves_a_failed_row_with_a_message_and_no_file(export, monkeypatch, settings, caplog):
    def broken(**kwargs):
        kwargs["progress"](40)
        raise RuntimeError("disk full")

    monkeypatch.setattr(workbook, "build", broken)
    exports.build_export(export_id=export.pk)
    export.refresh_from_db()
    assert export.status == "failed" and export.error == exports.FAILED_MESSAGE
    assert not export.file
    assert not (settings.MEDIA_ROOT / "workbooks").exists()
    assert "disk full" in caplog.text


def test_office_requests_watches_downloads_and_retries(client, world, monkeypatch, django_capture_on_commit_callbacks):
    client.force_login(world.setting.office)
    page = reverse("reports:workbooks", args=[world.campaign.pk])
    last_month = exports.previous_month(timezone.localdate())
    assert client.get(page).context["form"].initial == {"date_from": last_month[0], "date_to": last_month[1]}
    monkeypatch.setattr(workbook, "build", lambda **kwargs: 1 / 0)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(page, {"date_from": "2026-01-01", "date_to": "2026-01-31"})
    assert response.status_code == 302
    export = WorkbookExport.objects.get()
    status = client.get(reverse("reports:workbook_status", args=[export.pk])).json()
    assert status["status"] == "failed" and status["error"] and status["download_url"] is None
    assert client.get(reverse("reports:workbook_download", args=[export.pk])).status_code == 404
    assert "重新生成" in client.get(page).content.decode()

    monkeypatch.undo()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("reports:workbook_retry", args=[export.pk]))
    status = client.get(reverse("reports:workbook_status", args=[export.pk])).json()
    assert status == {
        "status": "done", "status_display": "已生成", "percent": 100, "error": "",
        "download_url": reverse("reports:workbook_download", args=[export.pk]),
    }
    response = client.get(status["download_url"])
    assert response.status_code == 200
    assert "filename*=utf-8''" in response["Content-Disposition"]
    export.refresh_from_db()
    assert export.download_name == f"《{world.campaign}》报送情况汇总_2026-01-01至2026-01-31.xlsx"
    book = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    assert len(rows(book["明细"])) == 8


def test_the_campaigns_leader_reads_and_downloads_workbooks_but_generates_none(client, world, export):
    exports.build_export(export_id=export.pk)
    client.force_login(world.setting.leader)
    page = reverse("reports:workbooks", args=[world.campaign.pk])
    response = client.get(page)
    assert response.status_code == 200
    text = response.content.decode()
    assert "只读：汇总表由领导小组办公室生成" in text and "生成新的汇总表" not in text
    assert reverse("reports:workbook_download", args=[export.pk]) in text
    download = client.get(reverse("reports:workbook_download", args=[export.pk]))
    assert download.status_code == 200
    assert openpyxl.load_workbook(io.BytesIO(b"".join(download.streaming_content)))["明细"]
    assert client.get(reverse("reports:workbook_status", args=[export.pk])).json()["status"] == "done"
    assert client.post(page, {"date_from": "2026-01-01", "date_to": "2026-01-31"}).status_code == 403
    assert client.post(reverse("reports:workbook_retry", args=[export.pk])).status_code == 403
    assert WorkbookExport.objects.count() == 1


def test_liaisons_another_office_and_its_leader_reach_no_workbook(client, world, export):
    exports.build_export(export_id=export.pk)
    other_office = UnitFactory(name="另一个办公室")
    CampaignFactory(office_unit=other_office)
    outsiders = [
        world.setting.liaison,
        MembershipFactory(unit=other_office, role=Membership.Role.OFFICE_STAFF).user,
        MembershipFactory(unit=other_office, role=Membership.Role.LEADER).user,
    ]
    for user in outsiders:
        client.force_login(user)
        for url in [
            reverse("reports:workbooks", args=[world.campaign.pk]),
            reverse("reports:workbook_status", args=[export.pk]),
            reverse("reports:workbook_download", args=[export.pk]),
        ]:
            assert client.get(url).status_code == 404, (user, url)
        assert client.post(reverse("reports:workbook_retry", args=[export.pk])).status_code == 404


def test_monthly_workbooks_are_queued_once_and_the_office_is_notified(world, django_capture_on_commit_callbacks):
    at = local(2026, 2, 1, 1, 30)
    with django_capture_on_commit_callbacks(execute=True):
        queued = exports.queue_monthly_exports(at=at)
    assert exports.queue_monthly_exports(at=at) == []
    assert [(e.campaign, e.date_from, e.date_to) for e in queued] == [
        (world.campaign, datetime.date(2026, 1, 1), datetime.date(2026, 1, 31))
    ]
    export = WorkbookExport.objects.get()
    assert export.status == "done" and export.requested_by is None
    notification = Notification.objects.get(recipient=world.setting.office)
    assert notification.url == reverse("reports:workbooks", args=[world.campaign.pk])
    assert "2026年1月报送情况汇总表" in notification.title
    assert Delivery.objects.get(notification=notification).channel == Delivery.Channel.IN_APP
    assert not Notification.objects.exclude(recipient=world.setting.office).exists()


def test_the_command_writes_the_workbook(world, tmp_path):
    out = tmp_path / "汇总.xlsx"
    call_command(
        "build_report",
        campaign=str(world.campaign.pk),
        date_from="2026-01-01",
        date_to="2026-01-31",
        out=str(out),
        stdout=io.StringIO(),
    )
    assert len(rows(openpyxl.load_workbook(out)["明细"])) == 8


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"campaign": "999"}, "找不到 ID 为“999”的创建活动"),
        ({"date_from": "2026-13-01"}, "--from 的日期“2026-13-01”无法识别"),
        ({"date_from": "2026-02-01", "date_to": "2026-01-01"}, "--to 的日期不能早于 --from 的日期"),
    ],
)
def test_the_command_refuses_bad_input_and_writes_nothing(world, tmp_path, options, message):
    out = tmp_path / "汇总.xlsx"
    with pytest.raises(CommandError, match=message):
        call_command("build_report", **{"campaign": str(world.campaign.pk), "out": str(out), **options})
    assert list(tmp_path.iterdir()) == []


def test_the_request_form_offers_last_month_in_the_browsers_date_format(db):
    # <input type="date"> only accepts YYYY-MM-DD; the Chinese locale's 2026/10/01 shows as empty.
    from reports.office_forms import WorkbookRequestForm

    form = WorkbookRequestForm(initial={"date_from": datetime.date(2026, 10, 1)}, campaign=CampaignFactory())
    assert 'value="2026-10-01"' in str(form["date_from"])


def test_a_build_whose_worker_died_is_marked_failed_and_can_be_retried(db):
    from reports import exports
    from reports.models import WorkbookExport

    campaign = CampaignFactory()
    started = timezone.now() - datetime.timedelta(hours=1)
    stuck = WorkbookExport.objects.create(
        campaign=campaign, date_from=datetime.date(2026, 10, 1), date_to=datetime.date(2026, 10, 31),
        status=WorkbookExport.Status.RUNNING, started_at=started,
    )
    recent = WorkbookExport.objects.create(
        campaign=campaign, date_from=datetime.date(2026, 9, 1), date_to=datetime.date(2026, 9, 30),
        status=WorkbookExport.Status.RUNNING, started_at=timezone.now(),
    )
    assert exports.release_stale_exports(at=timezone.now()) == 1
    stuck.refresh_from_db()
    recent.refresh_from_db()
    assert stuck.status == "failed" and "超时" in stuck.error
    assert recent.status == "running"
    assert exports.retry_export(export=stuck, at=timezone.now())


def test_the_workbooks_page_reads_a_fixed_number_of_queries_and_offers_retry_where_it_may(
    client, world, django_assert_max_num_queries
):
    """重新生成 for the failed and the stalled builds, from the list's one query."""
    now = timezone.now()
    stale_beat = now - exports.STALE_HEARTBEAT - datetime.timedelta(minutes=1)

    def add(count):
        made = []
        for _ in range(count):
            made += [
                WorkbookExport.objects.create(
                    campaign=world.campaign, date_from=datetime.date(2026, 1, 1), date_to=datetime.date(2026, 1, 31),
                    status=status, started_at=started, heartbeat_at=beat, requested_by=world.setting.office,
                )
                for status, started, beat in [
                    (WorkbookExport.Status.FAILED, None, None),
                    (WorkbookExport.Status.RUNNING, stale_beat, stale_beat),
                    (WorkbookExport.Status.RUNNING, now, now),
                    (WorkbookExport.Status.DONE, None, None),
                ]
            ]
        return made

    client.force_login(world.setting.office)
    page = reverse("reports:workbooks", args=[world.campaign.pk])
    failed, stalled, running, done = add(1)
    with django_assert_max_num_queries(7):
        html = client.get(page).content.decode()
    offered = [e.pk for e in (failed, stalled, running, done) if reverse("reports:workbook_retry", args=[e.pk]) in html]
    assert offered == [failed.pk, stalled.pk]
    add(5)
    with django_assert_max_num_queries(7):
        assert client.get(page).status_code == 200


def test_a_workbook_whose_file_was_not_restored_answers_a_clear_404(client, world, export):
    exports.build_export(export_id=export.pk)
    export.refresh_from_db()
    export.file.storage.delete(export.file.name)
    client.force_login(world.setting.office)
    response = client.get(reverse("reports:workbook_download", args=[export.pk]))
    assert response.status_code == 404
    assert "文件不存在，可能尚未从备份中恢复" in response.content.decode()


def test_a_workbook_for_1900_to_9999_is_refused_with_a_message_and_nothing_is_queued(client, world):
    client.force_login(world.setting.office)
    page = reverse("reports:workbooks", args=[world.campaign.pk])
    response = client.post(page, {"date_from": "1900-01-01", "date_to": "9999-12-31"})
    text = response.content.decode()
    assert "起始日期应在" in text and "终止日期应在" in text and "请检查年份是否填错" in text
    assert not WorkbookExport.objects.exists()
