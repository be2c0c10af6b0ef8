"""Writes of the monthly evaluation: computing, manual points, publishing,
objections and the bulletin. Each refuses an illegal move with a Chinese
sentence (EvaluationError) and changes nothing then."""

from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.db import transaction
from django.db.models import Count, Sum
from django.urls import reverse
from django.utils import timezone

import audit
from audit.services import diff as audit_diff
from campaigns.models import Membership
from core import transitions
from core.dates import date_time_text
from core.errors import Refused, required_text
from core.numerals import ONE_TO_TEN, chinese_numeral
from core.official import Heading, OfficialDocument, Paragraph, Table, render_docx
from notifications.events import Event, event_key, tell
from notifications.models import EventKind
from notifications.services import notify as notify_people

from . import periods, scoring
from .models import (
    RANKING_HEADER,
    Bulletin,
    EnteredScore,
    Evaluation,
    ManualAdjustment,
    Objection,
    Score,
    ScoringScheme,
)

Role = Membership.Role


class EvaluationError(Refused):
    """A refused step of the monthly evaluation."""


def scheme_of(campaign):
    scheme = ScoringScheme.objects.filter(campaign=campaign).prefetch_related("components").first()
    if scheme is None or not scheme.components.all():
        raise EvaluationError("本活动尚未设置评分方案或评分项，请系统管理员在管理后台设置后再计算。")
    return scheme


def _adjustment_totals(evaluation):
    return dict(
        ManualAdjustment.objects.filter(score__evaluation=evaluation)
        .order_by()
        .values("score__unit")
        .annotate(total=Sum("points"))
        .values_list("score__unit", "total")
    )


@transaction.atomic
def compute_evaluation(*, campaign, by, month=None, span=None, at=None):
    """Compute (or compute again, while a draft) every unit's score of `month`
    (or of `span`: a quarter, a year, a phase; see periods).
    Manual points are kept; a unit that no longer owes anything that month
    loses its score unless manual points were given to it.

    The current month may be computed before it ends, as a draft: only what
    had fallen due by `at` counts (see scoring). It cannot be published
    until it is computed again after the month's end (publish_evaluation)."""
    at = at or timezone.now()
    span = span or periods.month_span(month)
    if span.starts_on > timezone.localdate(at):
        raise EvaluationError("不能评定尚未开始的月份。" if span.cadence == periods.Cadence.MONTHLY else "不能评定尚未开始的评定期。")
    scheme = scheme_of(campaign)
    evaluation = (
        Evaluation.objects.select_for_update()
        .filter(campaign=campaign, month=span.starts_on, ends_on=span.ends_on)
        .first()
    )
    if evaluation is not None and evaluation.is_published:
        raise EvaluationError(f"{evaluation.month_label}的综合评定已发布，不能重新计算。")
    if evaluation is None:
        evaluation = Evaluation.objects.create(
            campaign=campaign,
            month=span.starts_on,
            ends_on=span.ends_on,
            cadence=span.cadence,
            label=span.label,
            computed_at=at,
            computed_by=by,
        )
    else:
        evaluation.computed_at, evaluation.computed_by = at, by
        evaluation.save(update_fields=["computed_at", "computed_by"])
    manual = _adjustment_totals(evaluation)
    components = list(scheme.components.all())
    inputs = scoring.span_inputs(
        campaign=campaign, span=span, at=at, extra_unit_ids=manual.keys(), evaluation=evaluation, components=components
    )
    if not inputs.units:
        raise EvaluationError(f"{span.label}没有截止的报送周期，没有可评定的单位。")
    existing = {score.unit_id: score for score in Score.objects.filter(evaluation=evaluation)}
    scored = set()
    rows = {}
    for unit in inputs.units:
        breakdown = [scoring.component_entry(component, unit.pk, inputs) for component in components]
        computed = sum((Decimal(entry["points"]) for entry in breakdown), Decimal("0.0"))
        adjustment = Decimal(manual.get(unit.pk) or 0)
        score = existing.get(unit.pk) or Score(evaluation=evaluation, unit=unit)
        score.computed_total, score.manual_total, score.total = computed, adjustment, computed + adjustment
        score.breakdown = breakdown
        rows[unit.pk] = score
        scored.add(unit.pk)
    ranks = scoring.competition_ranks({pk: s.total for pk, s in rows.items()})
    for pk, score in rows.items():
        score.rank = ranks[pk]
    Score.objects.filter(evaluation=evaluation).exclude(unit__in=scored).delete()
    fields = ["computed_total", "manual_total", "total", "rank", "breakdown"]
    Score.objects.bulk_update([s for s in rows.values() if s.pk], fields)
    Score.objects.bulk_create([s for s in rows.values() if not s.pk])
    return evaluation


