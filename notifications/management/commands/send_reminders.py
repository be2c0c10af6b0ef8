import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from notifications import deliveries, reminders


def aware(value):
    try:
        moment = datetime.datetime.fromisoformat(value)
    except ValueError as error:
        raise CommandError(f"--at 的时间格式不正确：{value}（例如 2026-11-24T09:00 或 2026-11-24T09:00+08:00）") from error
    return moment if timezone.is_aware(moment) else timezone.make_aware(moment)


class Command(BaseCommand):
    help = "运行一次报送提醒（与 Celery 定时任务相同）。--dry-run 只列出将要发送的提醒，不发送。"

    def add_arguments(self, parser):
        parser.add_argument("--at", type=aware, help="按此时间计算（ISO 格式，默认现在，无时区时按北京时间）")
        parser.add_argument("--dry-run", action="store_true", help="只列出，不发送")

    def handle(self, *args, at, dry_run, **options):
        at = at or timezone.now()
        if dry_run:
            due = reminders.due_reminders(at=at)
            for item in due:
                self.stdout.write(f"{item.recipient_username}\t{item.kind}\t{item.unit}\t{item.label}")
            self.stdout.write(f"{len(due)} reminders")
            return
        claimed = reminders.sweep(at=at)
        counts = deliveries.send_due(at=at)
        self.stdout.write(
            f"{len(claimed)} reminders；邮件和群机器人：已发送 {counts['sent']}，稍后重试 {counts['retry']}，失败 {counts['failed']}"
        )
