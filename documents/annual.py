"""The documents an office signs, drafted from the campaign's record: the
year-end report (年度情况报告), a phase's summary (阶段总结) and the final
summary (总结报告). A draft the office edits, not a fact sheet.

    doc = build_annual_report(campaign=campaign, year=2025)
    doc = build_summary(campaign=campaign, phase=phase)   # or phase=None: the whole campaign

The outline is the genre's (the sample year-end report shows it):
- an opening that cites the plan and its 文号 and says what came of it;
- one part per top-level task (一、二、…), a subsection per second-level task
  (（一）（二）…), each told in prose: the work the units reported, merged
  across units and months (documents.synthesis: no line per unit and month;
  near-duplicates said once, by their most concrete wording; a sentence that
  only restates a month's figures dropped) as 一是……；二是……, then the
  span's figures, one sentence per indicator (documents.wording);
- 存在的问题、原因及整改措施: the inspections and what is still open, then
  the problems the units reported, merged, each with the cause and measure
  the units gave;
- the next year's (or phase's) plan, from the units' next steps, merged;
- the issuer and date, then the tables as 附件 (every indicator against its
  target; each task's progress).

Every figure is computed once (documents.selectors.totals, the workbook's
aggregation) and every sentence and table reads it, so no rate has two
values. Platform statistics (reports owed, sent, accepted) are the bulletin's
business, never a report to the government's.

Only accepted reports of periods ending in the span count (see
documents.selectors). Task progress is reports.progress as of the span's last
day. The number of queries does not depend on the number of units or
reports: figures are aggregated in the database and texts are streamed.
"""

import datetime
import re
from dataclasses import dataclass, field

from django.utils import timezone

from core.numerals import chinese_numeral
from core.official import Appendix, Heading, OfficialDocument, Paragraph, Table
from tasks.models import PATH_STEP, figure, percent

from . import selectors
from .synthesis import LEANING, best_of, enumerate_items, folded, kept, merge, merge_problems, pairs
from .wording import indicator_sentence, starts_with_verb

TRAILING = "。；;，,、 "
# Items a section says at most: the most often reported, in the order first said.
MAX_ITEMS = 6
MAX_PROBLEMS = 6
MAX_NEXT = 8


def tidy(text):
    """A unit's text as one paragraph: whitespace collapsed, ends trimmed."""
    return re.sub(r"\s+", " ", text or "").strip()


def sentence_list(sentences):
    """Figure sentences as one, ending with a full stop. A sentence that
    opens with a verb (开展…) or holds a comma of its own starts after ；
    (a run of commas reads as one long breath); one that only names what
    was counted (受益机构80家) follows the one before after ，."""
    parts = [s.strip().rstrip(TRAILING) for s in sentences if s and s.strip()]
    if not parts:
        return ""
    text = parts[0]
    for previous, part in zip(parts, parts[1:]):
        clause = "，" in part or "，" in previous or starts_with_verb(re.sub(r"^(?:共计|共|全年|其中)", "", part))
        text += ("；" if clause and len(parts) > 2 else "，") + part
    return text + "。"


def issuer_short(campaign):
    unit = campaign.issuing_unit
    return unit.short_name or unit.name


def report_title(campaign, year):
    """卫滨区卫健委关于2025年法治政府建设情况的报告."""
    return f"{issuer_short(campaign)}关于{year}年{campaign.work_name}情况的报告"


@dataclass
class Span:
    """What a document covers and how its sentences name that time."""

    kind: str
    first: datetime.date
    last: datetime.date
    when: str  # 2025年 / 本阶段 / 活动开展以来: how a figure sentence starts
    nothing: str  # a section with no record
    next_title: str  # the part on what comes next

    @property
    def bounds(self):
        return self.first, self.last


@dataclass(eq=False)
class Section:
    """The text gathered for one task (and its subtree below level 2)."""

    task: object
    keys: set = field(default_factory=set)  # character pairs of its titles and indicators
    sentences: list = field(default_factory=list)
    texts: list = field(default_factory=list)  # (unit id, text, is a task note) in the order reported
    children: list = field(default_factory=list)

    @property
    def empty(self):
        return not (self.sentences or self.texts)


