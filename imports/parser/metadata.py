"""The plan's own particulars: title, document number (文号), issue date and
the office's contact."""

from __future__ import annotations

import datetime as dt
import re

from core.numerals import ONE_TO_TEN, YEAR_DIGITS, numeral_value

from .dates import DateContext
from .text import TABLE_SEP

# A date alone on its line is where a plan prints its issue date, in figures or
# in Chinese (二〇一七年二月十日); such a line is never joined to its neighbours.
DATE_LINE = re.compile(
    rf"^(\d{{4}}|[{YEAR_DIGITS}]{{4}}|\d{{2,3}}[*＊xXＸ×]+|[2２][0０][xXＸ×*＊]{{2}})年"
    rf"([\d{ONE_TO_TEN}]{{1,3}})月([\d{ONE_TO_TEN}]{{1,3}})日$"
)
DOCUMENT_NUMBER = re.compile(
    r"([\u4e00-\u9fff]{1,10})\s*[〔\[［【(（]\s*(\d{4}|\d{2,3}[*＊xX]+|20[xX]{2})\s*"
    r"[〕\]］】)）]\s*(\d{1,4})(?!\d)\s*([号號]?)"
)
# Web copies that drop every character outside a narrow set print 株县发〔2017〕4号
# as 株县发20174 and 2017年3月22日 as 2017322: alone on their line, they are still
# the plan's number and date (the four-digit year makes the split unambiguous).
BARE_NUMBER = re.compile(r"^([\u4e00-\u9fff]{1,8}[发發办辦函字])((?:19|20)\d{2})(\d{1,4})$")
BARE_DATE = re.compile(r"^((?:19|20)\d{2})(\d{3,4})$")


def bare_date(line: str) -> dt.date | None:
    """The date a line of bare figures (2017322, 20201015) stands for, when
    only one reading of its month and day is a date (2020111 is not read)."""
    m = BARE_DATE.match(line.strip())
    if not m:
        return None
    year, rest = int(m.group(1)), m.group(2)
    readings = set()
    for cut in (1, 2):
        month, day = rest[:cut], rest[cut:]
        if month.startswith("0") and cut == 1 or len(day) > 2 or day.startswith("0") and len(day) == 1:
            continue
        try:
            readings.add(dt.date(year, int(month), int(day)))
        except ValueError:
            continue
    return readings.pop() if len(readings) == 1 else None


# A number alone on its line may lack its 号 (咸安政发〔2019〕1); in a sentence it has one.
# The label of a metadata table's row that holds the plan's number (发文字号 | 粤府〔2021〕22号 |).
_NUMBER_LABEL = re.compile(r"^(?:发文字号|發文字號|发布文号|文\s*号|文號|发文文号)$")

TITLE_END = re.compile(
    r"(?:方案|通知|计划|意见|办法|细则|要点|规划|安排|决定|公告|計劃|意見|辦法|細則|要點|規劃|決定)"
    r"(?:[（(][^（）()]{0,20}[）)])?$"
)
# A notice that hands the plan out (关于印发《…》的通知, 關於印發…), in either script.
NOTICE = re.compile(r"印[发發]")
_NOTICE_TITLE = re.compile(r"[关關][于於]印[发發][《〈]?(.+?)[》〉]?的通知")
# The notice names the plan it hands out: 现将《X》印发给你们, 《X》已经…同意，现印发, 印发《X》.
_HANDED_OUT = re.compile(
    r"[现現][将將]《(.+?)》印[发發]|^《(.+?)》已[经經].*?印[发發]|印[发發]《(.+?)》"
)
# Title and body in one line, when the copy lost its line breaks (the title may be printed twice).
_TITLE_GLUED = re.compile(
    r"^(.{4,60}?(?:方案|计划|意见|办法|细则|要点|规划|安排))(?=\1?(?:为|為|根据|根據|按照|依据|近年来|当前|随着))"
)


def _formatted(m: re.Match) -> str:
    return f"{m.group(1)}〔{m.group(2)}〕{m.group(3)}{m.group(4)}"


def find_document_number(paras: list[str], table_rows: list[str] = ()) -> str | None:
    """The plan's own 文号: on its own line (maybe beside 签发人) before the
    body, or in the row of a metadata table; a number cited in a sentence
    (依据《…》（国发〔2016〕…号）) is another document's."""
    for para in paras[:40]:
        m = DOCUMENT_NUMBER.fullmatch(para.strip())
        if m:
            return _formatted(m)
        m = BARE_NUMBER.match(para.strip())
        if m:
            return f"{m.group(1)}〔{m.group(2)}〕{m.group(3)}号"
        m = DOCUMENT_NUMBER.search(para)
        if not m or not m.group(4):
            continue
        rest = (para[: m.start()] + para[m.end():]).strip()
        # Its own line (maybe beside 签发人); a number inside a sentence is a citation.
        if re.search(r"[。，,；《》]|根据|按照|依据|印发", para) and not re.fullmatch(
            r"(?:签发人[:：]\S{0,6})?", rest
        ):
            continue
        if len(rest) > 12 and not rest.startswith("签发人"):
            continue
        return _formatted(m)
    for row in table_rows:
        cells = [cell.strip() for cell in row.split(TABLE_SEP)]
        for label, value in zip(cells, cells[1:]):
            m = DOCUMENT_NUMBER.fullmatch(value) if _NUMBER_LABEL.match(label.replace(" ", "")) else None
            if m:
                return _formatted(m)
    return None


