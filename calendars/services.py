import datetime

from django.db import transaction
from simple_history.utils import bulk_create_with_history

from .models import CalendarDay, HolidayYear


class HolidayDataError(ValueError):
    """Holiday data that cannot be loaded; the message says why, in Chinese."""


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

# The markers of the holiday file (docs/holidays-example.txt): is the day a working day?
MARKERS = {"休": False, "班": True}
NAME_MAX_LENGTH = CalendarDay._meta.get_field("name").max_length


def load_year_from_chinesecalendar(*, year, day_model=CalendarDay, year_model=HolidayYear):
    """Replace one year's holidays and make-up days with chinesecalendar's.

    The model classes can be swapped for a migration's historical models.
    """
    from chinese_calendar import constants

    known = chinesecalendar_years()
    if year not in known:
        raise HolidayDataError(
            f"chinesecalendar 没有 {year} 年的节假日数据（它只有 {known[0]}–{known[-1]} 年的）。"
            "国务院办公厅通常在每年年底公布下一年的放假安排：请办公室在“节假日安排”页面粘贴通知全文载入；"
            "或按 docs/holidays-example.txt 的格式写成文件，再运行 python manage.py load_holidays 文件名。"
        )
    days = [
        (day, False, HOLIDAY_NAMES.get(name, name)) for day, name in constants.holidays.items() if day.year == year
    ] + [
        (day, True, f"{HOLIDAY_NAMES.get(name, name)}调休上班")
        for day, name in constants.workdays.items()
        if day.year == year
    ]
    return load_year(year=year, days=days, source="chinesecalendar", day_model=day_model, year_model=year_model)


@transaction.atomic
def load_year(*, year, days, source, notice="", day_model=CalendarDay, year_model=HolidayYear):
    """Replace one year's holidays and make-up days with `days`, a list of
    (date, is_working, name), and record where they came from.

    A day of `days` in another year (a notice may name the last days of the
    year before) replaces that day only. `notice` is the text they were read from.
    """
    CalendarDay, HolidayYear = day_model, year_model  # noqa: N806

    CalendarDay.objects.filter(date__year=year).delete()
    CalendarDay.objects.filter(date__in=[day for day, _, _ in days if day.year != year]).delete()
    rows = [CalendarDay(date=day, is_working=is_working, name=name) for day, is_working, name in days]
    # A migration passes its historical models, which have no history of their own.
    if hasattr(CalendarDay, "history"):
        bulk_create_with_history(rows, CalendarDay)
    else:
        CalendarDay.objects.bulk_create(rows)
    defaults = {"source": source, "notice": notice} if hasattr(HolidayYear, "history") else {"source": source}
    HolidayYear.objects.update_or_create(year=year, defaults=defaults)
    return len(days)


def parse_holiday_lines(lines, *, year=None):
    """Read a holiday file: one day a line, "2027-01-01 元旦 休" or
    "2027-02-07 春节调休上班 班"; blank lines and lines starting with # are skipped.

    Returns (year, days) for `load_year`. Without `year`, the first date's
    year is the file's. Raises HolidayDataError listing every bad line, so
    that the operator fixes the file in one go.
    """
    errors, days, seen = [], [], {}
    for number, raw in enumerate(lines, start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        fields = line.split()
        if len(fields) < 3:
            errors.append(f"第{number}行格式不对：应为“日期 名称 休/班”，例如“2027-01-01 元旦 休”。")
            continue
        text, name, marker = fields[0], " ".join(fields[1:-1]), fields[-1]
        try:
            day = datetime.datetime.strptime(text, "%Y-%m-%d").date()
        except ValueError:
            errors.append(f"第{number}行的日期“{text}”无法识别：请写成 2027-01-01 这样的格式，并确认该日期存在。")
            continue
        if year is None:
            year = day.year
        problems = []
        if day.year != year:
            problems.append(f"日期 {day:%Y-%m-%d} 不在 {year} 年内（一个文件只能载入一年的安排）")
        if day in seen:
            problems.append(f"日期 {day:%Y-%m-%d} 与第{seen[day]}行重复")
        if marker not in MARKERS:
            problems.append(f"标记“{marker}”无法识别，请写“休”（放假）或“班”（调休上班）")
        if len(name) > NAME_MAX_LENGTH:
            problems.append(f"名称超过{NAME_MAX_LENGTH}个字")
        seen.setdefault(day, number)
        if problems:
            errors.append(f"第{number}行：" + "；".join(problems) + "。")
            continue
        days.append((day, MARKERS[marker], name))
    if errors:
        raise HolidayDataError("\n".join(errors))
    if not days:
        raise HolidayDataError("文件中没有任何日期。每行写一天，例如“2027-01-01 元旦 休”，格式见 docs/holidays-example.txt。")
    return year, days
