"""The year-end report (年度情况报告): a draft the office edits, not a figure
typed by hand.

    doc = build_annual_report(campaign=campaign, year=2025)
    data = render_docx(doc)

Its parts, in order:
- one section per top-level task (一、二、…), and within it one per
  second-level task (（一）（二）…): the indicator totals written as the
  sentences the office set on the indicators, completion rates of indicator
  pairs, the task progress notes and the work the units reported (开展情况),
  each text once, with its unit named;
- every indicator against its target, in a table, and the rates;
- the year's inspections and rectification items;
- the problems and next steps the units reported.

Only the year's accepted reports count (see documents.selectors); task
progress is reports.progress as of 31 December, as every page reads it. A unit's
开展情况 is about all its work, so it goes under the first task the unit
leads (else the first it supports), not under each of its tasks. The number
of queries does not depend on the number of units or reports: figures are
aggregated in the database and texts are streamed.
"""

import re
from dataclasses import dataclass, field

from django.utils import timezone

from core.numerals import chinese_numeral
from core.official import Heading, OfficialDocument, Paragraph, Table
from tasks.models import PATH_STEP, figure, percent

from . import selectors
from .wording import indicator_sentence

TRAILING = "。；;，,、 "
NO_WORK = "本年度审核通过的报送中没有本项工作的记录。"
NO_INSPECTION = "本年度无督导检查记录。"


def tidy(text):
    """A unit's text as one paragraph: whitespace collapsed, ends trimmed."""
    return re.sub(r"\s+", " ", text or "").strip()


def sentence_list(sentences):
    """Sentences joined with commas into one, ending with a full stop."""
    parts = [s.strip().rstrip(TRAILING) for s in sentences if s and s.strip()]
    return "，".join(parts) + "。" if parts else ""


def report_title(campaign, year):
    name = campaign.short_title or campaign.title
    work = "" if name.endswith("工作") else "工作"
    return f"关于{year}年{name}{work}情况的报告"


@dataclass
class Section:
    """The text gathered for one task (and its subtree below level 2)."""

    task: object
    sentences: list = field(default_factory=list)
    notes: dict = field(default_factory=dict)  # unit id -> [text], first seen first
    work: dict = field(default_factory=dict)
    children: list = field(default_factory=list)

    def add(self, bucket, unit_id, text, seen):
        text = tidy(text)
        key = (id(self), bucket, unit_id, text)
        if text and key not in seen:
            seen.add(key)
            getattr(self, bucket).setdefault(unit_id, []).append(text)

    @property
    def empty(self):
        return not (self.sentences or self.notes or self.work)