class Drafter:
    def __init__(self, *, campaign, span, at):
        self.campaign, self.span = campaign, span
        # One "as of" for the whole document: the span's end, or the moment
        # it is drafted when that comes first (a report written on 9 December
        # speaks of 9 December, not of the 31st).
        end = timezone.make_aware(datetime.datetime.combine(span.last, datetime.time.max))
        self.at = min(at, end)
        self.as_of = timezone.localdate(self.at)
        self.said = set()  # what a section has said: no later one says it again

    # Gathering

    def gather(self):
        campaign, bounds = self.campaign, self.span.bounds
        self.tasks = selectors.campaign_tasks(campaign=campaign)
        self.sections = {}  # tree_path of a level-1 or level-2 task -> Section
        self.top = []
        for task in self.tasks:
            if task.depth == 0:
                section = self.sections[task.tree_path] = Section(task)
                self.top.append(section)
            elif task.depth == 1 and task.tree_path[:PATH_STEP] in self.sections:
                section = self.sections[task.tree_path] = Section(task)
                self.sections[task.tree_path[:PATH_STEP]].children.append(section)
        self.section_of_task = {task.pk: self.section_for(task.tree_path) for task in self.tasks}
        for task in self.tasks:
            self.section_of_task[task.pk].keys |= pairs(task.title)
        self.other = Section(None)  # work of units that hold no task

        self.indicators = selectors.campaign_indicators(campaign=campaign)
        self.totals = selectors.totals(campaign=campaign, bounds=bounds)
        self.by_id = {indicator.pk: indicator for indicator in self.indicators}
        self.general_sentences = []
        counts = {i.denominator_id for i in self.indicators if i.denominator_id in self.by_id}
        for indicator in self.indicators:
            # A task count (国家下达双随机抽查任务) speaks through its completion
            # rate, unless the office wrote it a sentence of its own.
            own = "" if indicator.pk in counts and not indicator.sentence_pattern else self.sentence(indicator)
            sentences = [s for s in (own, self.rate_sentence(indicator)) if s]
            section = self.section_of_task.get(indicator.task_id)
            if section is not None:
                section.keys |= pairs(indicator.name)
            (section.sentences if section else self.general_sentences).extend(sentences)

        for task_id, unit_id, note in selectors.progress_notes(campaign=campaign, bounds=bounds):
            section = self.section_of_task.get(task_id)
            if section is not None:
                section.texts.append((unit_id, note, True))

        self.names = [indicator.name for indicator in self.indicators]
        sections_of_unit = self.sections_of_units()
        self.problem_texts, self.next_texts = [], []
        for unit_id, work_done, problems, next_steps in selectors.report_texts(campaign=campaign, bounds=bounds):
            if work_done:
                self.place(unit_id, work_done, sections_of_unit.get(unit_id))
            if problems:
                self.problem_texts.append((unit_id, problems))
            if next_steps:
                self.next_texts.append((unit_id, next_steps))
        self.progress = selectors.task_progress(campaign=campaign, as_of=self.as_of)
        unit_ids = {lead_id for _, lead_id, _ in self.progress.tasks}
        for section in self.sections.values():
            unit_ids.update(unit_id for unit_id, _, _ in section.texts)
        unit_ids.update(unit_id for unit_id, _, _ in self.other.texts)
        self.units = selectors.units_by_id(unit_ids)
        self.supervision = selectors.supervision_figures(campaign=campaign, bounds=bounds, at=self.at)

    def section_for(self, tree_path):
        """The level-2 section a task falls in, else its level-1 section."""
        return self.sections.get(tree_path[: 2 * PATH_STEP]) or self.sections.get(tree_path[:PATH_STEP])

    def sections_of_units(self):
        """{unit id: [sections of the tasks it leads, then those it supports]}, in plan order."""
        found = {}
        for task in self.tasks:
            if task.lead_unit_id:
                found.setdefault(task.lead_unit_id, []).append(self.section_of_task[task.pk])
        for task in self.tasks:
            for unit_id in task.co_unit_ids:
                found.setdefault(unit_id, []).append(self.section_of_task[task.pk])
        return {unit_id: list(dict.fromkeys(sections)) for unit_id, sections in found.items()}

    def place(self, unit_id, text, sections):
        """A unit's work under the section of its tasks that it speaks of
        most (its words against the tasks' titles and indicators), each
        sentence on its own; a sentence that names none goes under the first
        task the unit leads, one that leans on the sentence before (其中…)
        goes with it."""
        if not sections:
            self.other.texts.append((unit_id, text, False))
            return
        target = sections[0]
        for _, sentence in kept([(unit_id, text)], self.names):
            if not LEANING.match(sentence):
                grams = pairs(sentence)
                best = max(sections, key=lambda section: (len(grams & section.keys), -sections.index(section)))
                target = best if grams & best.keys else sections[0]
            target.texts.append((unit_id, sentence, False))

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

    def items(self, texts, limit, *, title=""):
        """The distinct things said, the most often said first chosen, then
        put back in the order first said. What an earlier section said is
        not said again, and a note that only repeats the task's title
        (按计划推进“深化执法公开”) says nothing."""
        said = self.said
        found = [
            item
            for item in merge(texts, names=self.names)
            if folded(item.text) not in said and not is_filler(item.text, title)
        ]
        chosen = sorted(found, key=lambda item: (-len(item.unit_ids), -item.mentions, item.first))[:limit]
        said.update(folded(item.text) for item in chosen)
        return sorted(chosen, key=lambda item: item.first)

    def attributed(self, item, several):
        """An item said by one unit, in a section several units wrote, names it."""
        text = item.text
        if several and len(item.unit_ids) == 1:
            name = self.unit_name(item.unit_ids[0])
            if name and not text.startswith(name):
                return f"{name}{text}"
        return text

    def section_blocks(self, section):
        blocks = []
        # Task notes (按计划推进) speak only where the units reported no work.
        texts = [(unit_id, text) for unit_id, text, note in section.texts if not note]
        texts = texts or [(unit_id, text) for unit_id, text, _ in section.texts]
        items = self.items(texts, MAX_ITEMS, title=section.task.title if section.task else "")
        # Work the section's figure sentence already says (指导…重点场所落实防控措施
        # beside 依法指导…65家重点场所落实防控措施) is said there, with its figure.
        figures = [pairs(sentence) for sentence in section.sentences]
        items = [item for item in items if not any(said_by_figure(item.pairs, found) for found in figures)]
        several = len({unit_id for unit_id, _ in texts}) > 1
        if items:
            blocks.append(Paragraph(enumerate_items([self.attributed(item, several) for item in items])))
        if section.sentences:
            blocks.append(Paragraph(f"{self.span.when}，{sentence_list(section.sentences)}"))
        return blocks

    def task_parts(self):
        parts = []
        for section in self.top:
            blocks = self.section_blocks(section)
            for sub_number, child in enumerate(section.children, start=1):
                blocks.append(Heading(f"（{chinese_numeral(sub_number)}）{child.task.title}", level=2))
                blocks.extend(self.section_blocks(child) or [Paragraph(self.no_text(child.task))])
            parts.append((section.task.title, blocks or [Paragraph(self.no_text(section.task))]))
        if not self.other.empty:
            parts.append(("其他工作", self.section_blocks(self.other)))
        if self.general_sentences:
            parts.append(("主要指标完成情况", [Paragraph(f"{self.span.when}，{sentence_list(self.general_sentences)}")]))
        return parts

    def no_text(self, task):
        """A task nobody wrote about: its progress, where its lead unit gave one."""
        found = self.progress.progress.get(task.pk)
        if found is None:
            return self.span.nothing
        if found.done:
            return f"本项工作已完成（截至{written(self.as_of)}）。"
        return f"截至{written(self.as_of)}，本项工作完成进度{found.percent}%，{self.span.nothing.rstrip('。')}。"

    def supervision_sentence(self):
        """The inspections, and what of their findings is still open: counts,
        not a rate, so that no 整改完成率 here contradicts one a unit reported."""
        s = self.supervision
        if not s["inspections"]:
            return ""
        kinds = "、".join(f"{label}{count}次" for label, count in s["by_kind"])
        text = f"{self.span.when}，领导小组办公室开展督导检查{s['inspections']}次（{kinds}），发现问题{s['findings']}个"
        if s["total"]:
            text += f"，形成整改事项{s['total']}项，已整改销号{s['closed']}项"
            if s["closed"] and s["closed_on_time"] != s["closed"]:
                text += f"（其中按期销号{s['closed_on_time']}项）"
            if s["not_closed"]:
                text += f"，尚未销号{s['not_closed']}项"
                if s["overdue"] and s["overdue"] == s["not_closed"]:
                    text += "，均已超过整改期限"
                elif s["overdue"]:
                    text += f"（其中已超过整改期限{s['overdue']}项）"
        return text + "。"

    def problem_part(self):
        """存在的问题、原因及整改措施: what the inspections found and what is
        still open, then the units' problems, each with its cause; then the
        measures the units gave for them."""
        merged = merge_problems(self.problem_texts)
        chosen = sorted(merged, key=lambda item: (-len(item.unit_ids), -item.mentions, item.first))[:MAX_PROBLEMS]
        chosen.sort(key=lambda item: item.first)
        rows = [(item, best_of(c for c, _ in item.extras), best_of(m for _, m in item.extras)) for item in chosen]
        has_cause = any(cause for _, cause, _ in rows)
        has_measure = any(measure for _, _, measure in rows)
        blocks = []
        if supervision := self.supervision_sentence():
            blocks.append(Paragraph(supervision))
        if rows:
            if has_measure or has_cause:
                blocks.append(Heading("（一）存在的问题及原因" if has_cause else "（一）存在的问题", level=2))
            for number, (item, cause, _) in enumerate(rows, start=1):
                blocks.append(Paragraph(f"{number}.{item.text}{cause}"))
            if has_measure:
                # Each measure keeps its problem's number: 2. answers 2.
                blocks.append(Heading("（二）整改措施", level=2))
                for number, (_, _, measure) in enumerate(rows, start=1):
                    if measure:
                        blocks.append(Paragraph(f"{number}.{strip_lead(measure)}"))
        if not blocks:
            blocks.append(Paragraph("各责任单位未报告存在的问题。"))
        title = "存在的问题" + ("、原因" if has_cause else "") + ("及整改措施" if has_measure else "")
        if title == "存在的问题":
            title = "存在的问题和不足"
        elif not has_measure:
            title = "存在的问题及原因"
        return title, blocks

    def next_part(self):
        items = self.items(self.next_texts, MAX_NEXT)
        if not items:
            return self.span.next_title, [Paragraph("各责任单位未报告下一步工作计划。")]
        blocks = [
            Paragraph(f"（{chinese_numeral(number)}）{strip_lead(item.text)}") for number, item in enumerate(items, 1)
        ]
        return self.span.next_title, blocks

    def indicator_table(self):
        if not self.indicators:
            return None
        rows = []
        for number, indicator in enumerate(self.indicators, start=1):
            value = self.totals.get(indicator.pk)
            rate = ""
            if indicator.denominator_id in self.by_id:
                assigned = self.totals.get(indicator.denominator_id)
                rate = percent(value, assigned) if value is not None and assigned else ""
            rows.append(
                [
                    str(number),
                    indicator.name,
                    indicator.measure_unit,
                    "—" if value is None else figure(value),
                    rate or "—",
                    indicator.target_display or "—",
                    {True: "达标", False: "未达标", None: "—"}[indicator.is_met(value)],
                ]
            )
        header = ["序号", "指标", "计量单位", "完成数", "完成率", "目标值", "对照目标"]
        return Appendix("主要指标完成情况表", [Table(header=header, rows=rows)])

    def progress_table(self):
        """Each task's progress as of the span's last day (reports.progress:
        the lead unit's latest accepted figure)."""
        p = self.progress
        if not p.tasks:
            return None
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
        done = sum(1 for task_id, _, _ in p.tasks if task_id in p.progress and p.progress[task_id].done)
        note = Paragraph(
            f"截至{written(self.as_of)}，明确牵头单位的{len(p.tasks)}项任务中已完成{done}项，"
            f"平均完成进度{figure(p.overall)}%（各项任务按牵头单位最近一次经审定的填报进度计算，未填报的按0计算）。"
        )
        by_unit, led = p.by_unit(), {}
        for _, lead_id, _ in p.tasks:
            led[lead_id] = led.get(lead_id, 0) + 1
        unit_rows = [
            [str(number), self.unit_name(unit_id), str(led[unit_id]), f"{figure(by_unit[unit_id])}%"]
            for number, unit_id in enumerate((pk for pk in self.units if pk in by_unit), start=1)
        ]
        return Appendix(
            "重点任务推进情况表",
            [
                note,
                Table(header=["编号", "任务", "牵头单位", "完成进度", "进展状态"], rows=rows),
                Paragraph("各牵头单位平均完成进度："),
                Table(header=["序号", "牵头单位", "牵头任务数", "平均完成进度"], rows=unit_rows),
            ],
        )

    def outcome(self):
        """What came of it, in one clause: tasks done, targets met."""
        p = self.progress
        parts = []
        if p.tasks:
            done = sum(1 for task_id, _, _ in p.tasks if task_id in p.progress and p.progress[task_id].done)
            if done == len(p.tasks):
                parts.append(f"{len(p.tasks)}项重点任务已全部完成")
            elif done:
                parts.append(f"{len(p.tasks)}项重点任务已完成{done}项、平均完成进度{figure(p.overall)}%")
            else:
                parts.append(f"{len(p.tasks)}项重点任务平均完成进度{figure(p.overall)}%")
        with_target = [i for i in self.indicators if i.is_met(self.totals.get(i.pk)) is not None]
        if with_target:
            met = sum(1 for i in with_target if i.is_met(self.totals.get(i.pk)))
            parts.append(
                f"设定目标的{len(with_target)}项指标均达到目标" if met == len(with_target)
                else f"设定目标的{len(with_target)}项指标中{met}项达到目标"
            )
        return "，".join(parts)

    def document(self, *, title, opening, issued_on, issuer, masthead=""):
        """`opening(drafter)` writes the opening once the figures are read."""
        self.gather()
        blocks = [Paragraph(opening(self))]
        parts = self.task_parts() + [self.problem_part(), self.next_part()]
        for number, (heading, part_blocks) in enumerate(parts, start=1):
            blocks.append(Heading(f"{chinese_numeral(number)}、{heading}", level=1))
            blocks.extend(part_blocks)
        appendices = [a for a in (self.indicator_table(), self.progress_table()) if a is not None]
        return OfficialDocument(
            title=title,
            number="",
            recipients="",
            issuer=issuer,
            issued_on=issued_on,
            masthead=masthead,
            blocks=blocks,
            appendices=appendices,
        )


