"""How each component of the score is worked out: the inputs read
from the database (a fixed number of queries, whatever the number of units)
and the sentence that says where the points came from.

Definitions, for the month M = [first instant, first instant of next month)
computed at the time `at`. Nothing counts before it is due: the month is
read up to its cutoff, min(end of M, at), so that a month computed before it
ends (a draft, see services.compute_evaluation) counts only what had fallen
due by then, and the same month computed again after it ends counts it all.
- units scored: every unit that owed a report whose period falls due in M
  (the units of `reports.ranking.unit_ranking`), and, when the scheme has a
  模拟测评得分率 or 测评材料通过率 component, every unit the assessment
  concerns (`assessments.selectors.assessed_unit_ids`: the lead and co-units
  of the current system's standards, the units answering for sites; the
  campaign's office aside, as it runs the assessment), so
  that a campaign run on its 测评体系 alone, with no reports, scores its
  units too;
- 报送率 / 按时报送率: `reports.rates` over those reports, as of the time of
  computation (a report counts once its deadline has passed); points =
  weight × rate. A unit that owed nothing yet (every report exempted or not
  yet due) gets the full points;
- 退回次数: the office's returns (not the unit head's) of the unit's reports
  of the campaign made during M, before the cutoff; points = weight −
  returns × deduction, never below 0;
- 任务进度: the average percent of the unit's last report of M sent to the
  office (as the ranking reads it); points = weight × percent / 100, and 0
  when the unit sent none;
- 督导检查得分: the average InspectedUnit.score of the campaign's inspections (a 模拟测评
  aside when the scheme counts it in its own component, 模拟测评得分率)
  dated in M, no later than the day of computation, that scored the unit;
  points = weight × average / 100. A unit not inspected in M gets the full
  points: inspections visit a sample of units, and not being drawn is no
  fault;
- 整改按期销号率: the unit's rectification items that fell due in M before
  the cutoff (due_at in [start of M, cutoff)), plus those due before M that
  were still open when M began (closed_at empty or in/after M); an item due
  later in M, after the time of computation, is not yet due and does not
  count. Of these, the ones closed before the cutoff whose accepted report
  came before their deadline count as on time. Points = weight × on time /
  due. A unit with no item due gets the full points.
- 逾期报送扣分: the reports due in M by the cutoff not sent on time (late or
  still missing, `reports.rates`); points = weight − late × deduction,
  never below 0;
- 指标完成: see target_attainment; points = weight × met / asked, full points
  when no indicator with a target was asked of the unit;
- 模拟测评得分率: the 得分率 of the unit's sampled sites (点位 it answers
  for) over the campaign's mock assessments closed in M before the cutoff
  (`assessments.selectors.unit_rates`: each assessment by
  `assessments.scoring`, weighted by 分值 when its system is, 不适用 left
  out, pooled as points earned over points available); points = weight ×
  earned / available. Re-checks (复查) never count. A unit none of whose
  sites was sampled (or whose sampled sites had nothing applicable) gets the
  full points, as for 督导检查得分: a sample not drawing a unit is no fault;
- 测评材料通过率: of the standards of the campaign's current 测评体系 whose
  methods include 材料审核 and which the unit leads (the material it is
  asked for; a co-unit's material is not counted), how many it has had
  accepted (已通过) by the office before the cutoff
  (`assessments.material.accepted_rate`, `reviewed_at` before the cutoff:
  material accepted after the span's end does not count for it); points =
  weight × accepted / asked. A unit asked for no material gets the full
  points, as for 督导检查得分 and 模拟测评得分率;
- 问卷调查 / 群众评议 / 实地考察: the score out of 100 the office entered for
  the unit in this evaluation (EnteredScore); points = weight × score / 100,
  0 while none is entered (publish_evaluation refuses until all are).
M may be a quarter, a year or a phase as well as a month (periods.Span).
Each component's points are rounded to 0.1 (half up) before they are added.
A month computed before it ends says so in the breakdown (截至计算时).
"""

import datetime
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Avg, Count, F, Q
from django.utils import timezone

