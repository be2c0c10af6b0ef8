"""What the assessment pages read, in a fixed number of queries."""

from django.db.models import Count, Prefetch, Q

from .models import AssessmentContent, AssessmentItem, AssessmentSystem, Site, SiteType, Standard


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
