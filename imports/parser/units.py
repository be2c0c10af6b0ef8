"""Responsible units: lead and co-units from 责任单位 lines and unit brackets."""

from __future__ import annotations

import re

from .text import either_script, fold

UNIT_LABEL = either_script(
    r"(?:责任单位|责任部门|牵头单位|牵头部门|主责单位|负责单位|配合单位|配合部门|协办单位|部门分工)"
)
UNIT_LINE = re.compile(rf"^[（(〔【\[]?{UNIT_LABEL}[:：]")

_NOISE = re.compile(
    either_script(
        r"按照?职责分工负责|按照?职能分工负责|按照?职责(?:分别)?负责|分工负责|按照?职责分工|"
        r"按照?职责|分别负责|共同负责|具体负责|负责落实|抓好落实|各司其职|下同|等单位|等部门"
    )
)
_NOT_UNITS = {"各有关单位", "各相关单位", "有关单位", "相关单位", "各有关部门", "各相关部门",
              "有关部门", "相关部门", "各单位", "各部门", "等", "负责", "牵头", "配合"}
# Collectives assign the work to everyone of a kind, not to a unit the campaign
# can hold to account: 各县（市、区）, 各街道办事处, 各乡镇, 各区县分局, 市直各单位,
# 市爱卫会各成员单位, 区级相关部门. The importer names them in a warning instead.
_COLLECTIVE = re.compile(
    r"^各|[直属]各|各(?:成员)?(?:单位|部门)$|(?:有关|相关)(?:单位|部门)|^各级|"
    # A kind with no place named: 乡镇人民政府, 街道办事处.
    r"^(?:乡镇|街道|镇|乡)(?:人民政府|政府|办事处)?$"
)
_SUFFIX = re.compile(either_script(r"(?:等|牵头|配合|参与|协助|协办|负责|为牵头单位|为配合单位)$"))


def _top_level_parts(text: str) -> list[str]:
    """Split at 、，; and spaces outside brackets: 各县（市、区） stays whole."""
    parts, depth, start = [], 0, 0
    for i, ch in enumerate(text):
        if ch in "（(":
            depth += 1
        elif ch in "）)":
            depth = max(depth - 1, 0)
        elif depth == 0 and ch in "、，,；;/／ \t\n":
            parts.append(text[start:i])
            start = i + 1
    parts.append(text[start:])
    return parts


def _parts(text: str) -> list[str]:
    parts = []
    for part in _top_level_parts(_NOISE.sub("", text)):
        part = part.strip("。．. ：:")
        part = _SUFFIX.sub("", part)
        part = re.sub(r"^(?:由|和|及)", "", part)
        if part and len(part) <= 30 and part not in parts:
            parts.append(part)
    return parts


def split_units(text: str) -> list[str]:
    return [p for p in _parts(text) if fold(p) not in _NOT_UNITS and not _COLLECTIVE.search(fold(p))]


def collectives_in(text: str) -> list[str]:
    """The collectives a unit list names (各街道办事处, 市直各单位), for a warning:
    the clerk may want each of them as a unit. 有关部门 and the like say nothing."""
    return [
        p for p in _parts(text)
        if "各" in p and fold(p) not in _NOT_UNITS and _COLLECTIVE.search(fold(p))
        and not re.search(r"各(?:有关|相关)", p) and not re.search(r"[（(][^）)]*$", p)
    ]


