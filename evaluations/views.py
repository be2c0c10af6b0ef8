"""The evaluation pages: the office computes, adjusts and publishes, answers
objections and writes the bulletin; leaders read; units see their own score
and the published ranking, and object.

Objects come through `evaluations.access`: one the user may not see is a 404;
one they may see but not act on (a leader, a unit) is a 403.
"""

import io

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

import audit
from campaigns import access as roles

from . import access, periods, selectors, services
from .forms import (
    AdjustmentForm,
    AnswerForm,
    BulletinForm,
    ComputeForm,
    EnteredScoresForm,
    ObjectionForm,
    first_error,
    last_complete_month,
)
from .models import Objection, ScoringComponent

NAV = "evaluations"


def _error(request, error):
    messages.error(request, error.message)


@login_required
def index(request):
    campaigns = list(access.evaluation_campaigns(request.user).order_by("-starts_on", "title"))
    if not campaigns:
        raise Http404("您没有可查看的创建活动。")
    if len(campaigns) == 1:
        return redirect("evaluations:list", campaign_id=campaigns[0].pk)
    return render(request, "evaluations/index.html", {"campaigns": campaigns, "nav_active": NAV})


@login_required
def evaluation_list(request, campaign_id):
    campaign = get_object_or_404(access.evaluation_campaigns(request.user), pk=campaign_id)
    evaluations = selectors.campaign_evaluations(user=request.user, campaign=campaign)
    may_evaluate = access.may_evaluate(request.user, campaign)
    oversees = roles.overseen_campaigns(request.user).filter(pk=campaign.pk).exists()
    own = selectors.own_scores_by_evaluation(user=request.user, evaluations=evaluations)
    for evaluation in evaluations:
        evaluation.own = own.get(evaluation.pk, [])
        bulletin = getattr(evaluation, "bulletin", None)  # RelatedObjectDoesNotExist is an AttributeError
        evaluation.shown_bulletin = bulletin if bulletin and (oversees or bulletin.is_published) else None
    form = None
    scheme = selectors.scheme(campaign)
    if may_evaluate:
        spans = _spans(campaign, scheme)
        form = ComputeForm(initial={"month": last_complete_month(timezone.localdate())}, spans=spans)
    return render(
        request,
        "evaluations/list.html",
        {
            "campaign": campaign,
            "evaluations": evaluations,
            "may_evaluate": may_evaluate,
            "oversees": oversees,
            "scheme": scheme,
            "form": form,
            "nav_active": NAV,
        },
    )


def _spans(campaign, scheme):
    """The spans the office may evaluate, or None when the scheme evaluates by month."""
    if scheme is None or scheme.cadence == periods.Cadence.MONTHLY:
        return None
    return periods.spans_of(campaign=campaign, cadence=scheme.cadence, today=timezone.localdate())


@login_required
@require_POST
def compute(request, campaign_id):
    campaign = get_object_or_404(access.evaluation_campaigns(request.user), pk=campaign_id)
    if not access.may_evaluate(request.user, campaign):
        raise PermissionDenied("只有领导小组办公室可以计算综合评定。")
    # A quarter, year or phase (the scheme's, or the one a draft was computed for) is posted as `period`.
    span = None
    if request.POST.get("period"):
        span = periods.span_of_key(campaign=campaign, key=request.POST["period"], today=timezone.localdate())
        if span is None:
            messages.error(request, "请选择要评定的评定期。")
            return redirect("evaluations:list", campaign_id=campaign.pk)
    form = ComputeForm(request.POST, spans=[span] if span else None)
    if not form.is_valid():
        messages.error(request, first_error(form))
        return redirect("evaluations:list", campaign_id=campaign.pk)
    try:
        evaluation = services.compute_evaluation(
            campaign=campaign, month=form.cleaned_data["month"], span=span, by=request.user
        )
    except services.EvaluationError as error:
        _error(request, error)
        return redirect("evaluations:list", campaign_id=campaign.pk)
    messages.success(request, f"已计算{evaluation.month_label}各单位得分。")
    return redirect("evaluations:detail", pk=evaluation.pk)


@login_required
def detail(request, pk):
    evaluation = get_object_or_404(access.visible_evaluations(request.user).select_related("campaign"), pk=pk)
    campaign = evaluation.campaign
    oversees = roles.overseen_campaigns(request.user).filter(pk=campaign.pk).exists()
    own_units = set(roles.unit_ids(request.user, roles.Role.LIAISON, roles.Role.UNIT_HEAD))
    month_over = evaluation.month_is_over()
    components = selectors.components(campaign)
    return render(
        request,
        "evaluations/detail.html",
        {
            "evaluation": evaluation,
            "campaign": campaign,
            "scores": selectors.ranking(evaluation),
            "components": components,
            "entered_components": [c for c in components if c.is_entered],
            "may_evaluate": access.may_evaluate(request.user, campaign),
            "oversees": oversees,
            "own_units": own_units,
            "bulletin": selectors.bulletin_of(evaluation),
            # A draft of a month not over, or computed before its end, is not
            # published (services.publish_evaluation says why).
            "month_over": month_over,
            "publishable": month_over and not evaluation.computed_before_month_end,
            "nav_active": NAV,
        },
    )


