from django.core.management.base import BaseCommand
from django.utils import timezone

from audit.services import purge, retention_days


class Command(BaseCommand):
    help = "删除早于保留期限（AUDIT_RETENTION_DAYS，至少 180 天）的审计记录；本次清理本身也记入审计记录。"

    def handle(self, *args, **options):
        deleted = purge(at=timezone.now())
        self.stdout.write(f"已删除 {deleted} 条超过 {retention_days()} 天的审计记录。")