def parse_unit_spec(spec: str, first_is_lead: bool = False) -> tuple[list[str], list[str]]:
    """(lead, co) from the text inside a unit bracket or after 责任单位：."""
    spec = spec.strip().strip("（）()〔〕【】[]")
    # "责任单位：A、B按职责分工负责。具体任务均涉及…": after the sentence, commentary.
    first, _, rest = spec.partition("。")
    if rest and not re.search(UNIT_LABEL, rest):
        spec = first
    lead_m = re.search(either_script(r"(?:牵头单位|牵头部门|主责单位)[:：]([^；;]*)"), spec)
    co_m = re.search(either_script(r"(?:配合单位|配合部门|协办单位)[:：]([^；;]*)"), spec)
    if lead_m or co_m:
        lead = split_units(lead_m.group(1)) if lead_m else []
        co = split_units(co_m.group(1)) if co_m else []
        if not lead_m:
            resp = re.search(rf"{UNIT_LABEL}[:：]([^；;]*)", spec)
            lead = split_units(resp.group(1)) if resp else []
        elif not co_m:
            # 牵头单位：A；责任单位：B、C — beside a lead, the responsible units share the work.
            resp = re.search(either_script(r"(?:责任单位|责任部门|负责单位)[:：]([^；;]*)"), spec)
            co = split_units(resp.group(1)) if resp else []
        return lead, [u for u in co if u not in lead]
    spec = re.sub(rf"^{UNIT_LABEL}[:：]", "", spec)
    # "A（牵头）、B、C" marks the lead inline.
    marked = re.findall(either_script(r"([^、，,；;]+?)[（(]牵头[）)]"), spec)
    if marked:
        lead = split_units("、".join(marked))
        co = [u for u in split_units(re.sub(either_script(r"[（(]牵头[）)]"), "", spec)) if u not in lead]
        return lead, co
    m = re.match(either_script(r"(.*?)牵头[，,、；;]?(.*)$"), spec)
    if m:
        lead = split_units(m.group(1))
        co = split_units(re.sub(either_script(r"(?:配合|参与|协助|协办)[^、，,]*$"), "", m.group(2)))
        return lead, [u for u in co if u not in lead]
    m = re.match(either_script(r"(.*)[，,；;](.+?)(?:配合|参与|协助)$"), spec)
    if m:
        return split_units(m.group(1)), split_units(m.group(2))
    units = split_units(spec)
    if first_is_lead and len(units) > 1:
        return units[:1], units[1:]
    return units, []


_UNIT_BRACKET = re.compile(r"[〔【\[]([^〔〕【】\[\]]{2,120})[〕】\]]|[（(]((?:[^（）()]|[（(][^（）()]*[）)]){2,120})[）)]")
_CUT_BRACKET = re.compile(rf"[（(〔【\[]({UNIT_LABEL}[:：][^（）()〔〕【】\[\]]*(?:[（(][^（）()]*)?)$")
_UNIT_HINT = re.compile(rf"{UNIT_LABEL}|" + either_script(r"牵头|配合|负责$"))


# A unit's name: its level, then what it is (区市场局, 市大数据中心, 县人民政府).
_UNIT_NAME = re.compile(
    r"^(?:[省市区區县縣镇鎮乡鄉]|自治[区區州])[\u4e00-\u9fff]{1,14}?"
    r"(?:局|委|办|辦|中心|厅|廳|部|政府|公司|院|所|队|隊|会|會|处|處|站|室|署|馆|館)$"
)


def _bare_units(inner: str) -> str | None:
    """A bracket that closes a sentence with nothing but unit names
    (……场景应用（区市场局、区行政服务中心）。) assigns the sentence: the first
    named leads, as the draft would make it. The spec is returned labelled."""
    parts = [p.strip() for p in re.split(r"[、，,]", inner)]
    if not 1 <= len(parts) <= 8 or not all(_UNIT_NAME.match(p) for p in parts):
        return None
    spec = f"牵头单位：{parts[0]}"
    return f"{spec}；配合单位：{'、'.join(parts[1:])}" if len(parts) > 1 else spec


def unit_brackets(text: str) -> list[tuple[str, str]]:
    """[(full match, inner)] for brackets that name responsible units."""
    found = []
    for m in _UNIT_BRACKET.finditer(text):
        inner = m.group(1) or m.group(2)
        # A date is a deadline beside the units only when a label says which are units.
        dated = re.search(r"\d{4}年|\d+月", inner) and not re.search(UNIT_LABEL, inner)
        if _UNIT_HINT.search(inner) and "《" not in inner and not dated:
            found.append((m.group(0), inner))
        elif (bare := _bare_units(inner)) and text[m.end(): m.end() + 1] in ("。", "；", ";"):
            found.append((m.group(0), bare))
    # A copy cut off inside the closing bracket (（牵头单位：市爱卫办；配合单位：…各镇( ):
    # a bracket opened by a unit label and never closed still names the units.
    cut = _CUT_BRACKET.search(text)
    if cut and not any(full in cut.group(0) or cut.group(0) in full for full, _ in found):
        found.append((cut.group(0), cut.group(1)))
    return found
