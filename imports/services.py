"""Creating the draft campaign a person confirmed from a plan proposal.

The proposal is the parser's JSON (PlanProposal.to_dict()), as corrected on
the preview page: dates are ISO strings, units are names. Nothing is written
unless everything can be: one transaction, and every refusal is a Chinese
sentence (DraftRefused) saying what to fill in.
"""

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import NamedTuple

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone

from campaigns.models import Campaign, LeadingGroupMember, Phase, Unit
from core.errors import Refused
from reports.models import ReportingRule
from reports.schedule import END_CADENCES, MAX_DAYS_AFTER, closing_deadline, month_offset_range
from tasks.models import Indicator, Task

from .parser.span import title_span

# A plan that says "下班前" and nothing else about the hour is given this one.
DEFAULT_DUE_TIME = dt.time(17, 30)

POSITIONS = {
    "组长": LeadingGroupMember.Position.HEAD,
    "副组长": LeadingGroupMember.Position.DEPUTY,
    "成员": LeadingGroupMember.Position.MEMBER,
    "办公室主任": LeadingGroupMember.Position.OFFICE_DIRECTOR,
}
RULE_NAMES = {
    "weekly": "周报",
    "monthly": "月报",
    "quarterly": "季报",
    "half_yearly": "半年报",
    "yearly": "年报",
    "once": "一次性报送",
    "phase_end": "阶段小结",
    "campaign_end": "工作总结",
}
CYCLIC = ("quarterly", "half_yearly", "yearly")


class DraftRefused(Refused):
    """The proposal cannot become a campaign yet. str() is for the user."""


class SpanMissing(DraftRefused):
    """Neither the phases nor the title say when the campaign runs; `missing`
    names the dates to fill in (开始日期, 结束日期)."""

    def __init__(self, missing):
        self.missing = missing
        super().__init__(
            f"没有找到活动的{'和'.join(missing)}：方案没有阶段日期，标题中也没有年份。"
            f"请填写活动的{'和'.join(missing)}后再确认。"
        )


@dataclass
class DraftResult:
    campaign: Campaign
    phases: int = 0
    tasks: int = 0
    rules: int = 0
    indicators: int = 0
    members: int = 0
    new_units: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def summary_lines(self):
        c = self.campaign
        lines = [
            f"已创建草稿活动：{c.title}（编号 {c.pk}，{c.starts_on} 至 {c.ends_on}）",
            f"阶段 {self.phases} 个，任务 {self.tasks} 项，报送要求 {self.rules} 条，指标 {self.indicators} 项，"
            f"领导小组成员 {self.members} 人",
        ]
        if self.new_units:
            lines.append(f"新建单位 {len(self.new_units)} 个：{'、'.join(self.new_units)}")
        lines.extend(f"提示：{note}" for note in self.notes)
        return lines


def _date(value, what):
    if value in (None, ""):
        return None
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError as exc:
        raise DraftRefused(f"{what}“{value}”不是有效日期，请按 2016-01-01 的格式填写。") from exc


def _time(value):
    if value in (None, ""):
        return DEFAULT_DUE_TIME
    if isinstance(value, dt.time):
        return value
    try:
        return dt.time.fromisoformat(str(value))
    except ValueError as exc:
        raise DraftRefused(f"截止时间“{value}”无效，请按 17:30 的格式填写。") from exc


def _rule_ends_on(rule, *, campaign_ends_on):
    """A one-off rule ends on its deadline; a rule whose reports fall due after
    their cycle (次月10日前报送上季度情况) runs on to the last cycle's deadline,
    so the campaign's last quarter is reported too; the others end with the
    campaign."""
    cadence = rule["cadence"]
    if cadence == "once":
        return _date(rule["due_on"], "截止日期")
    if cadence in END_CADENCES:
        return campaign_ends_on + dt.timedelta(days=_days_after(rule))
    offset = int(rule.get("month_offset") or 0)
    if cadence in CYCLIC and offset > 0:
        return max(
            campaign_ends_on,
            closing_deadline(
                cadence=cadence, day_of_month=int(rule["day_of_month"]), month_offset=offset, on=campaign_ends_on
            ),
        )
    return campaign_ends_on


