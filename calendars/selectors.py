import calendar

from .models import CalendarDay, HolidayYear

# Holidays are announced at the end of the year before; looking further
# ahead would warn about years nobody can fill in yet.
YEARS_AHEAD = 2


def missing_years(*, today, until):
    """Years from this one up to `until` (a date, or None for none; at most
    two ahead) whose holidays are not loaded: their deadlines fall back to
    Monday-Friday."""
    if until is None:
        return []
    needed = range(today.year, min(until.year, today.year + YEARS_AHEAD) + 1)
    loaded = set(HolidayYear.objects.filter(year__in=needed).values_list("year", flat=True))
    return [year for year in needed if year not in loaded]


def year_days(*, year):
    """The year's holidays and make-up days as (date, is_working, name), by date."""
    return list(CalendarDay.objects.filter(date__year=year).order_by("date").values_list("date", "is_working", "name"))


def loaded_years():
    return HolidayYear.objects.order_by("-year")


def year_grid(*, year, days):
    """The twelve months of `year` as calendar grids (Monday first) for a
    page: each month a list of weeks, each week seven cells, a cell None
    outside the month or (date, kind, name) with kind "off" (a holiday),
    "work" (a make-up working day), "weekend" or "" (an ordinary working day).
    `days` are (date, is_working, name); no query."""
    marked = {day: (("work" if is_working else "off"), name) for day, is_working, name in days}
    months = []
    for month in range(1, 13):
        weeks = []
        for week in calendar.Calendar(firstweekday=0).monthdatescalendar(year, month):
            cells = []
            for day in week:
                if day.month != month:
                    cells.append(None)
                    continue
                kind, name = marked.get(day, ("weekend" if day.weekday() >= 5 else "", ""))
                cells.append((day, kind, name))
            weeks.append(cells)
        months.append((month, weeks))
    return months
