"""报一次，用多次: a longer report (monthly, quarterly, ...) drafted from the
reports the unit already sent under a shorter cadence in the same span.

Pure assembly, no database: `reports.selectors.report_draft` reads the
sources and the page shows the draft only while the report is not started.
"""

import dataclasses
import datetime
import re
from decimal import Decimal

from tasks.models import Indicator

# Shorter before longer; a once rule has no cadence to compare and is never
# drafted from others (nor a source for them).
CADENCE_ORDER = ["weekly", "monthly", "quarterly", "half_yearly", "yearly"]


@dataclasses.dataclass(frozen=True)
class Source:
    """One sent report of the unit, as the draft needs it."""

    rule_name: str
    number: int
    starts_on: datetime.date
    ends_on: datetime.date
    work_done: str = ""
    problems: str = ""
    next_steps: str = ""
    # task id -> (status, percent, note)
    task_progress: dict = dataclasses.field(default_factory=dict)
    # indicator id -> Decimal
    indicator_values: dict = dataclasses.field(default_factory=dict)


@dataclasses.dataclass(frozen=True)
class Draft:
    work_done: str
    problems: str
    next_steps: str
    task_progress: dict
    indicator_values: dict
    note: str


def shorter_cadences(cadence):
    """The cadences whose reports may draft a report of `cadence`."""
    if cadence not in CADENCE_ORDER:
        return []
    return CADENCE_ORDER[: CADENCE_ORDER.index(cadence)]


def short_date(day):
    return f"{day.month}月{day.day}日"


def numbers_text(numbers):
    """[1, 2, 3, 5] -> "1–3、5"."""
    numbers = sorted(set(numbers))
    runs, start = [], None
    for i, n in enumerate(numbers):
        if start is None:
            start = n
        if i + 1 == len(numbers) or numbers[i + 1] != n + 1:
            runs.append(str(start) if start == n else f"{start}–{n}")
            start = None
    return "、".join(runs)


def _lines(text):
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


def _key(line):
    return re.sub(r"\s+", "", line)


def assemble_work_done(sources):
    """Each source's text under its heading, "第3期（1月14日—1月20日）：…";
    a line already written in an earlier period is left out, and a period
    with nothing new is skipped."""
    seen, parts = set(), []
    for source in sources:
        fresh = []
        for line in _lines(source.work_done):
            if _key(line) not in seen:
                seen.add(_key(line))
                fresh.append(line)
        if fresh:
            heading = f"第{source.number}期（{short_date(source.starts_on)}—{short_date(source.ends_on)}）："
            parts.append(heading + "\n".join(fresh))
    return "\n".join(parts)


def aggregate(aggregation, values):
    """The span's figure from the sources' figures, oldest first, per the
    indicator's rule (`Indicator.aggregation`); None without any."""
    values = [Decimal(v) for v in values if v is not None]
    if not values:
        return None
    if aggregation == Indicator.Aggregation.SUM:
        return sum(values, Decimal(0))
    if aggregation == Indicator.Aggregation.AVERAGE:
        return (sum(values, Decimal(0)) / len(values)).quantize(Decimal("0.01"))
    if aggregation == Indicator.Aggregation.MAX:
        return max(values)
    return values[-1]


def assemble(*, sources, indicators, cumulative=None):
    """The draft of a longer report from `sources` (sent reports of the span,
    any order), for the rule's `indicators`. `cumulative` maps an indicator
    (aggregation 最新值, a figure that accumulates) to the unit's latest figure
    sent before the span, used when no source of the span gives it.
    Returns None when there is nothing to draft from."""
    cumulative = cumulative or {}
    sources = sorted(sources, key=lambda s: (s.ends_on, s.number))
    values = {}
    for indicator in indicators:
        value = aggregate(indicator.aggregation, [s.indicator_values.get(indicator.pk) for s in sources])
        if value is None and indicator.aggregation == Indicator.Aggregation.LATEST:
            value = cumulative.get(indicator.pk)
        if value is not None:
            values[indicator.pk] = value
    if not sources:
        if not values:
            return None
        return Draft("", "", "", {}, values, "已根据本单位此前报送的累计数预填指标，请核对修改。")
    progress = {}
    for source in sources:
        progress.update(source.task_progress)
    latest = sources[-1]
    rule_names = "、".join(dict.fromkeys(s.rule_name for s in sources))
    return Draft(
        work_done=assemble_work_done(sources),
        problems=latest.problems,
        next_steps=latest.next_steps,
        task_progress=progress,
        indicator_values=values,
        note=f"已根据本单位第{numbers_text(s.number for s in sources)}期{rule_names}自动汇总，请核对修改。",
    )