from assessments.material import accepted_rate
from assessments.selectors import assessed_unit_ids, unit_rates
from core.dates import month_bounds
from reports.models import ReviewEvent
from reports.ranking import span_ranking
from reports.rates import percent

from .models import EnteredScore, ScoringComponent
from .periods import Span, month_span

Kind = ScoringComponent.Kind
TENTH = Decimal("0.1")
HUNDRED = Decimal(100)


def points(value):
    return Decimal(value).quantize(TENTH, rounding=ROUND_HALF_UP)


def figure(value):
    """A Decimal written without trailing zeros: 30, 27.5, 91.7."""
    return format(Decimal(value).normalize(), "f")


def score_figure(value):
    """A score as the bulletin prints it, always with one decimal: 71.0, 87.5."""
    return format(points(value), "f")


def cutoff(month, at):
    """The instant up to which `month` is read when computed at `at`: the
    month's end, or `at` while the month is not over."""
    _, end = month_bounds(month)
    return min(end, at)


def month_is_over(month, at):
    """Whether `month` (a date on day 1) has ended at `at`."""
    _, end = month_bounds(month)
    return at >= end


@dataclass
class Inputs:
    """What the span's data says of each unit: {unit id: ...}."""

    units: list  # the units scored, in display order
    rates: dict  # reports.rates.Rates
    progress: dict  # Decimal average percent, or absent
    returns: dict  # int
    inspections: dict  # (average Decimal, how many scores)
    rectifications: dict  # (due, on time)
    partial: bool = False  # computed before the span's end: figures up to then
    span: Span = None
    targets: dict = field(default_factory=dict)  # (indicators asked, met, [names not met])
    entered: dict = field(default_factory=dict)  # {component id: {unit id: Decimal}}
    deadlines: dict = field(default_factory=dict)  # (tasks due, finished on time, [titles late or open])
    mock_rates: dict = field(default_factory=dict)  # (assessments.scoring.Rate pooled, assessments)
    materials: dict = field(default_factory=dict)  # (material accepted, asked)

    @property
    def this(self):
        return self.span.this if self.span else "本月"

    @property
    def end_word(self):
        return self.span.end_word if self.span else "月底"


def month_inputs(*, campaign, month, at, extra_unit_ids=()):
    """Every input of every unit of `month` (see span_inputs)."""
    return span_inputs(campaign=campaign, span=month_span(month), at=at, extra_unit_ids=extra_unit_ids)


