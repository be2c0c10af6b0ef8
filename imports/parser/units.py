"""Responsible units: lead and co-units from 责任单位 lines and unit brackets."""

from __future__ import annotations

import re

UNIT_LABEL = r"(?:责任单位|责任部门|牵头单位|牵头部门|主责单位|负责单位|配合单位|配合部门|协办单位)"
UNIT_LINE = re.compile(rf"^[（(〔【\[]?{UNIT_LABEL}[:：]")

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
