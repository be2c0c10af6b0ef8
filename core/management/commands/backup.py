from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from core.backup import BackupRefused, backup


class Command(BaseCommand):
    help = "备份整个系统：数据库（可移植的 JSON）、全部上传文件和清单（行数、文件大小与 SHA-256）。"

    def add_arguments(self, parser):
        parser.add_argument("--out", required=True, help="备份目录（新目录或空目录）")

    def handle(self, *args, out, **options):
        try:
            manifest = backup(out=out, at=timezone.now())
        except BackupRefused as error:
            raise CommandError(error.message) from None
        rows = sum(manifest["counts"].values())
        size = sum(entry["size"] for entry in manifest["files"])
        self.stdout.write(
            self.style.SUCCESS(
                f"已备份到 {out}：{len(manifest['counts'])} 张表共 {rows} 行，"
                f"上传文件 {len(manifest['files'])} 个（{size} 字节），数据库 {manifest['database']}。"
            )
        )
