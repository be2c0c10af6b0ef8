"""Phases (第一阶段, 动员部署阶段, year by year) with their dates and goals."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from core.numerals import ONE_TO_TEN, chinese_numeral, numeral_value

from .dates import DATE_RANGE, DATE_SINGLE, DateContext, find_date_range
from .numbering import detect_numbering


@dataclass
class Phase:
    name: str
    goal: str | None
    start: dt.date | None
    end: dt.date | None
    # 主要工作: what the phase says it will do (sections.describe_phases).
    description: str | None = None


PHASE_START = re.compile(rf"^第[{ONE_TO_TEN}\d]+(?:阶段|步)")

PHASE_NAME_RANGE = re.compile(r"[（(][^（）()]*(?:\d+月|贯穿)[^（）()]*[）)]")
# A phase that runs the whole campaign long has no dates of its own, and is still a phase.
THROUGHOUT = re.compile(r"贯穿(?:于|在)?(?:活动|行动|整治|创建|工作)?(?:的)?(?:全过程|始终|全程)")
# A paragraph that opens with the dates of the phase heading above it.
_LEADING_DATES = re.compile(r"^(?:[（(])?(?:时间[为是]?[:：]?\s*)?(?:从|自)?\s*(?:\d{4}年|\d{1,2}月)")

# Phases told in running prose: "第一阶段为攻坚突破阶段，时间从2021年1月至2021年12月",
# "调查摸底阶段：8月1日至8月10日", "（一）动员部署阶段（5月）", "巩固阶段（贯穿活动全过程）".
_PROSE_PHASE = re.compile(
    r"(?P<name>[^为是的，,。；;：:（()）\d.．\s“”\[\]【】《》、]"
    r"[^为是的，,。；;：:（()）\d.．\s“”\[\]【】《》]{1,13}阶段)"
    r"(?:[（(](?:时间[为是]?[:：]?)?(?P<bracket>[^（）()]{1,40})[）)]|[:：]\s*(?=从|自|\d)|[，,]?时间(?:为|是|从)?[:：]?)"
)
# Words of the sentence or heading before a phase's name: 具体步骤调查摸底阶段 -> 调查摸底阶段.
_BEFORE_NAME = re.compile(r"^.*(?:步骤|安排|如下|分为|分成|包括|即)")


def extract_phases(paras: list[str], ctx: DateContext) -> list[Phase]:
    phases: list[Phase] = []
    by_year: list[tuple[int, str]] = []
    steps: list[Phase] = []
    for index, para in enumerate(paras):
        num = detect_numbering(para)
        text = num[2] if num else para
        following = paras[index + 1] if index + 1 < len(paras) else ""
        m = PHASE_START.match(text)
        # A bracket's dates may hold a colon (（时间：从3月1日至3月15日）): it goes before the clause is cut.
        name_part = re.split(r"[。；;：:]", PHASE_NAME_RANGE.sub("", text), maxsplit=1)[0]
        first_clause = re.split(r"[。；;]", text, maxsplit=1)[0]
        if m:
            label = m.group(0)
            head = re.split(r"[。；;]", text[m.end():].lstrip("：:，,、 "), maxsplit=1)[0]
            head = PHASE_NAME_RANGE.sub("", head)
            parts = [
                p.strip() for p in re.split(r"[，,：:]", head)
                if p.strip() and not re.search(r"\d+月|从|开始", p)
            ]
            name = parts[0] if parts and len(parts[0]) <= 15 else label
            goal = ("，".join(parts[1:]) or None) if parts and name != label else None
        elif re.fullmatch(r"[\u4e00-\u9fff]{2,10}阶段", name_part.strip()) and (
            DATE_RANGE.search(text) or DATE_SINGLE.search(text) or THROUGHOUT.search(first_clause)
            or _LEADING_DATES.match(following)
        ):
            name, goal = name_part.strip(), None
            label = name
        else:
            ym = re.match(r"^(\d{4})年(?:度)?[为是：:，,]\s*([^，,。；;：:]{2,15})[，,。：:；;]?(.*)$", text)
            if ym and re.search(r"[年期段]$", ym.group(2)):
                by_year.append((int(ym.group(1)), para))
            continue
        start, end = find_date_range(text, ctx, f"阶段“{name}”")
        if start is None and end is None and not re.search(r"\d+月", text) and _LEADING_DATES.match(following):
            start, end = find_date_range(following, ctx, f"阶段“{name}”")
        phase = _after(phases, Phase(name=name, goal=goal, start=start, end=end), ctx.year_inferred)
        if start is None and end is None and label.endswith("步"):
            steps.append(phase)
        elif start is None and end is None and not re.search(r"\d+月", text) and not THROUGHOUT.search(text):
            ctx.warnings.append(f"阶段“{name}”没有找到起止日期，请人工填写。")
        phases.append(phase)
    if steps and any(p.start or p.end for p in phases):
        # 第一步, 第二步 without dates beside dated phases are steps inside one of them.
        phases = [p for p in phases if not any(p is step for step in steps)]
    else:
        for step in steps:
            ctx.warnings.append(f"阶段“{step.name}”没有找到起止日期，请人工填写。")
    if not phases:
        phases = _phases_in_prose(paras, ctx) or _dated_items(paras, ctx) or _named_in_a_list(paras, ctx)
    if not phases and len({y for y, _ in by_year}) >= 2:
        for year, para in by_year:
            num = detect_numbering(para)
            text = num[2] if num else para
            ym = re.match(r"^(\d{4})年(?:度)?[为是：:，,]\s*([^，,。；;：:]{2,15})[，,。：:；;]?(.*)$", text)
            rest = re.split(r"[。；;]", ym.group(3), maxsplit=1)[0].strip("，, ")
            goal = rest if rest and len(rest) <= 40 else None
            phases.append(Phase(ym.group(2), goal, dt.date(year, 1, 1), dt.date(year, 12, 31)))
    return phases


def _next_year(date: dt.date | None) -> dt.date | None:
    if date is None:
        return None
    return date.replace(year=date.year + 1, day=min(date.day, 28 if date.month == 2 else date.day))


def _after(phases: list[Phase], phase: Phase, year_inferred: bool) -> Phase:
    """Phases follow each other: one whose year was not printed and that
    would start before the phase above it (12月, then 1月) falls in the next year."""
    starts = [p.start for p in phases if p.start]
    if year_inferred and starts and phase.start and phase.start < starts[-1]:
        phase.start, phase.end = _next_year(phase.start), _next_year(phase.end)
    return phase


# "三个阶段（即：宣传发动阶段、集中治理阶段、检查验收阶段）": the phases named, their dates left to the clerk.
_PHASE_LIST = re.compile(
    rf"([{ONE_TO_TEN}两\d])个阶段[”〞\"]?\s*(?:[（(]\s*即?[:：]?|[:：]|，即|分别为|分别是)([^（）()。；;:：]{{4,80}}?)(?:[）)]|[。；;])"
)


def _named_in_a_list(paras: list[str], ctx: DateContext) -> list[Phase]:
    for para in paras:
        for m in _PHASE_LIST.finditer(para):
            names = [n.strip() for n in re.split(r"[、，,]|和", m.group(2)) if n.strip()]
            count = numeral_value(m.group(1).replace("两", "二"))
            if len(names) == count and all(n.endswith("阶段") and len(n) <= 15 for n in names):
                for name in names:
                    ctx.warnings.append(f"阶段“{name}”没有找到起止日期，请人工填写。")
                return [Phase(name=name, goal=None, start=None, end=None) for name in names]
    return []


# "1、2012年12月11日—12月13日" alone, its work in the paragraph below: a phase known by its dates.
_DATES_ONLY = re.compile(r"^(?:" + DATE_RANGE.pattern + r")[。；;]?$")


def _without_number(para: str) -> str:
    num = detect_numbering(para)
    return num[2] if num else para


# The names plans give their phases. A phase known only by its dates is named
# by the one of them its work paragraph uses (……召开工作会议，安排部署工作任务).
_PHASE_WORDS = re.compile(
    r"动员部署|安排部署|宣传发动|宣传动员|宣传教育|调查摸底|摸底排查|排查摸底|自查自纠|"
    r"集中整治|全面整治|专项整治|集中攻坚|整改落实|督查整改|督导检查|检查验收|考核验收|"
    r"总结评估|总结提升|总结提高|巩固提升|巩固提高|长效管理"
)


def _named_by_its_work(work: str) -> str | None:
    words = set(_PHASE_WORDS.findall(work))
    return words.pop() if len(words) == 1 else None


def _dated_items(paras: list[str], ctx: DateContext) -> list[Phase]:
    # Outline nodes come without their numbering, paragraphs with it.
    items = [
        (text, paras[i + 1] if i + 1 < len(paras) else "")
        for i, para in enumerate(paras)
        if _DATES_ONLY.match(text := _without_number(para))
    ]
    if len(items) < 2:
        return []
    phases: list[Phase] = []
    numbered = False  # some phase was left as 第N阶段
    for n, (text, work) in enumerate(items, 1):
        start, end = find_date_range(text, ctx, f"第{n}阶段")
        name = None if _DATES_ONLY.match(_without_number(work)) else _named_by_its_work(work)
        numbered = numbered or name is None
        phases.append(_after(phases, Phase(name=name or f"第{chinese_numeral(n)}阶段", goal=None, start=start,
                                           end=end), ctx.year_inferred))
    named = [p for p in phases if not p.name.startswith("第")]
    if numbered:
        which = "部分阶段" if named else "各阶段"
        ctx.warnings.append(f"{which}只写了起止日期，已按顺序命名为第一阶段、第二阶段……，请填写阶段名称。")
    if named:
        ctx.warnings.append("各阶段只写了起止日期，阶段名称取自其工作内容中的用语，请核对。")
    return phases


def _phases_in_prose(paras: list[str], ctx: DateContext) -> list[Phase]:
    """Phases named inside paragraphs (copies that lost their line breaks, news
    reports), each with the dates that follow its name."""
    phases: list[Phase] = []
    for para in paras:
        for m in _PROSE_PHASE.finditer(para):
            name = _BEFORE_NAME.sub("", m.group("name")).lstrip("、")
            if len(name) < 4 or any(p.name == name for p in phases):
                continue
            dates = m.group("bracket")
            if dates is None:
                dates = re.split(r"[。；;]", para[m.end():], maxsplit=1)[0][:40]
            if THROUGHOUT.search(dates):
                phases.append(Phase(name=name, goal=None, start=None, end=None))
                continue
            if not re.search(r"\d+月", dates):
                continue
            start, end = find_date_range(dates, ctx, f"阶段“{name}”")
            phases.append(_after(phases, Phase(name=name, goal=None, start=start, end=end), ctx.year_inferred))
    return phases if len(phases) >= 2 else []
