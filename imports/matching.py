"""Which existing unit a name printed in a plan means.

In order: the same name, the same short name, one name containing the other,
then difflib's similarity. Each match carries its score and how it was found,
so the preview can show it and a person can correct it. A name matching no
unit well enough is proposed as a new unit.
"""

from dataclasses import dataclass
from difflib import SequenceMatcher

from campaigns.models import Unit

# Below this, two names share too little to be proposed as the same unit
# ("区卫健委" and "区城管局" score about 0.5).
MIN_RATIO = 0.6


@dataclass(frozen=True)
class UnitMatch:
    name: str  # as printed in the plan
    unit_id: int | None  # None: propose a new unit
    unit_name: str | None
    score: float  # 0..1
    how: str  # shown to the user

    @property
    def percent(self):
        return round(self.score * 100)


@dataclass(frozen=True)
class Candidate:
    pk: int
    name: str
    short_name: str


def candidates(queryset=None) -> list[Candidate]:
    """Every active unit, in one query."""
    rows = (queryset if queryset is not None else Unit.objects.filter(is_active=True)).values_list(
        "pk", "name", "short_name"
    )
    return [Candidate(pk, name, short or "") for pk, name, short in rows]


def match_unit(name: str, units: list[Candidate]) -> UnitMatch:
    name = name.strip()
    for unit in units:
        if unit.name == name:
            return UnitMatch(name, unit.pk, unit.name, 1.0, "名称相同")
    for unit in units:
        if unit.short_name and unit.short_name == name:
            return UnitMatch(name, unit.pk, unit.name, 1.0, "与简称相同")
    best = None
    for unit in units:
        for label in filter(None, (unit.name, unit.short_name)):
            if len(label) >= 2 and len(name) >= 2 and (label in name or name in label):
                shorter, longer = sorted((len(label), len(name)))
                score = 0.8 + 0.2 * shorter / longer
                if best is None or score > best.score:
                    best = UnitMatch(name, unit.pk, unit.name, round(score, 2), "名称包含")
    if best is not None:
        return best
    for unit in units:
        for label in filter(None, (unit.name, unit.short_name)):
            score = SequenceMatcher(None, name, label).ratio()
            if score >= MIN_RATIO and (best is None or score > best.score):
                best = UnitMatch(name, unit.pk, unit.name, round(score, 2), "名称相近")
    if best is not None:
        return best
    return UnitMatch(name, None, None, 0.0, "未找到，建议新建")


def match_units(names, units: list[Candidate] | None = None) -> dict[str, UnitMatch]:
    units = candidates() if units is None else units
    return {name: match_unit(name, units) for name in names}


def unit_names(tasks: list[dict]) -> list[str]:
    """Every lead and co-unit name of a task tree, in order of first mention."""
    names: list[str] = []

    def visit(items):
        for task in items:
            for name in [*task.get("lead_units", []), *task.get("co_units", [])]:
                if name not in names:
                    names.append(name)
            visit(task.get("children", []))

    visit(tasks)
    return names
