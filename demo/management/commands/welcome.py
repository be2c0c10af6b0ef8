from django.core.management.base import BaseCommand

from demo.campaign import DEFAULT_PASSWORD

from .seed_demo import write_logins


class Command(BaseCommand):
    help = "显示网址和演示账号（make run 在各进程启动后调用）。"

    def add_arguments(self, parser):
        parser.add_argument("--url", default="http://127.0.0.1:8000/")

    def handle(self, *args, url, **options):
        self.stdout.write("")
        self.stdout.write(f"创建活动工作平台已启动：{url}    按 Ctrl-C 停止网站、Celery worker 和 beat。")
        write_logins(self.stdout, f"{DEFAULT_PASSWORD}（若载入时用 --password 指定过，则为指定的密码）")
        self.stdout.write("")
