"""Quantified targets (覆盖率达到95%以上, 开工老旧小区改造项目50个) with their comparison."""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass
class Target:
    name: str
    value: float | int
    unit: str
    comparison: str  # "gte" | "lte" | "eq"


# A short aside inside a name (街(镇), 村(社区)) is part of it; these stand in
# for its brackets while clauses are cut at the others.
_OPEN, _CLOSE = "\ue000", "\ue001"
_ASIDE = re.compile(r"[（(]([^（）()，,。；;、：:]{1,4})[）)]")
_NAME_CHARS = rf"[^，,。；;：:、“”（）()\s{_OPEN}{_CLOSE}]|{_OPEN}[^{_CLOSE}]*{_CLOSE}"
_NUMBER = r"\d+(?:\.\d+)?"
_UNIT = (
    r"%|％|个百分点|个工作日|万人次|人次|万平方米|平方米|亿元|億元|万元|萬元|元|万家|万户|万人|万套|万个|万名|"
    r"个|家|人|名|次|项|天|户|所|场|条|件|小时|分|辆|处|篇|期|起|例|套|部|座|公里|亩|吨"
)
# The units a count ends in (开工项目50个): a share or a sum is no count of things done.
_COUNT_UNIT = r"个|家|万家|户|万户|所|套|万套|部|座|处|名|万名|人|万人|项|场|条|件|辆|篇|期|次|人次|万元|亿元|億元"

_TARGET = re.compile(
    rf"(?P<name>(?:{_NAME_CHARS}){{2,30}}?)"
    r"(?P<verb>达到|达|不低于|不少于|不少於|不高于|不超过|控制在|提高到|提升到|提高至|提升至|保持在|高于|低于|超过|"
    r"缩短至|缩短到|缩减至|压缩至|压缩到|降低至|降低到|下降至|下降到|减少至|减少到|增长|在)"
    rf"(?P<values>(?P<value>{_NUMBER})(?P<unit>{_UNIT})?(?:、{_NUMBER}(?:{_UNIT})?)*)"
    r"(?P<suffix>及以上|以上|以下|以内|之内|内|左右)?"
)
# 无违建街(镇)达到全市街(镇)总数的80%: the share of a whole.
_SHARE = re.compile(
    rf"(?P<name>(?:{_NAME_CHARS}){{2,20}}?)(?P<verb>达到|达|占)(?P<whole>(?:{_NAME_CHARS}){{2,20}}?)的"
    rf"(?P<value>{_NUMBER})(?:%|％)(?P<suffix>及以上|以上)?"
)
_GTE = ("达到", "达", "不低于", "不少于", "不少於", "提高到", "提升到", "提高至", "提升至", "高于", "超过")
_LTE = (
    "不高于", "不超过", "控制在", "低于", "缩短至", "缩短到", "缩减至", "压缩至", "压缩到",
    "降低至", "降低到", "下降至", "下降到", "减少至", "减少到",
)
_WHEN_WHERE = (
    r"确保|力争|争取|全区|全市|全县|全省|全镇|全年|年内|即|"
    r"\d{1,2}月(?:底|末|\d{1,2}日)?(?:前|以前|之前)|(?:到|至)?\d{4}年(?:底|末)?(?:前)?"
)
_NAME_PREFIX = re.compile(rf"^(?:{_WHEN_WHERE}|保证|实现|推动|使|要|全面|基本|努力|进一步|群众对)+")
_COUNT_PREFIX = re.compile(rf"^(?:{_WHEN_WHERE})+")
# A count of things to do (筹集3000万元创业引导资金, 开工老旧小区改造项目50个):
# the verb and its object name the target, a floor to reach.
_ACTION = (
    r"(?:新开工|开工建设|开工|筹集|收集|培育|培训|创建|建成|新建|新增|完成|打造|带动|推动|扶持|引进|培养|组建|举办|"
    r"发放|改造|帮扶|认定|吸纳|安置|招募|招引|建设|新增發放|發放)"
)
_COUNT_BEFORE = re.compile(
    rf"^(?P<verb>{_ACTION})(?P<value>{_NUMBER})(?P<unit>{_COUNT_UNIT})(?P<object>[^，,。；;：:、]{{0,20}})$"
)
_COUNT_AFTER = re.compile(
    rf"^(?P<verb>{_ACTION})(?P<object>(?:{_NAME_CHARS}){{1,20}}?)(?P<value>{_NUMBER})(?P<unit>{_COUNT_UNIT})"
    r"(?P<suffix>以上|及以上|左右)?$"
)
_LEADING_VERBS = re.compile(r"^(?:继续|持续|加快|全面|深入|大力|积极|扎实)?(?:推进|推动|实施|开展)")


def _restore(text: str) -> str:
    return text.replace(_OPEN, "(").replace(_CLOSE, ")")


def _number(raw: str) -> float | int:
    return float(raw) if "." in raw else int(raw)


def _unit(raw: str | None) -> str:
    return "%" if raw == "％" else (raw or "")


