"""Build the aggregated workbook at once, without the worker:
`python manage.py build_report --campaign 3 --from 2026-10-01 --to 2026-10-31 --out 汇总.xlsx`."""

import datetime
import os
import tempfile
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from campaigns.models import Campaign
from reports import workbook


def parse_date(value, option):
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"{option} 的日期“{value}”无法识别，请按 年-月-日 填写，例如 2026-10-01。") from None


class Command(BaseCommand):
    help = "生成创建活动的报送情况汇总表（Excel），范围按报送截止日期；不填日期则为活动全过程。"

    def add_arguments(self, parser):
        parser.add_argument("--campaign", required=True, help="创建活动的 ID")
        parser.add_argument("--from", dest="date_from", help="截止日期自（含），例如 2026-10-01")
        parser.add_argument("--to", dest="date_to", help="截止日期至（含），例如 2026-10-31")
        parser.add_argument("--out", required=True, help="输出文件，例如 汇总.xlsx")

    def handle(self, *args, campaign, date_from, date_to, out, **options):
        if not campaign.isdigit() or not (found := Campaign.objects.filter(pk=int(campaign)).first()):
            raise CommandError(f"找不到 ID 为“{campaign}”的创建活动，请在管理后台核对活动 ID。")
        date_from = parse_date(date_from, "--from") if date_from else None
        date_to = parse_date(date_to, "--to") if date_to else None
        if date_from and date_to and date_to < date_from:
            raise CommandError("--to 的日期不能早于 --from 的日期。")
        out = Path(out)
        if not out.parent.is_dir():
            raise CommandError(f"目录“{out.parent}”不存在，请先创建或换一个输出位置。")
        started = timezone.now()
        # Written beside the target and renamed at the end: an error leaves no file behind.
        handle, scratch = tempfile.mkstemp(suffix=".xlsx", dir=out.parent)
        os.close(handle)
        try:
            rows = workbook.build(campaign=found, date_from=date_from, date_to=date_to, at=started, out=scratch)
            os.replace(scratch, out)
        except BaseException:
            Path(scratch).unlink(missing_ok=True)
            raise
        seconds = (timezone.now() - started).total_seconds()
        for sheet, count in rows.items():
            self.stdout.write(f"rows_{sheet}: {count}")
        self.stdout.write(f"build_seconds: {seconds:.2f}")
        self.stdout.write(self.style.SUCCESS(f"已生成 {out}"))
