"""Phases (第一阶段, 动员部署阶段, year by year) with their dates and goals."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from core.numerals import ONE_TO_TEN

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

PHASE_NAME_RANGE = re.compile(r"[（(][^（）()]*\d+月[^（）()]*[）)]")


def extract_phases(paras: list[str], ctx: DateContext) -> list[Phase]:
    phases: list[Phase] = []
    by_year: list[tuple[int, str]] = []
    for para in paras:
        num = detect_numbering(para)
        text = num[2] if num else para
        m = PHASE_START.match(text)
        first_clause = re.split(r"[。；;：:]", text, maxsplit=1)[0]
        name_part = PHASE_NAME_RANGE.sub("", first_clause)
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
            DATE_RANGE.search(text) or DATE_SINGLE.search(text)
        ):
            name, goal = name_part.strip(), None
            label = name
        else:
            ym = re.match(r"^(\d{4})年(?:度)?[为是：:，,]\s*([^，,。；;：:]{2,15})[，,。：:；;]?(.*)$", text)
            if ym and re.search(r"[年期段]$", ym.group(2)):
                by_year.append((int(ym.group(1)), para))
            continue
        start, end = find_date_range(text, ctx, f"阶段“{name}”")
        if start is None and end is None and not re.search(r"\d+月", text):
            ctx.warnings.append(f"阶段“{name}”没有找到起止日期，请人工填写。")
        phases.append(Phase(name=name, goal=goal, start=start, end=end))
    if not phases and len({y for y, _ in by_year}) >= 2:
        for year, para in by_year:
            num = detect_numbering(para)
            text = num[2] if num else para
            ym = re.match(r"^(\d{4})年(?:度)?[为是：:，,]\s*([^，,。；;：:]{2,15})[，,。：:；;]?(.*)$", text)
            rest = re.split(r"[。；;]", ym.group(3), maxsplit=1)[0].strip("，, ")
            goal = rest if rest and len(rest) <= 40 else None
            phases.append(Phase(ym.group(2), goal, dt.date(year, 1, 1), dt.date(year, 12, 31)))
    return phases
