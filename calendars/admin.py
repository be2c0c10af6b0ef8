from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import CalendarDay, HolidayYear


@admin.register(HolidayYear)
class HolidayYearAdmin(SimpleHistoryAdmin):
    list_display = ["year", "source", "loaded_at"]


@admin.register(CalendarDay)
class CalendarDayAdmin(SimpleHistoryAdmin):
    list_display = ["date", "name", "is_working"]
    list_filter = ["is_working", ("date", admin.DateFieldListFilter)]
    search_fields = ["name"]
    date_hierarchy = "date"
