"""Recompute the reports' tallies (报送统计, `reports.tallies`) from the reports,
and the indicators' running figures (`reports.indicator_tallies`) from the sent values:
`python manage.py rebuild_tallies [--campaign 3]`. Safe to run at any time;
it says how many rows it created, corrected and removed (none, when the
tallies kept in step)."""

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from campaigns.models import Campaign
from reports import indicator_tallies, tallies


class Command(BaseCommand):
    help = "按报送记录重新计算报送统计（仪表盘的报送率、及时率和逾期数）和指标累计数，并列出更正了多少行。"

    def add_arguments(self, parser):
        parser.add_argument("--campaign", help="只重算该创建活动（ID）；不填则重算全部活动")

    def handle(self, *args, campaign=None, **options):
        found = None
        if campaign is not None:
            if not campaign.isdigit() or not (found := Campaign.objects.filter(pk=int(campaign)).first()):
                raise CommandError(f"找不到 ID 为“{campaign}”的创建活动，请在管理后台核对活动 ID。")
        started = timezone.now()
        changed = tallies.rebuild(campaign=found)
        indicator_rows = indicator_tallies.rebuild(campaign=found)
        seconds = (timezone.now() - started).total_seconds()
        scope = f"创建活动“{found}”" if found else "全部创建活动"
        self.stdout.write(
            f"{scope}的报送统计已重算：新建 {changed['created']} 行，更正 {changed['updated']} 行，"
            f"删除 {changed['deleted']} 行；指标累计数重写 {indicator_rows} 行（用时 {seconds:.2f} 秒）。"
        )
