"""Monthly evaluation (综合评定), objections (申诉) and bulletins (通报).

The office computes, adjusts and publishes; leaders read everything; a unit
sees the published evaluations it was scored in (the ranking, as the
bulletin names everyone), but only its own breakdown and objections.
"""

from django.db.models import Q

from assessments.models import Site
from campaigns.access import Role, office_campaigns, overseen_campaigns, unit_ids
from campaigns.models import Campaign
from reports.access import involved_campaigns
from supervision.models import RectificationItem

from .models import Bulletin, Evaluation, Objection, Score


def evaluation_campaigns(user):
    """Campaigns whose evaluations the user may open: the office's and the
    leaders' campaigns, those the user's units report to, and those that
    assess the units without reports (a civilised-city campaign: the units'
    sites and rectification items), whose scores can count them too."""
    involved = involved_campaigns(user)
    if not user.is_authenticated or user.is_superuser:
        return involved
    units = unit_ids(user, Role.LIAISON, Role.UNIT_HEAD)
    return Campaign.objects.filter(
        Q(pk__in=involved.values("id"))
        | Q(pk__in=Site.objects.filter(unit__in=units).values("campaign"))
        | Q(pk__in=RectificationItem.objects.filter(unit__in=units).values("campaign"))
    )


def visible_evaluations(user):
    if not user.is_authenticated:
        return Evaluation.objects.none()
    if user.is_superuser:
        return Evaluation.objects.all()
    own = Evaluation.objects.filter(
        status=Evaluation.Status.PUBLISHED, scores__unit__in=unit_ids(user, Role.LIAISON, Role.UNIT_HEAD)
    ).values("id")
    return Evaluation.objects.filter(Q(campaign__in=overseen_campaigns(user).values("id")) | Q(pk__in=own))


def office_evaluations(user):
    """Evaluations the user computes, adjusts and publishes."""
    if not user.is_authenticated:
        return Evaluation.objects.none()
    return Evaluation.objects.filter(campaign__in=office_campaigns(user).values("id"))


def may_evaluate(user, campaign):
    return user.is_authenticated and office_campaigns(user).filter(pk=campaign.pk).exists()


def visible_scores(user):
    """Every score for the office and leaders; a unit's own, once published."""
    if not user.is_authenticated:
        return Score.objects.none()
    if user.is_superuser:
        return Score.objects.all()
    return Score.objects.filter(
        Q(evaluation__campaign__in=overseen_campaigns(user).values("id"))
        | Q(
            evaluation__status=Evaluation.Status.PUBLISHED,
            unit__in=unit_ids(user, Role.LIAISON, Role.UNIT_HEAD),
        )
    )


def own_scores(user):
    """Scores the user may object to: the own units' published scores."""
    if not user.is_authenticated:
        return Score.objects.none()
    return Score.objects.filter(
        evaluation__status=Evaluation.Status.PUBLISHED, unit__in=unit_ids(user, Role.LIAISON, Role.UNIT_HEAD)
    )


def visible_objections(user):
    return Objection.objects.filter(score__in=visible_scores(user).values("id"))


def office_objections(user):
    return Objection.objects.filter(score__evaluation__in=office_evaluations(user).values("id"))


def visible_bulletins(user):
    """Drafts for the office and leaders; published bulletins for the units scored."""
    if not user.is_authenticated:
        return Bulletin.objects.none()
    if user.is_superuser:
        return Bulletin.objects.all()
    return Bulletin.objects.filter(
        Q(evaluation__campaign__in=overseen_campaigns(user).values("id"))
        | Q(status=Bulletin.Status.PUBLISHED, evaluation__in=visible_evaluations(user).values("id"))
    )


def office_bulletins(user):
    return Bulletin.objects.filter(evaluation__in=office_evaluations(user).values("id"))


def objection_campaigns(user):
    """Campaigns whose list of objections the user may open: the office's and the leaders'."""
    return overseen_campaigns(user)