def _rerank(evaluation):
    """Totals and ranks again after manual points changed (2 queries + 1 update)."""
    manual = _adjustment_totals(evaluation)
    scores = list(Score.objects.filter(evaluation=evaluation))
    for score in scores:
        score.manual_total = Decimal(manual.get(score.unit_id) or 0)
        score.total = score.computed_total + score.manual_total
    ranks = scoring.competition_ranks({s.pk: s.total for s in scores})
    for score in scores:
        score.rank = ranks[score.pk]
    Score.objects.bulk_update(scores, ["manual_total", "total", "rank"])


def _missing_entries(evaluation, scheme):
    """The labels of the office-entered components some scored unit has no score for (2 queries)."""
    entered = [c for c in scheme.components.all() if c.is_entered]
    if not entered:
        return []
    units = Score.objects.filter(evaluation=evaluation).count()
    counts = dict(
        EnteredScore.objects.filter(evaluation=evaluation, unit__scores__evaluation=evaluation)
        .order_by()
        .values("component")
        .annotate(n=Count("id"))
        .values_list("component", "n")
    )
    return [c.get_kind_display() for c in entered if counts.get(c.pk, 0) < units]


def parse_entered_score(value, unit_name):
    """A score out of 100 with at most one decimal, or None when left blank."""
    text = str(value or "").strip()
    if not text:
        return None
    try:
        number = Decimal(text)
    except (InvalidOperation, ValueError):
        raise EvaluationError(f"{unit_name}的得分“{text}”不是数字，请填写0到100之间的分数。") from None
    if not number.is_finite() or not 0 <= number <= 100:
        raise EvaluationError(f"{unit_name}的得分须在0到100分之间（百分制）。")
    if number != number.quantize(Decimal("0.1")):
        raise EvaluationError(f"{unit_name}的得分最多保留一位小数。")
    return number


def pasted_column(text, units):
    """{unit id: text} from one pasted spreadsheet column, one line a unit in
    the order the entry form lists them."""
    lines = [line.strip() for line in (text or "").strip().splitlines()]
    if len(lines) != len(units):
        raise EvaluationError(f"粘贴了{len(lines)}行分数，本次评定有{len(units)}个单位，请按表中单位顺序粘贴一列，每行一个分数。")
    return {unit.pk: line for unit, line in zip(units, lines)}


def entry_units(evaluation):
    """The units scored in `evaluation`, in the order the entry form lists them (1 query)."""
    return [s.unit for s in Score.objects.filter(evaluation=evaluation).select_related("unit").order_by("unit__sort_order", "unit__name")]


@transaction.atomic
def _score_value(entry):
    return None if entry is None else str(entry.score)


def enter_scores(*, evaluation, component, scores, by, at=None):
    """The office enters (or corrects) the scores out of 100 of an office-entered
    component, {unit id: text}, for the units of a draft evaluation; a blank
    clears the unit's score. Every value is checked before any is saved, then
    the evaluation is computed again so the points and their explanation follow."""
    at = at or timezone.now()
    evaluation = transitions.locked(Evaluation.objects.select_related("campaign").filter(pk=evaluation.pk))
    if evaluation.is_published:
        raise EvaluationError("评定结果已发布，不能再录入得分。")
    if not component.is_entered or component.scheme.campaign_id != evaluation.campaign_id:
        raise EvaluationError("该评分项不是由办公室录入得分的评分项。")
    units = entry_units(evaluation)
    parsed = {unit.pk: parse_entered_score(scores.get(unit.pk), unit.display_name) for unit in units}
    kept = EnteredScore.objects.filter(evaluation=evaluation, component=component)
    kept.filter(unit__in=[pk for pk, value in parsed.items() if value is None]).delete()
    current = {e.unit_id: e for e in kept}
    new, changed = [], []
    for unit_id, value in parsed.items():
        if value is None:
            continue
        entry = current.get(unit_id)
        if entry is None:
            new.append(EnteredScore(evaluation=evaluation, component=component, unit_id=unit_id, score=value, by=by, at=at))
        elif entry.score != value:
            entry.score, entry.by, entry.at = value, by, at
            changed.append(entry)
    EnteredScore.objects.bulk_create(new)
    EnteredScore.objects.bulk_update(changed, ["score", "by", "at"])
    names = {unit.pk: unit.display_name for unit in units}
    entered = {
        names[unit_id]: [_score_value(current.get(unit_id)), None if value is None else str(value)]
        for unit_id, value in parsed.items()
        if _score_value(current.get(unit_id)) != (None if value is None else str(value))
    }
    if entered:
        audit.record(
            action="changed",
            obj=evaluation,
            actor=by,
            at=at,
            description=f"录入{evaluation}“{component}”的得分",
            changes=entered,
        )
    return compute_evaluation(campaign=evaluation.campaign, span=evaluation.span, by=by, at=at)


