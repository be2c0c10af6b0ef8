"""Score a plan proposal against what a clerk would have proposed by hand.

Each fixture in this folder is a real plan (``a-<slug>.txt``, as found) and
the campaign a clerk would set up from it (``a-<slug>.json``, ``expected``).
:func:`score` counts the fields the parser got right; the CLI runs the parser
over every fixture:

    python -m imports.tests.corpus.score [--record] [-v]

``--record`` writes ``baseline.json`` ({slug: correct}), the floor that
``test_corpus`` holds every fixture to.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import unicodedata
from difflib import SequenceMatcher
from pathlib import Path

CORPUS = Path(__file__).resolve().parent
BASELINE = CORPUS / "baseline.json"
EXPECTED_KEYS = (
    "title",
    "document_number",
    "issued_on",
    "phases",
    "tasks",
    "reporting_rules",
    "targets",
    "leading_group",
)
FIXTURE_KEYS = ("source", "retrieved", "kind", "level", "layout", "year", "expected")
RULE_FIELDS = ("cadence", "weekday", "day_of_month", "time")
# Compared only where the expected rule states them: a one-off's date, a
# quarterly/half-yearly/yearly rule's month.
OPTIONAL_RULE_FIELDS = ("month_offset", "due_on")
TARGET_FIELDS = ("name", "value", "comparison")

# NFKC folds full-width letters, digits and most punctuation to half width;
# these are the pairs it leaves apart that plans use interchangeably.
_PUNCTUATION = str.maketrans(
    {
        "〔": "[",
        "〕": "]",
        "【": "[",
        "】": "]",
        "“": '"',
        "”": '"',
        "‘": "'",
        "’": "'",
        "—": "-",
        "–": "-",
        "～": "~",
        "。": ".",
        "、": ",",
    }
)


def norm(value):
    """Text compared without whitespace, width or punctuation style; other values as they are."""
    if not isinstance(value, str):
        return value
    text = unicodedata.normalize("NFKC", value).translate(_PUNCTUATION)
    return re.sub(r"\s+", "", text)


def _similar(a, b) -> float:
    return SequenceMatcher(None, norm(a or ""), norm(b or "")).ratio()


class _Tally:
    def __init__(self):
        self.correct = 0
        self.total = 0
        self.mismatches: list[str] = []

    def check(self, where: str, expected, actual, same=None):
        self.total += 1
        ok = same(expected, actual) if same else norm(expected) == norm(actual)
        if ok:
            self.correct += 1
        else:
            self.mismatches.append(f"{where}: expected {expected!r}, got {actual!r}")
        return ok

    def missing(self, where: str, name, fields: int):
        """An expected item with no counterpart: every one of its fields is wrong,
        even those expected empty (a missing phase has no dates to be right about)."""
        self.total += fields
        self.mismatches.append(f"{where}: missing {name!r} ({fields} fields)")

    def wrong(self, where: str, message: str):
        self.total += 1
        self.mismatches.append(f"{where}: {message}")


def _match(expected: list, actual: list, key, by_position: bool = False) -> list:
    """For each expected item, the actual item it is compared with (or None).

    An exact key match wins, then the item at the same position if nothing
    else claims it and its key is close (or at all, `by_position`: phases are
    often named by the clerk, not the plan), then the closest key above 0.5.
    """
    taken: set[int] = set()
    pairs: list = [None] * len(expected)
    for i, item in enumerate(expected):
        for j, other in enumerate(actual):
            if j not in taken and norm(key(item)) == norm(key(other)):
                pairs[i] = j
                taken.add(j)
                break
    for i, item in enumerate(expected):
        if pairs[i] is not None or i >= len(actual) or i in taken:
            continue
        if by_position or _similar(key(item), key(actual[i])) >= 0.5:
            pairs[i] = i
            taken.add(i)
    for i, item in enumerate(expected):
        if pairs[i] is not None:
            continue
        scored = [(_similar(key(item), key(other)), j) for j, other in enumerate(actual) if j not in taken]
        best = max(scored, default=(0.0, None))
        if best[0] > 0.5:
            pairs[i] = best[1]
            taken.add(best[1])
    return [actual[j] if j is not None else None for j in pairs]


def _count_tasks(tasks: list) -> int:
    return sum(1 + _count_tasks(t.get("children", [])) for t in tasks)


def _unit_set(units) -> set:
    return {norm(u) for u in units or []}


def _score_tasks(tally: _Tally, expected: list, actual: list, where: str):
    matched = _match(expected, actual, key=lambda t: t.get("title"))
    for i, (want, got) in enumerate(zip(expected, matched, strict=True)):
        here = f"{where}[{i}]"
        if got is None:
            # The task, its units and all its sub-tasks are missing.
            tally.missing(here, f"task {want['title']}", 3 * _count_tasks([want]))
            continue
        tally.check(f"{here}.title", want["title"], got.get("title"))
        tally.check(
            f"{here}.lead_units",
            want["lead_units"],
            got.get("lead_units"),
            same=lambda a, b: _unit_set(a) == _unit_set(b),
        )
        tally.check(
            f"{here}.co_units", want["co_units"], got.get("co_units"), same=lambda a, b: _unit_set(a) == _unit_set(b)
        )
        _score_tasks(tally, want.get("children", []), got.get("children", []), f"{here}.children")
    claimed = {id(t) for t in matched if t is not None}
    for got in actual:
        if id(got) not in claimed:
            for _ in range(_count_tasks([got])):
                tally.wrong(f"{where}", f"unexpected task {got.get('title')!r}")


def score(expected: dict, actual: dict) -> tuple[int, int, list[str]]:
    """(correct, total, mismatches): the fields of `actual` (a proposal's
    ``to_dict()``) that agree with `expected` (a fixture's ``expected``)."""
    tally = _Tally()
    for name in ("title", "document_number", "issued_on"):
        tally.check(name, expected.get(name), actual.get(name))

    phases = actual.get("phases") or []
    matched = _match(expected.get("phases", []), phases, key=lambda p: p.get("name"), by_position=True)
    for i, (want, got) in enumerate(zip(expected.get("phases", []), matched, strict=True)):
        if got is None:
            tally.missing(f"phases[{i}]", want.get("name"), 3)
            continue
        for name in ("name", "start", "end"):
            tally.check(f"phases[{i}].{name}", want.get(name), got.get(name))
    claimed = {id(p) for p in matched if p is not None}
    for got in phases:
        if id(got) not in claimed:
            tally.wrong("phases", f"unexpected phase {got.get('name')!r}")

    _score_tasks(tally, expected.get("tasks", []), actual.get("tasks") or [], "tasks")

    rules = actual.get("reporting_rules") or []
    matched = _match(expected.get("reporting_rules", []), rules, key=lambda r: r.get("cadence"))
    for i, (want, got) in enumerate(zip(expected.get("reporting_rules", []), matched, strict=True)):
        fields = RULE_FIELDS + tuple(name for name in OPTIONAL_RULE_FIELDS if name in want)
        if got is None:
            tally.missing(f"reporting_rules[{i}]", want.get("cadence"), len(fields))
            continue
        for name in fields:
            tally.check(f"reporting_rules[{i}].{name}", want.get(name), got.get(name))

    targets = actual.get("targets") or []
    matched = _match(expected.get("targets", []), targets, key=lambda t: t.get("name"))
    for i, (want, got) in enumerate(zip(expected.get("targets", []), matched, strict=True)):
        if got is None:
            tally.missing(f"targets[{i}]", want.get("name"), len(TARGET_FIELDS))
            continue
        tally.check(f"targets[{i}].name", want.get("name"), got.get("name"))
        tally.check(
            f"targets[{i}].value",
            want.get("value"),
            got.get("value"),
            same=lambda a, b: a is not None and b is not None and float(a) == float(b),
        )
        tally.check(f"targets[{i}].comparison", want.get("comparison"), got.get("comparison"))

    members = {(norm(m.get("position")), norm(m.get("name"))) for m in actual.get("leading_group") or []}
    for i, want in enumerate(expected.get("leading_group", [])):
        found = (norm(want["position"]), norm(want["name"])) in members
        tally.check(
            f"leading_group[{i}]", f"{want['position']} {want['name']}", found or None, same=lambda _a, b: bool(b)
        )
    return tally.correct, tally.total, tally.mismatches


def fixtures() -> list[tuple[str, dict, str]]:
    """(slug, fixture, text) for every ``*.json`` beside its ``.txt``, sorted by slug."""
    found = []
    for path in sorted(CORPUS.glob("*.json")):
        if path.name == BASELINE.name:
            continue
        fixture = json.loads(path.read_text(encoding="utf-8"))
        text = path.with_suffix(".txt").read_text(encoding="utf-8")
        found.append((path.stem, fixture, text))
    return found


def score_fixture(fixture: dict, text: str) -> tuple[int, int, list[str]]:
    from imports.parser import parse_plan

    return score(fixture["expected"], parse_plan(text, year=fixture.get("year")).to_dict())


def score_all() -> dict[str, tuple[int, int, list[str]]]:
    return {slug: score_fixture(fixture, text) for slug, fixture, text in fixtures()}


def total_line(results: dict) -> str:
    correct = sum(c for c, _, _ in results.values())
    total = sum(t for _, t, _ in results.values())
    percent = 100 * correct / total if total else 0
    return f"plan_import_fields_correct: {correct}/{total} ({percent:.1f} %)"


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m imports.tests.corpus.score", description=__doc__.split("\n")[0])
    parser.add_argument("--record", action="store_true", help="write baseline.json from this run")
    parser.add_argument("-v", "--verbose", action="store_true", help="list each fixture's mismatches")
    args = parser.parse_args(argv)
    results = score_all()
    for slug, (correct, total, mismatches) in results.items():
        print(f"{slug}: {correct}/{total}")
        if args.verbose:
            for line in mismatches:
                print(f"    {line}")
    print(total_line(results))
    if args.record:
        baseline = {slug: correct for slug, (correct, _, _) in results.items()}
        BASELINE.write_text(json.dumps(baseline, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
        print(f"recorded {BASELINE.relative_to(Path.cwd()) if BASELINE.is_relative_to(Path.cwd()) else BASELINE}")


if __name__ == "__main__":
    sys.exit(main())