# A news report's lead: "2月23日，广东省人民政府办公厅印发《…》".
_REPORTED_ISSUE = re.compile(
    r"^(?:(\d{4})年)?(\d{1,2})月(\d{1,2})日[，,]\s*[^。，,；;]{2,30}?(?:印发|印發|发布|出台)(?:了)?《"
)


def find_issued_on(paras: list[str], ctx: DateContext) -> dt.date | None:
    found = _date_line(paras, ctx)
    if found is None:
        for para in paras[:5]:
            m = _REPORTED_ISSUE.match(para)
            year = int(m.group(1)) if m and m.group(1) else ctx.default_year
            if m and year:
                try:
                    return dt.date(year, int(m.group(2)), int(m.group(3)))
                except ValueError:
                    return None
    return found


def _date_line(paras: list[str], ctx: DateContext) -> dt.date | None:
    found = _printed_date_line(paras, ctx)
    if found is None and not any(DATE_LINE.match(p) for p in paras):
        # Only when no date is printed whole: a bare 2017322 is the copy's loss.
        found = next((d for p in paras if (d := bare_date(p))), None)
    return found


def _printed_date_line(paras: list[str], ctx: DateContext) -> dt.date | None:
    for para in paras:
        m = DATE_LINE.match(para)
        if not m:
            continue
        year_s = m.group(1)
        if not re.fullmatch(r"\d{4}", year_s):
            if all(c in YEAR_DIGITS for c in year_s):
                year_s = str(numeral_value(year_s))
            else:
                ctx.warnings.append(f"印发日期的年份被遮盖（{year_s}），请人工填写。")
                return None
        month, day = numeral_value(m.group(2)), numeral_value(m.group(3))
        try:
            return dt.date(int(year_s), month, day)
        except (TypeError, ValueError):
            return None
    return None


def _unquoted(text: str) -> str:
    """The text without what its quotes and title marks enclose: a comma inside
    “告别不文明行为,建设美丽绵阳” does not make a title a sentence."""
    return re.sub(r"“[^“”]*”|《[^《》]*》|〈[^〈〉]*〉", "", text)


def _is_title_line(para: str) -> bool:
    return (
        len(para) <= 70 and bool(TITLE_END.search(para)) and not NOTICE.search(para)
        and not re.search(r"[。，,；;：:]", _unquoted(para))
    )


# What a copy glued before the title: the signature's date (2017322, 2017年3月22日) and what precedes it.
_GLUED_DATE = re.compile(
    rf"^.{{0,30}}?(?:\d{{6,8}}|\d{{4}}年\d{{1,2}}月\d{{1,2}}日|[{YEAR_DIGITS}]{{4}}年[{ONE_TO_TEN}]{{1,2}}月[{ONE_TO_TEN}]{{1,3}}日)"
    r"(?=[\u4e00-\u9fff“《])"
)


def find_title(preamble: list[str]) -> str | None:
    """The plan's own title: the last title-like line before the body (the
    plan's heading follows its notice's), else the name its notice hands out,
    else the title a body glued to it begins with. A short line without a
    title's ending is no title: on web copies it is the site's name or a news headline."""
    lines = [_GLUED_DATE.sub("", re.sub(r"^[《〈](.+)[》〉]$", r"\1", p)) for p in preamble]
    candidates = [p for p in lines if _is_title_line(p)]
    if candidates:
        return candidates[-1]
    for p in lines:
        m = _HANDED_OUT.search(p)
        if m:
            return re.sub(r"〈(.+?)〉", r"《\1》", next(g for g in m.groups() if g))
    for p in lines:
        m = _NOTICE_TITLE.search(p)
        # A notice's title cited inside a sentence (根据《…关于印发…的通知》) is another document's.
        if m and not re.search(r"[。，,；;]", p):
            return re.sub(r"〈(.+?)〉", r"《\1》", m.group(1))
    for p in lines:
        m = _TITLE_GLUED.match(p)
        if m:
            return m.group(1)
    return None


# An anonymised copy (根据*要求, XX镇XX村) blanks out names; a title that then
# begins with a bare 县 or 市 lost its place's name, and the clerk must supply it.
_MASKED_NAME = re.compile(r"[*＊]|[XＸ×]{2}")
_NAMELESS_PLACE = re.compile(r"^[省市县区镇乡村](?![委政级直属])")


def lost_its_place_name(title: str | None, text: str) -> bool:
    return bool(title and _NAMELESS_PLACE.match(title) and _MASKED_NAME.search(text))


def year_in_title(title: str | None) -> int | None:
    if not title:
        return None
    years = set(re.findall(r"(?<!\d)(20\d{2})(?!\d)", title))
    return int(years.pop()) if len(years) == 1 else None


def extract_contact(paras: list[str]) -> dict:
    """The office's contact (联系人, 联系电话, 邮箱) as the plan prints it."""
    text = "\n".join(paras)
    person = re.search(r"联系人[:：]\s*([\u4e00-\u9fff·]{2,4})(?![\u4e00-\u9fff])", text) or re.search(
        r"联系人[:：]\s*([\u4e00-\u9fff]{2,3})", text
    )
    phone = re.search(r"(?:联系电话|电话|联系方式)[:：]\s*([\d][\d\-－—\s]{4,18}\d)", text)
    email = re.search(r"(?:电子邮箱|邮箱|E-?mail|电子信箱)[:：]\s*([\w.+-]+@[\w-]+(?:\.[\w-]+)+)", text, re.I)
    return {
        "person": person.group(1) if person else None,
        "phone": re.sub(r"[\s－—]", "-", phone.group(1)).replace("--", "-") if phone else None,
        "email": email.group(1) if email else None,
    }
