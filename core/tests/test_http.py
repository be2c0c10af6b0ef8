"""Ids typed in a request."""

from core.http import MAX_ID, parse_id


def test_an_id_is_ascii_digits_within_a_database_integer():
    assert parse_id("42") == 42 and parse_id(str(MAX_ID)) == MAX_ID
    for value in ("²", "٣", "-1", "0", "1e3", "", " 4", str(MAX_ID + 1), "9" * 5000, None):
        assert parse_id(value) is None, value
