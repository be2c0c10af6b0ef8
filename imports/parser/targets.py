"""Quantified targets (覆盖率达到95%以上) with their comparison."""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass
class Target:
    name: str
    value: float | int
    unit: str
    comparison: str  # "gte" | "lte" | "eq"


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
