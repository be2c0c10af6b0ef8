"""python manage.py seed_scale --units 300 --tasks 600 --weeks 156

Builds a synthetic campaign at production size for benchmarks; see
demo/scale.py for what it contains. Each run adds a new campaign (a
numbered title when the same size and seed ran before) and reuses the units
of earlier runs by name. Prints `key: value` lines, the elapsed seconds last.
"""

import time

from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from demo.scale import build_scale_campaign


def positive(value):
    number = int(value)
    if number < 1:
        raise ValueError(value)
    return number


class Command(BaseCommand):
    help = "生成规模测试用的创建活动：单位、任务树、报送周期、进展报送、任务进展和指标数值（用于性能测试）。"

    def add_arguments(self, parser):
        parser.add_argument("--units", type=positive, default=300, help="责任单位数（默认 300）")
        parser.add_argument("--tasks", type=positive, default=600, help="任务数（默认 600）")
        parser.add_argument("--weeks", type=positive, default=156, help="截至今天的周数（默认 156）")
        parser.add_argument(
            "--district", default="", help="单位名称前缀（如“甲市”）：同一数据库再生成一个活动时，单位、办公室和人员各用各的"
        )
        parser.add_argument("--seed", type=int, default=1, help="随机数种子（默认 1），相同种子生成相同数据")

    def handle(self, *args, units, tasks, weeks, seed, district, **options):
        started = time.monotonic()
        try:
            result = build_scale_campaign(units=units, tasks=tasks, weeks=weeks, seed=seed, district=district)
        except ValueError as error:
            raise CommandError(str(error)) from error
        # Fresh statistics after a bulk load, as autovacuum would gather soon
        # after: without them the planner guesses row counts from empty tables.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        seconds = time.monotonic() - started
        self.stdout.write(f"已生成规模测试活动：{result.campaign.title}")
        for line in result.lines():
            self.stdout.write(line)
        self.stdout.write(f"seconds: {seconds:.1f}")
