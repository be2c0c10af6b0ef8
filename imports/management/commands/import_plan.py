"""python manage.py import_plan FILE [--year YYYY] --dry-run [--json]

Reads a plan document and prints the proposed campaign. Creating the draft
campaign is a later step; for now only --dry-run is accepted.
"""

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from imports.parser import parse_plan


def read_text(path: Path) -> str:
    suffix = path.suffix.lower()
    if suffix in (".txt", ".text"):
        data = path.read_bytes()
        for encoding in ("utf-8-sig", "gb18030"):
            try:
                return data.decode(encoding)
            except UnicodeDecodeError:
                continue
        raise CommandError(f"无法识别文件编码：{path}（请另存为 UTF-8 或 GB18030 编码的文本）。")
    if suffix == ".docx":
        import docx  # python-docx

        try:
            document = docx.Document(str(path))
        except Exception as exc:  # noqa: BLE001 - python-docx raises many kinds
            raise CommandError(f"无法打开 Word 文件：{path}（{exc}）。") from exc
        lines = [p.text for p in document.paragraphs]
        for table in document.tables:
            for row in table.rows:
                lines.append("  ".join(cell.text.strip() for cell in row.cells))
        return "\n".join(lines)
    if suffix == ".pdf":
        raise CommandError(
            "暂不支持导入 PDF：PDF 导入需要文字层，目前尚未实现。"
            "请把方案另存为 .docx 或复制文字保存为 .txt 后再导入。"
        )
    if suffix == ".doc":
        raise CommandError("不支持旧版 Word（.doc）文件，请在 Word 中另存为 .docx 后再导入。")
    raise CommandError(f"不支持的文件类型“{suffix or '无扩展名'}”：只支持 .txt 和 .docx。")


class Command(BaseCommand):
    help = "从方案文件（.txt / .docx）中识别活动、阶段、任务、报送规则、指标和领导小组。"

    def add_arguments(self, parser):
        parser.add_argument("file", help="方案文件路径（.txt 或 .docx）")
        parser.add_argument("--year", type=int, help="没有写年份的日期（如 3月6日至6月5日）所用的年份")
        parser.add_argument("--dry-run", action="store_true", help="只显示识别结果，不写入数据库")
        parser.add_argument("--json", action="store_true", help="以 JSON 输出识别结果")

    def handle(self, *args, **options):
        if not options["dry_run"]:
            raise CommandError(
                "暂不支持直接创建草稿活动（将在后续版本提供）。"
                "请加上 --dry-run 预览识别结果，例如：manage.py import_plan 方案.docx --dry-run --json"
            )
        year = options.get("year")
        if year is not None and not 1990 <= year <= 2100:
            raise CommandError(f"年份 {year} 不合理，请用四位年份，例如 --year 2016。")
        path = Path(options["file"])
        if not path.exists():
            raise CommandError(f"找不到文件：{path}")
        if not path.is_file():
            raise CommandError(f"不是文件：{path}")
        text = read_text(path)
        if not text.strip():
            raise CommandError(f"文件没有文字内容：{path}")
        proposal = parse_plan(text, year=year)
        data = proposal.to_dict()
        if options["json"]:
            self.stdout.write(json.dumps(data, ensure_ascii=False, indent=2))
            return
        self.stdout.write(self._summary(data))

    def _summary(self, data):
        out = [
            f"标题：{data['title'] or '（未识别）'}",
            f"文号：{data['document_number'] or '（未识别）'}",
            f"印发日期：{data['issued_on'] or '（未识别）'}",
            f"阶段：{len(data['phases'])} 个",
        ]
        for ph in data["phases"]:
            out.append(f"  - {ph['name']}：{ph['start'] or '?'} 至 {ph['end'] or '?'}")
        out.append(f"任务：{len(data['tasks'])} 项")

        def tasks(items, depth):
            for t in items:
                units = "、".join(t["lead_units"]) or "未指定"
                co = f"；配合：{'、'.join(t['co_units'])}" if t["co_units"] else ""
                out.append(f"{'  ' * depth}- {t['code']} {t['title']}（牵头：{units}{co}）")
                tasks(t["children"], depth + 1)

        tasks(data["tasks"], 1)
        out.append(f"报送规则：{len(data['reporting_rules'])} 条")
        for r in data["reporting_rules"]:
            out.append(f"  - {r['text']}")
        out.append(f"指标：{len(data['targets'])} 项")
        out.append(f"领导小组：{'；'.join(m['position'] + ' ' + m['name'] for m in data['leading_group'])}")
        for w in data["warnings"]:
            out.append(f"提示：{w}")
        out.append("（预览，未写入任何数据）")
        return "\n".join(out)
