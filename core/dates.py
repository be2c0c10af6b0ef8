"""Calendar arithmetic in local time (Asia/Shanghai) that several apps share.

Working days and holidays are the calendars app's; this is plain date math.
"""

import datetime

from django.utils import timezone


def month_bounds(month):
    """Aware datetimes of the first instant of `month` (a date on day 1) and of the next month."""
    following = (month.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)
    tz = timezone.get_current_timezone()
    start = datetime.datetime.combine(month, datetime.time.min, tzinfo=tz)
    return start, datetime.datetime.combine(following, datetime.time.min, tzinfo=tz)


def week_bounds(at):
    """Monday 00:00 of `at`'s week and of the next, local time."""
    today = timezone.localdate(at)
    monday = today - datetime.timedelta(days=today.weekday())
    tz = timezone.get_current_timezone()
    start = datetime.datetime.combine(monday, datetime.time.min, tzinfo=tz)
    return start, start + datetime.timedelta(days=7)
