from .models import HolidayYear

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