def span_inputs(*, campaign, span, at, extra_unit_ids=(), evaluation=None, components=()):
    """Every input of every unit, in 7 queries (4 of them the ranking's),
    2 more with a 指标完成 component, 1 with a 模拟测评得分率 one, 1 with a
    测评材料通过率 one, 1 (or 2) for the units either concerns that owe no
    report, and 1 with an office-entered one, as of
    `at`: what falls due after `at` does not count yet."""
    from campaigns.models import Unit
    from supervision.models import InspectedUnit, Inspection, RectificationItem

    start, end = span.bounds
    until = min(end, at)
    kinds = {component.kind for component in components}
    ranked = span_ranking(campaign=campaign, start=start, end=end, at=at)
    units = [row.unit for row in ranked]
    wanted = set(extra_unit_ids)
    if kinds & {Kind.MOCK_ASSESSMENT_RATE, Kind.MATERIAL_ACCEPTED_RATE}:
        # The office runs the assessment; it is not ranked among the units.
        wanted |= assessed_unit_ids(campaign) - {campaign.office_unit_id}
    missing = wanted - {u.pk for u in units}
    if missing:
        units += list(Unit.objects.filter(pk__in=missing).order_by("sort_order", "name"))
    returns = dict(
        ReviewEvent.objects.filter(
            action=ReviewEvent.Action.RETURN,
            created_at__gte=start,
            created_at__lt=until,
            report__period__rule__campaign=campaign,
        )
        .order_by()
        .values("report__unit")
        .annotate(n=Count("id"))
        .values_list("report__unit", "n")
    )
    scored = InspectedUnit.objects.filter(
        inspection__campaign=campaign,
        inspection__inspected_on__gte=span.starts_on,
        inspection__inspected_on__lte=min(span.ends_on, timezone.localdate(at)),
        score__isnull=False,
    )
    if Kind.MOCK_ASSESSMENT_RATE in kinds:
        # The mock assessments' 得分率 is a component of its own in this
        # scheme: counted here too, they would be scored twice.
        scored = scored.exclude(inspection__kind=Inspection.Kind.MOCK_ASSESSMENT)
    inspections = {
        row["unit"]: (row["average"], row["n"])
        for row in scored.order_by().values("unit").annotate(average=Avg("score"), n=Count("id"))
    }
    # Due in the span by the cutoff: an item due later is not yet due (and
    # not failed) when the span is computed before it ends.
    due_in_month = Q(due_at__gte=start, due_at__lt=until)
    still_open_from_before = Q(due_at__lt=start) & (Q(closed_at__isnull=True) | Q(closed_at__gte=start))
    on_time = Q(status=RectificationItem.Status.CLOSED, closed_at__lt=until, submitted_at__lte=F("due_at"))
    rectifications = {
        row["unit"]: (row["due"], row["on_time"])
        for row in RectificationItem.objects.filter(campaign=campaign)
        .filter(due_in_month | still_open_from_before)
        .order_by()
        .values("unit")
        .annotate(due=Count("id"), on_time=Count("id", filter=on_time))
    }
    targets = target_attainment(campaign=campaign, start=start, until=until) if Kind.TARGETS_MET in kinds else {}
    deadlines = task_deadlines(campaign=campaign, start=start, until=until) if Kind.TASK_DEADLINES in kinds else {}
    mock_rates = unit_rates(campaign=campaign, start=start, until=until) if Kind.MOCK_ASSESSMENT_RATE in kinds else {}
    materials = accepted_rate(campaign, as_of=until) if Kind.MATERIAL_ACCEPTED_RATE in kinds else {}
    entered = {}
    if evaluation is not None and kinds & set(ScoringComponent.ENTERED):
        for component_id, unit_id, score in EnteredScore.objects.filter(evaluation=evaluation).values_list(
            "component_id", "unit_id", "score"
        ):
            entered.setdefault(component_id, {})[unit_id] = score
    return Inputs(
        units=units,
        rates={row.unit.pk: row.rates for row in ranked},
        progress={row.unit.pk: row.progress for row in ranked if row.progress is not None},
        returns=returns,
        inspections=inspections,
        rectifications=rectifications,
        partial=until < end,
        span=span,
        targets=targets,
        entered=entered,
        deadlines=deadlines,
        mock_rates=mock_rates,
        materials=materials,
    )


def aggregate(indicator, values):
    """The unit's figure of `indicator` from its values in period order, by
    the indicator's own rule (求和, 平均值, 最大值, 最新值)."""
    if not values:
        return None
    rule = indicator.aggregation
    if rule == indicator.Aggregation.SUM:
        return sum(values, Decimal(0))
    if rule == indicator.Aggregation.AVERAGE:
        return sum(values, Decimal(0)) / len(values)
    if rule == indicator.Aggregation.MAX:
        return max(values)
    return values[-1]


