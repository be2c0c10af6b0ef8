"""Which documents a campaign's data can be drafted into, and the one entry
point that drafts any of them.

    for scope in scopes(campaign):  # 2025年度情况报告, 第一阶段总结, 总结报告
        doc = build_document(scope.kind, campaign=campaign, year=scope.year, phase=scope.phase)

Each builder returns a core.official.OfficialDocument; the draft pages keep
it as data (core.official.to_data) and the office edits it from there.
"""

from dataclasses import dataclass

from django.utils import timezone

from core.numerals import chinese_numeral

from .annual import build_annual_report, build_summary, valid_years
from .kinds import Kind


@dataclass(frozen=True)
class Scope:
    kind: str
    year: int = None
    phase: object = None  # campaigns.models.Phase

    @property
    def label(self):
        if self.kind == Kind.ANNUAL:
            return f"{self.year}年度情况报告"
        if self.kind == Kind.PHASE:
            return f"第{chinese_numeral(self.phase.order)}阶段（{self.phase.name}）总结"
        return "活动总结报告"


def scopes(campaign, phases=None, *, today=None):
    """Every document the campaign can be drafted into so far: one year-end
    report a year it spans that has begun, one summary a dated phase that
    has begun, and the final summary once the campaign has. `phases` saves
    the query when the caller has them."""
    today = today or timezone.localdate()
    if phases is None:
        phases = list(campaign.phases.all())
    found = [Scope(Kind.ANNUAL, year=year) for year in valid_years(campaign) if year <= today.year]
    found += [
        Scope(Kind.PHASE, phase=phase)
        for phase in phases
        if phase.starts_on and phase.ends_on and phase.starts_on <= today
    ]
    if campaign.starts_on <= today:
        found.append(Scope(Kind.FINAL))
    return found


def build_document(kind, *, campaign, year=None, phase=None, at=None, issued_on=None):
    """The draft of one document, as an OfficialDocument."""
    at = at or timezone.now()
    if kind == Kind.ANNUAL:
        return build_annual_report(campaign=campaign, year=year, at=at, issued_on=issued_on)
    if kind == Kind.PHASE:
        return build_summary(campaign=campaign, phase=phase, at=at, issued_on=issued_on)
    if kind == Kind.FINAL:
        return build_summary(campaign=campaign, at=at, issued_on=issued_on)
    raise ValueError(f"unknown document kind: {kind!r}")
