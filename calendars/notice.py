"""Reading the State Council's yearly holiday notice (国务院办公厅关于X年部分节假日安排的通知).

The notice is regular: a title or first paragraph naming the year, then one
numbered item per holiday, "二、春节：1月28日（农历除夕、周二）至2月4日（农历正月初七、
周二）放假调休，共8天。1月26日（周日）、2月8日（周六）上班。". `read_notice` turns the
pasted text into the year's days for `services.load_year`, without touching
the database; text it cannot read raises `NoticeError` with a Chinese sentence
saying which line is wrong and what it expected.
"""

import datetime
import re
import unicodedata
from dataclasses import dataclass

from core.errors import Refused

from .models import CalendarDay

NAME_MAX_LENGTH = CalendarDay._meta.get_field("name").max_length
MAKE_UP_SUFFIX = "调休上班"

# NFKC turns full-width digits and punctuation (１、（、：、，) into ASCII, so
# the patterns below need to know one spelling only.
YEAR = re.compile(r"(20\d\d)年(?:[^,。\n]{0,40}?)(?:部分)?节假日安排")
YEAR_IN_BODY = re.compile(r"现将(20\d\d)年")
ITEM = re.compile(r"(?:^|(?<=[\s。]))([一二三四五六七八九十]{1,3})、\s*([^:\n。,]{1,30}?)\s*:")
DATE = r"(?:(?P<{p}y>\d{{4}})年)?(?P<{p}m>\d{{1,2}})月(?P<{p}d>\d{{1,2}})日"
END = r"(?:(?:(?P<ey>\d{4})年)?(?P<em>\d{1,2})月)?(?P<ed>\d{1,2})日"
HOLIDAY = re.compile(DATE.format(p="s") + r"(?:\s*[至到-]\s*" + END + r")?\s*放假")
ONE_DATE = re.compile(DATE.format(p=""))
MAKE_UP = re.compile(r"((?:" + DATE.format(p="") + r"\s*[、,和及]?\s*)+)上班")
TOTAL = re.compile(r"共(\d+)天")
NOTES = re.compile(r"\([^()]*\)")
WEEKDAYS = "一二三四五六日"
WEEKDAY_NOTE = re.compile(r"(?:(?P<y>\d{4})年)?(?:(?P<m>\d{1,2})月)?(?P<d>\d{1,2})日\s*(?:\((?P<note>[^()]*)\))?")


class NoticeError(Refused):
    """A notice the reader cannot read; the message says where and why."""


@dataclass(frozen=True)
class Holiday:
    """One numbered item of the notice: its name, the days off and the make-up working days."""

    name: str
    days_off: tuple
    make_up_days: tuple


@dataclass(frozen=True)
class Notice:
    year: int
    holidays: tuple

    @property
    def days(self):
        """(date, is_working, name) for `services.load_year`, by date."""
        rows = [(day, False, h.name) for h in self.holidays for day in h.days_off]
        rows += [(day, True, f"{h.name}{MAKE_UP_SUFFIX}"[:NAME_MAX_LENGTH]) for h in self.holidays for day in h.make_up_days]
        return sorted(rows)


def read_notice(text):
    text = unicodedata.normalize("NFKC", text or "").replace("\r\n", "\n")
    if not text.strip():
        raise NoticeError("没有粘贴任何内容：请把国务院办公厅关于部分节假日安排的通知全文（含标题）粘贴到文本框中。")
    year = _year(text)
    items = list(ITEM.finditer(text))
    if not items:
        raise NoticeError(
            f"没有读到任何放假安排：通知正文中应有“一、元旦：1月1日放假……”这样的编号条目，请检查粘贴的是否是{year}年放假安排的通知全文。"
        )
    holidays, seen = [], {}
    for index, item in enumerate(items):
        end = items[index + 1].start() if index + 1 < len(items) else len(text)
        holiday = _holiday(item.group(1), item.group(2).strip(), text[item.end() : end], year)
        for day in holiday.days_off + holiday.make_up_days:
            if day in seen:
                raise NoticeError(f"{_md(day)}在“{seen[day]}”和“{holiday.name}”两处都出现了，请核对通知原文。")
            seen[day] = holiday.name
        holidays.append(holiday)
    return Notice(year=year, holidays=tuple(holidays))


