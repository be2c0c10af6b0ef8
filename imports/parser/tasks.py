"""Tasks from the plan: its task sections (found by heading, or by the units their items carry), its
top-level sections when no heading names the tasks, and its 任务分工表, with their units."""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass, field
from difflib import SequenceMatcher

from core.numerals import ONE_TO_TEN

from .dates import MASK_YEAR
from .numbering import Node, walk
from .text import TABLE_SEP, fold
from .units import UNIT_LABEL, UNIT_LINE, collectives_in, parse_unit_spec, split_units, unit_brackets


@dataclass
class Task:
    code: str
    title: str
    lead_units: list[str] = field(default_factory=list)
    co_units: list[str] = field(default_factory=list)
    children: list[Task] = field(default_factory=list)
    # The deadline the item sets itself (限时办结, 6月底前完成): ISO date, or
    # None when it names none or its year is masked.
    due_on: str | None = None


# A completion deadline inside an item: 2022年10月底前完成, （6月底前完成）, 9月30日前,
# 年底前; not a report's deadline (6月30日前报送).
_DEADLINE = re.compile(
    rf"(?:(?P<year>\d{{4}}|{MASK_YEAR})年)?(?:(?P<month>\d{{1,2}})月(?:(?P<day>\d{{1,2}})[日号]|(?P<qual>底|末|上旬|中旬|下旬))?|(?P<year_end>年底|年末))"
    r"(?:前|以前|之前)(?!.{0,3}(?:报送|上报|报告|报))"
)


def task_deadline(text: str, default_year: int | None) -> str | None:
    """The last completion deadline an item's own text states (ISO), its year
    the plan's when the item does not print one; None for none or a masked year."""
    found = None
    for m in _DEADLINE.finditer(text):
        found = m
    if found is None:
        return None
    year = found["year"]
    if year is None:
        year = default_year
    elif not re.fullmatch(r"\d{4}", year):
        return None
    if year is None:
        return None
    year = int(year)
    if found["year_end"]:
        return dt.date(year, 12, 31).isoformat()
    month = int(found["month"])
    if not 1 <= month <= 12:
        return None
    last = calendar.monthrange(year, month)[1]
    if found["day"]:
        day = int(found["day"])
    else:
        day = {"上旬": 10, "中旬": 20}.get(found["qual"], last)
    return dt.date(year, month, min(day, last)).isoformat() if day >= 1 else None


TASK_SECTION = re.compile(  # matched against fold(heading)
    r"主要任务|主要内容|目标任务|创建措施|工作措施|重点任务|工作任务|主要措施|具体措施|"
    r"重点工作|任务分工|工作重点|整治内容|整治重点|行动内容|具体任务|主要工作|工作内容|重点内容|"
    r"创建内容|实施内容|治理内容|任务措施"
)


# Sections that carry units now and then but are never the task list.
NOT_TASKS = re.compile(
    r"指导思想|总体要求|基本原则|工作目标|总体目标|组织领导|领导小组|组织机构|工作机构|"
    r"工作步骤|实施步骤|步骤|阶段|要求$|保障措施|工作保障|其他事项|"
    r"思路|时间安排|进度安排|行动安排|日程安排|实施范围|适用范围|活动主题|重要意义|背景|依据"
)


# What a report should cover (一、信息报送重点内容 1.上级…的贯彻落实情况 2.…经验做法): kinds of
# information, not work to do. Such a section names no units, and its heading says
# so: the content or focus of what is reported (报送内容, 信息内容, 上报重点, 报告范围).
REPORT_CONTENT = re.compile(
    r"(?:信息(?!化)|报送|上报|报告|统计)[\u4e00-\u9fff]{0,4}(?:内容|重点|范围|要点)"
)


def _is_report_content(node: Node) -> bool:
    return bool(REPORT_CONTENT.search(_heading_of(node))) and not _carries_units(node)


def _heading_of(node: Node) -> str:
    return fold(re.split(r"[。；;：:]", node.text, maxsplit=1)[0])


def _carries_units(node: Node) -> bool:
    """The item or one of its descendants names responsible units."""
    return any(
        _has_units(n) or any(UNIT_LINE.match(p) for p in n.body) or re.search(rf"{UNIT_LABEL}[:：]", n.text)
        for n in walk([node])
    )


def _is_task_list(node: Node) -> bool:
    """A section whose items carry units is a task list, whatever its heading says."""
    head = _heading_of(node)
    if NOT_TASKS.search(head) or len(node.children) < 2:
        return False
    carrying = sum(_carries_units(ch) for ch in node.children)
    return carrying * 2 >= len(node.children) and not _has_units(node)