def parse_points(value):
    try:
        number = Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        raise EvaluationError("加减分请填写数字，例如 2 或 -1.5。") from None
    if not number.is_finite() or number != number.quantize(Decimal("0.1")):
        raise EvaluationError("加减分最多保留一位小数，例如 2 或 -1.5。")
    if number == 0:
        raise EvaluationError("加减分不能为 0。")
    if abs(number) > 100:
        raise EvaluationError("加减分的绝对值不能超过 100 分。")
    return number


@transaction.atomic
def add_adjustment(*, score, points, reason, by, at=None):
    """The office adds (or deducts) points with a reason, while the evaluation is a draft."""
    at = at or timezone.now()
    points = parse_points(points)
    reason = required_text(reason, "请填写加减分的理由。", error=EvaluationError)
    evaluation = transitions.locked(Evaluation.objects.filter(pk=score.evaluation_id))
    if evaluation.is_published:
        raise EvaluationError("评定结果已发布，不能再加减分；如单位提出申诉，可在答复申诉时调整。")
    adjustment = ManualAdjustment.objects.create(score=score, points=points, reason=reason, by=by, at=at)
    _rerank(evaluation)
    return adjustment


def _recipients(unit_ids, roles):
    return list(
        Membership.objects.filter(unit__in=unit_ids, role__in=roles, is_active=True, user__is_active=True)
        .order_by()
        .values_list("user_id", "unit_id")
        .distinct()
    )


def notify(*, campaign, recipients, title, body, url, at):
    """One in-app notification per person (user id, unit id), with the link
    to the page after the body."""
    text = f"{body}\n\n请登录{settings.SITE_NAME}查看：{settings.SITE_URL}{url}"
    return notify_people(recipients=recipients, campaign=campaign, title=title, body=text, url=url, at=at).notifications


def _span_word(evaluation):
    return "月度" if evaluation.cadence == periods.Cadence.MONTHLY else "评定期"


@transaction.atomic
def publish_evaluation(*, evaluation, by, at=None):
    """Draft → published; each unit's liaisons are told their score and rank.
    Only a month that has ended, computed after its end, is published: a
    published evaluation cannot be computed again, so scores counting only
    part of the month would stay so."""
    at = at or timezone.now()
    scheme = None

    def prepare(evaluation):
        nonlocal scheme
        if not evaluation.month_is_over(at):
            raise EvaluationError(
                f"{evaluation.month_label}尚未结束，不能发布评定结果：发布后不能再重新计算。请在{_span_word(evaluation)}结束后重新计算，再发布。"
            )
        if evaluation.computed_before_month_end:
            raise EvaluationError(
                f"{evaluation.month_label}的得分是在{_span_word(evaluation)}结束前计算的，只计入了截至计算时的数据。请重新计算后再发布。"
            )
        scheme = scheme_of(evaluation.campaign)
        missing = _missing_entries(evaluation, scheme)
        if missing:
            raise EvaluationError(f"还有单位未录入{'、'.join(missing)}得分，请录入后再发布。")

    evaluation = transitions.transition(
        Evaluation.objects.select_related("campaign").filter(pk=evaluation.pk),
        "publish",
        by=by,
        at=at,
        refusal=EvaluationError("该月综合评定已发布。"),
        prepare=prepare,
    ).obj
    scores = {s.unit_id: s for s in Score.objects.filter(evaluation=evaluation)}
    closes = timezone.localtime(evaluation.objections_close_at(scheme))
    count = len(scores)
    campaign = evaluation.campaign
    by_unit = {}
    for user_id, unit_id in _recipients(list(scores), [Role.LIAISON]):
        by_unit.setdefault(unit_id, []).append((user_id, unit_id))
    for unit_id, people in by_unit.items():
        score = scores[unit_id]
        notify(
            campaign=campaign,
            recipients=people,
            title=f"{campaign}：{evaluation.month_label}综合评定结果已发布",
            body=(
                f"《{campaign.title}》{evaluation.month_label}综合评定结果已发布：本单位得分{scoring.figure(score.total)}分，"
                f"在{count}个单位中排名第{score.rank}。如有异议，请于{date_time_text(closes)}前提出申诉。"
            ),
            url=reverse("evaluations:score", args=[score.pk]),
            at=at,
        )
    return evaluation


