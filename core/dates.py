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


# Dates as Chinese prose writes them, with no leading zeros (12月1日, never
# 12月01日), the way the templates write them with "n月j日". Datetimes are
# written as given: the caller turns them into local time first.


def month_text(value):
    """"2026年1月"."""
    return f"{value.year}年{value.month}月"


def date_text(value):
    """"2026年1月5日"."""
    return f"{value.year}年{value.month}月{value.day}日"


def day_time_text(value):
    """"1月5日 09:30" (the time keeps its two digits, as a clock shows it)."""
    return f"{value.month}月{value.day}日 {value:%H:%M}"


def date_time_text(value):
    """"2026年1月5日 09:30"."""
    return f"{date_text(value)} {value:%H:%M}"