def task_sections(roots: list[Node]) -> list[Node]:
    found = []
    for node in walk(roots):
        head = _heading_of(node)
        # A heading run into its text (二、主要工作任务和责任分工这次…) opens with the words.
        m = TASK_SECTION.search(head)
        if m and (len(head) <= 20 or m.start() <= 4) and node.children and not _is_report_content(node):
            if not any(anc in found for anc in _ancestors(node)):
                found.append(node)
    return found


def unit_sections(roots: list[Node], found: list[Node]) -> list[Node]:
    """Task lists known by their units, outside the sections `found` by heading
    (一、主要任务 … 三、专项行动 （一）…（A局牵头）)."""
    more: list[Node] = []
    for node in walk(roots):
        taken = [*found, *more]
        if any(anc in taken for anc in _ancestors(node)) or node in taken:
            continue
        if any(n in taken for n in walk(node.children)):
            continue
        if _is_task_list(node):
            more.append(node)
    return more


def top_level_tasks(roots: list[Node]) -> list[Node]:
    """With no task heading, the top-level sections that carry units are the
    tasks themselves (一、提高审批效率 1.…（A局牵头）)."""
    kept = [n for n in roots if not NOT_TASKS.search(_heading_of(n)) and not _is_report_content(n)]
    with_units = [n for n in kept if _carries_units(n)]
    if with_units:
        return with_units
    # A plan that names no units anywhere: its sections with numbered items
    # under a short heading are its work (一、开展拆违专项行动 1.… 2.…).
    return [n for n in kept if n.children and len(_heading_of(n)) <= 40 and not n.body]


def _ancestors(node: Node):
    while node.parent is not None:
        node = node.parent
        yield node


def _has_units(node: Node) -> bool:
    return bool(node.unit_specs) or any(unit_brackets(p) for p in [node.text, *node.body])


def _assign_unit_lines(nodes: list[Node], top: bool = True) -> None:
    """Attach 责任单位 lines to the item they belong to.

    A line after the last of several sub-items, none of which has units of
    its own, names the units of their parent (never of the section heading).
    """
    for node in nodes:
        kept = []
        for para in node.body:
            is_unit_line = bool(UNIT_LINE.match(para)) or bool(
                re.fullmatch(r"[（(〔【][^（）()〔〕【】]*[）)〕】]", para) and unit_brackets(para)
            )
            if is_unit_line:
                target = node
                parent = node.parent
                if not top and parent is not None and not parent.unit_specs:
                    siblings = parent.children
                    idx = siblings.index(node)
                    if (
                        idx >= 1
                        and not any(_has_units(s) for s in siblings[:idx])
                        and not node.unit_specs
                        and not unit_brackets(node.text)
                    ):
                        target = parent
                target.unit_specs.append(para)
                target.units_from_line = True
            else:
                kept.append(para)
        node.body = kept
        _assign_unit_lines(node.children, top=False)


def _clean_title(text: str) -> str:
    for full, _ in unit_brackets(text):
        text = text.replace(full, "")
    title = re.split(r"[。；;]", text, maxsplit=1)[0]
    if "：" in title[:20] and len(title) > 20:
        title = title.split("：", 1)[0]
    return title.strip("，,：: ")


def _unit_specs(node: Node) -> list[str]:
    specs = []
    for para in [node.text, *node.body]:
        brackets = unit_brackets(para)
        specs.extend(inner for _, inner in brackets)
        for full, _ in brackets:
            para = para.replace(full, "")
        # 责任单位：A、B written inside the item's paragraph, after its text.
        specs.extend(m.group(0) for m in re.finditer(rf"{UNIT_LABEL}[:：][^。]+", para))
    specs.extend(node.unit_specs)
    return specs


def _collectives_of(specs: list[str]) -> list[str]:
    found: list[str] = []
    for spec in specs:
        spec = re.sub(rf"{UNIT_LABEL}[:：]", "、", spec.strip("（）()〔〕【】[]"))
        found += [c for c in collectives_in(re.sub(r"[；;]", "、", spec)) if c not in found]
    return found


def collectives_warning(named: dict[str, list[str]]) -> str | None:
    """One warning for the collectives the tasks named ({collective: [task codes]})."""
    if not named:
        return None
    names = "".join(f"“{c}”" for c in named)
    codes = "、".join(dict.fromkeys(code for codes in named.values() for code in codes))
    where = f"（涉及任务 {codes}）" if codes else ""
    return f"分工中的{names}是泛指，没有作为单位导入{where}；如需逐一落实，请人工添加具体单位。"


