"""The calendar arithmetic of reporting rules, free of the database."""

import calendar
import datetime
from dataclasses import dataclass

from core.numerals import chinese_numeral

# The months in which each cyclic cadence's cycles end (季度末月, 6月和12月, 12月).
CYCLE_END_MONTHS = {"quarterly": (3, 6, 9, 12), "half_yearly": (6, 12), "yearly": (12,)}
CYCLE_MONTHS = {"quarterly": 3, "half_yearly": 6, "yearly": 12}
# How far from the cycle's last month a deadline may fall: within the cycle,
# or up to three months after it (次年3月底前报送上年度总结).
MAX_MONTHS_AFTER = 3
# The cadences whose one report is due some days after a span ends: each
# phase's (每阶段结束后5日内报送阶段小结) or the campaign's (活动结束后10日内报送工作总结).
END_CADENCES = ("phase_end", "campaign_end")
# How many days after its phase or campaign such a report may fall due.
MAX_DAYS_AFTER = 90


def month_offset_range(cadence):
    """The month offsets a cadence allows (empty for weekly, monthly and once)."""
    if cadence not in CYCLE_MONTHS:
        return range(0, 1)
    return range(1 - CYCLE_MONTHS[cadence], MAX_MONTHS_AFTER + 1)


def _add_months(year, month, months):
    index = year * 12 + month - 1 + months
    return index // 12, index % 12 + 1


def _on(year, month, day):
    """The `day` of a month, or its last day where the month is shorter."""
    return datetime.date(year, month, min(day, calendar.monthrange(year, month)[1]))


def add_months(day, months):
    """The same day `months` later, or that month's last day where it is shorter."""
    return _on(*_add_months(day.year, day.month, months), day.day)


def cycle_of(cadence, deadline, month_offset):
    """(year, index) of the cycle a deadline reports on: the quarter (1–4),
    the half (1–2) or the year (1)."""
    year, month = _add_months(deadline.year, deadline.month, -month_offset)
    return year, (month - 1) // CYCLE_MONTHS[cadence] + 1


def closing_deadline(*, cadence, day_of_month, month_offset, on):
    """The deadline of the cycle that holds the day `on`: where a rule's
    reports fall due after their cycle (次月10日前报送上季度情况), the rule
    must run past the campaign's last day for its last cycle to be reported."""
    end_month = next(m for m in CYCLE_END_MONTHS[cadence] if m >= on.month)
    return _on(*_add_months(on.year, end_month, month_offset), day_of_month)


@dataclass(frozen=True)
class PhaseSpan:
    """A phase's dates as the schedule needs them (a campaigns.Phase will do too)."""

    name: str
    starts_on: datetime.date
    ends_on: datetime.date


def phase_label(number, name):
    """第一阶段（动员部署阶段）小结; a phase named 第一阶段… keeps its own name."""
    ordinal = f"第{chinese_numeral(number)}阶段"
    name = (name or "").strip()
    if not name or name.startswith(ordinal):
        return f"{name or ordinal}小结"[:60]
    return f"{ordinal}（{name[:50]}）小结"


@dataclass(frozen=True)
class PlannedPeriod:
    number: int
    starts_on: datetime.date
    ends_on: datetime.date
    # The nominal deadline day, before any holiday shift: the period's last
    # day, except for a last period that took in the rule's last few days,
    # and some days after it for a phase's or the campaign's report.
    due_on: datetime.date | None = None
    # A phase's report is named by its phase: 第一阶段（动员部署阶段）小结.
    name: str = ""

    @property
    def deadline(self):
        return self.due_on or self.ends_on

    def label(self, cadence, month_offset=0):
        """第3期（2026年1月14日—1月20日） for a week; 2026年2月（1月20日—2月19日)
        for a month; 2026年第一季度, 2026年上半年, 2026年度 for the cycles
        (named by the cycle reported on, so a report due on 10 April is the
        first quarter's); the dates alone for a one-off report. A week is
        numbered within its rule, not by calendar week: a period ending on a
        Tuesday spans two calendar weeks."""
        start, end = self.starts_on, self.ends_on
        dates = f"{start.month}月{start.day}日—" + (f"{end.year}年" if end.year != start.year else "") + f"{end.month}月{end.day}日"
        if cadence == "weekly":
            return f"第{self.number}期（{start.year}年{dates}）"
        if cadence == "monthly":
            # Named by its deadline: a last period that took in the rule's
            # last days is still the month whose deadline it has.
            return f"{self.deadline.year}年{self.deadline.month}月（{dates}）"
        if cadence == "once":
            return f"{start.year}年{dates}"
        if cadence == "phase_end":
            return self.name
        if cadence == "campaign_end":
            return "活动总结"
        year, index = cycle_of(cadence, self.deadline, month_offset)
        name = {
            "quarterly": f"第{chinese_numeral(index)}季度",
            "half_yearly": "上半年" if index == 1 else "下半年",
            "yearly": "度",
        }[cadence]
        return f"{year}年{name}（{start.year}年{dates}）"


