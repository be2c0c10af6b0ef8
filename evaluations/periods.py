"""The span an evaluation scores: a month, a quarter, a year or a phase,
as the scheme's cadence says. A span is a run of whole days, read as the
aware instants [first day 00:00, the day after the last 00:00) local time."""

import datetime
from dataclasses import dataclass

from django.utils import timezone

from core.numerals import chinese_numeral


class Cadence:
    MONTHLY = "monthly"
    QUARTERLY = "quarterly"
    YEARLY = "yearly"
    PHASE = "phase"

    choices = [(MONTHLY, "按月"), (QUARTERLY, "按季度"), (YEARLY, "按年度"), (PHASE, "按阶段")]


# How a breakdown names the span: 本月应报3期, 本季度应报12期.
THIS = {Cadence.MONTHLY: "本月", Cadence.QUARTERLY: "本季度", Cadence.YEARLY: "本年度", Cadence.PHASE: "本阶段"}
END = {Cadence.MONTHLY: "月底", Cadence.QUARTERLY: "季度末", Cadence.YEARLY: "年底", Cadence.PHASE: "阶段末"}


@dataclass(frozen=True)
class Span:
    cadence: str
    starts_on: datetime.date
    ends_on: datetime.date  # the last day, included
    label: str  # 2026年3月, 2026年第一季度, 2026年度, 第二阶段（集中整治）

    @property
    def key(self):
        """How a form names the span: quarterly:2026-01-01..2026-03-31."""
        return f"{self.cadence}:{self.starts_on.isoformat()}..{self.ends_on.isoformat()}"

    @property
    def bounds(self):
        tz = timezone.get_current_timezone()
        start = datetime.datetime.combine(self.starts_on, datetime.time.min, tzinfo=tz)
        end = datetime.datetime.combine(self.ends_on + datetime.timedelta(days=1), datetime.time.min, tzinfo=tz)
        return start, end

    @property
    def this(self):
        return THIS[self.cadence]

    @property
    def end_word(self):
        return END[self.cadence]


def _last_day_of_month(year, month):
    following = datetime.date(year + (month == 12), month % 12 + 1, 1)
    return following - datetime.timedelta(days=1)


def month_span(day):
    first = datetime.date(day.year, day.month, 1)
    return Span(Cadence.MONTHLY, first, _last_day_of_month(day.year, day.month), f"{day.year}年{day.month}月")


def quarter_span(day):
    quarter = (day.month - 1) // 3 + 1
    first = datetime.date(day.year, 3 * quarter - 2, 1)
    return Span(
        Cadence.QUARTERLY, first, _last_day_of_month(day.year, 3 * quarter), f"{day.year}年第{chinese_numeral(quarter)}季度"
    )


def year_span(day):
    return Span(Cadence.YEARLY, datetime.date(day.year, 1, 1), datetime.date(day.year, 12, 31), f"{day.year}年度")


def phase_span(phase):
    """A dated phase's span, or None while its dates are unknown."""
    starts_on = phase.starts_on or (phase.campaign.starts_on if phase.spans_whole_campaign else None)
    ends_on = phase.ends_on or (phase.campaign.ends_on if phase.spans_whole_campaign else None)
    if starts_on is None or ends_on is None:
        return None
    return Span(Cadence.PHASE, starts_on, ends_on, f"第{chinese_numeral(phase.order)}阶段（{phase.name}）")


STEP = {Cadence.MONTHLY: month_span, Cadence.QUARTERLY: quarter_span, Cadence.YEARLY: year_span}


def spans_of(*, campaign, cadence, today):
    """The spans of `campaign` at `cadence` that have begun by `today`,
    latest first: what the office may evaluate (1 query for phases)."""
    if cadence == Cadence.PHASE:
        spans = [phase_span(phase) for phase in campaign.phases.order_by("order")]
        return [s for s in reversed(spans) if s is not None and s.starts_on <= today]
    step = STEP[cadence]
    last = min(today, campaign.ends_on) if campaign.ends_on else today
    spans, day = [], campaign.starts_on
    while day <= last:
        span = step(day)
        spans.append(span)
        day = span.ends_on + datetime.timedelta(days=1)
    return list(reversed(spans))


def span_of_key(*, campaign, key, today):
    """The span a form posted, among the ones the office may evaluate, or None."""
    cadence = (key or "").partition(":")[0]
    if cadence not in THIS:
        return None
    return next((span for span in spans_of(campaign=campaign, cadence=cadence, today=today) if span.key == key), None)