@transaction.atomic
def raise_objection(*, score, text, by, at=None):
    """A unit member objects to the unit's published score, within the window,
    one open objection at a time."""
    at = at or timezone.now()
    text = (text or "").strip()
    if not Membership.objects.filter(
        user=by, unit=score.unit_id, role__in=[Role.LIAISON, Role.UNIT_HEAD], is_active=True
    ).exists():
        raise EvaluationError("只有本单位的联络员或负责人可以提出申诉。")
    evaluation = Evaluation.objects.select_related("campaign").get(pk=score.evaluation_id)
    if not evaluation.is_published:
        raise EvaluationError("评定结果发布后才能提出申诉。")
    scheme = scheme_of(evaluation.campaign)
    closes = evaluation.objections_close_at(scheme)
    if at > closes:
        raise EvaluationError(
            f"申诉期已于{date_time_text(timezone.localtime(closes))}结束（发布后{scheme.objection_days}天内），不能再提出申诉。"
        )
    if not text:
        raise EvaluationError("请填写申诉理由。")
    # Locks the score, so that two members pressing at once raise one objection.
    transitions.locked(score)
    if Objection.objects.filter(score=score, status=Objection.Status.OPEN).exists():
        raise EvaluationError("本单位已有一份待答复的申诉，请等待办公室答复后再提出。")
    objection = Objection.objects.create(score=score, text=text, raised_by=by, raised_at=at)
    campaign = evaluation.campaign
    notify(
        campaign=campaign,
        recipients=_recipients([campaign.office_unit_id], [Role.OFFICE_STAFF]),
        title=f"{campaign}：{score.unit.display_name}对{evaluation.month_label}综合评定提出申诉",
        body=f"{score.unit.display_name}提出申诉：{text}",
        url=reverse("evaluations:objections", args=[campaign.pk]),
        at=at,
    )
    return objection


@transaction.atomic
def answer_objection(*, objection, answer, by, points=None, at=None):
    """The office answers on record; optional points change the unit's total and the ranking."""
    at = at or timezone.now()
    answer = required_text(answer, "请填写答复意见。", error=EvaluationError)
    adjust = None if points in (None, "") else parse_points(points)
    objection = transitions.transition(
        Objection.objects.select_related("score__evaluation__campaign", "score__unit").filter(pk=objection.pk),
        "answer",
        by=by,
        at=at,
        comment=answer,
        refusal=EvaluationError("该申诉已答复。"),
    ).obj
    score = objection.score
    evaluation = score.evaluation
    if adjust is not None:
        ManualAdjustment.objects.create(
            score=score, points=adjust, reason=f"答复申诉：{answer}", by=by, at=at, objection=objection
        )
        _rerank(evaluation)
        score.refresh_from_db()
    event = Event(
        key=event_key(objection, "answer"),
        kind=EventKind.OBJECTION_ANSWERED,
        campaign=evaluation.campaign,
        title=f"{evaluation.campaign}：{evaluation.month_label}综合评定申诉已答复",
        body=f"办公室答复：{answer}"
        + (f"\n本单位得分调整{'+' if adjust > 0 else ''}{scoring.figure(adjust)}分，现为{scoring.figure(score.total)}分，排名第{score.rank}。" if adjust else ""),
        url=reverse("evaluations:score", args=[score.pk]),
    )
    tell(event=event, recipients=_recipients([score.unit_id], [Role.LIAISON, Role.UNIT_HEAD]), at=at)
    return objection


# The bulletin (通报)

RANKING_PLACEHOLDER = "【排名表】"


def _join(names):
    return "、".join(names)


def _sentence(text):
    """`text` without its closing full stop, so that a bracket can follow it."""
    return (text or "").strip().rstrip("。.；;，, ").strip()