@login_required
def entered_scores(request, pk, component_id):
    """The office types (or pastes) each unit's score of a component it scores itself."""
    evaluation = get_object_or_404(access.visible_evaluations(request.user).select_related("campaign"), pk=pk)
    if not access.office_evaluations(request.user).filter(pk=pk).exists():
        raise PermissionDenied("只有领导小组办公室可以录入得分。")
    component = get_object_or_404(
        ScoringComponent.objects.filter(scheme__campaign=evaluation.campaign_id, kind__in=ScoringComponent.ENTERED),
        pk=component_id,
    )
    units = services.entry_units(evaluation)
    form = EnteredScoresForm(
        request.POST or None, units=units, current=selectors.entered_scores(evaluation=evaluation, component=component)
    )
    if request.method == "POST" and form.is_valid():
        try:
            scores = form.scores()
            if form.cleaned_data["paste"].strip():
                scores = services.pasted_column(form.cleaned_data["paste"], units)
            services.enter_scores(evaluation=evaluation, component=component, scores=scores, by=request.user)
        except services.EvaluationError as error:
            _error(request, error)
        else:
            messages.success(request, f"已保存{component.get_kind_display()}得分，并重新计算了各单位得分。")
            return redirect("evaluations:detail", pk=pk)
    return render(
        request,
        "evaluations/entered_scores.html",
        {
            "evaluation": evaluation,
            "campaign": evaluation.campaign,
            "component": component,
            "form": form,
            "published": evaluation.is_published,
            "nav_active": NAV,
        },
    )


@login_required
@require_POST
def publish(request, pk):
    evaluation = get_object_or_404(access.visible_evaluations(request.user), pk=pk)
    if not access.office_evaluations(request.user).filter(pk=pk).exists():
        raise PermissionDenied("只有领导小组办公室可以发布综合评定结果。")
    try:
        services.publish_evaluation(evaluation=evaluation, by=request.user)
    except services.EvaluationError as error:
        _error(request, error)
    else:
        messages.success(request, "评定结果已发布，已通知各单位联络员。")
    return redirect("evaluations:detail", pk=pk)


@login_required
def score(request, pk):
    score = get_object_or_404(
        access.visible_scores(request.user).select_related("unit", "evaluation__campaign"), pk=pk
    )
    evaluation = score.evaluation
    campaign = evaluation.campaign
    may_evaluate = access.may_evaluate(request.user, campaign)
    is_own = access.own_scores(request.user).filter(pk=score.pk).exists()
    scheme = selectors.scheme(campaign)
    closes = evaluation.objections_close_at(scheme) if scheme else None
    page = selectors.score_page(score)
    has_open = any(o.status == Objection.Status.OPEN for o in page["objections"])
    return render(
        request,
        "evaluations/score.html",
        {
            "score": score,
            "evaluation": evaluation,
            "campaign": campaign,
            **page,
            "may_adjust": may_evaluate and not evaluation.is_published,
            "may_object": is_own and closes is not None and timezone.now() <= closes and not has_open,
            "is_own": is_own,
            "objections_close_at": closes,
            "adjust_form": AdjustmentForm(),
            "objection_form": ObjectionForm(),
            "nav_active": NAV,
        },
    )


@login_required
@require_POST
def adjust(request, pk):
    score = get_object_or_404(access.visible_scores(request.user), pk=pk)
    if not access.office_evaluations(request.user).filter(pk=score.evaluation_id).exists():
        raise PermissionDenied("只有领导小组办公室可以加减分。")
    form = AdjustmentForm(request.POST)
    if not form.is_valid():
        messages.error(request, first_error(form))
        return redirect("evaluations:score", pk=pk)
    try:
        services.add_adjustment(score=score, by=request.user, **form.cleaned_data)
    except services.EvaluationError as error:
        _error(request, error)
    else:
        messages.success(request, "已记录加减分，总分和排名已更新。")
    return redirect("evaluations:score", pk=pk)


@login_required
@require_POST
def raise_objection(request, pk):
    # Only the unit's own people object; anyone else is refused like a stranger.
    score = get_object_or_404(access.own_scores(request.user).select_related("unit"), pk=pk)
    form = ObjectionForm(request.POST)
    if not form.is_valid():
        messages.error(request, first_error(form))
        return redirect("evaluations:score", pk=pk)
    try:
        services.raise_objection(score=score, text=form.cleaned_data["text"], by=request.user)
    except services.EvaluationError as error:
        _error(request, error)
    else:
        messages.success(request, "申诉已提交，领导小组办公室答复后会通知您。")
    return redirect("evaluations:score", pk=pk)