# Words that say work goes on without saying what: 按计划推进, 有序开展.
FILLER = re.compile(r"(?:按|根据|依照)?(?:计划|要求|方案|进度|部署)?(?:有序|稳步|扎实|持续|正在|积极|认真)?(?:推进|开展|落实|实施)(?:中|各项|相关)?(?:工作)?")


def said_by_figure(item_pairs, sentence_pairs):
    """Whether a work item is mostly the words of a figure sentence."""
    return len(item_pairs & sentence_pairs) >= 0.7 * len(item_pairs)


def is_filler(text, title):
    """Whether a sentence says no more than that the task (its title) goes on."""
    rest = folded(text)
    if title:
        rest = rest.replace(folded(title), "")
    return len(FILLER.sub("", rest)) < 4


def strip_lead(text):
    """A measure or plan without the 下一步将 that introduced it: the part's
    heading says it already."""
    text = re.sub(r"^(?:下一步|下步|今后|接下来)[，,]?\s*(?:我们|我委|我局|我单位)?(?:将|要|拟)?", "", text)
    text = re.sub(r"^(?:整改|改进)措施[是为：:]?", "", text)
    return text.lstrip("，,：:") or text


def written(day):
    return f"{day.year}年{day.month}月{day.day}日"


def plan_cited(campaign):
    return f"《{campaign.title}》" + (f"（{campaign.document_number}）" if campaign.document_number else "")


