"""The system admin loads a year's holidays and make-up working days
(放假和调休安排) from a text file, or from chinesecalendar for the years it knows."""

import datetime
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

from calendars.models import CalendarDay, HolidayYear, WorkCalendar

pytestmark = pytest.mark.django_db

EXAMPLE = Path(settings.BASE_DIR) / "docs" / "holidays-example.txt"

ARRANGEMENT_2027 = """\
# 2027年部分节假日安排（测试用）

2027-01-01 元旦 休
2027-02-06 春节 休
2027-02-07 春节调休上班 班
2027-10-01 国庆节 休
"""


def write(tmp_path, text, name="holidays-2027.txt", encoding="utf-8"):
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return str(path)


def load(*args):
    out = StringIO()
    call_command("load_holidays", *args, stdout=out)
    return out.getvalue()


def days(year):
    return list(CalendarDay.objects.filter(date__year=year).order_by("date").values_list("date", "is_working", "name"))


@pytest.fixture
def loaded_2027():
    """2027 as someone loaded it before: a row the new file does not have."""
    CalendarDay.objects.create(date=datetime.date(2027, 5, 3), is_working=False, name="劳动节")
    return HolidayYear.objects.create(year=2027, source="手工录入")


def test_a_file_replaces_the_years_days_and_records_where_they_came_from(tmp_path, loaded_2027):
    output = load(write(tmp_path, ARRANGEMENT_2027))

    assert days(2027) == [
        (datetime.date(2027, 1, 1), False, "元旦"),
        (datetime.date(2027, 2, 6), False, "春节"),
        (datetime.date(2027, 2, 7), True, "春节调休上班"),
        (datetime.date(2027, 10, 1), False, "国庆节"),
    ]
    assert HolidayYear.objects.get(year=2027).source == "文件：holidays-2027.txt"
    assert "已载入 2027 年的节假日和调休安排，共 4 天（来源：文件：holidays-2027.txt）。" in output
    # Other years are untouched.
    assert CalendarDay.objects.filter(date__year=2026).count() == 39


def test_deadlines_follow_the_loaded_year(tmp_path):
    load(write(tmp_path, ARRANGEMENT_2027))

    calendar = WorkCalendar.between(datetime.date(2027, 1, 1), datetime.date(2027, 12, 31))

    assert calendar.is_loaded(datetime.date(2027, 6, 1))
    assert not calendar.is_working_day(datetime.date(2027, 1, 1))  # a Friday, 元旦
    assert calendar.is_working_day(datetime.date(2027, 2, 7))  # a Sunday, 调休上班
    assert calendar.next_working_day(datetime.date(2027, 10, 1)) == datetime.date(2027, 10, 4)


def test_comments_blank_lines_a_byte_order_mark_and_wide_spaces_are_fine(tmp_path):
    text = "\ufeff# 注释\n\n   \n  # 缩进的注释\n2027-01-01\u3000元旦\u3000休\n2027-02-07  春节 调休  班\n"

    load(write(tmp_path, text))

    assert days(2027) == [
        (datetime.date(2027, 1, 1), False, "元旦"),
        (datetime.date(2027, 2, 7), True, "春节 调休"),
    ]


def test_the_year_can_be_given_and_then_every_date_must_be_in_it(tmp_path, loaded_2027):
    with pytest.raises(CommandError) as error:
        load(write(tmp_path, ARRANGEMENT_2027), "--year", "2028")

    assert "第3行：日期 2027-01-01 不在 2028 年内（一个文件只能载入一年的安排）。" in str(error.value)
    assert days(2027) == [(datetime.date(2027, 5, 3), False, "劳动节")]


