"""Reads for the evaluation pages, each in a fixed number of queries."""

from django.db.models import Count, Q

from . import access
from .models import Bulletin, EnteredScore, Objection, Score, ScoringComponent, ScoringScheme


def campaign_evaluations(*, user, campaign):
    """The evaluations of `campaign` the user may open, latest month first,
    with their number of scores and open objections (1 query)."""
    return list(
        access.visible_evaluations(user)
        .filter(campaign=campaign)
        .annotate(
            units=Count("scores", distinct=True),
            open_objections=Count("scores__objections", filter=Q(scores__objections__status="open"), distinct=True),
        )
        .select_related("bulletin")
        .order_by("-month")
    )


def own_scores_by_evaluation(*, user, evaluations):
    """{evaluation id: the user's units' scores} (1 query)."""
    rows = {}
    for score in access.own_scores(user).filter(evaluation__in=[e.pk for e in evaluations]).select_related("unit"):
        rows.setdefault(score.evaluation_id, []).append(score)
    return rows


def components(campaign):
    return list(ScoringComponent.objects.filter(scheme__campaign=campaign).order_by("position", "pk"))


def scheme(campaign):
    return ScoringScheme.objects.filter(campaign=campaign).first()


def ranking(evaluation):
    """The evaluation's scores by rank, with each unit's open objections (1 query)."""
    return list(
        Score.objects.filter(evaluation=evaluation)
        .select_related("unit")
        .annotate(open_objections=Count("objections", filter=Q(objections__status=Objection.Status.OPEN)))
        .order_by("rank", "unit__sort_order", "unit__name")
    )


def bulletin_of(evaluation):
    return Bulletin.objects.filter(evaluation=evaluation).first()


def score_page(score):
    """The score's manual points and objections (2 queries)."""
    return {
        "adjustments": list(score.adjustments.select_related("by").order_by("at", "pk")),
        "objections": list(score.objections.select_related("raised_by", "answered_by").order_by("-raised_at", "-pk")),
    }


def campaign_objections(*, campaign, status=None):
    objections = Objection.objects.filter(score__evaluation__campaign=campaign)
    if status:
        objections = objections.filter(status=status)
    return list(
        objections.select_related("score__unit", "score__evaluation", "raised_by", "answered_by").order_by(
            "status", "-raised_at", "-pk"
        )
    )



def entered_scores(*, evaluation, component):
    """{unit id: score out of 100} the office entered for `component` (1 query)."""
    return dict(EnteredScore.objects.filter(evaluation=evaluation, component=component).values_list("unit_id", "score"))
