from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from calendars import services


class Command(BaseCommand):
    help = (
        "载入一年的法定节假日和调休安排，替换该年已有的数据。"
        "从文件载入：load_holidays 文件名 [--year 年份]，文件格式见 docs/holidays-example.txt；"
        "或从 chinesecalendar 载入：load_holidays --from-chinesecalendar 年份。"
    )

    def add_arguments(self, parser):
        parser.add_argument("file", nargs="?", help="UTF-8 文本文件，每行一天：日期 名称 休/班")
        parser.add_argument("--year", type=int, help="文件所载的年份（默认取文件中第一个日期的年份）")
        parser.add_argument("--from-chinesecalendar", type=int, metavar="YEAR", help="从 chinesecalendar 载入该年")

    def handle(self, *args, file, year, from_chinesecalendar, **options):
        if (file is None) == (from_chinesecalendar is None):
            raise CommandError("请给出一个文件名，或使用 --from-chinesecalendar 年份（二者选一）。")
        try:
            if from_chinesecalendar is not None:
                year, source = from_chinesecalendar, "chinesecalendar"
                count = services.load_year_from_chinesecalendar(year=year)
            else:
                year, days, source = self._read(Path(file), year)
                count = services.load_year(year=year, days=days, source=source)
        except services.HolidayDataError as error:
            raise CommandError(f"没有载入任何数据。\n{error}") from error
        self.stdout.write(self.style.SUCCESS(f"已载入 {year} 年的节假日和调休安排，共 {count} 天（来源：{source}）。"))

    def _read(self, path, year):
        try:
            # utf-8-sig: Windows Notepad puts a byte-order mark in front.
            lines = path.read_text(encoding="utf-8-sig").splitlines()
        except FileNotFoundError as error:
            raise CommandError(f"找不到文件：{path}") from error
        except UnicodeDecodeError as error:
            raise CommandError(f"文件 {path.name} 不是 UTF-8 编码：请用“另存为”选择 UTF-8 编码后再试。") from error
        year, days = services.parse_holiday_lines(lines, year=year)
        source = f"文件：{path.name}"[: services.HolidayYear._meta.get_field("source").max_length]
        return year, days, source