def _units_of(node: Node, first_is_lead: bool) -> tuple[list[str], list[str]]:
    lead: list[str] = []
    co: list[str] = []
    for spec in _unit_specs(node):
        l, c = parse_unit_spec(spec, first_is_lead)
        lead += [u for u in l if u not in lead]
        co += [u for u in c if u not in co]
    return lead, [u for u in co if u not in lead]


_TABLE_TASK = re.compile(r"任务|工作内容|事项|措施|内容")
_TABLE_LEAD = re.compile(r"牵头|责任单位|责任部门|主责|负责单位")
_TABLE_CO = re.compile(r"配合|协办|参与")
_TABLE_CODE = re.compile(r"^(?:序号|编号|序)$")


def extract_task_table(rows: list[str], collectives: list[str] | None = None) -> list[Task]:
    """Rows of a 任务分工表 (task / lead unit / co-units) as flat tasks; the
    collectives its unit columns name are added to `collectives`."""
    tasks: list[Task] = []
    columns = None
    for row in rows:
        cells = [c.strip() for c in row.split(TABLE_SEP)]
        header = {
            "task": next((i for i, c in enumerate(cells) if _TABLE_TASK.search(c) and len(c) <= 10), None),
            "lead": next((i for i, c in enumerate(cells) if _TABLE_LEAD.search(c) and len(c) <= 10), None),
        }
        if header["task"] is not None and header["lead"] is not None:
            header["co"] = next(
                (i for i, c in enumerate(cells) if _TABLE_CO.search(c) and len(c) <= 10 and i != header["lead"]), None
            )
            header["code"] = next((i for i, c in enumerate(cells) if _TABLE_CODE.match(c)), None)
            columns = header
            continue
        if columns is None:
            continue

        def cell(key):
            i = columns.get(key)
            return cells[i] if i is not None and i < len(cells) else ""

        title = _clean_title(re.sub(rf"^[（(]?[\d{ONE_TO_TEN}]+[)）、.．]\s*", "", cell("task")))
        if not title:
            continue
        if collectives is not None:
            collectives += [c for c in collectives_in(f"{cell('lead')}、{cell('co')}") if c not in collectives]
        if columns["co"] is not None:
            lead = split_units(cell("lead"))
            co = [u for u in split_units(cell("co")) if u not in lead]
        else:
            lead, co = parse_unit_spec(cell("lead"))
        tasks.append(Task(code=cell("code"), title=title, lead_units=lead, co_units=co))
    return tasks


def _same_task(a: str, b: str) -> float:
    a, b = re.sub(r"[\W_]", "", a), re.sub(r"[\W_]", "", b)
    if not a or not b:
        return 0.0
    if a == b:
        return 1.0
    if a in b or b in a:
        return 0.9
    return SequenceMatcher(None, a, b).ratio()


def merge_task_table(tasks: list[Task], table: list[Task], warnings: list[str]) -> list[Task]:
    """A table's units replace those the text gives the same task (its columns
    say lead and co-unit plainly); rows naming a task the text lacks are added."""
    everything = []

    def visit(items):
        for t in items:
            everything.append(t)
            visit(t.children)

    visit(tasks)
    for row in table:
        scored = sorted(((_same_task(row.title, t.title), i) for i, t in enumerate(everything)), reverse=True)
        if scored and scored[0][0] >= 0.75:
            task = everything[scored[0][1]]
            if row.lead_units or row.co_units:
                task.lead_units, task.co_units = row.lead_units, row.co_units
            continue
        row.code = str(len(tasks) + 1)
        tasks.append(row)
        if everything:
            warnings.append(f"任务分工表中的“{row.title}”在正文中没有找到，已作为第{row.code}项任务加入，请核对。")
    return tasks


def _split_lost_numbers(parent: Node) -> None:
    """A paragraph closing with its own unit bracket, after an item whose heading
    has units already, is the next item whose list number the copy lost
    (mis-decoded as "?。ǘ┩"): it becomes a sibling, not more units of the item."""
    items = []
    for node in parent.children:
        items.append(node)
        if node.children or not unit_brackets(node.text):
            _split_lost_numbers(node)
            continue
        kept = []
        for para in node.body:
            if unit_brackets(para) and unit_brackets(para)[-1][0] == para[-len(unit_brackets(para)[-1][0]):]:
                text = re.sub(r"^[^\u4e00-\u9fff“《]+", "", para)
                items.append(Node(node.style, "", text, parent=parent))
            elif len(items) > 1 and items[-1] is not node:
                items[-1].body.append(para)
            else:
                kept.append(para)
        node.body = kept
    parent.children = items


