"""Chinese numerals as headings, labels and plans write them."""

import pytest

from core.numerals import chinese_numeral, numeral_value


@pytest.mark.parametrize(
    "number, text", [(1, "一"), (10, "十"), (15, "十五"), (20, "二十"), (35, "三十五"), (105, "一百零五"), (110, "一百一十")]
)
def test_chinese_numerals(number, text):
    assert chinese_numeral(number) == text


@pytest.mark.parametrize("n", [1, 2, 9, 10, 11, 19, 20, 21, 35, 99])
def test_chinese_numbers(n):
    expected = {1: "一", 2: "二", 9: "九", 10: "十", 11: "十一", 19: "十九", 20: "二十", 21: "二十一", 35: "三十五", 99: "九十九"}
    assert chinese_numeral(n) == expected[n]


@pytest.mark.parametrize(
    "number, text",
    [(100, "一百"), (101, "一百零一"), (1000, "一千"), (1010, "一千零一十"), (2017, "二千零一十七"), (9999, "九千九百九十九")],
)
def test_hundreds_and_thousands(number, text):
    assert chinese_numeral(number) == text


def test_numbers_out_of_range_stay_in_figures():
    assert chinese_numeral(10000) == "10000"
    assert chinese_numeral(0) == "0"
    assert chinese_numeral(-3) == "-3"


def test_labels_that_stop_at_ten_switch_to_figures():
    assert chinese_numeral(10, up_to=10) == "十"
    assert chinese_numeral(11, up_to=10) == "11"


@pytest.mark.parametrize(
    "text, number",
    [
        ("12", 12),
        ("１２", 12),
        ("五", 5),
        ("十", 10),
        ("十五", 15),
        ("二十", 20),
        ("三十一", 31),
        ("二〇一七", 2017),
        ("二零二五", 2025),
        ("〇", 0),
        ("", None),
        ("百", None),
    ],
)
def test_numeral_value_reads_figures_counts_and_years(text, number):
    assert numeral_value(text) == number


@pytest.mark.parametrize("n", range(1, 100))
def test_numerals_read_back_as_the_same_number(n):
    assert numeral_value(chinese_numeral(n)) == n


@pytest.mark.parametrize("text", ["二〇〇九", "二零零九", "二○○九", "二OO九", "二ＯＯ九"])
def test_a_year_written_digit_by_digit_reads_any_zero_a_typist_used(text):
    assert numeral_value(text) == 2009
