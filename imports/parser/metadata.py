"""The plan's own particulars: title, document number (文号), issue date and
the office's contact."""

from __future__ import annotations

import datetime as dt
import re

from core.numerals import ONE_TO_TEN, YEAR_DIGITS, numeral_value

from .dates import DateContext

# A date alone on its line is where a plan prints its issue date, in figures or
# in Chinese (二〇一七年二月十日); such a line is never joined to its neighbours.
DATE_LINE = re.compile(
    rf"^(\d{{4}}|[{YEAR_DIGITS}]{{4}}|\d{{2,3}}[*＊xXＸ×]+|[2２][0０][xXＸ×*＊]{{2}})年"
    rf"([\d{ONE_TO_TEN}]{{1,3}})月([\d{ONE_TO_TEN}]{{1,3}})日$"
)
DOCUMENT_NUMBER = re.compile(
    r"([\u4e00-\u9fff]{1,10})\s*[〔\[［【(（]\s*(\d{4}|\d{2,3}[*＊xX]+|20[xX]{2})\s*"
    r"[〕\]］】)）]\s*(\d{1,4})\s*号"
)

TITLE_END = re.compile(
    r"(?:方案|通知|计划|意见|办法|细则|要点|规划|安排|决定)(?:[（(][^（）()]{0,20}[）)])?$"
)


def find_document_number(paras: list[str]) -> str | None:
    for para in paras[:40]:
        m = DOCUMENT_NUMBER.search(para)
        if not m:
            continue
        rest = (para[: m.start()] + para[m.end():]).strip()
        # Its own line (maybe beside 签发人); a number inside a sentence is a citation.
        if re.search(r"[。，,；《》]|根据|按照|依据|印发", para) and not re.fullmatch(
            r"(?:签发人[:：]\S{0,6})?", rest
        ):
            continue
        if len(rest) > 12 and not rest.startswith("签发人"):
            continue
        return f"{m.group(1)}〔{m.group(2)}〕{m.group(3)}号"
    return None


def find_issued_on(paras: list[str], ctx: DateContext) -> dt.date | None:
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


def find_title(preamble: list[str]) -> str | None:
    candidates = [
        p for p in preamble
        if len(p) <= 70 and TITLE_END.search(p) and not re.search(r"[。，,；;：:《》]", p)
        and not p.startswith("关于印发") and not re.search(r"印发.*的通知$", p)
    ]
    if candidates:
        return candidates[-1]
    for p in preamble:
        m = re.search(r"关于印发《?(.+?)》?的通知", p)
        if m:
            return m.group(1)
    for p in preamble:
        if len(p) <= 60 and not re.search(r"[。，,；;：:]", p) and not DOCUMENT_NUMBER.search(p):
            return p
    return None


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