def _units_cut_off(sections: list[Node], warnings: list[str]) -> None:
    """An excerpt that stops inside the last item's unit bracket (（市政府办公室、市):
    when the items before it close with unit brackets, the names the bracket
    completes are that item's units; the one the cut broke off is dropped."""
    items = [n for section in sections for n in walk(section.children)]
    if not items:
        return
    last = items[-1]
    para = (last.body or [last.text])[-1]
    cut = re.search(r"[（(]([^（）()]{2,120})$", para)
    if not cut or unit_brackets(para[cut.start():]) or last.unit_specs:
        return
    siblings = [n for n in (last.parent.children if last.parent else items) if n is not last]
    if not any(unit_brackets(n.text) or any(unit_brackets(p) for p in n.body) for n in siblings):
        return
    whole = re.split(r"[、，,；;]", cut.group(1))[:-1]
    if not whole:
        return
    last.unit_specs.append("、".join(whole))
    if last.body:
        last.body[-1] = para[: cut.start()]
    else:
        last.text = para[: cut.start()]
    warnings.append(f"“{_clean_title(last.text)}”的责任单位在原文中被截断，已按能辨认的单位（{'、'.join(whole)}）导入，请核对。")


def unnumbered_tasks(paras: list[str], first_is_lead: bool) -> list[Task]:
    """Paragraphs without list numbers, each followed by its unit line
    (贯彻实施《条例》。… 分管领导：… 部门分工：A牵头，B配合。), as tasks. A
    paragraph followed by the label that came between the others and their
    units (分管领导：) is one too, its units not given."""
    found: list[tuple[str, str | None]] = []
    labels: set[str] = set()
    text, label = None, None
    for para in paras:
        short_label = re.match(r"^([\u4e00-\u9fff]{2,6})[:：]", para)
        if UNIT_LINE.match(para):
            if text is not None:
                found.append((text, para))
                if label:
                    labels.add(label)
            text, label = None, None
        elif short_label and len(para) <= 40:
            label = label or short_label.group(1)
        else:
            text, label = para, None
    if text is not None and label in labels:
        found.append((text, None))
    tasks = []
    for i, (text, spec) in enumerate(found, 1):
        lead, co = _units_of(Node("", "", text, unit_specs=[spec] if spec else []), first_is_lead)
        tasks.append(Task(code=str(i), title=_clean_title(text), lead_units=lead, co_units=co))
    return tasks


def extract_tasks(
    roots: list[Node], warnings: list[str], first_is_lead: bool, table_rows=(), preamble=(), default_year=None
) -> list[Task]:
    sections = task_sections(roots)
    if sections:
        sections += unit_sections(roots, sections)
    elif tops := top_level_tasks(roots):
        # The top-level items are the tasks: a stand-in section holds them.
        sections = [Node("", "", "", children=tops)]
    elif not table_rows and (loose := unnumbered_tasks(list(preamble), first_is_lead)):
        return loose
    table_collectives: list[str] = []
    table = extract_task_table(list(table_rows), table_collectives)
    if not sections and not table:
        warnings.append("没有找到“主要任务/主要内容/工作措施”等任务部分，任务清单为空，请人工补充。")
        return []
    for section in sections:
        _assign_unit_lines(section.children)
        _split_lost_numbers(section)
    _units_cut_off(sections, warnings)

    named: dict[str, list[str]] = {}

    def convert(node: Node, code: str) -> Task:
        lead, co = _units_of(node, first_is_lead)
        for collective in _collectives_of(_unit_specs(node)):
            named.setdefault(collective, []).append(code)
        task = Task(
            code=code, title=_clean_title(node.text), lead_units=lead, co_units=co,
            due_on=task_deadline(node.text, default_year),
        )
        task.children = [convert(ch, f"{code}.{i}") for i, ch in enumerate(node.children, 1)]
        return task

    tasks = []
    for section in sections:
        for node in section.children:
            tasks.append(convert(node, str(len(tasks) + 1)))
    for collective in table_collectives:
        named.setdefault(collective, [])
    tasks = merge_task_table(tasks, table, warnings)
    if warning := collectives_warning(named):
        warnings.append(warning)

    def check(ts, inherited):
        for t in ts:
            if not t.lead_units and not t.children and not inherited:
                warnings.append(f"任务 {t.code}“{t.title}”没有找到责任单位，请人工指定。")
            check(t.children, inherited or bool(t.lead_units))

    check(tasks, False)
    return tasks