def target_attainment(*, campaign, start, until):
    """{unit id: (indicators asked, met, [names not met])} (2 queries).

    The indicators asked of a unit are those with a target on the rules of
    the reports it owed that fell due in the span by the cutoff (exempted
    ones aside); its figure is its values in those reports once sent,
    aggregated by the indicator's rule, and `Indicator.is_met` says whether
    it meets the target. An indicator it gave no figure for is not met."""
    from reports.models import Report
    from tasks.models import Indicator

    indicators = {
        indicator.pk: indicator
        for indicator in Indicator.objects.filter(campaign=campaign, target_value__isnull=False).order_by("position", "pk")
    }
    if not indicators:
        return {}
    owed = (
        Report.objects.filter(
            period__rule__campaign=campaign, period__due_at__gte=start, period__due_at__lt=until
        )
        .exclude(status=Report.Status.EXEMPT)
        .filter(period__rule__indicators__in=list(indicators))
        .order_by("unit_id", "period__due_at", "pk")
        .values_list(
            "pk",
            "unit_id",
            "period__rule_id",
            "period__rule__indicators",
            "status",
            "indicator_values__indicator",
            "indicator_values__value",
        )
    )
    asked, figures, owed_by_rule = {}, {}, {}
    sent = {Report.Status.SUBMITTED, Report.Status.ACCEPTED}
    for report_id, unit_id, rule_id, indicator_id, status, value_indicator, value in owed:
        asked.setdefault(unit_id, set()).add(indicator_id)
        owed_by_rule.setdefault((unit_id, indicator_id), {}).setdefault(rule_id, set()).add(report_id)
        # Each value row is joined once per indicator of the rule: keep the matching one.
        if status in sent and value_indicator == indicator_id and value is not None:
            figures.setdefault((unit_id, indicator_id, rule_id), []).append(value)
    # A figure two rules ask for (the week's and the month's, the month's
    # drafted from the weeks) is counted under one rule only, the one with
    # the fewest reports in the span (the longest cadence): adding both
    # would count every week twice.
    chosen = {key: min(rules, key=lambda r: (len(rules[r]), r)) for key, rules in owed_by_rule.items()}
    result = {}
    for unit_id, ids in asked.items():
        ordered = [indicators[pk] for pk in indicators if pk in ids]
        unmet = [
            i.name
            for i in ordered
            if not i.is_met(aggregate(i, figures.get((unit_id, i.pk, chosen[(unit_id, i.pk)]), [])))
        ]
        result[unit_id] = (len(ordered), len(ordered) - len(unmet), unmet)
    return result


def task_deadlines(*, campaign, start, until):
    """{lead unit id: (tasks due, finished on time, [titles not])} (1 query).

    A task counts in the span when its 完成时限 (`Task.due_on`) fell in the
    span by the cutoff, or fell before it while the task was still open at
    the span's start, as rectification items do. It was finished on time
    when the office confirmed its 办结 by the cutoff and the lead unit had
    applied by the deadline day (reports.deadlines judges it the same way)."""
    from tasks.models import Task, TaskStatus

    first, last = timezone.localdate(start), timezone.localdate(until)
    rows = (
        Task.objects.filter(campaign=campaign, lead_unit__isnull=False, due_on__isnull=False)
        .filter(
            Q(due_on__gte=first, due_on__lt=last)
            | Q(due_on__lt=first) & (Q(finished_at__isnull=True) | Q(finished_at__gte=start))
        )
        .order_by("lead_unit_id", "due_on", "pk")
        .values_list("lead_unit_id", "title", "due_on", "status", "declared_at", "finished_at")
    )
    result = {}
    for unit_id, title, due_on, status, declared_at, finished_at in rows:
        due, on_time, missed = result.get(unit_id, (0, 0, []))
        met = (
            status == TaskStatus.FINISHED
            and finished_at < until
            and timezone.localdate(declared_at) <= due_on
        )
        result[unit_id] = (due + 1, on_time + met, missed if met else [*missed, title])
    return result


def rate_points(weight, part, whole):
    if not whole:
        return weight
    return points(Decimal(weight) * part / whole)