def build_annual_report(*, campaign, year, at=None, issued_on=None):
    """The year-end report of `campaign` for `year`, as an OfficialDocument.
    `at` is when overdue rectifications are counted (default now); the
    document is dated `issued_on` (default: at's day)."""
    at = at or timezone.now()
    issued_on = issued_on or timezone.localdate(at)
    last_year = year >= campaign.ends_on.year
    span = Span(
        kind="annual",
        first=datetime.date(year, 1, 1),
        last=datetime.date(year, 12, 31),
        when=f"{year}年",
        nothing="本年度各责任单位未报送本项工作的具体进展。",
        next_title="下一步工作打算" if last_year else f"{year + 1}年{campaign.work_name}工作安排",
    )
    drafter = Drafter(campaign=campaign, span=span, at=at)
    issuer = campaign.issuing_unit.name

    def opening(drafter):
        outcome = drafter.outcome()
        return (
            f"{year}年，{issuer_short(campaign)}认真贯彻落实{plan_cited(campaign)}部署，"
            f"扎实推进{campaign.work_name}各项工作" + (f"，{outcome}" if outcome else "") + "。"
            f"现将{year}年{campaign.work_name}情况报告如下："
        )

    return drafter.document(title=report_title(campaign, year), opening=opening, issued_on=issued_on, issuer=issuer)