def _clean_name(name: str) -> str:
    name = _NAME_PREFIX.sub("", name.strip())
    if "的" in name and len(name.rsplit("的", 1)[1]) >= 2:
        name = name.rsplit("的", 1)[1]
    return name


def _comparison(verb: str, suffix: str | None) -> str:
    if suffix in ("以下", "以内", "之内", "内") or verb in _LTE:
        return "lte"
    if suffix in ("以上", "及以上") or verb in _GTE:
        return "gte"
    return "eq"


_SHARED_TAIL = re.compile(r"(?:创建|建设|覆盖|达标|合格|知晓|满意|普及|参与|比例|占比|\w率$)")


def _subjects(before: str, name: str, count: int) -> list[str]:
    """The names of figures listed together (健康社区、健康家庭创建比例达40%、30%):
    the subjects before the last one, each with the tail they share with it."""
    listed = re.findall(rf"((?:{_NAME_CHARS})+)、$", before)
    subjects = []
    while listed and len(subjects) < count - 1:
        subjects.insert(0, _clean_name(listed[0]))
        before = before[: -len(listed[0]) - 1]
        listed = re.findall(rf"((?:{_NAME_CHARS})+)、$", before)
    if len(subjects) != count - 1:
        return [name] * count
    tail = _SHARED_TAIL.search(name, 2)
    shared = name[tail.start():] if tail else ""
    return [s + shared for s in subjects] + [name]


def _figures(para: str) -> tuple[list[tuple[int, Target]], list[tuple[int, int]]]:
    """Targets stated with a verb of comparison, and the spans of their figures."""
    found, spans = [], []
    for m in _SHARE.finditer(para):
        name = _NAME_PREFIX.sub("", m.group("name"))
        if len(name) < 2:
            continue
        full = f"{name}{m.group('verb')}{m.group('whole')}的比例"
        found.append((m.start("value"), Target(_restore(full), _number(m.group("value")), "%", "gte")))
        spans.append((m.start("value"), m.end()))
    for m in _TARGET.finditer(para):
        if any(a <= m.start("value") < b for a, b in spans):
            continue
        unit, suffix, verb = m.group("unit"), m.group("suffix"), m.group("verb")
        if not unit and not suffix:
            continue
        if suffix in ("内", "之内") and not unit:
            continue
        if verb == "在" and suffix not in ("以上", "及以上", "以下", "以内"):
            continue
        if verb == "增长" and unit not in ("%", "％"):
            continue
        after = para[m.end(): m.end() + 1]
        if not unit and after in "年月日":
            continue
        name = _clean_name(m.group("name"))
        if verb == "增长":
            name += verb
        if len(name) < 2:
            continue
        comparison = _comparison(verb, suffix)
        values = re.findall(rf"({_NUMBER})({_UNIT})?", m.group("values"))
        names = _subjects(para[: m.start("name")], name, len(values)) if len(values) > 1 else [name]
        for (raw, own_unit), each in zip(values, names, strict=True):
            found.append((m.start("value"), Target(_restore(each), _number(raw), _unit(own_unit or unit), comparison)))
        spans.append((m.start("value"), m.end()))
    return found, spans


def _counts(para: str, spans: list[tuple[int, int]]) -> list[tuple[int, Target]]:
    """Counts of things to do, clause by clause: 开工老旧小区改造项目50个,
    新开工安置房15546套, 筹集3000万元创业引导资金, 培训1000人."""
    found = []
    previous = ""
    for m in re.finditer(r"[^，,。；;：:、（(）)]+", para):
        clause = m.group(0)
        start = m.start()
        lead = _COUNT_PREFIX.match(clause)
        body = clause[lead.end():] if lead else clause
        offset = start + (lead.end() if lead else 0)
        hit = _COUNT_BEFORE.match(body) or _COUNT_AFTER.match(body)
        if hit and not any(a <= offset + hit.start("value") < b for a, b in spans):
            verb, obj = hit.group("verb"), hit.group("object").strip()
            name = verb + obj
            if not obj and previous and len(verb) >= 4:
                # 继续推进既有住宅增设电梯，12月底前开工建设200部: the thing is in the clause before.
                name = _LEADING_VERBS.sub("", previous) + verb
            if verb == "推动" and obj:
                name = obj
            target = Target(_restore(name), _number(hit.group("value")), _unit(hit.group("unit")), "gte")
            found.append((offset + hit.start("value"), target))
        previous = clause
    return found


def _squash_number_spaces(para: str) -> str:
    """Web copies space out figures: "5 0 %", "12 月"."""
    return re.sub(r"(?<=\d)[ \u3000\xa0]+(?=[\d%％.\u4e00-\u9fff])|(?<=[\u4e00-\u9fff])[ \u3000\xa0]+(?=\d)", "", para)


def extract_targets(paras: list[str]) -> list[Target]:
    targets: list[Target] = []
    for para in paras:
        para = _ASIDE.sub(rf"{_OPEN}\1{_CLOSE}", _squash_number_spaces(para))
        figures, spans = _figures(para)
        found = figures + _counts(para, spans)
        targets.extend(target for _, target in sorted(found, key=lambda pair: pair[0]))
    return targets