def _year(text):
    found = YEAR.search(text) or YEAR_IN_BODY.search(text)
    if not found:
        raise NoticeError(
            "没有读到年份：请连同标题“国务院办公厅关于X年部分节假日安排的通知”或正文第一段（“现将X年元旦、春节……”）一起粘贴。"
        )
    return int(found.group(1))


def _holiday(number, name, body, year):
    where = f"第{number}项“{name}”"
    if len(name) > NAME_MAX_LENGTH - len(MAKE_UP_SUFFIX):
        raise NoticeError(f"{where}的节日名称太长，请检查该条目是否以“节日名称：”开头。")
    _check_weekdays(body, year, where)
    body = NOTES.sub("", body)
    days_off, make_up = [], []
    for sentence in re.split(r"[。;]", body):
        found_off = list(HOLIDAY.finditer(sentence))
        if "放假" in sentence and not found_off:
            raise NoticeError(f"{where}中“{sentence.strip()}”读不出放假日期：应写成“1月1日放假”或“2月10日至17日放假调休”。")
        for match in found_off:
            span = _span(match, year, where)
            total = TOTAL.search(sentence[match.end() :])
            if total and len(found_off) == 1 and int(total.group(1)) != len(span):
                raise NoticeError(
                    f"{where}写的是共{total.group(1)}天，但{_md(span[0])}至{_md(span[-1])}是{len(span)}天，请核对通知原文。"
                )
            days_off += span
        found_work = list(MAKE_UP.finditer(sentence))
        if "上班" in sentence and not found_work:
            raise NoticeError(f"{where}中“{sentence.strip()}”读不出调休上班的日期：应写成“2月4日（星期日）、2月18日（星期日）上班”。")
        for match in found_work:
            for one in ONE_DATE.finditer(match.group(1)):
                make_up.append(_date(one.group("y"), one.group("m"), one.group("d"), year, where))
    if not days_off:
        raise NoticeError(f"{where}没有放假日期：每个节日都应写明“X月X日放假”或“X月X日至X日放假调休”。")
    for day in make_up:
        if day.weekday() < 5:
            raise NoticeError(
                f"{where}的调休上班日{_md(day)}是星期{WEEKDAYS[day.weekday()]}，本来就是工作日："
                "请核对年份和日期是否与通知原文一致。"
            )
    return Holiday(name=name, days_off=tuple(days_off), make_up_days=tuple(make_up))


def _span(match, year, where):
    start = _date(match.group("sy"), match.group("sm"), match.group("sd"), year, where)
    if match.group("ed") is None:
        return [start]
    end_month = int(match.group("em") or start.month)
    # "12月31日至1月2日" without years runs into the next year.
    end_year = match.group("ey") or start.year + (end_month < start.month)
    end = _date(end_year, end_month, match.group("ed"), year, where)
    if end < start:
        raise NoticeError(f"{where}的放假日期{_md(start)}至{_md(end)}前后颠倒，请核对通知原文。")
    if (end - start).days > 31:
        raise NoticeError(f"{where}的放假日期{_md(start)}至{_md(end)}超过一个月，请核对通知原文。")
    return [start + datetime.timedelta(days=n) for n in range((end - start).days + 1)]


def _date(year_text, month, day, year, where):
    try:
        return datetime.date(int(year_text) if year_text else year, int(month), int(day))
    except ValueError:
        raise NoticeError(f"{where}中的日期“{month}月{day}日”不存在，请核对通知原文。") from None


def _check_weekdays(body, year, where):
    """The notes in brackets name each date's weekday ("1月26日（周日）"). A notice
    of another year pasted under this year's title, or a mistyped date,
    disagrees with them: refuse it rather than load wrong days."""
    month, token_year = None, year
    for token in WEEKDAY_NOTE.finditer(body):
        month = int(token.group("m")) if token.group("m") else month
        token_year = int(token.group("y")) if token.group("y") else token_year
        weekday = re.search(r"(?:星期|周)([一二三四五六日天])", token.group("note") or "")
        if month is None or not weekday:
            continue
        try:
            day = datetime.date(token_year, month, int(token.group("d")))
        except ValueError:
            continue  # reported as a date that does not exist
        written = WEEKDAYS.index(weekday.group(1).replace("天", "日"))
        if day.weekday() != written:
            raise NoticeError(
                f"{where}中{_md(day)}注明是星期{WEEKDAYS[written]}，但{token_year}年{_md(day)}是星期{WEEKDAYS[day.weekday()]}："
                "请核对通知的年份和日期。"
            )


def _md(day):
    return f"{day.month}月{day.day}日"
