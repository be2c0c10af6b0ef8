"""Reading the State Council's yearly holiday notice: the three real notices
give exactly the days chinesecalendar holds, and text the reader cannot read
is refused with a sentence saying where."""

import datetime
from pathlib import Path

import chinese_calendar
import pytest
from chinese_calendar import constants

from calendars.notice import NoticeError, read_notice

NOTICES = Path(__file__).parent / "notices"


def notice_text(year):
    return (NOTICES / f"{year}.txt").read_text(encoding="utf-8")


@pytest.mark.parametrize("year", [2024, 2025, 2026])
def test_each_notice_gives_the_days_chinesecalendar_holds(year):
    notice = read_notice(notice_text(year))

    days_off = {day for day, is_working, _ in notice.days if not is_working}
    make_up_days = {day for day, is_working, _ in notice.days if is_working}
    assert notice.year == year
    assert days_off == set(
        chinese_calendar.get_holidays(datetime.date(year, 1, 1), datetime.date(year, 12, 31), include_weekends=False)
    )
    assert make_up_days == {day for day in constants.workdays if day.year == year}


def test_the_2025_notice_names_its_holidays_and_make_up_days():
    notice = read_notice(notice_text(2025))

    assert [h.name for h in notice.holidays] == ["元旦", "春节", "清明节", "劳动节", "端午节", "国庆节、中秋节"]
    spring = notice.holidays[1]
    assert spring.days_off[0] == datetime.date(2025, 1, 28)
    assert spring.days_off[-1] == datetime.date(2025, 2, 4)  # across the month, 8 days
    assert len(spring.days_off) == 8
    assert spring.make_up_days == (datetime.date(2025, 1, 26), datetime.date(2025, 2, 8))
    assert (datetime.date(2025, 2, 8), True, "春节调休上班") in notice.days
    assert (datetime.date(2025, 10, 8), False, "国庆节、中秋节") in notice.days


def test_a_range_that_names_only_the_end_day_stays_in_the_month():
    notice = read_notice(notice_text(2024))

    spring = notice.holidays[1]
    assert spring.days_off == tuple(datetime.date(2024, 2, d) for d in range(10, 18))
    # "安排职工在除夕（2月9日）休息" encourages leave; it is no public holiday.
    assert datetime.date(2024, 2, 9) not in {day for day, _, _ in notice.days}


def test_half_width_punctuation_and_digits_read_alike():
    text = notice_text(2026).replace("：", ":").replace("（", "(").replace("）", ")").replace("，", ",")
    text = text.replace("1月4日", "１月４日")

    assert read_notice(text).days == read_notice(notice_text(2026)).days


def test_a_notice_whose_range_crosses_the_year_keeps_each_day_in_its_year():
    text = (
        "国务院办公厅关于2019年部分节假日安排的通知\n"
        "一、元旦：2018年12月30日至2019年1月1日放假调休，共3天。2018年12月29日（星期六）上班。\n"
    )

    notice = read_notice(text)

    assert notice.days == [
        (datetime.date(2018, 12, 29), True, "元旦调休上班"),
        (datetime.date(2018, 12, 30), False, "元旦"),
        (datetime.date(2018, 12, 31), False, "元旦"),
        (datetime.date(2019, 1, 1), False, "元旦"),
    ]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "没有粘贴任何内容"),
        ("   \n ", "没有粘贴任何内容"),
        ("一、元旦：1月1日放假。", "没有读到年份"),
        ("国务院办公厅关于2027年部分节假日安排的通知\n今年不放假。", "没有读到任何放假安排"),
        (
            "国务院办公厅关于2027年部分节假日安排的通知\n一、元旦：元月初一放假。",
            "第一项“元旦”中“元月初一放假”读不出放假日期",
        ),
        ("国务院办公厅关于2027年部分节假日安排的通知\n一、元旦：2月30日放假。", "日期“2月30日”不存在"),
        (
            "国务院办公厅关于2027年部分节假日安排的通知\n一、春节：2月6日至12日放假调休，共8天。",
            "写的是共8天，但2月6日至2月12日是7天",
        ),
        (
            "国务院办公厅关于2027年部分节假日安排的通知\n一、元旦：1月1日放假。下周上班。",
            "读不出调休上班的日期",
        ),
        (
            "国务院办公厅关于2027年部分节假日安排的通知\n一、元旦：1月1日放假。1月6日上班。",
            "调休上班日1月6日是星期三，本来就是工作日",
        ),
        (
            "国务院办公厅关于2027年部分节假日安排的通知\n一、元旦：1月1日放假。\n二、春节：1月1日放假。",
            "1月1日在“元旦”和“春节”两处都出现了",
        ),
        ("国务院办公厅关于2027年部分节假日安排的通知\n一、元旦：1月3日至1日放假。", "前后颠倒"),
    ],
)
def test_text_the_reader_cannot_read_is_refused_with_a_sentence(text, message):
    with pytest.raises(NoticeError) as refused:
        read_notice(text)

    assert message in str(refused.value)


def test_last_years_notice_under_this_years_title_is_refused_by_its_weekdays():
    text = notice_text(2025).replace("2025年", "2027年")

    with pytest.raises(NoticeError) as refused:
        read_notice(text)

    assert "注明是星期三，但2027年1月1日是星期五" in str(refused.value)
