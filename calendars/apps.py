from django.apps import AppConfig


class CalendarsConfig(AppConfig):
    name = "calendars"
    verbose_name = "工作日历"
    # Loaded from chinesecalendar by migration 0002: a restore (core.backup)
    # replaces these rows instead of refusing a freshly migrated database.
    seeded_by_migrations = ("HolidayYear", "CalendarDay")
