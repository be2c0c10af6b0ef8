from django.core.management.base import BaseCommand
from django.utils import timezone

from core import outbox


class Command(BaseCommand):
    help = "把待发送任务（outbox）发往 Celery 消息队列（与每 30 秒的定时任务相同）。Redis 恢复后而定时任务未运行时使用。"

    def handle(self, *args, **options):
        at = timezone.now()
        # The operator runs this once the broker is back: what waits out a
        # backoff is tried now, not in ten minutes.
        sent = outbox.relay_all(at=at, retry_now=True)
        waiting = outbox.pending().count()
        self.stdout.write(f"已发送 {sent} 条任务；仍待发送 {waiting} 条（含尚未到时间的延时任务）。")
