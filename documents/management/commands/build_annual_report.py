"""Write a campaign's year-end report (年度情况报告) at once:
`python manage.py build_annual_report --campaign 2 --year 2025 --out 2025年度报告.docx
[--signed-on 2025-12-09] [--document-number 管卫办〔2026〕3号]`.
The same document as the first version of the year's draft on the
documents pages (生成初稿)."""

import datetime
import os
import tempfile
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from campaigns.models import Campaign
from core.official import render_docx
from documents.annual import build_annual_report, valid_years
from documents.forms import DraftForm

# The draft page's limit, so that a number written here can be kept there.
DOCUMENT_NUMBER_LENGTH = DraftForm.base_fields["number"].max_length


class Command(BaseCommand):
    help = "生成创建活动的年度情况报告（Word 初稿，公文格式），只计入审核通过的报送。"

    def add_arguments(self, parser):
        parser.add_argument("--campaign", required=True, help="创建活动的 ID")
        parser.add_argument("--year", required=True, help="年度，例如 2025")
        parser.add_argument("--out", required=True, help="输出文件，例如 年度情况报告.docx")
        parser.add_argument("--signed-on", dest="signed_on", help="落款日期，例如 2025-12-09；不填则为今天")
        parser.add_argument(
            "--document-number", dest="document_number", default="", help="发文字号（文号），例如 管卫办〔2026〕3号；不填则无"
        )

    def handle(self, *args, campaign, year, out, signed_on=None, document_number="", **options):
        if not campaign.isdigit() or not (found := Campaign.objects.filter(pk=int(campaign)).first()):
            raise CommandError(f"找不到 ID 为“{campaign}”的创建活动，请在管理后台核对活动 ID。")
        years = valid_years(found)
        if not year.isdigit() or int(year) not in years:
            span = f"{years[0]}" if len(years) == 1 else f"{years[0]}—{years[-1]}"
            raise CommandError(f"年度“{year}”不在该活动的起止时间内，请填写 {span} 之间的年份。")
        issued_on = None
        if signed_on:
            try:
                issued_on = datetime.date.fromisoformat(signed_on)
            except ValueError:
                raise CommandError(f"落款日期“{signed_on}”无法识别，请按 2025-12-09 的格式填写。") from None
        document_number = (document_number or "").strip()
        if len(document_number) > DOCUMENT_NUMBER_LENGTH:
            raise CommandError(f"文号不能超过{DOCUMENT_NUMBER_LENGTH}个字，请核对后重新填写。")
        out = Path(out)
        if out.suffix.lower() != ".docx":
            raise CommandError(f"输出文件“{out}”须以 .docx 结尾。")
        if not out.parent.is_dir():
            raise CommandError(f"目录“{out.parent}”不存在，请先创建或换一个输出位置。")
        document = build_annual_report(campaign=found, year=int(year), at=timezone.now(), issued_on=issued_on)
        document.number = document_number
        data = render_docx(document)
        # Written beside the target and renamed at the end: an error leaves no file behind.
        handle, scratch = tempfile.mkstemp(suffix=".docx", dir=out.parent)
        try:
            with os.fdopen(handle, "wb") as file:
                file.write(data)
            os.replace(scratch, out)
        except BaseException:
            Path(scratch).unlink(missing_ok=True)
            raise
        self.stdout.write(self.style.SUCCESS(f"已生成 {out}"))