def build_summary(*, campaign, phase=None, at=None, issued_on=None):
    """A phase's summary (阶段总结), or with no phase the campaign's final
    summary (总结报告), as an OfficialDocument."""
    at = at or timezone.now()
    issued_on = issued_on or timezone.localdate(at)
    work = campaign.work_name
    if phase is not None:
        first, last = phase.starts_on, phase.ends_on
        name = f"第{chinese_numeral(phase.order)}阶段（{phase.name}）" if phase.name else f"第{chinese_numeral(phase.order)}阶段"
        span = Span(
            kind="phase", first=first, last=last, when="本阶段",
            nothing="本阶段各责任单位未报送本项工作的具体进展。", next_title="下一阶段工作安排",
        )
        title = f"关于{work}{name}工作情况的总结"
        lead = f"{written(first)}至{written(last)}，{work}{name}"
        tail = "现将本阶段工作情况总结如下："
    else:
        first, last = campaign.starts_on, campaign.ends_on
        span = Span(
            kind="final", first=first, last=last, when="活动开展以来",
            nothing="活动期间各责任单位未报送本项工作的具体进展。", next_title="巩固提升和长效机制建设打算",
        )
        title = f"关于{work}工作情况的总结报告"
        lead = f"{written(first)}至{written(last)}，{work}"
        tail = "现将活动开展情况总结如下："
    drafter = Drafter(campaign=campaign, span=span, at=at)

    def opening(drafter):
        outcome = drafter.outcome()
        return (
            f"按照{plan_cited(campaign)}部署，{lead}各项工作有序推进"
            + (f"，{outcome}" if outcome else "")
            + f"。{tail}"
        )

    return drafter.document(title=title, opening=opening, issued_on=issued_on, issuer=campaign.leading_group_office)


def valid_years(campaign):
    """The years a campaign's year-end report may be written for."""
    return list(range(campaign.starts_on.year, campaign.ends_on.year + 1))


def file_name(campaign, year):
    return f"{report_title(campaign, year)}.docx"