def _days_after(rule):
    """A phase's or the campaign's report: how many days after its end it falls due."""
    value = rule.get("days_after")
    if value in (None, ""):
        return 0
    try:
        days = int(value)
    except (TypeError, ValueError):
        days = -1
    if not 0 <= days <= MAX_DAYS_AFTER:
        raise DraftRefused(
            f"报送要求“{rule.get('text', '')}”的结束后报送天数“{value}”无效，请填写 0–{MAX_DAYS_AFTER} 的天数。"
        )
    return days


def _walk(tasks, depth=0):
    for task in tasks:
        yield task, depth
        yield from _walk(task.get("children", []), depth + 1)


class PhaseDraft(NamedTuple):
    name: str
    goal: str
    description: str
    start: dt.date
    end: dt.date


def campaign_span(proposal: dict, title: str, phases: list[PhaseDraft]):
    """The campaign's (starts_on, ends_on): the dates the person gave (the
    preview's fields, --starts-on/--ends-on) win over what is inferred; else
    the phases' span; else, for a plan without phases, the title's years."""
    starts_on = _date(proposal.get("starts_on"), "活动开始日期")
    ends_on = _date(proposal.get("ends_on"), "活动结束日期")
    if phases:
        starts_on = starts_on or min(p.start for p in phases)
        ends_on = ends_on or max(p.end for p in phases)
    elif (starts_on is None or ends_on is None) and (inferred := title_span(title)):
        starts_on, ends_on = starts_on or inferred[0], ends_on or inferred[1]
    missing = [what for what, value in (("开始日期", starts_on), ("结束日期", ends_on)) if value is None]
    if missing:
        raise SpanMissing(missing)
    if ends_on < starts_on:
        raise DraftRefused(f"活动结束日期（{ends_on}）早于开始日期（{starts_on}），请更正。")
    outside = [p.name for p in phases if p.start < starts_on or p.end > ends_on]
    if outside:
        raise DraftRefused(
            f"阶段“{'、'.join(outside)}”的日期超出了活动起止日期（{starts_on}至{ends_on}），请调整阶段日期或活动起止日期。"
        )
    return starts_on, ends_on


def check_proposal(proposal: dict):
    """(starts_on, ends_on, phases as PhaseDraft) or DraftRefused."""
    title = (proposal.get("title") or "").strip()
    if not title:
        raise DraftRefused("请填写方案名称。")
    if len(title) > 200:
        raise DraftRefused("方案名称不能超过 200 个字。")
    if len(proposal.get("document_number") or "") > 50:
        raise DraftRefused("文号不能超过 50 个字。")
    phases = []
    for index, phase in enumerate(proposal.get("phases", []), start=1):
        name = (phase.get("name") or "").strip() or f"第{index}阶段"
        start = _date(phase.get("start"), f"阶段“{name}”的开始日期")
        end = _date(phase.get("end"), f"阶段“{name}”的结束日期")
        if start is None or end is None:
            raise DraftRefused(f"阶段“{name}”缺少起止日期（方案中的年份可能被遮盖），请填写后再确认。")
        if end < start:
            raise DraftRefused(f"阶段“{name}”的结束日期早于开始日期，请更正。")
        phases.append(
            PhaseDraft(name[:100], (phase.get("goal") or "")[:200], (phase.get("description") or "").strip(), start, end)
        )
    starts_on, ends_on = campaign_span(proposal, title, phases)
    for rule in proposal.get("reporting_rules", []):
        if rule.get("skip"):
            continue
        cadence, text = rule.get("cadence"), rule.get("text", "")
        if cadence not in RULE_NAMES:
            raise DraftRefused(f"报送要求“{text}”的报送频次无法识别，请选择报送频次或不导入这条要求。")
        if cadence == "weekly" and not (rule.get("weekday") and 1 <= int(rule["weekday"]) <= 7):
            raise DraftRefused(f"报送要求“{text}”没有写明每周哪一天，请选择报送日或不导入这条要求。")
        if cadence in ("monthly", *CYCLIC) and not (rule.get("day_of_month") and 1 <= int(rule["day_of_month"]) <= 31):
            what = "每月几日" if cadence == "monthly" else "截止日是几日"
            raise DraftRefused(f"报送要求“{text}”没有写明{what}，请填写报送日或不导入这条要求。")
        if cadence in CYCLIC and int(rule.get("month_offset") or 0) not in month_offset_range(cadence):
            raise DraftRefused(f"报送要求“{text}”的报送月份须在本周期内或周期结束后三个月内，请更正。")
        if cadence == "once":
            due_on = _date(rule.get("due_on"), f"报送要求“{text}”的截止日期")
            if due_on is None:
                raise DraftRefused(f"一次性报送要求“{text}”没有截止日期（方案中的年份可能被遮盖），请填写后再确认。")
            if due_on < starts_on:
                raise DraftRefused(f"一次性报送要求“{text}”的截止日期早于活动开始日期，请更正。")
        if cadence == "phase_end" and not phases:
            raise DraftRefused(
                f"报送要求“{text}”要求每阶段结束后报送，但方案没有阶段日期。请填写阶段，或改为“活动结束后”报送。"
            )
        if cadence in END_CADENCES:
            _days_after(rule)
        _time(rule.get("time"))
    for task, _ in _walk(proposal.get("tasks", [])):
        if not (task.get("title") or "").strip():
            raise DraftRefused("有任务没有名称，请填写。")
    return starts_on, ends_on, phases


