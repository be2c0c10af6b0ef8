"""The demo campaign's monthly evaluation: a scheme with all six components;
the month before last computed, adjusted once and published, with one
objection waiting for the office's answer; and last month computed as a
draft, for the office to adjust and publish (as a clerk does in the first
days of a month). With a single month to evaluate, it is the published one;
when only the current month has periods due, it is computed and adjusted
but left a draft: a month that has not ended is not published
(services.publish_evaluation)."""

import datetime
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from campaigns.models import Membership
from core.dates import month_bounds
from evaluations import services
from evaluations.models import Evaluation, ScoringComponent, ScoringScheme
from reports.models import Period

Kind = ScoringComponent.Kind

DEMO_COMPONENTS = [
    (Kind.SUBMISSION_RATE, Decimal(25), Decimal(0)),
    (Kind.ON_TIME_RATE, Decimal(20), Decimal(0)),
    (Kind.RETURNED_REPORTS, Decimal(10), Decimal(2)),
    (Kind.TASK_PROGRESS, Decimal(15), Decimal(0)),
    (Kind.INSPECTION_SCORE, Decimal(15), Decimal(0)),
    (Kind.RECTIFICATION_ON_TIME, Decimal(15), Decimal(0)),
]


def demo_month(*, campaign, now):
    """The last complete month with periods due, or None."""
    today = timezone.localdate(now)
    month = (today.replace(day=1) - datetime.timedelta(days=1)).replace(day=1)
    for candidate in (month, today.replace(day=1)):
        start, end = month_bounds(candidate)
        if Period.objects.filter(rule__campaign=campaign, due_at__gte=start, due_at__lt=min(end, now)).exists():
            return candidate
    return None


@transaction.atomic
def seed_evaluation(*, campaign, office_user, now):
    """Load the demo evaluation once; returns it, or None when the campaign
    has no month to evaluate yet."""
    scheme, created = ScoringScheme.objects.get_or_create(
        campaign=campaign,
        defaults={
            "objection_days": 5,
            "lead_count": 2,
            "lag_count": 2,
            "notes": "报送率、按时报送率、退回次数、任务进度取自各单位报送；督导检查得分、整改按期销号率取自督导检查和整改台账。",
        },
    )
    if created:
        for position, (kind, weight, deduction) in enumerate(DEMO_COMPONENTS):
            ScoringComponent.objects.create(scheme=scheme, kind=kind, weight=weight, deduction=deduction, position=position)
    month = demo_month(campaign=campaign, now=now)
    if month is None or Evaluation.objects.filter(campaign=campaign, month=month).exists():
        return None
    earlier = (month - datetime.timedelta(days=1)).replace(day=1)
    start, end = month_bounds(earlier)
    if month < timezone.localdate(now).replace(day=1) and Period.objects.filter(
        rule__campaign=campaign, due_at__gte=start, due_at__lt=end
    ).exists():
        # Last month waits for the office as a draft; the one before is the published example.
        services.compute_evaluation(campaign=campaign, month=month, by=office_user, at=now - datetime.timedelta(hours=1))
        month = earlier
    computed_at = now - datetime.timedelta(hours=3)
    evaluation = services.compute_evaluation(campaign=campaign, month=month, by=office_user, at=computed_at)
    scores = list(evaluation.scores.select_related("unit").order_by("rank", "unit__sort_order"))
    services.add_adjustment(
        score=scores[0],
        points="2",
        reason="承办全区文明执法现场推进会，经验做法被市卫生计生委转发。",
        by=office_user,
        at=computed_at + datetime.timedelta(minutes=20),
    )
    if not evaluation.month_is_over(computed_at):
        return evaluation
    published_at = now - datetime.timedelta(hours=2)
    evaluation = services.publish_evaluation(evaluation=evaluation, by=office_user, at=published_at)
    last = evaluation.scores.select_related("unit").order_by("-rank", "unit__sort_order").first()
    liaison = (
        Membership.objects.filter(unit=last.unit, role=Membership.Role.LIAISON, is_active=True)
        .select_related("user")
        .first()
    )
    if liaison is not None:
        services.raise_objection(
            score=last,
            text="本单位当月有一期周报因单位网络故障推迟报送，已于截止当日电话向办公室报备，请予核实并调整按时报送率得分。",
            by=liaison.user,
            at=published_at + datetime.timedelta(hours=1),
        )
    return evaluation
