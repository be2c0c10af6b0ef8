"""What the assessment pages read, in a fixed number of queries."""

from collections import defaultdict

from django.db.models import Count, Prefetch, Q

from . import scoring
from .models import AssessmentContent, AssessmentItem, AssessmentSystem, MockAssessment, Observation, Site, SiteType, Standard


def current_system(campaign):
    return AssessmentSystem.objects.filter(campaign=campaign, is_current=True).first()


def system_tree(system, *, unassigned=False, unit=None):
    """The system's items with their contents and standards (lead unit, co-units,
    site types), 5 queries whatever its size. `unassigned`: only the standards
    without a lead unit (未分解); `unit`: only those the unit leads or co-leads."""
    standards = Standard.objects.select_related("lead_unit").prefetch_related("co_units", "site_types").order_by("position")
    if unassigned:
        standards = standards.filter(lead_unit__isnull=True)
    if unit is not None:
        standards = standards.filter(Q(lead_unit=unit) | Q(pk__in=Standard.co_units.through.objects.filter(unit=unit).values("standard")))
    contents = AssessmentContent.objects.prefetch_related(Prefetch("standards", queryset=standards)).order_by("position")
    return list(
        AssessmentItem.objects.filter(system=system)
        .prefetch_related(Prefetch("contents", queryset=contents))
        .order_by("position")
    )


def editions(campaign):
    return list(
        AssessmentSystem.objects.filter(campaign=campaign).annotate(standard_count=Count("standards")).order_by("-created_at")
    )


def site_types(campaign):
    """The campaign's site types with how many sites each has (1 query)."""
    return list(SiteType.objects.filter(campaign=campaign).annotate(site_count=Count("sites")).order_by("name"))


def sites(campaign, *, site_type=None):
    rows = Site.objects.filter(campaign=campaign).select_related("site_type", "unit").order_by("site_type__name", "name")
    if site_type is not None:
        rows = rows.filter(site_type=site_type)
    return rows


def assessed_unit_ids(campaign):
    """The units the campaign's assessment concerns, 1 query: the lead and
    co-units of its current system's standards and the units answering for
    its sites (active or not: a retired site may have been sampled)."""
    standards = Standard.objects.filter(system__campaign=campaign, system__is_current=True)
    leads = standards.filter(lead_unit__isnull=False).values_list("lead_unit_id", flat=True).order_by()
    co = Standard.co_units.through.objects.filter(standard__in=standards).values_list("unit_id", flat=True).order_by()
    site_units = Site.objects.filter(campaign=campaign).values_list("unit_id", flat=True).order_by()
    return set(leads.union(co, site_units))


def unit_rates(*, campaign, start, until):
    """{unit id: (pooled scoring.Rate, how many assessments sampled the unit)}
    over the campaign's mock assessments closed in [start, until), 1 query.

    Each assessment's rate per unit is `scoring.rates_by` (weighted by 分值 when
    its system is), and a unit's rates are pooled over the assessments
    (`scoring.pooled`: earned over available, summed). Re-checks (`Recheck`)
    are not observations and never count. A unit none of whose sampled sites
    had an applicable observation is absent."""
    rows = Observation.objects.filter(
        sampled_site__assessment__campaign=campaign,
        sampled_site__assessment__status=MockAssessment.Status.CLOSED,
        sampled_site__assessment__closed_at__gte=start,
        sampled_site__assessment__closed_at__lt=until,
    ).values_list(
        "sampled_site__assessment_id",
        "sampled_site__assessment__system__weighted",
        "standard_id",
        "standard__score",
        "result",
        "sampled_site__site__unit_id",
    )
    observed, weighted, weights = defaultdict(list), {}, {}
    for assessment_id, is_weighted, standard_id, score, result, unit_id in rows:
        observed[assessment_id].append(scoring.Observation(standard=standard_id, result=result, unit=unit_id))
        weighted[assessment_id] = is_weighted
        weights[standard_id] = score
    per_unit = defaultdict(list)
    for assessment_id, observations in observed.items():
        by_unit = scoring.rates_by(
            observations, lambda o: o.unit, weights=weights if weighted[assessment_id] else None
        )
        for unit_id, rate in by_unit.items():
            per_unit[unit_id].append(rate)
    return {unit_id: (scoring.pooled(rates), len(rates)) for unit_id, rates in per_unit.items()}
