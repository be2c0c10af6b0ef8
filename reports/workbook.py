"""The aggregated Excel workbook (报送情况汇总) the office sends to leaders.

`build(campaign=..., date_from=..., date_to=..., out=..., at=...)` writes it
with openpyxl in write-only mode: rows are streamed from the database
(`values_list(...).iterator()`), figures are aggregated in SQL, and the sheet
XML goes to a temporary file as it is written, so memory stays flat whatever
the size of the campaign. Rates come from `reports.rates`, the one
definition the pages use too.

Anything a user typed is written as text: a work report that starts with
"=" must never become a formula when a leader opens the file.
"""

import datetime
import itertools
from copy import copy

from django.db.models import Q
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell import Cell, WriteOnlyCell
from openpyxl.cell.cell import ERROR_CODES, ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.utils.exceptions import IllegalCharacterError
from openpyxl.worksheet._write_only import WriteOnlyWorksheet
from openpyxl.worksheet.worksheet import Worksheet

from campaigns.models import Unit
from tasks.models import Indicator, Task

from . import deadlines, indicators, rates
from .models import IndicatorValue, Period, Report, light
from .progress import campaign_progress

SHEETS = ["汇总", "报送情况", "任务进展", "指标汇总", "明细", "逾期清单", "任务督办"]

# Sheets that the apps above reports add after these (supervision's 整改台账),
# as (name, write(writer), progress weight), registered from their
# AppConfig.ready() in the order the apps are installed.
EXTRA_SHEETS = []


def add_sheet(name, write, *, weight=5):
    """Add a sheet at the end of every workbook: `write(writer)` writes it with
    the WorkbookWriter's helpers (`writer.sheet(...)`, `writer.append(...)`)."""
    if all(existing != name for existing, _, _ in EXTRA_SHEETS):
        EXTRA_SHEETS.append((name, write, weight))
CHUNK = 2000
# Reports whose figures and task progress count: what the unit sent and the
# office has not sent back.
COUNTED = [Report.Status.SUBMITTED, Report.Status.ACCEPTED]
HEADER_ROW = 3

# The status lights of the pages (static/css/app.css), and the one the
# workbook adds: sent, waiting for the unit head's sign-off.
LIGHTS = {
    "on_time": ("按时报送", "198754", "FFFFFF"),
    "late": ("逾期报送", "FD7E14", "000000"),
    "overdue": ("逾期未报", "DC3545", "FFFFFF"),
    "returned": ("已退回", "6F42C1", "FFFFFF"),
    "exempt": ("免报", "0DCAF0", "000000"),
    "open": ("未到期", "ADB5BD", "000000"),
    "pending": ("待单位负责人审核", "0D6EFD", "FFFFFF"),
}
STATUS_LABELS = dict(Report.Status.choices)


def sheet_light(status, due_at, submitted_at, at):
    if status == Report.Status.PENDING_SIGN_OFF:
        return "pending"
    name = light(status=status, due_at=due_at, submitted_at=submitted_at, at=at)
    return "open" if name == "due_soon" else name


def day_bounds(date_from, date_to):
    """Aware datetimes for a range of local dates, the end exclusive."""
    zone = timezone.get_current_timezone()
    def midnight(day):
        return datetime.datetime.combine(day, datetime.time.min, tzinfo=zone)

    start = midnight(date_from) if date_from else None
    end = midnight(date_to + datetime.timedelta(days=1)) if date_to else None
    return start, end


def report_lookups(campaign, date_from=None, date_to=None, *, prefix=""):
    """Filter arguments for the campaign's reports whose period falls due
    within the dates; with prefix="report__", for rows that belong to them
    (a join rather than an IN subquery: faster on half a million rows)."""
    lookups = {f"{prefix}period__rule__campaign": campaign}
    start, end = day_bounds(date_from, date_to)
    if start:
        lookups[f"{prefix}period__due_at__gte"] = start
    if end:
        lookups[f"{prefix}period__due_at__lt"] = end
    return lookups


