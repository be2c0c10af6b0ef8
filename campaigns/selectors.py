from django.db.models import Max

from calendars.selectors import missing_years

from .models import Campaign


def missing_holiday_years(*, today):
    """Years that active campaigns reach (from this year, at most two ahead)
    whose holidays are not loaded: their deadlines fall back to Monday-Friday."""
    latest = Campaign.objects.filter(status=Campaign.Status.ACTIVE).aggregate(latest=Max("ends_on"))["latest"]
    return missing_years(today=today, until=latest)