def _units(proposal, unit_matches, notes, new_units):
    """name -> Unit for every unit the tasks name; new ones are created."""
    from .matching import unit_names

    names = unit_names(proposal.get("tasks", []))
    chosen = {name: unit_matches.get(name) for name in names}
    existing = Unit.objects.in_bulk([pk for pk in chosen.values() if pk])
    missing = [name for name, pk in chosen.items() if pk and pk not in existing]
    if missing:
        raise DraftRefused(f"为“{'、'.join(missing)}”选择的单位已不存在，请重新选择。")
    found = {}
    for name, pk in chosen.items():
        if pk:
            found[name] = existing[pk]
            continue
        if len(name) > 100:
            raise DraftRefused(f"单位名称“{name[:20]}…”太长，请在预览中改为选择已有单位。")
        unit, created = Unit.objects.get_or_create(name=name)
        if created:
            new_units.append(name)
        found[name] = unit
    return found


@transaction.atomic
def create_draft_campaign(*, proposal: dict, unit_matches: dict, by, office_unit: Unit, issuing_unit: Unit | None = None):
    """The draft campaign of a confirmed proposal, with its phases, task
    tree, units, reporting rules, indicators and leading group.

    `unit_matches` maps each unit name the tasks print to an existing unit's
    id, or to None for a new unit of that name. The issuing unit defaults to
    the office's parent (the office is usually a section of the issuer).
    `by` is recorded as the history's user.
    """
    starts_on, ends_on, phases = check_proposal(proposal)
    # One draft per plan and office: a second click on 确认, or the preview
    # posted again, must not make a twin. The office's row serialises two
    # confirmations arriving together.
    Unit.objects.select_for_update().filter(pk=office_unit.pk).first()
    twin = Campaign.objects.filter(
        status=Campaign.Status.DRAFT,
        office_unit=office_unit,
        title=proposal["title"].strip(),
        document_number=(proposal.get("document_number") or "").strip(),
    ).first()
    if twin is not None:
        raise DraftRefused(
            f"这份方案已导入为草稿活动（编号 {twin.pk}，{timezone.localtime(twin.created_at):%Y-%m-%d %H:%M} 创建），没有重复创建。"
            "如需重新导入，请先在该草稿的“活动设置”中删除草稿。"
        )
    notes: list[str] = []
    new_units: list[str] = []
    if not phases and not (proposal.get("starts_on") and proposal.get("ends_on")):
        notes.append(f"方案没有分阶段，活动起止日期按标题推断为 {starts_on} 至 {ends_on}，请核对。")
    contact = proposal.get("contact") or {}
    contact_email = contact.get("email") or ""
    if contact_email:
        try:
            validate_email(contact_email)
        except ValidationError:
            notes.append(f"联系邮箱“{contact_email}”格式不对，未导入。")
            contact_email = ""
    campaign = Campaign(
        title=proposal["title"].strip(),
        document_number=(proposal.get("document_number") or "").strip(),
        issuing_unit=issuing_unit or office_unit.parent or office_unit,
        office_unit=office_unit,
        issued_on=_date(proposal.get("issued_on"), "印发日期"),
        starts_on=starts_on,
        ends_on=ends_on,
        status=Campaign.Status.DRAFT,
        contact_person=(contact.get("person") or "")[:50],
        contact_phone=(contact.get("phone") or "")[:30],
        contact_email=contact_email,
        addressees=" ".join((proposal.get("addressees") or "").split())[:300],
        guiding_principle=(proposal.get("guiding_principle") or "").strip(),
        goals=(proposal.get("goals") or "").strip(),
        requirements=(proposal.get("requirements") or "").strip(),
    )
    campaign._history_user = by
    campaign.save()
    result = DraftResult(campaign=campaign, new_units=new_units, notes=notes)

    for order, phase in enumerate(phases, start=1):
        Phase.objects.create(
            campaign=campaign,
            order=order,
            name=phase.name,
            goal=phase.goal,
            description=phase.description,
            starts_on=phase.start,
            ends_on=phase.end,
        )
    result.phases = len(phases)

    units = _units(proposal, unit_matches, notes, new_units)

    def create_tasks(items, parent):
        for position, item in enumerate(items, start=1):
            leads = [units[n] for n in item.get("lead_units", [])]
            co = [units[n] for n in item.get("co_units", [])]
            if len(leads) > 1:
                notes.append(
                    f"任务“{item['title'][:30]}”有 {len(leads)} 个牵头单位：第一个（{leads[0]}）为牵头单位，其余作为配合单位。"
                )
            task = Task.objects.create(
                campaign=campaign,
                parent=parent,
                position=position,
                code=(item.get("code") or "")[:20],
                title=item["title"].strip()[:300],
                lead_unit=leads[0] if leads else None,
                due_on=_date(item.get("due_on"), f"任务“{item['title'][:30]}”的完成时限"),
            )
            supporting = {u.pk: u for u in [*leads[1:], *co] if not leads or u.pk != leads[0].pk}
            if supporting:
                task.co_units.set(supporting.values())
            result.tasks += 1
            create_tasks(item.get("children", []), task)

    create_tasks(proposal.get("tasks", []), None)

    used_names = set()
    for rule in proposal.get("reporting_rules", []):
        if rule.get("skip"):
            continue
        cadence = rule["cadence"]
        base = (rule.get("name") or "").strip()[:45] or RULE_NAMES[cadence]
        name, n = base, 1
        while name in used_names:
            n += 1
            name = f"{base}{n}"
        used_names.add(name)
        ReportingRule.objects.create(
            campaign=campaign,
            name=name,
            cadence=cadence,
            weekday=int(rule["weekday"]) if cadence == "weekly" else None,
            day_of_month=int(rule["day_of_month"]) if cadence in ("monthly", *CYCLIC) else None,
            month_offset=int(rule.get("month_offset") or 0) if cadence in CYCLIC else 0,
            days_after=_days_after(rule) if cadence in END_CADENCES else 0,
            due_time=_time(rule.get("time")),
            starts_on=starts_on,
            ends_on=_rule_ends_on(rule, campaign_ends_on=ends_on),
            source_text=rule.get("text", ""),
        )
        result.rules += 1

    indicator_names = set()
    for position, target in enumerate(proposal.get("targets", []), start=1):
        name = (target.get("name") or "").strip()[:95]
        if not name:
            continue
        # A plan may set two targets for one figure (by 2025 … by 2027 …):
        # both are kept, the second named （2）, for the clerk to rename.
        base, copy = name, 1
        while name in indicator_names:
            copy += 1
            name = f"{base}（{copy}）"
        try:
            value = Decimal(str(target.get("value")))
        except (InvalidOperation, TypeError):
            value = None
        if value is not None and (value < 0 or value.as_tuple().exponent < -2 or abs(value) >= Decimal("1e12")):
            value = None
        unit = (target.get("unit") or "")[:20]
        indicator_names.add(name)
        Indicator.objects.create(
            campaign=campaign,
            name=name,
            measure_unit=unit,
            aggregation=Indicator.Aggregation.AVERAGE if unit == "%" else Indicator.Aggregation.SUM,
            target_value=value,
            comparison=target.get("comparison") if target.get("comparison") in ("gte", "lte", "eq") else "gte",
            position=position,
        )
        result.indicators += 1

    for order, member in enumerate(proposal.get("leading_group", []), start=1):
        position = POSITIONS.get(member.get("position"))
        name = (member.get("name") or "").strip()
        if position is None or not name:
            continue
        LeadingGroupMember.objects.create(campaign=campaign, position=position, name=name[:100], order=order)
        result.members += 1
    return result
