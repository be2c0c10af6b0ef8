"""The calendar arithmetic of reporting rules, free of the database."""

import calendar
import datetime
from dataclasses import dataclass


@dataclass(frozen=True)
class PlannedPeriod:
    number: int
    starts_on: datetime.date
    ends_on: datetime.date  # the nominal deadline day, before any holiday shift

    def label(self, cadence):
        """第3期（2026年1月14日—1月20日） for a week; 2026年2月（1月20日—2月19日）
        for a month. A week is numbered within its rule, not by calendar week:
        a period ending on a Tuesday spans two calendar weeks."""
        start, end = self.starts_on, self.ends_on
        dates = f"{start.month}月{start.day}日—" + (f"{end.year}年" if end.year != start.year else "") + f"{end.month}月{end.day}日"
        if cadence == "weekly":
            return f"第{self.number}期（{start.year}年{dates}）"
        return f"{end.year}年{end.month}月（{dates}）"


def nominal_deadlines(*, cadence, weekday, day_of_month, starts_on, ends_on):
    """Every deadline day of a rule between its first and last date.

    Weekly: each `weekday` (1 = Monday). Monthly: `day_of_month`, or the
    month's last day where the month is shorter (the 31st in April is the 30th).
    """
    if cadence == "weekly":
        day = starts_on + datetime.timedelta(days=(weekday - 1 - starts_on.weekday()) % 7)
        while day <= ends_on:
            yield day
            day += datetime.timedelta(days=7)
        return
    year, month = starts_on.year, starts_on.month
    while True:
        last = calendar.monthrange(year, month)[1]
        day = datetime.date(year, month, min(day_of_month, last))
        if day > ends_on:
            return
        if day >= starts_on:
            yield day
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)


def plan_periods(*, cadence, weekday, day_of_month, starts_on, ends_on):
    """Periods tiling the rule's dates: each runs from the day after the
    previous deadline to its own deadline day."""
    start = starts_on
    for number, deadline in enumerate(
        nominal_deadlines(
            cadence=cadence, weekday=weekday, day_of_month=day_of_month, starts_on=starts_on, ends_on=ends_on
        ),
        start=1,
    ):
        yield PlannedPeriod(number=number, starts_on=start, ends_on=deadline)
        start = deadline + datetime.timedelta(days=1)
