"""The whole plan: :func:`parse_plan` runs the extractors over the paragraphs
and gathers their findings and warnings in a :class:`PlanProposal`."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import asdict, dataclass, field

from .dates import MASK_YEAR, DateContext, stated_year
from .leading_group import GroupMember, extract_leading_group
from .metadata import (
    extract_contact,
    find_document_number,
    find_issued_on,
    find_title,
    lost_its_place_name,
    year_in_title,
)
from .numbering import all_paragraph_nodes, build_outline
from .paragraphs import normalise
from .phases import Phase, extract_phases
from .rules import ReportingRule, extract_reporting_rules
from .sections import Outline, describe_phases, extract_sections, find_addressees
from .span import campaign_span
from .targets import Target, extract_targets
from .tasks import Task, extract_tasks
from .text import TABLE_SEP


@dataclass
class PlanProposal:
    title: str | None = None
    document_number: str | None = None
    issued_on: dt.date | None = None
    phases: list[Phase] = field(default_factory=list)
    tasks: list[Task] = field(default_factory=list)
    reporting_rules: list[ReportingRule] = field(default_factory=list)
    targets: list[Target] = field(default_factory=list)
    leading_group: list[GroupMember] = field(default_factory=list)
    contact: dict = field(default_factory=lambda: {"person": None, "phone": None, "email": None})
    addressees: str | None = None
    guiding_principle: str | None = None
    goals: str | None = None
    requirements: str | None = None
    starts_on: dt.date | None = None
    ends_on: dt.date | None = None
    warnings: list[str] = field(default_factory=list)

    def to_dict(self) -> dict:
        def conv(value):
            if isinstance(value, dt.date):
                return value.isoformat()
            if isinstance(value, dict):
                return {k: conv(v) for k, v in value.items()}
            if isinstance(value, list):
                return [conv(v) for v in value]
            return value

        return conv(asdict(self))


def parse_plan(text: str, year: int | None = None) -> PlanProposal:
    proposal = PlanProposal()
    paras = normalise(text)
    if not paras:
        proposal.warnings.append("文档没有可识别的文字。")
        return proposal
    table_rows = [p for p in paras if TABLE_SEP in p]
    paras = [p for p in paras if TABLE_SEP not in p]
    preamble, roots = build_outline(paras)
    warnings = proposal.warnings

    proposal.title = find_title(preamble)
    if lost_its_place_name(proposal.title, text):
        warnings.append(f"标题“{proposal.title}”缺少地名（原文已隐去），请人工填写。")
        proposal.title = None
    elif not proposal.title:
        warnings.append("没有找到方案标题，请人工填写。")
    proposal.document_number = find_document_number(preamble, table_rows)
    if proposal.document_number and re.search(MASK_YEAR, proposal.document_number):
        warnings.append(f"文号中的年份被遮盖（{proposal.document_number}），请人工填写。")
    if not proposal.document_number:
        warnings.append("没有找到文号（如 X〔2016〕41号），请确认方案是否有文号。")

    default_year = year
    ctx = DateContext(default_year, warnings, given_year=year)
    if default_year is None:
        title_year = year_in_title(proposal.title)
        if title_year and not re.search(rf"{MASK_YEAR}", proposal.title or ""):
            ctx.default_year = title_year
            ctx.year_source = "title"
        elif period_year := stated_year(paras):
            ctx.default_year = period_year
            ctx.year_source = "period"
    proposal.issued_on = find_issued_on(paras, ctx)

    everything = list(all_paragraph_nodes(preamble, roots))
    missing_before = len(warnings)
    proposal.phases = extract_phases(everything, ctx)
    if ctx.year_source == "title" and any("没有写年份" in w for w in warnings[missing_before:]):
        pass
    elif ctx.year_source == "title" and re.search(r"(?<!\d)(?<!年)\d{1,2}月\d{1,2}日", "".join(everything)):
        warnings.append(f"部分日期没有写年份，已按标题中的年份 {ctx.default_year} 年补全，请核对。")
    elif ctx.year_source == "period" and re.search(r"(?<!\d)(?<!年)\d{1,2}月", "".join(everything)):
        warnings.append(f"部分日期没有写年份，已按方案写明的活动时间中的年份 {ctx.default_year} 年补全，请核对。")

    first_is_lead = bool(re.search(r"(?:排在)?(?:第一位|首位)的?(?:为|是)牵头", "".join(everything)))
    proposal.addressees = find_addressees(preamble)
    outline = Outline(paras, roots)
    describe_phases(proposal.phases, outline)
    for key, value in extract_sections(outline, proposal.phases).items():
        setattr(proposal, key, value)
    proposal.starts_on, proposal.ends_on = campaign_span(proposal.phases, proposal.title, warnings)

    proposal.tasks = extract_tasks(roots, warnings, first_is_lead, table_rows, preamble, ctx.default_year)
    proposal.reporting_rules = extract_reporting_rules(everything, ctx, proposal.phases, proposal.issued_on)
    proposal.targets = extract_targets(everything)
    proposal.leading_group = extract_leading_group(everything)
    proposal.contact = extract_contact(everything)
    if not proposal.leading_group:
        warnings.append("没有找到领导小组（组长、副组长、办公室主任），请人工填写。")
    if ctx.masked_filled:
        masks = "、".join(sorted(ctx.masked_filled))
        warnings.append(f"方案中被遮盖的年份（{masks}）已按所填年份 {year} 年补全，跨年的日期顺延到下一年，请核对。")
    # Same message twice helps no one.
    proposal.warnings = list(dict.fromkeys(warnings))
    return proposal
