from django.db.models import Max

from campaigns.models import Campaign

from .models import HolidayYear

# Holidays are announced at the end of the year before; looking further
# ahead would warn about years nobody can fill in yet.
YEARS_AHEAD = 2


def missing_holiday_years(*, today):
    """Years that active campaigns reach (from this year, at most two ahead)
    whose holidays are not loaded: their deadlines fall back to Monday-Friday."""
    latest = Campaign.objects.filter(status=Campaign.Status.ACTIVE).aggregate(latest=Max("ends_on"))["latest"]
    if latest is None:
        return []
    needed = range(today.year, min(latest.year, today.year + YEARS_AHEAD) + 1)
    loaded = set(HolidayYear.objects.filter(year__in=needed).values_list("year", flat=True))
    return [year for year in needed if year not in loaded]
