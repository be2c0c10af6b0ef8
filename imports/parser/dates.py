"""Dates as plans write them: ranges, deadlines, 上旬/底, masked years, and
the default year a date without one takes."""

from __future__ import annotations

import calendar
import datetime as dt
import re
import unicodedata
from dataclasses import dataclass, field

MASK_YEAR = r"\d{2,3}[*＊xXＸ×]+|[2２][0０][xXＸ×*＊]{2}|20\d[A-Z](?![A-Za-z])"


def _date_part(n: int) -> str:
    return (
        rf"(?:(?P<y{n}>\d{{4}}|{MASK_YEAR})年)?(?P<m{n}>\d{{1,2}})月(?:(?P<d{n}>\d{{1,2}})[日号])?"
        rf"(?P<q{n}>上旬|中旬|下旬|底|末|初|中)?"
    )


DATE_RANGE = re.compile(
    "(?:从|自|于)?" + _date_part(1) + r"(?:开始|起)?\s*(?:到|至|—+|－|-|~|～)\s*"
    + _date_part(2) + r"(?:止|结束)?"
)
DATE_SINGLE = re.compile(_date_part(1) + r"(?P<before>前|以前|之前)?")
YEAR_ONLY_RANGE = re.compile(r"(\d{4})年?\s*(?:—+|－|-|~|～|至|到)\s*(\d{4})年")


@dataclass
class DateContext:
    default_year: int | None
    warnings: list[str]
    year_source: str = ""
    # The last date's year was not printed beside it (taken from default_year).
    year_inferred: bool = False
    # The year a person gave (--year, the preview's year field): it also
    # stands for the plan's masked years (201*, 20XX) that it fits.
    given_year: int | None = None
    # The masked years the given year stood for, for one warning.
    masked_filled: set = field(default_factory=set)


def fits_mask(year: int, masked: str) -> bool:
    """Whether a year agrees with the digits a masked year still shows (201* and 2017)."""
    shown = re.match(r"\d*", unicodedata.normalize("NFKC", masked)).group(0)
    return str(year).startswith(shown)


def _year(value: str | None, ctx: DateContext, where: str) -> int | None:
    if value is None:
        if ctx.default_year is None:
            ctx.warnings.append(f"{where}的日期没有写年份，请人工填写（或用 --year 指定）。")
        ctx.year_inferred = True
        return ctx.default_year
    if re.fullmatch(r"\d{4}", value):
        return int(value)
    if ctx.given_year is not None and fits_mask(ctx.given_year, value):
        # Applied like a year not printed: a range that runs backwards rolls on.
        ctx.year_inferred = True
        ctx.masked_filled.add(value)
        return ctx.given_year
    if ctx.given_year is not None:
        ctx.warnings.append(f"{where}的年份被遮盖（{value}），与所填年份 {ctx.given_year} 不符，请人工填写。")
        return None
    ctx.warnings.append(f"{where}的年份被遮盖（{value}），请人工填写（或填写方案年份后重新识别）。")
    return None


def _make_date(year, month, day, qual, is_end) -> dt.date | None:
    if year is None or not (1 <= month <= 12):
        return None
    last = calendar.monthrange(year, month)[1]
    if day is None:
        if qual == "上旬":
            day = 10 if is_end else 1
        elif qual == "中旬":
            day = 20 if is_end else 11
        elif qual == "下旬":
            day = last if is_end else 21
        elif qual in ("初",):
            day = 1
        elif qual in ("底", "末"):
            day = last
        else:
            day = last if is_end else 1
    try:
        return dt.date(year, month, min(day, last))
    except ValueError:
        return None


# 8月11日至21日, and 5月2日7日 where a copy lost the dash: the end's month is the start's.
_DAY_ONLY_END = re.compile(r"(?<!\d)(\d{1,2})月(\d{1,2})日(到|至|—+|－|-|~|～)?(\d{1,2})日")


def _with_end_month(m: re.Match) -> str:
    if int(m.group(4)) <= int(m.group(2)):
        return m.group(0)
    return f"{m.group(1)}月{m.group(2)}日{m.group(3) or '至'}{m.group(1)}月{m.group(4)}日"


def find_date_range(text: str, ctx: DateContext, where: str):
    """(start, end) from the first date range (or deadline) in text."""
    ctx.year_inferred = False
    text = _DAY_ONLY_END.sub(_with_end_month, text)
    m = DATE_RANGE.search(text)
    if m:
        y1 = m.group("y1")
        y2 = m.group("y2")
        # A masked year the person's year stands for is no printed year: a
        # range that runs backwards (201*年12月至201*年3月) rolls on.
        printed1 = y1 is not None and re.fullmatch(r"\d{4}", y1) is not None
        printed2 = y2 is not None and re.fullmatch(r"\d{4}", y2) is not None
        year1 = _year(y1, ctx, where) if (y1 or not y2) else None
        year2 = _year(y2, ctx, where) if y2 else year1
        if not y1 and y2:
            year1 = year2 if year2 is not None else None
        d1 = int(m.group("d1")) if m.group("d1") else None
        d2 = int(m.group("d2")) if m.group("d2") else None
        start = _make_date(year1, int(m.group("m1")), d1, m.group("q1"), False)
        end = _make_date(year2, int(m.group("m2")), d2, m.group("q2"), True)
        if start and end and end < start and not printed2:
            # 12月至3月: a range that runs backwards ends in the next year.
            end = _make_date(year2 + 1, int(m.group("m2")), d2, m.group("q2"), True)
        elif start and end and end < start and not printed1:
            # 12月21日—2013年1月31日: it began in the year before its end's.
            start = _make_date(year1 - 1, int(m.group("m1")), d1, m.group("q1"), False)
        return start, end
    m = YEAR_ONLY_RANGE.search(text)
    if m:
        return dt.date(int(m.group(1)), 1, 1), dt.date(int(m.group(2)), 12, 31)
    m = DATE_SINGLE.search(text)
    if m:
        year = _year(m.group("y1"), ctx, where)
        d = int(m.group("d1")) if m.group("d1") else None
        date = _make_date(year, int(m.group("m1")), d, m.group("q1"), True)
        if m.group("before") or m.group("q1") in ("底", "末"):
            return None, date
        return _make_date(year, int(m.group("m1")), d, m.group("q1"), False), date
    return None, None


# "活动时间2015年8月1日至8月31日": the campaign's own period, printed with its year.
_STATED_PERIOD = re.compile(r"(?:活动|行动|整治|实施|工作|创建)时间[为是:：]?\s*(?:从|自)?(\d{4})年\d{1,2}月")


def stated_year(paras: list[str]) -> int | None:
    """The year of the period the plan states for its campaign, which its
    other dates without a year fall in."""
    for para in paras:
        m = _STATED_PERIOD.search(para)
        if m:
            return int(m.group(1))
    return None