def component_entry(component, unit_id, inputs):
    """{"kind", "label", "weight", "points", "lost", "text", "inputs"} for one unit."""
    weight = component.weight
    kind = component.kind
    w = figure(weight)
    # A month computed before its end counts what had fallen due by then.
    so_far = "截至计算时" if inputs.partial else ""
    if kind in (Kind.SUBMISSION_RATE, Kind.ON_TIME_RATE):
        rates = inputs.rates.get(unit_id)
        expected = rates.expected if rates else 0
        done = (rates.submitted if kind == Kind.SUBMISSION_RATE else rates.on_time) if rates else 0
        got = rate_points(weight, done, expected)
        verb = "已报" if kind == Kind.SUBMISSION_RATE else "按时报送"
        if expected:
            rate = percent(done, expected)
            text = f"{so_far}应报{expected}期，{verb}{done}期，{component.get_kind_display()}{figure(rate)}%，权重{w}，得{figure(got)}分"
        else:
            text = f"{so_far}{inputs.this}无应报（均已免报或未到截止时间），按满分计，权重{w}，得{figure(got)}分"
        data = {"expected": expected, "done": done}
    elif kind == Kind.RETURNED_REPORTS:
        returns = inputs.returns.get(unit_id, 0)
        got = max(Decimal(0), points(weight - returns * component.deduction))
        text = f"{so_far}被退回{returns}次，每次扣{figure(component.deduction)}分，权重{w}，得{figure(got)}分"
        data = {"returns": returns, "deduction": str(component.deduction)}
    elif kind == Kind.TASK_PROGRESS:
        progress = inputs.progress.get(unit_id)
        if progress is None:
            got = Decimal("0.0")
            text = f"该单位不牵头任务，无任务进度，权重{w}，得0分"
        else:
            got = points(weight * progress / HUNDRED)
            text = f"截至{inputs.end_word}牵头任务平均进度{figure(progress)}%，权重{w}，得{figure(got)}分"
        data = {"progress": None if progress is None else str(progress)}
    elif kind == Kind.INSPECTION_SCORE:
        average, n = inputs.inspections.get(unit_id, (None, 0))
        if not n:
            got = points(weight)
            text = f"{inputs.this}未接受计分的督导检查，按满分计，权重{w}，得{figure(got)}分"
            data = {"inspections": 0, "average": None}
        else:
            average = points(average)
            got = points(weight * average / HUNDRED)
            text = f"{inputs.this}督导检查{n}次，平均得分{figure(average)}分（百分制），权重{w}，得{figure(got)}分"
            data = {"inspections": n, "average": str(average)}
    elif kind == Kind.LATE_REPORTS:
        rates = inputs.rates.get(unit_id)
        late = (rates.expected - rates.on_time) if rates else 0
        got = max(Decimal(0), points(weight - late * component.deduction))
        text = f"{so_far}逾期报送或未报{late}次，每次扣{figure(component.deduction)}分，最多扣{w}分，得{figure(got)}分"
        data = {"late": late, "deduction": str(component.deduction)}
    elif kind == Kind.TARGETS_MET:
        asked, met, unmet = inputs.targets.get(unit_id, (0, 0, []))
        got = rate_points(weight, met, asked)
        if asked:
            text = f"{so_far}应完成指标{asked}项，达到目标{met}项，指标完成率{figure(percent(met, asked))}%"
            if unmet:
                text += f"（未达标：{'、'.join(unmet)}）"
            text += f"，权重{w}，得{figure(got)}分"
        else:
            text = f"{so_far}{inputs.this}无需考核的指标，按满分计，权重{w}，得{figure(got)}分"
        data = {"asked": asked, "met": met, "unmet": unmet}
    elif kind == Kind.TASK_DEADLINES:
        due, on_time, missed = inputs.deadlines.get(unit_id, (0, 0, []))
        got = rate_points(weight, on_time, due)
        if due:
            text = f"{so_far}牵头任务到期{due}项，按期办结{on_time}项，按期办结率{figure(percent(on_time, due))}%"
            if missed:
                shown = "、".join(t if len(t) <= 20 else f"{t[:20]}…" for t in missed[:3])
                text += f"（未按期：{shown}{'等' if len(missed) > 3 else ''}）"
            text += f"，权重{w}，得{figure(got)}分"
        else:
            text = f"{so_far}{inputs.this}没有到期的牵头任务，按满分计，权重{w}，得{figure(got)}分"
        data = {"due": due, "on_time": on_time, "missed": missed}
    elif kind == Kind.MOCK_ASSESSMENT_RATE:
        rate, n = inputs.mock_rates.get(unit_id, (None, 0))
        if rate is None or rate.rate is None:
            got = points(weight)
            text = (
                f"{so_far}{inputs.this}结束的模拟测评未抽中该单位负责的点位（或抽中点位的测评标准均不适用），"
                f"与督导检查一样，未被抽中不扣分，按满分计，权重{w}，得{figure(got)}分"
            )
            data = {"assessments": 0, "rate": None}
        else:
            earned, available = rate.fraction
            got = rate_points(weight, earned, available)
            counted = f"得{figure(rate.points_shown)}分，应得{figure(available)}分" if rate.available is not None else f"达标{rate.met}项次，测评{rate.made}项次"
            text = (
                f"{so_far}{inputs.this}结束的模拟测评{n}次，该单位负责的点位{counted}（不适用不计），"
                f"得分率{figure(rate.rate)}%，权重{w}，得{figure(got)}分"
            )
            data = {"assessments": n, "rate": str(rate.rate), "earned": str(earned), "available": str(available)}
    elif kind == Kind.MATERIAL_ACCEPTED_RATE:
        accepted, asked = inputs.materials.get(unit_id, (0, 0))
        got = rate_points(weight, accepted, asked)
        as_of = "截至计算时" if inputs.partial else f"截至{inputs.end_word}"
        if asked:
            text = (
                f"{as_of}，该单位牵头的{asked}条测评标准（材料审核）中已通过审核{accepted}条，"
                f"通过率{figure(percent(accepted, asked))}%，权重{w}，得{figure(got)}分"
            )
        else:
            text = f"该单位没有牵头需要材料审核的测评标准，无需报送测评材料，按满分计，权重{w}，得{figure(got)}分"
        data = {"asked": asked, "accepted": accepted}
    elif kind in ScoringComponent.ENTERED:
        entered = inputs.entered.get(component.pk, {}).get(unit_id)
        label = component.get_kind_display()
        if entered is None:
            got = Decimal("0.0")
            text = f"办公室尚未录入{label}得分，权重{w}，暂得0分"
        else:
            got = points(weight * entered / HUNDRED)
            text = f"{label}得分{figure(entered)}分（百分制，办公室录入），权重{w}，得{figure(got)}分"
        data = {"entered": None if entered is None else str(entered)}
    else:  # Kind.RECTIFICATION_ON_TIME
        due, on_time = inputs.rectifications.get(unit_id, (0, 0))
        got = rate_points(weight, on_time, due)
        if due:
            text = (
                f"{'截至计算时已到期' if inputs.partial else ''}应整改{due}项，按期销号{on_time}项，按期销号率{figure(percent(on_time, due))}%，"
                f"权重{w}，得{figure(got)}分"
            )
        else:
            text = f"{so_far}{inputs.this}无到期的整改事项，按满分计，权重{w}，得{figure(got)}分"
        data = {"due": due, "on_time": on_time}
    got = points(got)
    return {
        "kind": kind,
        "label": component.get_kind_display(),
        "weight": str(points(weight)),
        "points": str(got),
        "lost": str(points(weight) - got),
        "text": text,
        "inputs": data,
    }