def campaign_reports(campaign, date_from=None, date_to=None):
    return Report.objects.filter(**report_lookups(campaign, date_from, date_to))


def range_label(date_from, date_to):
    if date_from and date_to:
        return f"截止日期 {date_from:%Y-%m-%d} 至 {date_to:%Y-%m-%d}"
    if date_from:
        return f"截止日期 {date_from:%Y-%m-%d} 起"
    if date_to:
        return f"截止日期 {date_to:%Y-%m-%d} 及以前"
    return "活动全过程"


def as_fraction(rate):
    """rates.percent() gives 87.5 (a Decimal percentage); Excel's 0.0% wants 0.875."""
    return None if rate is None else float(rate / 100)


class StreamCell(Cell):
    """A styled write-only cell, handed to `StreamSheet.append()`.

    It remembers its style's id: openpyxl looks the id up in the workbook's
    style list (hashing the style) for every cell written, and our cells are
    reused for many rows with one style. Whoever replaces `_style` after the
    cell is written calls `restyle()`."""

    __slots__ = ("_style_id",)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._style_id = None

    @property
    def style_id(self):
        if self._style_id is None:
            self._style_id = Cell.style_id.fget(self)
        return self._style_id

    def restyle(self, style):
        self._style, self._style_id = style, None


class StreamSheet(WriteOnlyWorksheet):
    """openpyxl's write-only sheet, but a prepared cell in a row is written as
    it is. openpyxl first tries such a cell as a value and tells it apart by
    the ValueError (formatted with the cell's repr): on the text-heavy 明细
    sheet that costs more than writing the cell. Written for openpyxl 3.1
    (requirements.txt pins it)."""

    def _values_to_row(self, values, row_idx):
        cell = WriteOnlyCell(self)
        for col_idx, value in enumerate(values, 1):
            if value is None:
                continue
            if value.__class__ is StreamCell:
                value.column, value.row = col_idx, row_idx
                yield value
                continue
            cell.value = value
            cell.column, cell.row = col_idx, row_idx
            yield cell
            if cell.has_style:
                cell = WriteOnlyCell(self)


class Styles:
    """Style arrays built once and copied onto cells: assigning fonts and fills
    cell by cell costs more than writing the cell."""

    def __init__(self, ws):
        thin = Side(style="thin", color="BFBFBF")
        self.arrays = {}
        self._make("title", ws, font=Font(bold=True, size=13))
        self._make("note", ws, font=Font(color="555555"))
        self._make(
            "header",
            ws,
            font=Font(bold=True),
            fill=PatternFill("solid", fgColor="DDEBF7"),
            alignment=Alignment(horizontal="center", vertical="center", wrap_text=True),
            border=Border(left=thin, right=thin, top=thin, bottom=thin),
        )
        self._make("text", ws, quotePrefix=True)
        self._make("wrap", ws, alignment=Alignment(wrap_text=True, vertical="top"))
        self._make("wrap_text", ws, alignment=Alignment(wrap_text=True, vertical="top"), quotePrefix=True)
        self._make("datetime", ws, number_format="yyyy-mm-dd hh:mm")
        self._make("date", ws, number_format="yyyy-mm-dd")
        self._make("rate", ws, number_format="0.0%")
        self._make("integer", ws, number_format="0")
        self._make("decimal", ws, number_format="#,##0.00")
        self._make("tenth", ws, number_format="0.0")
        self._make("bold", ws, font=Font(bold=True))
        for name, (_, fill, font) in LIGHTS.items():
            self._make(
                name,
                ws,
                fill=PatternFill("solid", fgColor=fill),
                font=Font(color=font),
                alignment=Alignment(horizontal="center"),
            )

    def _make(self, name, ws, **attributes):
        cell = WriteOnlyCell(ws)
        for key, value in attributes.items():
            setattr(cell, key, value)
        self.arrays[name] = cell._style

    def cell(self, ws, value, style):
        try:
            cell = StreamCell(ws, value=value)
        except IllegalCharacterError:
            # Control characters pasted from Word: dropped, rather than
            # checked on every cell.
            cell = StreamCell(ws, value=ILLEGAL_CHARACTERS_RE.sub("", value))
        cell._style = copy(self.arrays[style])
        return cell


