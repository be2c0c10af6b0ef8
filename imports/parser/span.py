"""The campaign's span (its 开始日期 and 结束日期): from its phases, or read
from its title as a person would when the plan has no phases."""

from __future__ import annotations

import datetime as dt
import re

from core.numerals import numeral_value

from .metadata import year_in_title
from .phases import Phase

# 三年行动（2016—2018）, 2016—2018年, 2021-2023年
YEAR_RANGE = re.compile(r"(?<!\d)((?:19|20)\d{2})\s*年?\s*(?:—+|－|-|–|~|～|至|到)\s*((?:19|20)\d{2})(?!\d)")
# “十四五”: the Nth five-year plan; the 10th ran 2001-2005 and they follow each other since.
FIVE_YEAR_PLAN = re.compile(r"十([一二三四五六七八九])五")


def title_span(title: str | None) -> tuple[dt.date, dt.date] | None:
    """2023年重点工作 -> the year 2023; （2016—2018） -> 2016 to 2018; 十四五 -> 2021 to 2025."""
    if not title:
        return None
    m = YEAR_RANGE.search(title)
    if m and int(m.group(1)) < int(m.group(2)) <= int(m.group(1)) + 10:
        return dt.date(int(m.group(1)), 1, 1), dt.date(int(m.group(2)), 12, 31)
    m = FIVE_YEAR_PLAN.search(title)
    if m:
        first = 2001 + 5 * numeral_value(m.group(1))
        return dt.date(first, 1, 1), dt.date(first + 4, 12, 31)
    year = year_in_title(title)
    if year:
        return dt.date(year, 1, 1), dt.date(year, 12, 31)
    return None


def campaign_span(phases: list[Phase], title: str | None, warnings: list[str]):
    """(starts_on, ends_on), either maybe None. Phases that lack dates are
    filled in by the clerk, so the title is read only for a plan without phases."""
    if phases:
        starts = [p.start for p in phases if p.start]
        ends = [p.end for p in phases if p.end]
        return min(starts, default=None), max(ends, default=None)
    found = title_span(title)
    if found:
        warnings.append(
            f"方案没有分阶段，已按标题推断活动起止日期为 {found[0]:%Y-%m-%d} 至 {found[1]:%Y-%m-%d}，请核对。"
        )
        return found
    warnings.append("方案没有分阶段，标题中也没有年份：请填写活动的开始日期和结束日期。")
    return None, None