def competition_ranks(totals):
    """{key: rank} for {key: total}, highest first, ties sharing a rank (1, 2, 2, 4)."""
    ordered = sorted(totals.values(), reverse=True)
    first = {}
    for position, total in enumerate(ordered, start=1):
        first.setdefault(total, position)
    return {key: first[total] for key, total in totals.items()}


def month_of(value):
    return datetime.date(value.year, value.month, 1)


def overdue_rectifications(*, campaign, at, month=None, span=None):
    """The campaign's items overdue at `at` (the time of drafting): due
    before the end of `month` (or `span`) and before `at`, and not closed by `at`."""
    from supervision.models import RectificationItem

    until = min(span.bounds[1], at) if span else cutoff(month, at)
    return (
        RectificationItem.objects.filter(campaign=campaign, due_at__lt=until)
        .filter(Q(closed_at__isnull=True) | Q(closed_at__gt=at))
        .select_related("unit")
        .order_by("unit__sort_order", "unit__name", "due_at", "pk")
    )


def breakdown_losses(breakdown):
    """[(label, lost points)] of the components that lost points, most lost first."""
    lost = [(entry["label"], Decimal(entry["lost"])) for entry in breakdown if Decimal(entry["lost"]) > 0]
    return sorted(lost, key=lambda item: -item[1])