def bulletin_text(*, evaluation, scores, scheme, overdue):
    """The draft's title and body from the published evaluation. Scores and
    points are written with one decimal throughout (71.0, 87.5), as in the
    ranking table."""
    score = scoring.score_figure
    campaign = evaluation.campaign
    count = len(scores)
    totals = [s.total for s in scores]
    lead = [s for s in scores if s.rank <= scheme.lead_count] if scheme.lead_count else []
    lead_ids = {s.pk for s in lead}
    lag = []
    if scheme.lag_count:
        worst_ranks = sorted({s.rank for s in scores}, reverse=True)
        for s in sorted(scores, key=lambda s: (-s.rank, s.unit.sort_order, s.unit.name)):
            if len(lag) >= scheme.lag_count:
                break
            if s.pk not in lead_ids and s.rank in worst_ranks:
                lag.append(s)
        lag.sort(key=lambda s: (s.rank, s.unit.sort_order, s.unit.name))
    source = f"《{campaign.title}》" + (f"（{campaign.document_number}）" if campaign.document_number else "")
    lines = [
        f"根据{source}要求，领导小组办公室对各责任单位{evaluation.month_label}的工作情况进行了综合评定。现将有关情况通报如下：",
        "一、总体情况",
        f"{evaluation.span.this}参加综合评定的单位共{count}个，平均得分{score(sum(totals) / count)}分，"
        f"最高{score(max(totals))}分，最低{score(min(totals))}分。各单位得分及排名如下：",
        RANKING_PLACEHOLDER,
    ]
    section = 2
    if lead:
        lines.append(f"{chinese_numeral(section)}、表扬单位")
        names = _join(f"{s.unit.name}（{score(s.total)}分）" for s in lead)
        lines.append(f"{names}{evaluation.span.this}综合评定成绩突出，位居前列，予以通报表扬。")
        section += 1
    if lag:
        lines.append(f"{chinese_numeral(section)}、排名靠后的单位")
        lines.append(f"以下单位{evaluation.span.this}综合评定排名靠后，予以通报：")
        for position, s in enumerate(lag, start=1):
            losses = scoring.breakdown_losses(s.breakdown)[:2]
            lacked = "；".join(f"{label}失{score(lost)}分" for label, lost in losses) or "无明显失分项"
            lines.append(
                f"（{chinese_numeral(position)}）{s.unit.name}，得分{score(s.total)}分，排名第{s.rank}，主要失分：{lacked}。"
            )
        section += 1
    lines.append(f"{chinese_numeral(section)}、逾期未整改问题")
    if overdue:
        lines.append(f"以下整改事项的整改期限在{evaluation.month_label}底前，至今仍未销号：")
        for position, item in enumerate(overdue, start=1):
            lines.append(
                f"（{chinese_numeral(position, up_to=10)}）{item.unit.name}：{_sentence(item.requirement)}（整改期限{item.deadline.year}年{item.deadline.month}月{item.deadline.day}日，{item.get_status_display()}）。"
            )
    else:
        lines.append(f"整改期限在{evaluation.month_label}底前的整改事项均已销号。")
    section += 1
    lines.append(f"{chinese_numeral(section)}、下步工作要求")
    lines.append(
        "各单位要对照评定结果，查找差距，及时、准确报送工作进展，按期完成整改。受到通报的单位要认真分析原因，"
        "切实加以改进。"
    )
    title = f"关于{evaluation.month_label}{campaign.short_title or campaign.title}综合评定情况的通报"
    return title, "\n".join(lines)


@transaction.atomic
def draft_bulletin(*, evaluation, at=None):
    """Write the draft bulletin of a published evaluation (once)."""
    at = at or timezone.now()
    evaluation = transitions.locked(Evaluation.objects.select_related("campaign").filter(pk=evaluation.pk))
    if not evaluation.is_published:
        raise EvaluationError("综合评定发布后才能起草通报。")
    if Bulletin.objects.filter(evaluation=evaluation).exists():
        raise EvaluationError("本月通报已起草，请在原稿上修改。")
    scheme = scheme_of(evaluation.campaign)
    scores = list(
        Score.objects.filter(evaluation=evaluation).select_related("unit").order_by("rank", "unit__sort_order", "unit__name")
    )
    # Overdue as of now, the time of drafting: past the deadline and not closed.
    overdue = list(scoring.overdue_rectifications(campaign=evaluation.campaign, span=evaluation.span, at=at))
    title, body = bulletin_text(evaluation=evaluation, scores=scores, scheme=scheme, overdue=overdue)
    return Bulletin.objects.create(
        evaluation=evaluation,
        title=title,
        number="",
        recipients="各责任单位：",
        body=body,
        ranking=[[str(s.rank), s.unit.name, scoring.score_figure(s.total)] for s in scores],
        created_at=at,
    )