def assign(cell, value):
    try:
        cell.value = value
    except IllegalCharacterError:
        # Control characters pasted from Word: dropped, rather than checked
        # on every cell.
        cell.value = ILLEGAL_CHARACTERS_RE.sub("", value)


class Slot:
    """A reusable styled cell for one column. Write-only rows are serialised
    the moment they are appended, so one cell object can carry every row's
    value: no cell object and no style copy per row on the big sheets."""

    def __init__(self, styles, ws, style, quoted="text"):
        self.plain = styles.cell(ws, None, style)
        self.quoted = styles.cell(ws, None, quoted)
        self.arrays = styles.arrays

    def __call__(self, value):
        if value is None or value == "":
            return None
        if isinstance(value, str) and (value[0] in "=+-@" or value in ERROR_CODES):
            cell = self.quoted
            assign(cell, value)
            cell.data_type = "s"
            return cell
        assign(self.plain, value)
        return self.plain

    def styled(self, value, style):
        self.plain.restyle(self.arrays[style])
        self.plain.value = value
        return self.plain


class WorkbookWriter:
    def __init__(self, *, campaign, date_from, date_to, at, progress):
        self.campaign = campaign
        self.date_from, self.date_to = date_from, date_to
        self.at = at
        self.zone = timezone.get_current_timezone()
        self.progress = progress or (lambda percent: None)
        self.wb = Workbook(write_only=True)
        self.reports = campaign_reports(campaign, date_from, date_to)
        self.styles = None
        self.done = 0
        self.rows_written = {}

    def counted(self, prefix):
        """Lookups for rows of the reports whose figures and progress count."""
        return {
            **report_lookups(self.campaign, self.date_from, self.date_to, prefix=prefix),
            f"{prefix}status__in": COUNTED,
        }

    # Cells

    def local(self, value):
        # Excel has no time zones: local wall-clock time, as the office reads it.
        return None if value is None else value.astimezone(self.zone).replace(tzinfo=None)

    def text(self, ws, value, style="text"):
        """A typed string that Excel would read as a formula or an error code
        is written as an explicit string with a quote prefix."""
        if value and (value[0] in "=+-@" or value in ERROR_CODES):
            cell = self.styles.cell(ws, value, style)
            cell.data_type = "s"
            return cell
        return value

    def wrapped(self, ws, value):
        if not value:
            return value
        if value[0] in "=+-@" or value in ERROR_CODES:
            return self.text(ws, value, "wrap_text")
        return self.styles.cell(ws, value, "wrap")

    def append(self, ws, row):
        try:
            ws.append(row)
        except IllegalCharacterError:
            ws.append([self._clean(value) for value in row])
        self.rows_written[ws.title] = self.rows_written.get(ws.title, 0) + 1

    def _clean(self, value):
        if isinstance(value, str):
            return ILLEGAL_CHARACTERS_RE.sub("", value)
        if isinstance(value, StreamCell) and isinstance(value.value, str):
            cell = StreamCell(value.parent, value=ILLEGAL_CHARACTERS_RE.sub("", value.value))
            cell._style = copy(value._style)
            cell.data_type = "s"
            return cell
        return value

    def sheet(self, name, *, headers, widths, note=""):
        """A sheet with the title row, a note row and the frozen header row,
        laid out for printing on A4 landscape."""
        ws = StreamSheet(parent=self.wb, title=name)
        self.wb._add_sheet(ws)
        if self.styles is None:
            self.styles = Styles(ws)
        for index, width in enumerate(widths, 1):
            ws.column_dimensions[get_column_letter(index)].width = width
        ws.freeze_panes = f"B{HEADER_ROW + 1}"
        ws.print_title_rows = f"1:{HEADER_ROW}"
        ws.page_setup.orientation = "landscape"
        ws.page_setup.paperSize = Worksheet.PAPERSIZE_A4
        ws.page_setup.fitToWidth = 1
        ws.page_setup.fitToHeight = 0
        ws.sheet_properties.pageSetUpPr.fitToPage = True
        generated = f"{timezone.localtime(self.at, self.zone):%Y-%m-%d %H:%M}"
        title = f"{self.heading(name)}　生成时间：{generated}"
        self.append(ws, [self.styles.cell(ws, title, "title")])
        if callable(note):
            self.append(ws, note(ws))
        else:
            self.append(ws, [self.styles.cell(ws, note, "note")] if note else [])
        self.append(ws, [self.styles.cell(ws, header, "header") for header in headers])
        return ws

    def heading(self, name):
        """A sheet's title row; a workbook of another kind built with these
        helpers (a mock assessment's results) names itself here."""
        return f"《{self.campaign.title}》报送情况汇总 · {name}（{range_label(self.date_from, self.date_to)}）"

    def step(self, weight, fraction=1.0):
        percent = min(99, int(self.done + weight * fraction))
        self.progress(percent)
        if fraction >= 1:
            self.done += weight

    # The sheets

    def build(self, out):
        self.total = self.reports.count()
        self.units = self.unit_names()
        self.campaign_progress = campaign_progress(campaign=self.campaign, as_of=self.date_to, detail=True)
        self.summary()
        self.step(5)
        self.grid()
        self.step(20)
        self.task_progress()
        self.step(10)
        self.indicators()
        self.step(5)
        self.details(weight=50)
        self.overdue()
        self.step(5)
        self.task_deadlines()
        for _, write, weight in EXTRA_SHEETS:
            write(self)
            self.step(weight)
        self.wb.save(out)
        self.progress(100)

    def unit_names(self):
        """{unit id: display name} for the units that owe reports or hold tasks,
        in the order the office lists units."""
        ids = self.reports.values("unit_id")
        tasks = Task.objects.filter(campaign=self.campaign)
        rows = (
            Unit.objects.filter(
                Q(pk__in=ids) | Q(pk__in=tasks.values("lead_unit_id")) | Q(pk__in=tasks.values("co_units"))
            )
            .order_by("sort_order", "name", "pk")
            .values_list("pk", "short_name", "name")
        )
        return {pk: short or name for pk, short, name in rows}

    def summary(self):
        headers = ["单位", "应报", "已报", "按时报送", "逾期报送", "未报", "免报", "报送率", "及时率", "平均任务进度（%）"]
        ws = self.sheet(
            "汇总",
            headers=headers,
            widths=[30, 9, 9, 10, 10, 9, 9, 10, 10, 12],
            note=(
                "应报：截止时间已过且未免报的报送；报送率 = 已报 ÷ 应报，及时率 = 按时报送 ÷ 应报；"
                "平均任务进度 = 单位牵头的各项任务进度的平均值，未填报的计 0（与平台各页面口径一致）。"
            ),
        )
        total = rates.totals(self.reports, at=self.at)
        by_unit = rates.by_unit(self.reports, at=self.at)
        progress = self.campaign_progress.by_unit()
        overall = self.campaign_progress.overall
        self.append(ws, self.rates_row(ws, self.styles.cell(ws, "全部单位（合计）", "bold"), total, overall))
        for unit_id, name in self.units.items():
            if unit_id in by_unit:
                self.append(ws, self.rates_row(ws, self.text(ws, name), by_unit[unit_id], progress.get(unit_id)))

    def rates_row(self, ws, label, figures, progress=None):
        cell = self.styles.cell
        return [
            label,
            figures.expected,
            figures.submitted,
            figures.on_time,
            figures.late,
            figures.missing,
            figures.exempt,
            cell(ws, as_fraction(figures.submission_rate), "rate"),
            cell(ws, as_fraction(figures.on_time_rate), "rate"),
            None if progress is None else cell(ws, float(progress), "tenth"),
        ]

    def grid(self):
        periods = list(
            Period.objects.filter(pk__in=self.reports.values("period_id"))
            .order_by("due_at", "rule__name", "pk")
            .values_list("pk", "rule__name", "label", "due_at")
        )
        columns = {pk: index for index, (pk, *_) in enumerate(periods, 1)}
        ws = self.sheet(
            "报送情况",
            headers=["单位"] + [f"{rule}\n{label}\n{self.local(due):%m-%d}" for _, rule, label, due in periods],
            widths=[30] + [11] * len(periods),
            note=lambda ws: [self.styles.cell(ws, "图例：", "note")]
            + [self.styles.cell(ws, label, name) for name, (label, _, _) in LIGHTS.items()],
        )
        rows = (
            self.reports.order_by("unit__sort_order", "unit__name", "unit_id")
            .values_list("unit_id", "period_id", "status", "due_at", "submitted_at")
            .iterator(chunk_size=CHUNK)
        )
        slots, seen = [None] + [Slot(self.styles, ws, "open") for _ in periods], 0
        labels = {name: short for name, short in zip(LIGHTS, ["按时", "逾期报", "未报", "退回", "免报", "未到期", "待审核"])}
        for unit_id, reports in itertools.groupby(rows, key=lambda row: row[0]):
            row = [None] * (len(periods) + 1)
            row[0] = self.text(ws, self.units[unit_id])
            for _, period_id, status, due_at, submitted_at in reports:
                name = sheet_light(status, due_at, submitted_at, self.at)
                column = columns[period_id]
                row[column] = slots[column].styled(labels[name], name)
                seen += 1
            self.append(ws, row)
            self.step(20, seen / max(self.total, 1))

    def task_progress(self):
        ws = self.sheet(
            "任务进展",
            headers=["编号", "任务名称", "牵头单位", "配合单位", "进展状态", "完成进度（%）", "所报周期", "进展说明"],
            widths=[8, 50, 26, 30, 13, 13, 20, 50],
            note=(
                "任务进度取牵头单位截至所选范围末最近一次审核通过的报送中填写的进展（与平台各页面口径一致）；"
                "“未填报”表示还没有审核通过的进展。"
            ),
        )
        tasks = Task.objects.filter(campaign=self.campaign)
        co_units = {}
        for task_id, unit_id in (
            Task.co_units.through.objects.filter(task__campaign=self.campaign)
            .order_by("unit__sort_order", "unit__name", "unit_id")
            .values_list("task_id", "unit_id")
        ):
            co_units.setdefault(task_id, []).append(unit_id)
        found = self.campaign_progress.progress
        cell = self.styles.cell
        rows = tasks.order_by("tree_path").values_list("pk", "code", "title", "depth", "lead_unit_id")
        for task_id, code, title, depth, lead_id in rows.iterator(chunk_size=CHUNK):
            indented = "　" * depth + title
            co = "、".join(self.units.get(unit_id, "") for unit_id in co_units.get(task_id, []))
            units = [self.text(ws, self.units.get(lead_id, "") if lead_id else ""), self.text(ws, co)]
            if not lead_id:
                self.append(ws, [self.text(ws, code), self.text(ws, indented), *units])
                continue
            progress = found.get(task_id)
            if progress:
                figures = [
                    progress.status_label,
                    cell(ws, progress.percent, "integer"),
                    self.text(ws, progress.period),
                    self.wrapped(ws, progress.note),
                ]
            else:
                figures = ["未填报"]
            self.append(ws, [self.text(ws, code), self.text(ws, indented), *units, *figures])

    def indicators(self):
        ws = self.sheet(
            "指标汇总",
            headers=["指标", "计量单位", "汇总方式", "目标值", "单位", "汇总值", "填报次数", "对照目标"],
            widths=[30, 10, 10, 16, 26, 14, 10, 10],
            note=(
                "汇总范围：已报送和审核通过的报送中填报的数值。求和 = 各期数值之和；平均值 = 各期数值的平均；"
                "最大值 = 各期最大值；最新值 = 最近一期的数值（合计行为各单位最新值之和，比率类指标取平均）。"
                "同一指标由几项报送要求填报时，只按报送频次最短的一项计入，不重复计算。目标值为活动目标，单位行仅供对照。"
            ),
        )
        figures = indicator_figures(IndicatorValue.objects.filter(**self.counted("report__")))
        cell = self.styles.cell
        for indicator in Indicator.objects.filter(campaign=self.campaign).order_by("position", "pk"):
            total, units = figures.get(indicator.pk, (None, {}))
            head = [
                self.text(ws, indicator.name),
                self.text(ws, indicator.measure_unit),
                indicator.get_aggregation_display(),
                self.text(ws, indicator.target_display),
            ]
            value, count = total if total else (None, 0)
            total = [cell(ws, "全部单位（合计）", "bold"), cell(ws, value, "decimal"), count, meets(indicator, value)]
            self.append(ws, head + total)
            for unit_id, name in self.units.items():
                if unit_id in units:
                    value, count = units[unit_id]
                    figures_row = [self.text(ws, name), cell(ws, value, "decimal"), count, meets(indicator, value)]
                    self.append(ws, head + figures_row)

    def details(self, *, weight):
        ws = self.sheet(
            "明细",
            headers=[
                "单位", "报送要求", "报送周期", "截止时间", "状态", "首次报送时间", "是否逾期",
                "开展情况", "存在问题", "下步打算", "逾期说明",
            ],
            widths=[24, 10, 16, 16, 10, 16, 8, 60, 40, 40, 30],
        )
        rows = (
            self.reports.order_by("period__due_at", "period__rule__name", "unit__sort_order", "unit__name", "pk")
            .values_list(
                "unit_id", "period__rule__name", "period__label", "due_at", "status", "submitted_at",
                "work_done", "problems", "next_steps", "late_reason",
            )
            .iterator(chunk_size=CHUNK)
        )
        text, local = self.text, self.local
        due, sent = Slot(self.styles, ws, "datetime"), Slot(self.styles, ws, "datetime")
        work_done, problems, next_steps, late_reason = (Slot(self.styles, ws, "wrap", "wrap_text") for _ in range(4))
        units = {pk: text(ws, name) for pk, name in self.units.items()}
        rule_names, labels = {}, {}
        append, count = ws.append, 0
        for count, row in enumerate(rows, 1):
            submitted_at, due_at = row[5], row[3]
            cells = [
                units[row[0]],
                rule_names.get(row[1]) or rule_names.setdefault(row[1], text(ws, row[1])),
                labels.get(row[2]) or labels.setdefault(row[2], text(ws, row[2])),
                due(local(due_at)),
                STATUS_LABELS[row[4]],
                None if submitted_at is None else sent(local(submitted_at)),
                None if submitted_at is None else ("是" if submitted_at > due_at else "否"),
                work_done(row[6]),
                problems(row[7]),
                next_steps(row[8]),
                late_reason(row[9]),
            ]
            try:
                append(cells)
            except IllegalCharacterError:
                append([self._clean(value) for value in cells])
            if count % CHUNK == 0:
                self.step(weight, count / max(self.total, 1))
        self.rows_written[ws.title] += count
        self.step(weight)

    def overdue(self):
        ws = self.sheet(
            "逾期清单",
            headers=["单位", "报送要求", "报送周期", "截止时间", "逾期天数", "状态"],
            widths=[30, 12, 20, 18, 10, 10],
            note="截至生成时间，已过截止时间仍未报送的报送（免报的不列入）。",
        )
        cell = self.styles.cell
        for unit_id, rule, label, due_at, status in (
            self.reports.filter(status__in=Report.OWED_STATUSES, due_at__lt=self.at)
            .order_by("due_at", "unit__sort_order", "unit__name", "pk")
            .values_list("unit_id", "period__rule__name", "period__label", "due_at", "status")
            .iterator(chunk_size=CHUNK)
        ):
            self.append(
                ws,
                [
                    self.text(ws, self.units[unit_id]),
                    self.text(ws, rule),
                    self.text(ws, label),
                    cell(ws, self.local(due_at), "datetime"),
                    cell(ws, (self.at - due_at).days, "integer"),
                    STATUS_LABELS[status],
                ],
            )

    def task_deadlines(self):
        ws = self.sheet(
            "任务督办",
            headers=["编号", "任务名称", "牵头单位", "完成时限", "督办状态", "信号灯", "完成进度（%）", "序时进度（%）", "逾期天数", "办结申请时间", "办结确认时间"],
            widths=[8, 50, 26, 12, 14, 8, 13, 13, 10, 18, 18],
            note=(
                "有牵头单位的任务对照完成时限的状态（截至生成日期）；序时进度为从所属阶段（或活动）开始到完成时限已过去的时间占比；"
                f"进度落后序时进度超过{deadlines.LAG_POINTS}个百分点为黄灯，逾期未办结为红灯。"
            ),
        )
        today = timezone.localdate(self.at)
        found = self.campaign_progress.progress
        cell = self.styles.cell
        tasks = Task.objects.filter(campaign=self.campaign, lead_unit__isnull=False).select_related("campaign", "phase")
        for task in tasks.order_by("tree_path").iterator(chunk_size=CHUNK):
            progress = found.get(task.pk)
            standing = deadlines.standing(task, today=today, progress=progress.percent if progress else None)
            self.append(
                ws,
                [
                    self.text(ws, task.code),
                    self.text(ws, "　" * task.depth + task.title),
                    self.text(ws, self.units.get(task.lead_unit_id, "")),
                    None if task.due_on is None else cell(ws, task.due_on, "date"),
                    standing.label,
                    standing.light_label,
                    None if progress is None else cell(ws, progress.percent, "integer"),
                    None if standing.elapsed is None else cell(ws, standing.elapsed, "integer"),
                    None if standing.key != "overdue" else cell(ws, -standing.days_left, "integer"),
                    None if task.declared_at is None else cell(ws, self.local(task.declared_at), "datetime"),
                    None if task.finished_at is None else cell(ws, self.local(task.finished_at), "datetime"),
                ],
            )