class AnnualReport:
    def __init__(self, *, campaign, year, at):
        self.campaign, self.year, self.at = campaign, year, at
        self.seen = set()
        self.unit_ids = set()

    # Gathering

    def gather(self):
        campaign, year = self.campaign, self.year
        self.reporting = selectors.reporting_figures(campaign=campaign, year=year)
        self.tasks = selectors.campaign_tasks(campaign=campaign)
        self.sections = {}  # tree_path prefix of a level-1 or level-2 task -> Section
        self.top = []
        for task in self.tasks:
            if task.depth == 0:
                section = self.sections[task.tree_path] = Section(task)
                self.top.append(section)
            elif task.depth == 1 and task.tree_path[:PATH_STEP] in self.sections:
                section = self.sections[task.tree_path] = Section(task)
                self.sections[task.tree_path[:PATH_STEP]].children.append(section)
        self.section_of_task = {task.pk: self.section_for(task.tree_path) for task in self.tasks}
        self.other = Section(None)  # work of units that hold no task

        self.indicators = selectors.campaign_indicators(campaign=campaign)
        self.totals = selectors.year_totals(campaign=campaign, year=year)
        self.by_id = {indicator.pk: indicator for indicator in self.indicators}
        self.general_sentences = []
        # A task count (国家下达双随机抽查任务) speaks through its completion
        # rate, unless the office wrote it a sentence of its own.
        counts = {indicator.denominator_id for indicator in self.indicators if indicator.denominator_id in self.by_id}
        for indicator in self.indicators:
            own = "" if indicator.pk in counts and not indicator.sentence_pattern else self.sentence(indicator)
            sentences = [own, self.rate_sentence(indicator)]
            sentences = [s for s in sentences if s]
            section = self.section_of_task.get(indicator.task_id)
            (section.sentences if section else self.general_sentences).extend(sentences)

        for task_id, unit_id, note in selectors.progress_notes(campaign=campaign, year=year):
            section = self.section_of_task.get(task_id)
            if section is not None:
                section.add("notes", unit_id, note, self.seen)
                self.unit_ids.add(unit_id)

        home = self.home_sections()
        self.problems, self.next_steps = Section(None), Section(None)
        for unit_id, work_done, problems, next_steps in selectors.report_texts(campaign=campaign, year=year):
            home.get(unit_id, self.other).add("work", unit_id, work_done, self.seen)
            self.problems.add("work", unit_id, problems, self.seen)
            self.next_steps.add("work", unit_id, next_steps, self.seen)
            self.unit_ids.add(unit_id)
        self.progress = selectors.task_progress(campaign=campaign, year=year)
        self.unit_ids.update(lead_id for _, lead_id, _ in self.progress.tasks)
        self.units = selectors.units_by_id(self.unit_ids)
        self.supervision = selectors.supervision_figures(campaign=campaign, year=year, at=self.at)

    def section_for(self, tree_path):
        """The level-2 section a task falls in, else its level-1 section."""
        return self.sections.get(tree_path[: 2 * PATH_STEP]) or self.sections.get(tree_path[:PATH_STEP])

    def home_sections(self):
        """{unit id: the section its 开展情况 goes under}: the first task it
        leads, else the first it supports, in plan order."""
        home = {}
        for task in self.tasks:
            if task.lead_unit_id and task.lead_unit_id not in home:
                home[task.lead_unit_id] = self.section_of_task[task.pk]
        for task in self.tasks:
            for unit_id in task.co_unit_ids:
                home.setdefault(unit_id, self.section_of_task[task.pk])
        return home

    def sentence(self, indicator):
        """The indicator's own sentence: its pattern, else the default
        wording; a completed count with a rate pattern speaks in that only."""
        if indicator.rate_pattern and not indicator.sentence_pattern:
            return ""
        if indicator.denominator_id in self.by_id and not indicator.sentence_pattern:
            return ""  # said by the default rate sentence
        return indicator_sentence(indicator, self.totals.get(indicator.pk))

    def rate_sentence(self, indicator):
        """The completion rate of a pair: the office's rate pattern, else
        国家下达双随机抽查任务82件，完成82件，完成率100%."""
        if indicator.denominator_id not in self.by_id:
            return ""
        done, assigned = self.totals.get(indicator.pk), self.totals.get(indicator.denominator_id)
        if indicator.rate_pattern:
            return indicator.rate_sentence(done, assigned)
        if done is None:
            return indicator_sentence(self.by_id[indicator.denominator_id], assigned) if assigned is not None else ""
        if not assigned:
            return indicator_sentence(indicator, done)
        count = self.by_id[indicator.denominator_id]
        unit = indicator.measure_unit or count.measure_unit
        return (
            f"{count.name}{figure(assigned)}{count.measure_unit}，完成{figure(done)}{unit}，"
            f"完成率{percent(done, assigned)}"
        )

    # Writing

    def unit_name(self, unit_id):
        unit = self.units.get(unit_id)
        return unit.display_name if unit else ""

    def texts(self, bucket):
        """Paragraphs of a bucket, grouped by unit in the office's unit order."""
        order = {unit_id: position for position, unit_id in enumerate(self.units)}
        paragraphs = []
        for unit_id in sorted(bucket, key=lambda pk: order.get(pk, len(order))):
            name = self.unit_name(unit_id)
            paragraphs.extend(Paragraph(f"{name}：{text}" if name else text) for text in bucket[unit_id])
        return paragraphs

    def section_blocks(self, section):
        blocks = []
        if section.sentences:
            blocks.append(Paragraph(f"{self.year}年，{sentence_list(section.sentences)}"))
        blocks.extend(self.texts(section.notes))
        blocks.extend(self.texts(section.work))
        return blocks

    def task_sections(self):
        blocks = []
        for number, section in enumerate(self.top, start=1):
            blocks.append(Heading(f"{chinese_numeral(number)}、{section.task.title}", level=1))
            own = self.section_blocks(section)
            blocks.extend(own)
            for sub_number, child in enumerate(section.children, start=1):
                blocks.append(Heading(f"（{chinese_numeral(sub_number)}）{child.task.title}", level=2))
                blocks.extend(self.section_blocks(child) or [Paragraph(NO_WORK)])
            if not own and not section.children:
                blocks.append(Paragraph(NO_WORK))
        if not self.other.empty:
            blocks.append(Heading(f"{chinese_numeral(len(self.top) + 1)}、其他工作", level=1))
            blocks.extend(self.section_blocks(self.other))
        return blocks

    def indicator_blocks(self):
        blocks = []
        if self.general_sentences:
            blocks.append(Paragraph(f"{self.year}年，{sentence_list(self.general_sentences)}"))
        if not self.indicators:
            return blocks + [Paragraph("本活动未设置指标。")]
        rows = []
        for number, indicator in enumerate(self.indicators, start=1):
            value = self.totals.get(indicator.pk)
            met = indicator.is_met(value)
            rows.append(
                [
                    str(number),
                    indicator.name,
                    indicator.measure_unit,
                    indicator.get_aggregation_display(),
                    "—" if value is None else figure(value),
                    indicator.target_display or "—",
                    {True: "达标", False: "未达标", None: "—"}[met],
                ]
            )
        blocks.append(
            Table(header=["序号", "指标", "计量单位", "汇总方式", f"{self.year}年汇总", "目标值", "对照目标"], rows=rows)
        )
        pairs = [indicator for indicator in self.indicators if indicator.denominator_id in self.by_id]
        if pairs:
            rate_rows = []
            for indicator in pairs:
                done, assigned = self.totals.get(indicator.pk), self.totals.get(indicator.denominator_id)
                rate_rows.append(
                    [
                        indicator.name,
                        "—" if assigned is None else figure(assigned),
                        "—" if done is None else figure(done),
                        percent(done, assigned) if done is not None and assigned else "—",
                    ]
                )
            blocks.append(Table(header=["完成项", "任务数", "完成数", "完成率"], rows=rate_rows))
        return blocks

    def progress_blocks(self):
        """Each task's progress and each lead unit's, as of 31 December
        (reports.progress: the lead unit's latest accepted figure)."""
        p = self.progress
        if not p.tasks:
            return [Paragraph("本活动没有明确牵头单位的任务。")]
        done = sum(1 for task_id, _, _ in p.tasks if task_id in p.progress and p.progress[task_id].done)
        blocks = [
            Paragraph(
                f"截至{self.year}年底，明确牵头单位的{len(p.tasks)}项任务中已完成{done}项，"
                f"平均完成进度{figure(p.overall)}%（每项任务取牵头单位最近一次审核通过的报送所填进度，未填报的计0）。"
            )
        ]
        codes = {task.pk: task for task in self.tasks}
        rows = []
        for task_id, lead_id, _ in p.tasks:
            task, found = codes[task_id], p.progress.get(task_id)
            rows.append(
                [
                    task.code,
                    task.title,
                    self.unit_name(lead_id),
                    f"{found.percent}%" if found else "未填报",
                    found.status_label if found else "—",
                ]
            )
        blocks.append(Table(header=["编号", "任务", "牵头单位", "完成进度", "进展状态"], rows=rows))
        by_unit = p.by_unit()
        led = {}
        for _, lead_id, _ in p.tasks:
            led[lead_id] = led.get(lead_id, 0) + 1
        unit_rows = [
            [str(number), self.unit_name(unit_id), str(led[unit_id]), f"{figure(by_unit[unit_id])}%"]
            for number, unit_id in enumerate((pk for pk in self.units if pk in by_unit), start=1)
        ]
        blocks.append(Table(header=["序号", "单位", "牵头任务数", "平均完成进度"], rows=unit_rows))
        return blocks

    def supervision_blocks(self):
        s = self.supervision
        if not s["inspections"]:
            return [Paragraph(NO_INSPECTION)]
        kinds = "、".join(f"{label}{count}次" for label, count in s["by_kind"])
        text = f"{self.year}年，共开展督导检查{s['inspections']}次（{kinds}），发现问题{s['findings']}个"
        if s["total"]:
            text += (
                f"，形成整改事项{s['total']}项，已整改销号{s['closed']}项（其中按期销号{s['closed_on_time']}项），"
                f"整改完成率{percent(s['closed'], s['total'])}；尚未销号{s['not_closed']}项"
            )
            if s["overdue"]:
                text += f"（其中已超过整改期限{s['overdue']}项）"
        return [Paragraph(text + "。")]

    def opening(self):
        campaign, r = self.campaign, self.reporting
        plan = f"《{campaign.title}》" + (f"（{campaign.document_number}）" if campaign.document_number else "")
        return Paragraph(
            f"{self.year}年，按照{plan}的部署，{r['units']}个责任单位按要求报送工作进展，"
            f"全年应报送{r['owed']}份，经审核通过{r['accepted']}份。现将{self.year}年工作情况报告如下："
        )

    def document(self, issued_on):
        self.gather()
        blocks = [self.opening(), *self.task_sections()]
        number = len(self.top) + (0 if self.other.empty else 1)
        closing = [
            ("主要指标完成情况", self.indicator_blocks()),
            ("重点任务推进情况", self.progress_blocks()),
            ("督导检查和整改情况", self.supervision_blocks()),
            ("存在的问题和不足", self.texts(self.problems.work) or [Paragraph("各单位本年度未报告存在的问题。")]),
            ("下一步工作计划", self.texts(self.next_steps.work) or [Paragraph("各单位本年度未报告下一步工作计划。")]),
        ]
        for offset, (title, section_blocks) in enumerate(closing, start=1):
            blocks.append(Heading(f"{chinese_numeral(number + offset)}、{title}", level=1))
            blocks.extend(section_blocks)
        return OfficialDocument(
            title=report_title(self.campaign, self.year),
            number="",
            recipients="",
            issuer=self.campaign.issuing_unit.name,
            issued_on=issued_on,
            blocks=blocks,
        )


def build_annual_report(*, campaign, year, at=None, issued_on=None):
    """The year-end report of `campaign` for `year`, as an OfficialDocument.
    `at` is when overdue rectifications are counted (default now); the
    document is dated `issued_on` (default: at's day)."""
    at = at or timezone.now()
    issued_on = issued_on or timezone.localdate(at)
    return AnnualReport(campaign=campaign, year=year, at=at).document(issued_on)


def valid_years(campaign):
    """The years a campaign's year-end report may be written for."""
    return list(range(campaign.starts_on.year, campaign.ends_on.year + 1))


def file_name(campaign, year):
    return f"{report_title(campaign, year)}.docx"

