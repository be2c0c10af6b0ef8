"""What the campaign dashboard is narrowed to: the reporting rule, the phase,
a date range and a unit, within the units the user may see."""

import datetime
from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Q, Sum

from campaigns.models import Phase, Unit
from reports.models import Period, Report, ReportingRule, ReportTally

WHOLE_CAMPAIGN = "none"  # the phase filter's value for tasks with no phase (贯穿全程)
# Up to this many units the unit filter is a list to pick from. A city-scale
# campaign's thousands are found by typing part of a name instead: a list of
# 3,000 is no use to the clerk, and reading and drawing it was a third of the
# dashboard's cost (issue 19).
UNIT_LIST_LIMIT = 300
# How many units a name search offers to choose from.
UNIT_MATCHES_SHOWN = 10


@dataclass
class Filters:
    """What the dashboard is narrowed to; see forms.DashboardFilterForm."""

    rule: object = None
    phase: object = None  # a Phase, WHOLE_CAMPAIGN, or None for every phase
    start: datetime.date = None
    end: datetime.date = None
    unit: object = None
    older: int = 0  # how many windows back from the latest periods
    page: object = 1

    def unit_ids(self, scope):
        """The scope's unit ids narrowed to the chosen unit (None = every unit)."""
        if self.unit is None:
            return scope
        if scope is not None and self.unit.pk not in scope:
            return set()
        return {self.unit.pk}

    def date_range(self):
        """(first day, last day) the periods must overlap, from the range and the phase's dates."""
        start, end = self.start, self.end
        if isinstance(self.phase, Phase) and not self.phase.spans_whole_campaign:
            if self.phase.starts_on and (start is None or self.phase.starts_on > start):
                start = self.phase.starts_on
            if self.phase.ends_on and (end is None or self.phase.ends_on < end):
                end = self.phase.ends_on
        return start, end


def in_phase(phase_id, phase):
    if phase is None:
        return True
    if phase == WHOLE_CAMPAIGN:
        return phase_id is None
    return phase_id == phase.pk


def scoped_reports(*, campaign, unit_ids):
    """The campaign's reports, of `unit_ids` only unless None."""
    reports = Report.objects.filter(period__rule__campaign=campaign)
    if unit_ids is not None:
        reports = reports.filter(unit__in=unit_ids)
    return reports.order_by()


def _owing_units(*, campaign, unit_ids):
    # EXISTS per unit is a probe of the report index for each of a few hundred
    # units, where IN (reports) would read the campaign's every report.
    owing = scoped_reports(campaign=campaign, unit_ids=unit_ids).filter(unit=OuterRef("pk"))
    return Unit.objects.filter(Exists(owing)).order_by("sort_order", "name")


def _largest_period(campaign):
    """How many reports the campaign's largest period has (its tallies)."""
    sizes = (
        ReportTally.objects.filter(campaign=campaign)
        .values("period")
        .annotate(size=Sum("reports") + Sum("exempt"))
        .order_by("-size")
        .values_list("size", flat=True)
    )
    return next(iter(sizes[:1]), 0)


def scope_units(*, campaign, unit_ids, limit=None):
    """The units that owe reports in the campaign (and are in scope); None
    when there are more than `limit` of them, found out by probing `limit` + 1
    units, never all of them."""
    units = _owing_units(campaign=campaign, unit_ids=unit_ids)
    if limit is not None:
        if unit_ids is None and _largest_period(campaign) > limit:
            # A period's reports are each of a different unit: past the
            # limit, known from the tallies without probing every unit of
            # the database (each probe of a unit of another campaign reads
            # that unit's reports: 160 ms beside a 1,000-unit campaign).
            return None
        ids = list(units.order_by().values_list("pk", flat=True)[: limit + 1])
        if len(ids) > limit:
            return None
        units = Unit.objects.filter(pk__in=ids).order_by("sort_order", "name")
    return list(units)


def find_units(*, campaign, unit_ids, text=None, pk=None):
    """The units in scope owing reports whose name or short name contains
    `text`, or the one with `pk`: at most UNIT_MATCHES_SHOWN + 1 (so that the
    page can say there are more), a name matching exactly first."""
    units = _owing_units(campaign=campaign, unit_ids=unit_ids)
    if pk is not None:
        return list(units.filter(pk=pk)[:1])
    text = (text or "").strip()
    if not text:
        return []
    found = list(units.filter(Q(name__icontains=text) | Q(short_name__icontains=text))[: UNIT_MATCHES_SHOWN + 1])
    return sorted(found, key=lambda unit: text not in (unit.name, unit.short_name))


def filtered_periods(*, rule, filters):
    """The rule's periods in the filters' date range, the latest first."""
    periods = Period.objects.filter(rule=rule)
    start, end = filters.date_range()
    if start:
        periods = periods.filter(ends_on__gte=start)
    if end:
        periods = periods.filter(starts_on__lte=end)
    return list(periods.order_by("-starts_on").only("pk", "number", "label", "starts_on", "ends_on", "due_at"))


def campaign_rules(campaign):
    """The campaign's reporting rules, weekly ones first: the dashboard opens
    on the first (the office's weekly rhythm)."""
    return sorted(
        ReportingRule.objects.filter(campaign=campaign), key=lambda r: (r.cadence != ReportingRule.Cadence.WEEKLY, r.name)
    )


def default_filters(campaign):
    """The filters of the dashboard opened without any: its first rule,
    every phase and unit."""
    rules = campaign_rules(campaign)
    return Filters(rule=rules[0] if rules else None)