@login_required
def objections(request, campaign_id):
    campaign = get_object_or_404(access.objection_campaigns(request.user), pk=campaign_id)
    return render(
        request,
        "evaluations/objections.html",
        {
            "campaign": campaign,
            "objections": selectors.campaign_objections(campaign=campaign),
            "may_answer": access.may_evaluate(request.user, campaign),
            "answer_form": AnswerForm(),
            "nav_active": NAV,
        },
    )


@login_required
@require_POST
def answer_objection(request, pk):
    objection = get_object_or_404(access.visible_objections(request.user), pk=pk)
    if not access.office_objections(request.user).filter(pk=pk).exists():
        raise PermissionDenied("只有领导小组办公室可以答复申诉。")
    campaign_id = objection.score.evaluation.campaign_id
    form = AnswerForm(request.POST)
    if not form.is_valid():
        messages.error(request, first_error(form))
        return redirect("evaluations:objections", campaign_id=campaign_id)
    try:
        services.answer_objection(
            objection=objection, answer=form.cleaned_data["answer"], points=form.cleaned_data["points"], by=request.user
        )
    except services.EvaluationError as error:
        _error(request, error)
    else:
        messages.success(request, "已答复申诉，并通知了该单位。")
    return redirect("evaluations:objections", campaign_id=campaign_id)


# The bulletin (通报)


@login_required
@require_POST
def bulletin_draft(request, pk):
    evaluation = get_object_or_404(access.visible_evaluations(request.user), pk=pk)
    if not access.office_evaluations(request.user).filter(pk=pk).exists():
        raise PermissionDenied("只有领导小组办公室可以起草通报。")
    try:
        bulletin = services.draft_bulletin(evaluation=evaluation)
    except services.EvaluationError as error:
        _error(request, error)
        return redirect("evaluations:detail", pk=pk)
    messages.success(request, "已生成通报初稿，请修改后发布。")
    return redirect("evaluations:bulletin", pk=bulletin.pk)


@login_required
def bulletin(request, pk):
    bulletin = get_object_or_404(
        access.visible_bulletins(request.user).select_related("evaluation__campaign", "published_by"), pk=pk
    )
    may_edit = access.office_bulletins(request.user).filter(pk=pk).exists()
    form = None
    if request.method == "POST":
        if not may_edit:
            raise PermissionDenied("只有领导小组办公室可以修改通报。")
        form = BulletinForm(request.POST)
        if form.is_valid():
            try:
                services.edit_bulletin(bulletin=bulletin, by=request.user, **form.cleaned_data)
            except services.EvaluationError as error:
                _error(request, error)
            else:
                messages.success(request, "通报已保存。")
                return redirect("evaluations:bulletin", pk=pk)
        else:
            messages.error(request, "通报没有保存：" + first_error(form))
    elif may_edit and not bulletin.is_published:
        form = BulletinForm(
            initial={"title": bulletin.title, "number": bulletin.number, "recipients": bulletin.recipients, "body": bulletin.body}
        )
    return render(
        request,
        "evaluations/bulletin.html",
        {
            "bulletin": bulletin,
            "evaluation": bulletin.evaluation,
            "campaign": bulletin.evaluation.campaign,
            "form": form if may_edit and not bulletin.is_published else None,
            "may_edit": may_edit,
            "paragraphs": [line for line in bulletin.body.splitlines() if line.strip()],
            "placeholder": services.RANKING_PLACEHOLDER,
            "nav_active": NAV,
        },
    )


@login_required
@require_POST
def bulletin_publish(request, pk):
    bulletin = get_object_or_404(access.visible_bulletins(request.user), pk=pk)
    if not access.office_bulletins(request.user).filter(pk=pk).exists():
        raise PermissionDenied("只有领导小组办公室可以发布通报。")
    try:
        services.publish_bulletin(bulletin=bulletin, by=request.user)
    except services.EvaluationError as error:
        _error(request, error)
    else:
        messages.success(request, "通报已发布，已通知各单位联络员和负责人。")
    return redirect("evaluations:bulletin", pk=pk)


@login_required
def bulletin_download(request, pk):
    bulletin = get_object_or_404(
        access.visible_bulletins(request.user).select_related("evaluation__campaign__office_unit", "evaluation__campaign__issuing_unit"), pk=pk
    )
    audit.downloaded(request, bulletin, filename=bulletin.download_name, campaign=bulletin.evaluation.campaign_id)
    return FileResponse(
        io.BytesIO(services.render_bulletin(bulletin)),
        as_attachment=True,
        filename=bulletin.download_name,
        content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    )