def nominal_deadlines(*, cadence, weekday, day_of_month, starts_on, ends_on, month_offset=0, days_after=0, phases=()):
    """Every deadline day of a rule between its first and last date.

    Weekly: each `weekday` (1 = Monday). Monthly: `day_of_month`, or the
    month's last day where the month is shorter (the 31st in April is the 30th).
    Quarterly, half-yearly, yearly: `day_of_month` of the month `month_offset`
    months after each cycle's last month (0: 季度末月; 1: the month after).
    Once and campaign_end: the rule's last day. Phase_end: `days_after` days
    after each phase's last day (see end_periods).
    """
    if cadence in END_CADENCES:
        yield from (p.deadline for p in end_periods(
            cadence=cadence, starts_on=starts_on, ends_on=ends_on, days_after=days_after, phases=phases
        ))
        return
    if cadence == "once":
        yield ends_on
        return
    if cadence == "weekly":
        day = starts_on + datetime.timedelta(days=(weekday - 1 - starts_on.weekday()) % 7)
        while day <= ends_on:
            yield day
            day += datetime.timedelta(days=7)
        return
    if cadence == "monthly":
        year, month = starts_on.year, starts_on.month
        while True:
            day = _on(year, month, day_of_month)
            if day > ends_on:
                return
            if day >= starts_on:
                yield day
            year, month = _add_months(year, month, 1)
    # A cycle whose deadline falls in starts_on's month may end up to
    # MAX_MONTHS_AFTER months earlier: start the walk a year back.
    year = starts_on.year - 1
    while True:
        for end_month in CYCLE_END_MONTHS[cadence]:
            day = _on(*_add_months(year, end_month, month_offset), day_of_month)
            if day > ends_on:
                return
            if day >= starts_on:
                yield day
        year += 1


# A cycle's length in days; a period shorter than half of it joins its neighbour.
CYCLE_DAYS = {"weekly": 7, "monthly": 30.44, "quarterly": 91.31, "half_yearly": 182.62, "yearly": 365.25}


def end_periods(*, cadence, starts_on, ends_on, days_after, phases=()):
    """The periods of a report due `days_after` days after a span ends.

    A rule of these cadences runs from the campaign's first day to the last
    report's deadline, so the span reported on ends `days_after` days before
    the rule does. Campaign_end: one period over it. Phase_end: one period
    per dated phase (`phases`, in the campaign's order, each with name,
    starts_on and ends_on) that ends within it; the periods tile the span,
    the first starting on the rule's first day and each next one the day
    after the previous phase ended. Phases are numbered within the campaign,
    whatever the rule's dates.
    """
    last_day = max(starts_on, ends_on - datetime.timedelta(days=days_after))
    if cadence == "campaign_end":
        yield PlannedPeriod(number=1, starts_on=starts_on, ends_on=last_day, due_on=ends_on)
        return
    dated = sorted((p for p in phases if p.starts_on and p.ends_on), key=lambda p: (p.starts_on, p.ends_on))
    start, number = starts_on, 0
    for index, phase in enumerate(dated, start=1):
        if phase.ends_on < start or phase.starts_on > last_day:
            continue
        end = min(phase.ends_on, last_day)
        number += 1
        yield PlannedPeriod(
            number=number,
            starts_on=start,
            ends_on=end,
            due_on=min(end + datetime.timedelta(days=days_after), ends_on),
            name=phase_label(index, phase.name),
        )
        start = end + datetime.timedelta(days=1)


def plan_periods(*, cadence, weekday, day_of_month, starts_on, ends_on, month_offset=0, days_after=0, phases=()):
    """Periods tiling the rule's dates exactly: each runs from the day after
    the previous deadline to its own deadline day; the first starts on the
    rule's first day and the last ends on its last day.

    A period shorter than half a cycle joins its neighbour: a rule that
    starts the day before its first deadline does not open with a one-day
    period, and the days after the last deadline either make a period of
    their own, due on the rule's last day, or extend the last one to it
    (its deadline stays the plan's).

    Phase_end and campaign_end: see end_periods (`phases` are needed for
    phase_end only).
    """
    if cadence in END_CADENCES:
        yield from end_periods(cadence=cadence, starts_on=starts_on, ends_on=ends_on, days_after=days_after, phases=phases)
        return
    deadlines = list(
        nominal_deadlines(
            cadence=cadence,
            weekday=weekday,
            day_of_month=day_of_month,
            starts_on=starts_on,
            ends_on=ends_on,
            month_offset=month_offset,
        )
    )
    ends = list(deadlines)
    if cadence in CYCLE_DAYS and starts_on <= ends_on:
        half = CYCLE_DAYS[cadence] / 2
        if len(deadlines) >= 2 and (deadlines[0] - starts_on).days + 1 < half:
            del deadlines[0], ends[0]
        if not deadlines:
            deadlines, ends = [ends_on], [ends_on]
        elif deadlines[-1] < ends_on:
            if (ends_on - deadlines[-1]).days < half:
                # The plan's deadline stands; the last report covers the rest.
                ends[-1] = ends_on
            else:
                deadlines.append(ends_on)
                ends.append(ends_on)
    start = starts_on
    for number, (end, deadline) in enumerate(zip(ends, deadlines, strict=True), start=1):
        yield PlannedPeriod(number=number, starts_on=start, ends_on=end, due_on=deadline)
        start = end + datetime.timedelta(days=1)