@pytest.mark.parametrize(
    "line, message",
    [
        ("2027-02-30 春节 休", "第3行的日期“2027-02-30”无法识别：请写成 2027-01-01 这样的格式，并确认该日期存在。"),
        ("2027年2月6日 春节 休", "第3行的日期“2027年2月6日”无法识别"),
        ("2026-12-31 元旦 休", "第3行：日期 2026-12-31 不在 2027 年内（一个文件只能载入一年的安排）。"),
        ("2027-02-06 春节 放", "第3行：标记“放”无法识别，请写“休”（放假）或“班”（调休上班）。"),
        ("2027-01-01 元旦 休", "第3行：日期 2027-01-01 与第2行重复。"),
        ("2027-02-06 休", "第3行格式不对：应为“日期 名称 休/班”，例如“2027-01-01 元旦 休”。"),
        ("2027-02-06 " + "春" * 51 + " 休", "第3行：名称超过50个字。"),
    ],
    ids=["no-such-day", "chinese-date", "other-year", "unknown-marker", "twice", "no-name", "long-name"],
)
def test_a_bad_line_is_named_and_nothing_changes(tmp_path, loaded_2027, line, message):
    text = "# 2027\n2027-01-01 元旦 休\n" + line + "\n"

    with pytest.raises(CommandError) as error:
        load(write(tmp_path, text))

    assert str(error.value).startswith("没有载入任何数据。")
    assert message in str(error.value)
    assert days(2027) == [(datetime.date(2027, 5, 3), False, "劳动节")]
    assert HolidayYear.objects.get(year=2027).source == "手工录入"


def test_every_bad_line_is_listed_at_once(tmp_path):
    text = "2027-01-01 元旦 休\n2027-13-01 元旦 休\n2027-01-01 元旦 班\n2027-02-06 春节 X\n"

    with pytest.raises(CommandError) as error:
        load(write(tmp_path, text))

    lines = str(error.value).splitlines()
    assert [line[:3] for line in lines[1:]] == ["第2行", "第3行", "第4行"]
    assert not CalendarDay.objects.filter(date__year=2027).exists()
    assert not HolidayYear.objects.filter(year=2027).exists()


def test_a_file_with_no_dates_is_refused(tmp_path, loaded_2027):
    with pytest.raises(CommandError) as error:
        load(write(tmp_path, "# 只有注释\n\n"))

    assert "文件中没有任何日期" in str(error.value)
    assert HolidayYear.objects.get(year=2027).source == "手工录入"


def test_a_file_saved_in_gbk_is_refused_with_advice(tmp_path):
    with pytest.raises(CommandError) as error:
        load(write(tmp_path, ARRANGEMENT_2027, encoding="gbk"))

    assert str(error.value) == "文件 holidays-2027.txt 不是 UTF-8 编码：请用“另存为”选择 UTF-8 编码后再试。"
    assert not HolidayYear.objects.filter(year=2027).exists()


def test_a_missing_file_is_named(tmp_path):
    with pytest.raises(CommandError, match="找不到文件"):
        load(str(tmp_path / "nowhere.txt"))


@pytest.mark.parametrize("args", [[], ["file.txt", "--from-chinesecalendar", "2026"]])
def test_either_a_file_or_chinesecalendar(args):
    with pytest.raises(CommandError, match="二者选一"):
        load(*args)


def test_a_year_chinesecalendar_knows_is_loaded_from_it(tmp_path):
    CalendarDay.objects.filter(date=datetime.date(2026, 10, 1)).delete()
    CalendarDay.objects.create(date=datetime.date(2026, 3, 2), is_working=False, name="误录")
    HolidayYear.objects.filter(year=2026).update(source="文件：旧的.txt")

    output = load("--from-chinesecalendar", "2026")

    assert (datetime.date(2026, 10, 1), False, "国庆节") in days(2026)
    assert not CalendarDay.objects.filter(name="误录").exists()
    assert HolidayYear.objects.get(year=2026).source == "chinesecalendar"
    assert "已载入 2026 年的节假日和调休安排，共 39 天（来源：chinesecalendar）。" in output


def test_a_year_chinesecalendar_does_not_know_is_refused_and_nothing_changes(loaded_2027):
    with pytest.raises(CommandError) as error:
        load("--from-chinesecalendar", "2027")

    assert "chinesecalendar 没有 2027 年的节假日数据（它只有 2004–2026 年的）" in str(error.value)
    assert "docs/holidays-example.txt" in str(error.value)
    assert days(2027) == [(datetime.date(2027, 5, 3), False, "劳动节")]
    assert HolidayYear.objects.get(year=2027).source == "手工录入"


def test_the_example_file_is_the_real_2026_arrangement():
    from_chinesecalendar = days(2026)  # loaded by the migration
    CalendarDay.objects.filter(date__year=2026).delete()

    load(str(EXAMPLE))

    assert days(2026) == from_chinesecalendar
    assert HolidayYear.objects.get(year=2026).source == "文件：holidays-example.txt"
    assert EXAMPLE.read_text(encoding="utf-8").startswith("# ")