@transaction.atomic
def edit_bulletin(*, bulletin, title, number, recipients, body, by=None):
    title = required_text(title, "请填写通报标题。", error=EvaluationError)
    body = required_text(body, "请填写通报正文。", error=EvaluationError)
    bulletin = transitions.locked(bulletin)
    if bulletin.is_published:
        raise EvaluationError("通报已发布，不能再修改。")
    before = {"标题": bulletin.title, "文号": bulletin.number, "主送": bulletin.recipients, "正文": bulletin.body}
    bulletin.title, bulletin.number, bulletin.recipients, bulletin.body = title, (number or "").strip(), (
        recipients or ""
    ).strip(), body
    bulletin.save(update_fields=["title", "number", "recipients", "body"])
    after = {"标题": bulletin.title, "文号": bulletin.number, "主送": bulletin.recipients, "正文": bulletin.body}
    if before != after:
        audit.record(
            action="changed",
            obj=bulletin,
            actor=by,
            campaign=bulletin.evaluation.campaign_id,
            description=f"修改通报“{bulletin.title}”",
            changes=audit_diff(before, after),
        )
    return bulletin


@transaction.atomic
def publish_bulletin(*, bulletin, by, at=None):
    """Draft → published; every unit of the campaign (liaisons and heads) is told."""
    at = at or timezone.now()
    bulletin = transitions.transition(
        Bulletin.objects.select_related("evaluation__campaign").filter(pk=bulletin.pk),
        "publish",
        by=by,
        at=at,
        refusal=EvaluationError("通报已发布。"),
    ).obj
    evaluation = bulletin.evaluation
    units = list(Score.objects.filter(evaluation=evaluation).values_list("unit_id", flat=True))
    event = Event(
        key=event_key(bulletin, "publish"),
        kind=EventKind.BULLETIN_PUBLISHED,
        campaign=evaluation.campaign,
        title=f"通报：{bulletin.title}",
        body=f"领导小组办公室印发《{bulletin.title}》{('（' + bulletin.number + '）') if bulletin.number else ''}，请认真学习，对照改进。",
        url=reverse("evaluations:bulletin", args=[bulletin.pk]),
    )
    tell(event=event, recipients=_recipients(units, [Role.LIAISON, Role.UNIT_HEAD]), at=at)
    return bulletin


def bulletin_document(bulletin, *, issuer):
    """The bulletin as core.official blocks: 一、 lines are level-1
    headings, （一） lines level-2, others paragraphs; the ranking table
    stands where 【排名表】 is, or at the end when that line was removed."""
    table = Table(header=RANKING_HEADER, rows=bulletin.ranking)
    blocks, placed = [], False
    for raw in bulletin.body.splitlines():
        line = raw.strip()
        if not line:
            continue
        if line == RANKING_PLACEHOLDER:
            blocks.append(table)
            placed = True
        elif len(line) > 1 and line[0] in ONE_TO_TEN and line[1] == "、":
            blocks.append(Heading(line, level=1))
        elif line.startswith("（") and len(line) > 2 and line[1] in ONE_TO_TEN and "）" in line[2:4]:
            blocks.append(Heading(line, level=2))
        else:
            blocks.append(Paragraph(line))
    if not placed:
        blocks += [Paragraph("附件：综合评定排名表"), table]
    issued = timezone.localdate(bulletin.published_at) if bulletin.published_at else timezone.localdate()
    return OfficialDocument(
        title=bulletin.title,
        number=bulletin.number,
        recipients=bulletin.recipients,
        issuer=issuer,
        issued_on=issued,
        blocks=blocks,
    )


def render_bulletin(bulletin):
    return render_docx(bulletin_document(bulletin, issuer=issuer_of(bulletin.evaluation.campaign)))


def issuer_of(campaign):
    """发文机关署名: the leading group's office, named after the issuing unit
    and the campaign (管城回族区卫生和计划生育委员会文明执法素养提升三年行动领导小组办公室),
    never the section the office sits in."""
    return campaign.leading_group_office

