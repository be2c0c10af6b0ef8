from django.db import transaction

from .models import CalendarDay, HolidayYear


def chinesecalendar_years():
    from chinese_calendar import constants

    return sorted({day.year for day in constants.holidays})


# chinesecalendar names holidays in English; the office reads Chinese.
HOLIDAY_NAMES = {
    "New Year's Day": "元旦",
    "Spring Festival": "春节",
    "Tomb-sweeping Day": "清明节",
    "Labour Day": "劳动节",
    "Dragon Boat Festival": "端午节",
    "National Day": "国庆节",
    "Mid-autumn Festival": "中秋节",
    "Anti-Fascist 70th Day": "中国人民抗日战争暨世界反法西斯战争胜利70周年纪念日",
}


@transaction.atomic
def load_year_from_chinesecalendar(*, year, day_model=CalendarDay, year_model=HolidayYear):
    """Replace one year's holidays and make-up days with chinesecalendar's.

    The model classes can be swapped for a migration's historical models.
    """
    from chinese_calendar import constants

    CalendarDay, HolidayYear = day_model, year_model  # noqa: N806

    days = [
        CalendarDay(date=day, is_working=False, name=HOLIDAY_NAMES.get(name, name))
        for day, name in constants.holidays.items()
        if day.year == year
    ] + [
        CalendarDay(date=day, is_working=True, name=f"{HOLIDAY_NAMES.get(name, name)}调休上班")
        for day, name in constants.workdays.items()
        if day.year == year
    ]
    CalendarDay.objects.filter(date__year=year).delete()
    CalendarDay.objects.bulk_create(days)
    HolidayYear.objects.update_or_create(year=year, defaults={"source": "chinesecalendar"})
    return len(days)
