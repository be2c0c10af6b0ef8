"""Reporting rules (每周五、每月25日前报送), and warnings for the deadlines a rule
cannot hold."""

from __future__ import annotations

import re
from dataclasses import dataclass

from core.numerals import ONE_TO_TEN, numeral_value

from .dates import MASK_YEAR, DateContext
from .text import fold


@dataclass
class ReportingRule:
    cadence: str  # "weekly" | "monthly"
    weekday: int | None
    day_of_month: int | None
    time: str | None
    text: str


WEEKDAYS = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "日": 7, "天": 7, "末": None}


def _time_of(text: str) -> str | None:
    m = re.search(r"(上午|中午|下午|晚上)?(\d{1,2})[:：](\d{2})", text)
    if m:
        h = int(m.group(2)) + (12 if m.group(1) in ("下午", "晚上") and int(m.group(2)) < 12 else 0)
        return f"{h:02d}:{m.group(3)}"
    m = re.search(rf"(上午|中午|下午|晚上)?(\d{{1,2}}|[{ONE_TO_TEN}]{{1,3}})[时点](半)?", text)
    if m:
        h = numeral_value(m.group(2)) or 0
        if m.group(1) in ("下午", "晚上") and h < 12:
            h += 12
        return f"{h:02d}:{'30' if m.group(3) else '00'}"
    if "下班前" in text:
        return "12:00" if re.search(r"上午下班前|中午下班前", text) else "17:30"
    if "中午前" in text or "中午12" in text:
        return "12:00"
    return None


_REPORT_VERB = re.compile(r"报送|上报|报告|报|提交|汇总|反馈")
# The office's own monthly round (每月通报一次, 每月评选…) asks nothing of the units.
_OFFICE_ROUND = re.compile(r"通报|评选|评比|讲评|考评|测评|排名|督查|督察")
_UNITS_SEND = re.compile(r"报送|上报|提交")


def _merged(rules: list[ReportingRule]) -> list[ReportingRule]:
    """One rule per cadence a sentence states twice (每周报送一篇信息，于每周四下班前报…):
    the clause with no day gets it from the one that names it."""
    out: list[ReportingRule] = []
    for rule in rules:
        same = next((r for r in out if r.cadence == rule.cadence), None)
        key = "weekday" if rule.cadence == "weekly" else "day_of_month"
        if same is not None and (getattr(same, key) is None or getattr(rule, key) is None):
            if getattr(same, key) is None:
                setattr(same, key, getattr(rule, key))
            same.time = same.time or rule.time
            same.text = f"{same.text}，{rule.text}"
            continue
        out.append(rule)
    return out


def extract_reporting_rules(paras: list[str]) -> list[ReportingRule]:
    rules: list[ReportingRule] = []
    for para in paras:
        for original in re.split(r"[。；;]", para):
            # Traditional script (每週, 報送) read as simplified; positions are kept.
            sentence = fold(original)
            found = []
            starts = [m for m in re.finditer(r"每周|每星期|每月", sentence)]
            for i, m in enumerate(starts):
                end = starts[i + 1].start() if i + 1 < len(starts) else len(sentence)
                clause = sentence[m.start():end].rstrip("，,和及、")
                tail = sentence[m.start():]
                verb = _REPORT_VERB.search(clause)
                if not _REPORT_VERB.search(tail):
                    continue
                if _OFFICE_ROUND.search(clause) and not _UNITS_SEND.search(clause):
                    continue
                if verb:
                    comma = re.search(r"[，,]", clause[verb.end():])
                    if comma:
                        clause = clause[: verb.end() + comma.start()]
                text = original[m.start(): m.start() + len(clause)]
                if m.group(0) in ("每周", "每星期"):
                    wm = re.match(r"(?:每周|每星期)([一二三四五六日天末1-7])", clause)
                    weekday = None
                    if wm:
                        weekday = int(wm.group(1)) if wm.group(1).isdigit() else WEEKDAYS[wm.group(1)]
                    found.append(ReportingRule("weekly", weekday, None, _time_of(clause), text))
                else:
                    dm = re.match(rf"每月(\d{{1,2}}|[{ONE_TO_TEN}]{{1,3}})[日号]", clause)
                    day = numeral_value(dm.group(1)) if dm else None
                    if day is not None and not 1 <= day <= 31:
                        day = None
                    # 31 is "the month's last day" to ReportingRule.day_of_month.
                    if day is None and re.match(r"每月(?:月底|月末|最后一(?:天|日)|底)", clause):
                        day = 31
                    found.append(ReportingRule("monthly", None, day, _time_of(clause), text))
            rules.extend(_merged(found))
    return rules


_QUARTERLY = re.compile(r"每(?:个)?季度[^，,。；;]*?(?:报送|上报|报告|提交|反馈)[^，,。；;]*")
_ONE_OFF = re.compile(
    rf"(?:于|在)?((?:(?:\d{{4}}|{MASK_YEAR})年)?\d{{1,2}}月(?:\d{{1,2}}[日号]|底|末|上旬|中旬|下旬))(?:前|以前|之前)"
    r"[^，,。；;]{0,20}?(?:报送|上报|报告|提交|报)[^，,。；;]*"
)


def other_deadlines(paras: list[str], ctx: DateContext) -> list[str]:
    """Warnings for reporting requirements a ReportingRule cannot hold: it
    repeats weekly or monthly only. A quarterly report as a monthly rule
    would ask units for three reports where the plan asks for one, and a
    one-off report is not a rule at all; a person decides what to set up."""
    found = []
    for para in paras:
        for sentence in re.split(r"[。；;]", para):
            for m in _QUARTERLY.finditer(sentence):
                found.append(
                    f"按季度报送的要求“{m.group(0)}”未导入：报送要求只能每周或每月，请人工安排（如在管理后台另建）。"
                )
            for m in _ONE_OFF.finditer(sentence):
                if re.search(r"每周|每星期|每月|季度", sentence[max(0, m.start() - 6): m.start()]):
                    continue
                masked = re.search(MASK_YEAR, m.group(1))
                when = f"（年份被遮盖：{m.group(1)}，请人工填写）" if masked else ""
                found.append(
                    f"一次性报送要求“{m.group(0)}”{when}未作为报送要求导入：它只报送一次，请人工跟踪。"
                )
    return found
