from django.core.management.base import BaseCommand, CommandError

from core.backup import BackupRefused, restore


class Command(BaseCommand):
    help = "从 backup 命令生成的备份目录恢复到刚执行过 migrate 的空数据库：先核对全部校验值，再在一个事务中载入数据并复制上传文件。"

    def add_arguments(self, parser):
        parser.add_argument("source", help="备份目录（含 manifest.json）")

    def handle(self, *args, source, **options):
        try:
            manifest, counts = restore(source=source)
        except BackupRefused as error:
            raise CommandError(error.message) from None
        self.stdout.write(f"备份时间：{manifest['created_at']}，版本：{manifest['version'] or '未知'}，来源数据库：{manifest['database']}")
        for label, count in sorted(counts.items()):
            if count:
                self.stdout.write(f"  {label}: {count}")
        self.stdout.write(
            self.style.SUCCESS(
                f"恢复完成：{sum(counts.values())} 行数据，{len(manifest['files'])} 个上传文件，校验值全部一致。"
            )
        )
