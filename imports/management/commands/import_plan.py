"""python manage.py import_plan FILE [--year YYYY] [--office-unit UNIT]
    [--starts-on YYYY-MM-DD] [--ends-on YYYY-MM-DD] [--dry-run] [--json]

Reads a plan document (.docx, .pdf with a text layer, .txt) and prints the
proposed campaign; without --dry-run it creates the draft campaign.

The office unit (领导小组办公室所在单位) is --office-unit (an id, a name or a
short name); without it, the one unit that has office staff, if there is
exactly one. Unit names in the plan are matched to existing units as the
preview page proposes them; names matching none become new units.

The campaign runs over its phases' dates; a plan without phases over the
years its title names (2023年, 2016—2018, 十四五). --starts-on and --ends-on
give the dates when neither says them, and win over both when given.
"""

import datetime as dt
import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db.models import Q

from campaigns.models import Membership, Unit
from core.files import size_text
from imports.matching import match_units, unit_names
from imports.reading import Limits, PlanReadError, propose, read_plan_file
from imports.services import DraftRefused, SpanMissing, create_draft_campaign

SPAN_OPTIONS = {"开始日期": "--starts-on", "结束日期": "--ends-on"}


def read_text(path: Path) -> str:
    """Read in this process, with the limits of the upload's job (the size
    checked before the file is read, the unpacked size, a PDF's pages)."""
    limits = Limits.from_settings()
    try:
        if path.stat().st_size > limits.max_bytes:
            raise PlanReadError(
                f"文件太大（{size_text(path.stat().st_size)}），方案文件不能超过 {size_text(limits.max_bytes)}。"
            )
        return read_plan_file(path.name, path.read_bytes(), limits=limits)
    except PlanReadError as exc:
        raise CommandError(f"{exc}（{path}）") from exc


def option_date(value, option):
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"{option} 的日期“{value}”无效，请按 2016-01-01 的格式填写。") from None


def office_unit(value):
    if value:
        query = Q(name=value) | Q(short_name=value)
        if value.isdigit():
            query |= Q(pk=int(value))
        units = list(Unit.objects.filter(query)[:2])
        if len(units) != 1:
            raise CommandError(
                f"找不到{'唯一的' if units else ''}单位“{value}”：请用单位编号、全称或简称指定 --office-unit。"
            )
        return units[0]
    units = list(
        Unit.objects.filter(
            memberships__role=Membership.Role.OFFICE_STAFF, memberships__is_active=True
        ).distinct()[:2]
    )
    if len(units) != 1:
        raise CommandError("请用 --office-unit 指定领导小组办公室所在单位（单位编号、全称或简称）。")
    return units[0]


class Command(BaseCommand):
    help = "从方案文件（.docx / .pdf / .txt）中识别活动、阶段、任务、报送规则、指标和领导小组。"

    def add_arguments(self, parser):
        parser.add_argument("file", help="方案文件路径（.docx、带文字层的 .pdf 或 .txt）")
        parser.add_argument("--year", type=int, help="没有写年份的日期（如 3月6日至6月5日）所用的年份")
        parser.add_argument("--dry-run", action="store_true", help="只显示识别结果，不写入数据库")
        parser.add_argument("--json", action="store_true", help="以 JSON 输出识别结果")
        parser.add_argument("--office-unit", help="领导小组办公室所在单位（编号、全称或简称）；创建草稿时使用")
        parser.add_argument("--starts-on", help="活动开始日期（YYYY-MM-DD）；方案没有阶段日期、标题中也没有年份时必填")
        parser.add_argument("--ends-on", help="活动结束日期（YYYY-MM-DD）；方案没有阶段日期、标题中也没有年份时必填")

    def handle(self, *args, **options):
        year = options.get("year")
        if year is not None and not 1990 <= year <= 2100:
            raise CommandError(f"年份 {year} 不合理，请用四位年份，例如 --year 2016。")
        span = {
            "starts_on": option_date(options.get("starts_on"), "--starts-on"),
            "ends_on": option_date(options.get("ends_on"), "--ends-on"),
        }
        if span["starts_on"] and span["ends_on"] and span["ends_on"] < span["starts_on"]:
            raise CommandError(f"--ends-on（{span['ends_on']}）早于 --starts-on（{span['starts_on']}），请更正。")
        path = Path(options["file"])
        if not path.exists():
            raise CommandError(f"找不到文件：{path}")
        if not path.is_file():
            raise CommandError(f"不是文件：{path}")
        text = read_text(path)
        try:
            proposal = propose(text, year=year)
        except PlanReadError as exc:
            raise CommandError(f"{exc}（{path}）") from exc
        data = proposal.to_dict()
        given = {key: value.isoformat() for key, value in span.items() if value}
        if not options["dry_run"]:
            # Only the dates given here are the operator's; the service infers the rest and says so.
            self._create({**data, "starts_on": None, "ends_on": None, **given}, options.get("office_unit"))
            return
        data.update(given)
        if options["json"]:
            self.stdout.write(json.dumps(data, ensure_ascii=False, indent=2))
            return
        self.stdout.write(self._summary(data))

    def _create(self, data, office):
        unit = office_unit(office)
        matches = match_units(unit_names(data["tasks"]))
        try:
            result = create_draft_campaign(
                proposal=data,
                unit_matches={name: m.unit_id for name, m in matches.items()},
                by=None,
                office_unit=unit,
            )
        except SpanMissing as exc:
            options = " 和 ".join(f"{SPAN_OPTIONS[what]} YYYY-MM-DD" for what in exc.missing)
            raise CommandError(f"{exc}可用 {options} 指定（未创建任何数据）") from exc
        except DraftRefused as exc:
            raise CommandError(f"{exc}（未创建任何数据）") from exc
        for match in matches.values():
            if match.unit_id:
                self.stdout.write(f"单位：{match.name} → {match.unit_name}（{match.how} {match.percent}%）")
        for line in result.summary_lines():
            self.stdout.write(line)
        self.stdout.write(
            f"领导小组办公室：{unit}；活动状态：草稿。请办公室工作人员在“活动设置”（/setup/{result.campaign.pk}/）"
            "中核对任务、报送要求和指标，完成启用前检查后启用。"
        )

    def _summary(self, data):
        out = [
            f"标题：{data['title'] or '（未识别）'}",
            f"文号：{data['document_number'] or '（未识别）'}",
            f"印发日期：{data['issued_on'] or '（未识别）'}",
            f"活动起止：{data['starts_on'] or '?'} 至 {data['ends_on'] or '?'}",
            f"主送单位：{data['addressees'] or '（未识别）'}",
            f"阶段：{len(data['phases'])} 个",
        ]
        for ph in data["phases"]:
            out.append(f"  - {ph['name']}：{ph['start'] or '?'} 至 {ph['end'] or '?'}")
        for key, label in (("guiding_principle", "指导思想"), ("goals", "工作目标"), ("requirements", "工作要求")):
            text = data[key] or ""
            out.append(f"{label}：{text[:40] + ('…' if len(text) > 40 else '') if text else '（未识别）'}")
        out.append(f"任务：{len(data['tasks'])} 项")

        def tasks(items, depth):
            for t in items:
                units = "、".join(t["lead_units"]) or "未指定"
                co = f"；配合：{'、'.join(t['co_units'])}" if t["co_units"] else ""
                due = f"；完成时限：{t['due_on']}" if t.get("due_on") else ""
                out.append(f"{'  ' * depth}- {t['code']} {t['title']}（牵头：{units}{co}{due}）")
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
