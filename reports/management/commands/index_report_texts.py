"""Fingerprint the sent reports that have no fingerprints yet, for the office's
copy-paste check: reports sent before the check existed, bulk-loaded data.
`python manage.py index_report_texts [--campaign 3]`. Safe to run again."""

import time

from django.core.management.base import BaseCommand, CommandError

from campaigns.models import Campaign
from reports import similarity


class Command(BaseCommand):
    help = "为已报送但尚无文字指纹的报送生成指纹（文字雷同提示使用）；可重复运行。"

    def add_arguments(self, parser):
        parser.add_argument("--campaign", help="创建活动的 ID；不填则为全部活动")

    def handle(self, *args, campaign=None, **options):
        campaigns = Campaign.objects.order_by("pk")
        if campaign is not None:
            if not campaign.isdigit() or not campaigns.filter(pk=int(campaign)).exists():
                raise CommandError(f"找不到 ID 为“{campaign}”的创建活动，请在管理后台核对活动 ID。")
            campaigns = campaigns.filter(pk=int(campaign))
        started = time.perf_counter()
        reports = sum(similarity.index_campaign(campaign_id=pk) for pk in campaigns.values_list("pk", flat=True))
        self.stdout.write(f"indexed_reports: {reports}")
        self.stdout.write(f"index_seconds: {time.perf_counter() - started:.2f}")
