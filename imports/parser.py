"""Parse a campaign plan document (实施方案 / 行动方案) into a proposal.

Pure functions only: no database, no files. The management command
``import_plan`` reads the file and hands the text to :func:`parse_plan`.

Pipeline: :func:`normalise` (page furniture, stray spaces, stray line breaks)
-> paragraphs -> :func:`build_outline` (numbering levels) -> extractors for
title, document number, issue date, phases, tasks, reporting rules, targets
and the leading group.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import asdict, dataclass, field
from difflib import SequenceMatcher

from core.numerals import FULLWIDTH_DIGITS, ONE_TO_TEN, YEAR_DIGITS, numeral_value

# ---------------------------------------------------------------- dataclasses


@dataclass
class Phase:
    name: str
    goal: str | None
    start: dt.date | None
    end: dt.date | None


@dataclass
class Task:
    code: str
    title: str
    lead_units: list[str] = field(default_factory=list)
    co_units: list[str] = field(default_factory=list)
    children: list[Task] = field(default_factory=list)


@dataclass
class ReportingRule:
    cadence: str  # "weekly" | "monthly"
    weekday: int | None
    day_of_month: int | None
    time: str | None
    text: str


@dataclass
class Target:
    name: str
    value: float | int
    unit: str
    comparison: str  # "gte" | "lte" | "eq"


@dataclass
class GroupMember:
    position: str
    name: str


@dataclass
class PlanProposal:
    title: str | None = None
    document_number: str | None = None
    issued_on: dt.date | None = None
    phases: list[Phase] = field(default_factory=list)
    tasks: list[Task] = field(default_factory=list)
    reporting_rules: list[ReportingRule] = field(default_factory=list)
    targets: list[Target] = field(default_factory=list)
    leading_group: list[GroupMember] = field(default_factory=list)
    contact: dict = field(default_factory=lambda: {"person": None, "phone": None, "email": None})
    warnings: list[str] = field(default_factory=list)

    def to_dict(self) -> dict:
        def conv(value):
            if isinstance(value, dt.date):
                return value.isoformat()
            if isinstance(value, dict):
                return {k: conv(v) for k, v in value.items()}
            if isinstance(value, list):
                return [conv(v) for v in value]
            return value

        return conv(asdict(self))


# ------------------------------------------------------------- normalisation

_FURNITURE_LINE = re.compile(
    r"^(?:"
    r"【?(?:下载|打印|打印本页|关闭|关闭窗口|收藏|分享|分享到|返回顶部|返回|上一篇|下一篇|"
    r"保存|纠错|我要纠错|扫一扫|附件下载)】?"
    r"|[【\[]?(?:打印本页|关闭窗口|字号|大|中|小)[】\]]?(?:\s*[【\[]?[大中小][】\]]?)*"
    r"|字号[:：].*|来源[:：].*|发布(?:时间|日期)[:：].*|浏览(?:次数)?[:：].*|"
    r"访问量[:：].*|阅读(?:次数)?[:：].*|分享到[:：].*|"
    r"第\s*\d+\s*页\s*[,，/]?\s*共\s*\d+\s*页|共\s*\d+\s*页|\d+\s*/\s*\d+|"
    r"[-—－–\s]*\d{1,3}[-—－–\s]*"
    r")$"
)
_FOOTER_WORDS = re.compile(
    r"版权所有|主办单位[:：]|承办单位[:：]|ICP备|网站标识码|公网安备|技术支持[:：]|"
    r"联系我们|网站地图|Copyright|©|建议使用.*浏览器|分辨率"
)

_CJK = r"\u3000-\u303f\u3400-\u9fff\uff00-\uffef\u2014\u2026\u201c\u201d"


def _squash_spaces(line: str) -> str:
    line = line.replace("\u3000", " ").replace("\xa0", " ").replace("\t", " ")
    line = line.translate(FULLWIDTH_DIGITS)
    # Spaces next to a Chinese character or full-width mark are layout, not words.
    line = re.sub(rf"(?<=[{_CJK}])\s+|\s+(?=[{_CJK}])", "", line)
    return re.sub(r" {2,}", " ", line).strip()


TABLE_SEP = "|"


def clean_lines(text: str) -> list[str]:
    """Lines without page furniture, page numbers and layout spaces."""
    out = []
    for raw in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        cells = re.split(r"\t|[|｜]", raw)
        if len(cells) >= 3 and sum(bool(c.strip()) for c in cells) >= 2:
            # A table row (Word table, tab-separated copy, "a | b | c"): "|" keeps
            # its columns apart through the space squashing.
            out.append(TABLE_SEP.join(_squash_spaces(c) for c in cells))
            continue
        line = _squash_spaces(raw)
        if not line:
            continue
        if _FURNITURE_LINE.match(line):
            continue
        if len(line) <= 80 and _FOOTER_WORDS.search(line):
            continue
        if re.match(r"^(?:首页|当前位置|您现在的位置|你的位置)", line) and re.search(r"[>＞»›]", line):
            continue
        out.append(line)
    return out


# Numbering styles, from the most specific to the least.
NUMBERING = [
    ("cn", re.compile(rf"^([{ONE_TO_TEN}]+)[、,，．.](?!\d)")),
    ("pcn", re.compile(rf"^[（(]([{ONE_TO_TEN}]+)[）)]、?")),
    ("pnum", re.compile(r"^[（(](\d{1,2})[）)]、?")),
    ("num", re.compile(r"^(\d{1,2})(?:[、．]|\.(?!\d))")),
    ("circ", re.compile(r"^([①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳])")),
    # 一是…；二是…: enumerations inside an item, split out by split_enumerations().
    ("shi", re.compile(rf"^([{ONE_TO_TEN}]{{1,3}})是(?=[\u4e00-\u9fff“])")),
]


def detect_numbering(para: str) -> tuple[str, str, str] | None:
    """(style, number, rest) when the paragraph starts with a list number."""
    for style, rx in NUMBERING:
        m = rx.match(para)
        if m:
            rest = para[m.end():].lstrip("、，,. ．")
            if not rest:
                return None
            return style, m.group(1), rest
    return None


UNIT_LABEL = r"(?:责任单位|责任部门|牵头单位|牵头部门|主责单位|负责单位|配合单位|配合部门|协办单位)"
_UNIT_LINE = re.compile(rf"^[（(〔【\[]?{UNIT_LABEL}[:：]")
_DATE_LINE = re.compile(
    rf"^(\d{{4}}|[{YEAR_DIGITS}]{{4}}|\d{{2,3}}[*＊xXＸ×]+|[2２][0０][xXＸ×*＊]{{2}})年"
    rf"([\d{ONE_TO_TEN}]{{1,3}})月([\d{ONE_TO_TEN}]{{1,3}})日$"
)
_DOCNO = re.compile(
    r"([\u4e00-\u9fff]{1,10})\s*[〔\[［【(（]\s*(\d{4}|\d{2,3}[*＊xX]+|20[xX]{2})\s*"
    r"[〕\]］】)）]\s*(\d{1,4})\s*号"
)
_PHASE_START = re.compile(rf"^第[{ONE_TO_TEN}\d]+(?:阶段|步)")
_LABEL_LINE = re.compile(r"^[\u4e00-\u9fff]{1,6}[:：]")
_TITLE_END = re.compile(
    r"(?:方案|通知|计划|意见|办法|细则|要点|规划|安排|决定)(?:[（(][^（）()]{0,20}[）)])?$"
)


def _is_heading_line(line: str) -> bool:
    num = detect_numbering(line)
    return bool(num) and len(line) <= 32 and not re.search(r"[。，,；;]", num[2])


def _standalone(line: str) -> bool:
    """Lines that always form a paragraph of their own."""
    return bool(
        TABLE_SEP in line
        or _DATE_LINE.match(line)
        or (_DOCNO.search(line) and len(line) <= 30)
        or _is_heading_line(line)
        or (_TITLE_END.search(line) and not re.search(r"[。，,；;《]", line) and len(line) <= 60)
    )


def _starts_paragraph(line: str) -> bool:
    return bool(
        TABLE_SEP in line
        or detect_numbering(line)
        or _UNIT_LINE.match(line)
        or _PHASE_START.match(line)
        or _DATE_LINE.match(line)
        or (_DOCNO.search(line) and len(line) <= 30)
        or _LABEL_LINE.match(line)
    )


def to_paragraphs(lines: list[str]) -> list[str]:
    """Re-join lines broken inside sentences (PDF and web copies)."""
    paras: list[str] = []
    for line in lines:
        if paras:
            prev = paras[-1]
            ends = re.search(r"[。！？!?：:；;〕】]$", prev) or (
                re.search(r"[）)]$", prev) and unit_brackets(prev[-125:])
            )
            short_bracket = re.match(r"^[（(][^（）()]{1,20}[）)]$", line)
            if short_bracket and _TITLE_END.search(prev) and not re.search(r"[。，；]", prev):
                paras[-1] = prev + line
                continue
            label_prev = _LABEL_LINE.match(prev) and not (
                len(line) <= 12 and not re.search(r"[，,。；;：:]", line)
            )
            if not ends and not label_prev and not _standalone(prev) and not _starts_paragraph(line):
                paras[-1] = prev + line
                continue
        paras.append(line)
    return paras


_ENUM_MARK = re.compile(rf"(?:^|(?<=[。；;：:，,]))([{ONE_TO_TEN}]{{1,3}})是(?=[\u4e00-\u9fff“])")


def split_enumerations(paras: list[str]) -> list[str]:
    """"（一）强化治理。一是…；二是…；三是…。" -> the heading and one
    paragraph per item, so that the items become sub-tasks. Only a run that
    counts 一是, 二是, … in order is split; a unit bracket closing the
    whole paragraph after its last sentence stays apart (it is the heading's)."""
    out: list[str] = []
    for para in paras:
        run = []
        for m in _ENUM_MARK.finditer(para):
            if numeral_value(m.group(1)) == len(run) + 1:
                run.append(m)
        if len(run) < 2:
            out.append(para)
            continue
        head = para[: run[0].start(1)].strip()
        if head:
            out.append(head)
        for m, following in zip(run, [*run[1:], None]):
            item = para[m.start(1): following.start(1) if following else len(para)].strip()
            closing = re.search(r"(?<=[。；;])([（(〔【][^（）()〔〕【】]*[）)〕】])$", item) if following is None else None
            if closing and unit_brackets(closing.group(1)):
                out.extend([item[: closing.start()].strip(), closing.group(1)])
            else:
                out.append(item)
    return out


def normalise(text: str) -> list[str]:
    """Text of any source -> list of logical paragraphs."""
    text = re.sub(r"[（(]下同[）)]|以下同|下同", "", text)
    return split_enumerations(to_paragraphs(clean_lines(text)))


# --------------------------------------------------------------- outline


@dataclass
class Node:
    style: str
    number: str
    text: str  # heading paragraph without its number
    body: list[str] = field(default_factory=list)
    children: list[Node] = field(default_factory=list)
    parent: Node | None = None
    unit_specs: list[str] = field(default_factory=list)
    units_from_line: bool = False


def build_outline(paras: list[str]) -> tuple[list[str], list[Node]]:
    """Preamble paragraphs and the tree of numbered items.

    Levels come from the order styles first appear in (a style already on the
    stack closes the deeper levels), so documents that skip a level work.
    """
    preamble: list[str] = []
    roots: list[Node] = []
    stack: list[Node] = []
    for para in paras:
        num = detect_numbering(para)
        if num:
            style, number, rest = num
            if any(n.style == style for n in stack):
                while stack[-1].style != style:
                    stack.pop()
                stack.pop()
            node = Node(style, number, rest, parent=stack[-1] if stack else None)
            (stack[-1].children if stack else roots).append(node)
            stack.append(node)
        elif stack:
            stack[-1].body.append(para)
        else:
            preamble.append(para)
    return preamble, roots


def walk(nodes: list[Node]):
    for node in nodes:
        yield node
        yield from walk(node.children)


def all_paragraph_nodes(preamble, roots):
    yield from preamble
    for node in walk(roots):
        yield node.text
        yield from node.body


# ----------------------------------------------------------------- units

_NOISE = re.compile(
    r"按照?职责分工负责|按照?职能分工负责|按照?职责(?:分别)?负责|分工负责|按照?职责分工|"
    r"按照?职责|分别负责|共同负责|具体负责|负责落实|抓好落实|下同|等单位|等部门"
)
_NOT_UNITS = {"各有关单位", "各相关单位", "有关单位", "相关单位", "各有关部门", "各相关部门",
              "有关部门", "相关部门", "各单位", "各部门", "等", "负责", "牵头", "配合"}


def split_units(text: str) -> list[str]:
    text = _NOISE.sub("", text)
    units = []
    for part in re.split(r"[、，,；;/／\s]+", text):
        part = part.strip("。．. ：:")
        part = re.sub(r"(?:等|牵头|配合|参与|协助|协办|负责|为牵头单位|为配合单位)$", "", part)
        part = re.sub(r"^(?:由|和|及)", "", part)
        if part and part not in _NOT_UNITS and len(part) <= 30:
            if part not in units:
                units.append(part)
    return units


def parse_unit_spec(spec: str, first_is_lead: bool = False) -> tuple[list[str], list[str]]:
    """(lead, co) from the text inside a unit bracket or after 责任单位：."""
    spec = spec.strip().strip("（）()〔〕【】[]")
    lead_m = re.search(r"(?:牵头单位|牵头部门|主责单位)[:：]([^；;]*)", spec)
    co_m = re.search(r"(?:配合单位|配合部门|协办单位)[:：]([^；;]*)", spec)
    if lead_m or co_m:
        lead = split_units(lead_m.group(1)) if lead_m else []
        co = split_units(co_m.group(1)) if co_m else []
        if not lead_m:
            resp = re.search(rf"{UNIT_LABEL}[:：]([^；;]*)", spec)
            lead = split_units(resp.group(1)) if resp else []
        return lead, [u for u in co if u not in lead]
    spec = re.sub(rf"^{UNIT_LABEL}[:：]", "", spec)
    # "A（牵头）、B、C" marks the lead inline.
    marked = re.findall(r"([^、，,；;]+?)[（(]牵头[）)]", spec)
    if marked:
        lead = split_units("、".join(marked))
        co = [u for u in split_units(re.sub(r"[（(]牵头[）)]", "", spec)) if u not in lead]
        return lead, co
    m = re.match(r"(.*?)牵头[，,、；;]?(.*)$", spec)
    if m:
        lead = split_units(m.group(1))
        co = split_units(re.sub(r"(?:配合|参与|协助|协办)[^、，,]*$", "", m.group(2)))
        return lead, [u for u in co if u not in lead]
    m = re.match(r"(.*)[，,；;](.+?)(?:配合|参与|协助)$", spec)
    if m:
        return split_units(m.group(1)), split_units(m.group(2))
    units = split_units(spec)
    if first_is_lead and len(units) > 1:
        return units[:1], units[1:]
    return units, []


_UNIT_BRACKET = re.compile(r"[〔【\[]([^〔〕【】\[\]]{2,120})[〕】\]]|[（(]((?:[^（）()]|[（(][^（）()]*[）)]){2,120})[）)]")
_UNIT_HINT = re.compile(rf"{UNIT_LABEL}|牵头|配合|负责$")


def unit_brackets(text: str) -> list[tuple[str, str]]:
    """[(full match, inner)] for brackets that name responsible units."""
    found = []
    for m in _UNIT_BRACKET.finditer(text):
        inner = m.group(1) or m.group(2)
        if _UNIT_HINT.search(inner) and "《" not in inner and not re.search(r"\d{4}年|\d+月", inner):
            found.append((m.group(0), inner))
    return found


# ----------------------------------------------------------------- dates

MASK_YEAR = r"\d{2,3}[*＊xXＸ×]+|[2２][0０][xXＸ×*＊]{2}"
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


def _year(value: str | None, ctx: DateContext, where: str) -> int | None:
    if value is None:
        if ctx.default_year is None:
            ctx.warnings.append(f"{where}的日期没有写年份，请人工填写（或用 --year 指定）。")
        return ctx.default_year
    if re.fullmatch(r"\d{4}", value):
        return int(value)
    ctx.warnings.append(f"{where}的年份被遮盖（{value}），请人工填写。")
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


def find_date_range(text: str, ctx: DateContext, where: str):
    """(start, end) from the first date range (or deadline) in text."""
    m = DATE_RANGE.search(text)
    if m:
        y1 = m.group("y1")
        y2 = m.group("y2")
        year1 = _year(y1, ctx, where) if (y1 or not y2) else None
        year2 = _year(y2, ctx, where) if y2 else year1
        if not y1 and y2:
            year1 = year2 if year2 is not None else None
        d1 = int(m.group("d1")) if m.group("d1") else None
        d2 = int(m.group("d2")) if m.group("d2") else None
        return (
            _make_date(year1, int(m.group("m1")), d1, m.group("q1"), False),
            _make_date(year2, int(m.group("m2")), d2, m.group("q2"), True),
        )
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


# ---------------------------------------------------------------- extractors

def find_document_number(paras: list[str]) -> str | None:
    for para in paras[:40]:
        m = _DOCNO.search(para)
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
        m = _DATE_LINE.match(para)
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
        if len(p) <= 70 and _TITLE_END.search(p) and not re.search(r"[。，,；;：:《》]", p)
        and not p.startswith("关于印发") and not re.search(r"印发.*的通知$", p)
    ]
    if candidates:
        return candidates[-1]
    for p in preamble:
        m = re.search(r"关于印发《?(.+?)》?的通知", p)
        if m:
            return m.group(1)
    for p in preamble:
        if len(p) <= 60 and not re.search(r"[。，,；;：:]", p) and not _DOCNO.search(p):
            return p
    return None


