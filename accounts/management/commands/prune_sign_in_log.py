from django.core.management.base import BaseCommand
from django.utils import timezone

from accounts.services import prune_sign_in_log


class Command(BaseCommand):
    help = "删除超过保存期限（SIGN_IN_LOG_RETENTION_DAYS，至少 180 天）的登录日志。"

    def handle(self, *args, **options):
        deleted = prune_sign_in_log(at=timezone.now())
        self.stdout.write(f"已删除 {deleted} 条超过保存期限的登录日志。")
