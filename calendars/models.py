import datetime

from django.db import models
from simple_history.models import HistoricalRecords


class HolidayYear(models.Model):
    """A year whose public holidays and make-up working days are loaded.

    A year without a row here falls back to Monday-Friday, and the office is
    warned that deadlines in that year ignore holidays.
    """

    year = models.PositiveSmallIntegerField("年份", unique=True)
    source = models.CharField("来源", max_length=100, help_text="例如：国务院办公厅通知、chinesecalendar")
    loaded_at = models.DateTimeField("载入时间", auto_now=True)
    notice = models.TextField("通知原文", blank=True, help_text="从节假日安排页面粘贴载入时保存的通知全文")
    # Each load replaces the year's days; the history says who loaded what, and when.
    history = HistoricalRecords()

    class Meta:
        verbose_name = "已载入节假日的年份"
        verbose_name_plural = "已载入节假日的年份"
        ordering = ["-year"]

    def __str__(self):
        return f"{self.year}年"


class CalendarDay(models.Model):
    """A day that breaks the Monday-Friday rule: a public holiday on a
    weekday (or a weekend day inside a holiday), or a make-up working day
    (调休) on a weekend."""

    date = models.DateField("日期", unique=True)
    is_working = models.BooleanField("是否工作日")
    name = models.CharField("名称", max_length=50, help_text="例如：国庆节、国庆节调休上班")
    history = HistoricalRecords()

    class Meta:
        verbose_name = "节假日与调休"
        verbose_name_plural = "节假日与调休"
        ordering = ["date"]

    def __str__(self):
        return f"{self.date:%Y-%m-%d} {self.name}（{'上班' if self.is_working else '放假'}）"


class WorkCalendar:
    """Working days over a date range, read from the database in two queries.

    Build one per job or page (`WorkCalendar.between(start, end)`), never per
    row: callers ask it many questions about the range.
    """

    def __init__(self, exceptions, loaded_years):
        self._exceptions = exceptions
        self.loaded_years = frozenset(loaded_years)

    @classmethod
    def between(cls, start, end):
        # Shifting a deadline can cross into the next weeks: read a margin.
        end = end + datetime.timedelta(days=31)
        exceptions = dict(
            CalendarDay.objects.filter(date__range=(start, end)).values_list("date", "is_working")
        )
        years = HolidayYear.objects.filter(year__range=(start.year, end.year)).values_list("year", flat=True)
        return cls(exceptions, years)

    def is_working_day(self, day):
        if day in self._exceptions:
            return self._exceptions[day]
        return day.weekday() < 5

    def next_working_day(self, day):
        """The day itself if it is a working day, otherwise the next one."""
        while not self.is_working_day(day):
            day += datetime.timedelta(days=1)
        return day

    def is_loaded(self, day):
        return day.year in self.loaded_years
