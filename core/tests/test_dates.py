"""Dates written one way in every message: 12月1日, never 12月01日."""

import datetime

from core.dates import date_text, date_time_text, day_time_text, month_text

MOMENT = datetime.datetime(2026, 1, 5, 9, 5)


def test_dates_have_no_leading_zeros_and_times_keep_two_digits():
    assert month_text(datetime.date(2026, 1, 1)) == "2026年1月"
    assert date_text(datetime.date(2026, 12, 1)) == "2026年12月1日"
    assert day_time_text(MOMENT) == "1月5日 09:05"
    assert date_time_text(MOMENT) == "2026年1月5日 09:05"


def test_no_template_or_module_writes_a_zero_padded_chinese_date():
    import re
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    padded = re.compile(r"(date:\"[^\"]*(?<![A-Za-z])[md](月|日)[^\"]*\")|%m月|%d日")
    # The project's own folders only: never the virtualenv (a symlink) or hidden ones.
    folders = [d for d in root.iterdir() if d.is_dir() and not d.is_symlink() and not d.name.startswith(".")]
    sources = [p for d in folders for p in d.rglob("*.html")]
    sources += [p for d in folders for p in d.rglob("*.py") if "tests" not in p.parts]
    offenders = [f"{p.relative_to(root)}: {m.group(0)}" for p in sources for m in padded.finditer(p.read_text(encoding="utf-8"))]
    assert not offenders, "\n".join(offenders)