def indicator_figures(values):
    """{indicator id: ((total, count), {unit id: (value, count)})} over the
    indicator values, each aggregated as its indicator says: the one
    definition of reports.indicators (each indicator counted under one rule;
    最新值 each unit's latest, summed, or averaged for a share), rounded for
    the sheet (5 queries)."""
    return {
        indicator_id: (
            (rounded(found.value), found.count),
            {unit_id: (rounded(value), count) for unit_id, (value, count) in found.units.items()},
        )
        for indicator_id, found in indicators.figures(values).items()
    }


def rounded(value):
    return None if value is None else round(float(value), 2)


def meets(indicator, value):
    met = indicator.is_met(value)
    return "" if met is None else "达标" if met else "未达标"


def build_sheet(*, campaign, out, at, write):
    """Write a workbook of one sheet alone, with the workbook's styles and
    layout: `write(writer)` as given to `add_sheet` (the ledger exported from
    its own page)."""
    writer = WorkbookWriter(campaign=campaign, date_from=None, date_to=None, at=at, progress=None)
    write(writer)
    writer.wb.save(out)
    return writer.rows_written


def build(*, campaign, out, at, date_from=None, date_to=None, progress=None):
    """Write the workbook to `out` (a path or a binary file). `progress` is
    called with a percentage as the sheets are written."""
    writer = WorkbookWriter(campaign=campaign, date_from=date_from, date_to=date_to, at=at, progress=progress)
    writer.build(out)
    return writer.rows_written