def _title_year(title: str | None) -> int | None:
    if not title:
        return None
    years = set(re.findall(r"(?<!\d)(20\d{2})(?!\d)", title))
    return int(years.pop()) if len(years) == 1 else None


PHASE_NAME_RANGE = re.compile(r"[（(][^（）()]*\d+月[^（）()]*[）)]")


def extract_phases(paras: list[str], ctx: DateContext) -> list[Phase]:
    phases: list[Phase] = []
    by_year: list[tuple[int, str]] = []
    for para in paras:
        num = detect_numbering(para)
        text = num[2] if num else para
        m = _PHASE_START.match(text)
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


TASK_SECTION = re.compile(
    r"主要任务|主要内容|目标任务|创建措施|工作措施|重点任务|工作任务|主要措施|具体措施|"
    r"重点工作|任务分工|工作重点|整治内容|整治重点|行动内容|具体任务|主要工作|工作内容|重点内容|"
    r"创建内容|实施内容|治理内容|任务措施"
)


def _heading_of(node: Node) -> str:
    return re.split(r"[。；;：:]", node.text, maxsplit=1)[0]


def task_sections(roots: list[Node]) -> list[Node]:
    found = []
    for node in walk(roots):
        head = _heading_of(node)
        if len(head) <= 20 and TASK_SECTION.search(head) and node.children:
            if not any(anc in found for anc in _ancestors(node)):
                found.append(node)
    return found


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
            is_unit_line = bool(_UNIT_LINE.match(para)) or bool(
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


def _units_of(node: Node, first_is_lead: bool) -> tuple[list[str], list[str]]:
    lead: list[str] = []
    co: list[str] = []
    specs = []
    for para in [node.text, *node.body]:
        brackets = unit_brackets(para)
        specs.extend(inner for _, inner in brackets)
        for full, _ in brackets:
            para = para.replace(full, "")
        # 责任单位：A、B written inside the item's paragraph, after its text.
        specs.extend(m.group(0) for m in re.finditer(rf"{UNIT_LABEL}[:：][^。]+", para))
    specs.extend(node.unit_specs)
    for spec in specs:
        l, c = parse_unit_spec(spec, first_is_lead)
        lead += [u for u in l if u not in lead]
        co += [u for u in c if u not in co]
    return lead, [u for u in co if u not in lead]


_TABLE_TASK = re.compile(r"任务|工作内容|事项|措施|内容")
_TABLE_LEAD = re.compile(r"牵头|责任单位|责任部门|主责|负责单位")
_TABLE_CO = re.compile(r"配合|协办|参与")
_TABLE_CODE = re.compile(r"^(?:序号|编号|序)$")


def extract_task_table(rows: list[str]) -> list[Task]:
    """Rows of a 任务分工表 (task / lead unit / co-units) as flat tasks."""
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


def extract_tasks(roots: list[Node], warnings: list[str], first_is_lead: bool, table_rows=()) -> list[Task]:
    sections = task_sections(roots)
    table = extract_task_table(list(table_rows))
    if not sections and not table:
        warnings.append("没有找到“主要任务/主要内容/工作措施”等任务部分，任务清单为空，请人工补充。")
        return []
    for section in sections:
        _assign_unit_lines(section.children)

    def convert(node: Node, code: str) -> Task:
        lead, co = _units_of(node, first_is_lead)
        task = Task(code=code, title=_clean_title(node.text), lead_units=lead, co_units=co)
        task.children = [convert(ch, f"{code}.{i}") for i, ch in enumerate(node.children, 1)]
        return task

    tasks = []
    for section in sections:
        for node in section.children:
            tasks.append(convert(node, str(len(tasks) + 1)))
    tasks = merge_task_table(tasks, table, warnings)

    def check(ts, inherited):
        for t in ts:
            if not t.lead_units and not t.children and not inherited:
                warnings.append(f"任务 {t.code}“{t.title}”没有找到责任单位，请人工指定。")
            check(t.children, inherited or bool(t.lead_units))

    check(tasks, False)
    return tasks


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


def extract_reporting_rules(paras: list[str]) -> list[ReportingRule]:
    rules: list[ReportingRule] = []
    for para in paras:
        for sentence in re.split(r"[。；;]", para):
            starts = [m for m in re.finditer(r"每周|每星期|每月", sentence)]
            for i, m in enumerate(starts):
                end = starts[i + 1].start() if i + 1 < len(starts) else len(sentence)
                clause = sentence[m.start():end].rstrip("，,和及、")
                tail = sentence[m.start():]
                verb = _REPORT_VERB.search(clause)
                if not _REPORT_VERB.search(tail):
                    continue
                if verb:
                    comma = re.search(r"[，,]", clause[verb.end():])
                    if comma:
                        clause = clause[: verb.end() + comma.start()]
                if m.group(0) in ("每周", "每星期"):
                    wm = re.match(r"(?:每周|每星期)([一二三四五六日天末1-7])", clause)
                    weekday = None
                    if wm:
                        weekday = int(wm.group(1)) if wm.group(1).isdigit() else WEEKDAYS[wm.group(1)]
                    rules.append(ReportingRule("weekly", weekday, None, _time_of(clause), clause))
                else:
                    dm = re.match(rf"每月(\d{{1,2}}|[{ONE_TO_TEN}]{{1,3}})[日号]", clause)
                    day = numeral_value(dm.group(1)) if dm else None
                    if day is not None and not 1 <= day <= 31:
                        day = None
                    # 31 is "the month's last day" to ReportingRule.day_of_month.
                    if day is None and re.match(r"每月(?:月底|月末|最后一(?:天|日)|底)", clause):
                        day = 31
                    rules.append(ReportingRule("monthly", None, day, _time_of(clause), clause))
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


_TARGET = re.compile(
    r"(?P<name>[^，,。；;：:、“”（）()]{2,30}?)"
    r"(?P<verb>达到|达|不低于|不少于|不高于|不超过|控制在|提高到|提升到|提高至|提升至|保持在|高于|低于|超过|在)"
    r"(?P<value>\d+(?:\.\d+)?)\s*(?P<unit>%|％|个百分点|万人次|人次|万元|元|个|家|人|次|项|天|户|所|场|条|件|小时|分|辆|处|篇|期|起|例)?"
    r"(?P<suffix>及以上|以上|以下|以内|左右)?"
)
_GTE = ("达到", "达", "不低于", "不少于", "提高到", "提升到", "提高至", "提升至", "高于", "超过")
_LTE = ("不高于", "不超过", "控制在", "低于")
_NAME_PREFIX = re.compile(r"^(?:确保|力争|争取|保证|实现|推动|使|要|全面|基本|努力|进一步|全区|全市|全县|群众对)+")


def extract_targets(paras: list[str]) -> list[Target]:
    targets: list[Target] = []
    for para in paras:
        for m in _TARGET.finditer(para):
            unit, suffix, verb = m.group("unit"), m.group("suffix"), m.group("verb")
            if not unit and not suffix:
                continue
            if verb == "在" and suffix not in ("以上", "及以上", "以下", "以内"):
                continue
            after = para[m.end(): m.end() + 1]
            if not unit and after in "年月日":
                continue
            name = _NAME_PREFIX.sub("", m.group("name").strip())
            if "的" in name and len(name.rsplit("的", 1)[1]) >= 2:
                name = name.rsplit("的", 1)[1]
            if len(name) < 2:
                continue
            if suffix in ("以下", "以内") or verb in _LTE:
                comparison = "lte"
            elif suffix in ("以上", "及以上") or verb in _GTE:
                comparison = "gte"
            else:
                comparison = "eq"
            raw = m.group("value")
            value = float(raw) if "." in raw else int(raw)
            unit = "%" if unit == "％" else (unit or "")
            targets.append(Target(name, value, unit, comparison))
    return targets


_POSITIONS = ("办公室主任", "副组长", "组长", "成员")
_TITLE_WORDS = re.compile(
    r"(?:常务副|副)?(?:书记|主任|局长|区长|县长|市长|部长|所长|科长|主席|院长|校长|镇长|乡长|处长|"
    r"秘书长|常委|队长|站长|经理|委员|调研员|主任科员|负责人|同志)"
)
_ORG_CHARS = re.compile(r"[区市县委局办所科院部厅处室会组队站心校镇乡街领导班成员其他各]")


def _person(segment: str) -> str:
    """The person's name in 'title + name', 'name + title' or just a name."""
    segment = re.sub(r"[（(][^（）()]*[）)]", "", segment).strip("由、，, ")
    segment = re.sub(r"同志$", "", segment)
    titles = list(_TITLE_WORDS.finditer(segment))
    if titles:
        after = segment[titles[-1].end():]
        if 2 <= len(after) <= 4 and not _ORG_CHARS.search(after):
            return after
        before = segment[: titles[0].start()]
        if 2 <= len(before) <= 4 and not _ORG_CHARS.search(before):
            return before
    return segment


def _people(segment: str) -> list[str]:
    parts = [p for p in re.split(r"[、，,]", segment) if p.strip()]
    names = []
    for part in parts:
        person = _person(part)
        if person != part.strip() or (2 <= len(person) <= 4 and not _ORG_CHARS.search(person)):
            names.append(person)
    if not names:
        return [_person(segment)] if segment.strip() else []
    return names


def extract_leading_group(paras: list[str]) -> list[GroupMember]:
    members: list[GroupMember] = []

    def add(position, names):
        for name in names:
            if name and not any(m.position == position and m.name == name for m in members):
                members.append(GroupMember(position, name))

    for para in paras:
        # List form: 组长：张三（区长）  副组长：李四、王五
        lm = re.match(r"^(组长|副组长|成员|办公室主任)[:：](.+)$", para)
        if lm:
            add(lm.group(1), _people(lm.group(2).rstrip("。；;")))
            continue
        # The same list inside a paragraph: …领导小组。组长：张三（县长）；副组长：李四。
        inline = list(re.finditer(r"(?:^|(?<=[。；;，,]))(组长|副组长|成员|办公室主任)[:：]([^；;。]+)", para))
        if inline:
            for im in inline:
                add(im.group(1), _people(im.group(2)))
            continue
        if not re.search(r"组长|办公室主任|成员", para):
            continue
        for clause in re.split(r"[。；;]", para):
            for pm in re.finditer(r"([^，,。；;：:]*?)(?:兼任|担任|任)(办公室主任|副组长|组长|成员)", clause):
                segment = re.sub(r"^.*?(?:领导小组|小组)?由", "", pm.group(1))
                segment = re.sub(r"^.*领导小组", "", segment)
                add(pm.group(2), _people(segment))
            for pm in re.finditer(r"(办公室主任|副组长|组长|成员)由([^，,。；;]+?)(?:兼任|担任|组成|任)", clause):
                add(pm.group(1), _people(pm.group(2)) if pm.group(1) != "成员" else [pm.group(2)])
            for pm in re.finditer(r"([^，,。；;：:]+?)为(办公室主任|副组长|组长|成员)", clause):
                segment = re.sub(r"^.*由", "", pm.group(1))
                add(pm.group(2), _people(segment))
    rank = {"组长": 0, "副组长": 1, "成员": 2, "办公室主任": 3}
    return sorted(members, key=lambda m: rank[m.position])


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


# ------------------------------------------------------------------- entry

def parse_plan(text: str, year: int | None = None) -> PlanProposal:
    proposal = PlanProposal()
    paras = normalise(text)
    if not paras:
        proposal.warnings.append("文档没有可识别的文字。")
        return proposal
    table_rows = [p for p in paras if TABLE_SEP in p]
    paras = [p for p in paras if TABLE_SEP not in p]
    preamble, roots = build_outline(paras)
    warnings = proposal.warnings

    proposal.title = find_title(preamble)
    if not proposal.title:
        warnings.append("没有找到方案标题，请人工填写。")
    proposal.document_number = find_document_number(preamble)
    if proposal.document_number and re.search(MASK_YEAR, proposal.document_number):
        warnings.append(f"文号中的年份被遮盖（{proposal.document_number}），请人工填写。")
    if not proposal.document_number:
        warnings.append("没有找到文号（如 X〔2016〕41号），请确认方案是否有文号。")

    default_year = year
    ctx = DateContext(default_year, warnings)
    if default_year is None:
        title_year = _title_year(proposal.title)
        if title_year and not re.search(rf"{MASK_YEAR}", proposal.title or ""):
            ctx.default_year = title_year
            ctx.year_source = "title"
    proposal.issued_on = find_issued_on(paras, ctx)

    everything = list(all_paragraph_nodes(preamble, roots))
    missing_before = len(warnings)
    proposal.phases = extract_phases(everything, ctx)
    if ctx.year_source == "title" and any("没有写年份" in w for w in warnings[missing_before:]):
        pass
    elif ctx.year_source == "title" and re.search(r"(?<!\d)(?<!年)\d{1,2}月\d{1,2}日", "".join(everything)):
        warnings.append(f"部分日期没有写年份，已按标题中的年份 {ctx.default_year} 年补全，请核对。")

    first_is_lead = bool(re.search(r"(?:排在)?(?:第一位|首位)的?(?:为|是)牵头", "".join(everything)))
    proposal.tasks = extract_tasks(roots, warnings, first_is_lead, table_rows)
    proposal.reporting_rules = extract_reporting_rules(everything)
    warnings.extend(other_deadlines(everything, ctx))
    proposal.targets = extract_targets(everything)
    proposal.leading_group = extract_leading_group(everything)
    proposal.contact = extract_contact(everything)
    if not proposal.leading_group:
        warnings.append("没有找到领导小组（组长、副组长、办公室主任），请人工填写。")
    # Same message twice helps no one.
    proposal.warnings = list(dict.fromkeys(warnings))
    return proposal
