"""What a mock assessment (模拟测评) found, read once for its results workbook
and its bulletin draft: the sampled sites, the standards, every observation
with its rectification item once closed, and the 得分率 (scoring.py).

Three queries whatever the number of sites, standards and observations."""

from collections import Counter
from dataclasses import dataclass, field

from supervision.models import RectificationItem

from . import scoring
from .models import Observation, SampledSite, Standard

RECTIFICATION_STATUS = dict(RectificationItem.Status.choices)


@dataclass(frozen=True)
class Problem:
    """One 不达标: where, against which standard, what is wrong, and its item."""

    site: str
    site_type: str
    unit_id: int
    unit: str
    standard: str
    note: str
    observer: str
    observed_at: object
    deadline: object = None  # the rectification item's, once the assessment is closed
    status: str = ""  # the rectification item's, in Chinese


@dataclass
class Named:
    """A group's name with its Rate, for the tables."""

    name: str
    rate: scoring.Rate


@dataclass
class Outcome:
    assessment: object
    sampled: list  # SampledSite with site, site type, unit, observer
    standards: list  # Standard with content and item, in the system's order, with .rate (or None)
    results: scoring.Results
    by_item: list = field(default_factory=list)  # Named, in the system's order
    by_unit: list = field(default_factory=list)  # Named, by name
    by_site_type: list = field(default_factory=list)  # Named, by name
    problems: list = field(default_factory=list)  # Problem, by site and standard

    @property
    def observers(self):
        return sorted({_person(s.observer) for s in self.sampled if s.observer})

    @property
    def site_type_counts(self):
        """[(点位类型, sites drawn)], by name."""
        counts = Counter(s.site.site_type.name for s in self.sampled)
        return sorted(counts.items())

    @property
    def unit_count(self):
        return len({s.site.unit_id for s in self.sampled})

    def weakest(self, rows, count=3):
        """The `count` lowest-rated rows below the overall 得分率 (all rated rows when it has none)."""
        overall = self.results.overall.rate
        rated = [row for row in rows if row.rate.rate is not None and (overall is None or row.rate.rate < overall)]
        return sorted(rated, key=lambda row: row.rate.rate)[:count]

    def problems_by_unit(self):
        """[(unit name, [Problem])] of the units with problems, the lowest 得分率 first."""
        rates = {row.name: row.rate.rate for row in self.by_unit}
        grouped = {}
        for problem in self.problems:
            grouped.setdefault(problem.unit, []).append(problem)
        return sorted(grouped.items(), key=lambda pair: (rates.get(pair[0]) is None, rates.get(pair[0]) or 0, pair[0]))


def _person(user):
    return user.full_name or user.username


def outcome(assessment):
    """The assessment's Outcome (`assessment` with its system loaded), 3 queries."""
    system = assessment.system
    sampled = list(
        SampledSite.objects.filter(assessment=assessment)
        .select_related("site__site_type", "site__unit", "observer")
        .order_by("site__site_type__name", "site__name")
    )
    standards = list(Standard.objects.filter(system=system).select_related("content__item").order_by("position"))
    rows = list(
        Observation.objects.filter(sampled_site__assessment=assessment)
        .order_by("sampled_site__site__name", "standard__position")
        .values_list(
            "standard_id",
            "result",
            "sampled_site_id",
            "note",
            "observed_by__full_name",
            "observed_by__username",
            "observed_at",
            "finding__rectification__deadline",
            "finding__rectification__status",
        )
    )
    sites = {s.pk: s.site for s in sampled}
    by_pk = {s.pk: s for s in standards}
    observed = [
        scoring.Observation(
            standard_id,
            result,
            site=sites[sampled_id].pk,
            unit=sites[sampled_id].unit_id,
            site_type=sites[sampled_id].site_type_id,
            item=by_pk[standard_id].content.item_id,
            content=by_pk[standard_id].content_id,
        )
        for standard_id, result, sampled_id, *_ in rows
    ]
    weights = {s.pk: s.score for s in standards} if system.weighted else None
    results = scoring.results(observed, weights=weights)
    for standard in standards:
        standard.rate = results.by_standard.get(standard.pk)

    items, units, types = {}, {}, {}
    for standard in standards:
        items.setdefault(standard.content.item_id, standard.content.item.name)
    for s in sampled:
        units[s.site.unit_id] = s.site.unit.display_name
        types[s.site.site_type_id] = s.site.site_type.name

    def named(rates, names):
        return sorted((Named(names[key], rate) for key, rate in rates.items()), key=lambda row: row.name)

    problems = [
        Problem(
            site=sites[sampled_id].name,
            site_type=sites[sampled_id].site_type.name,
            unit_id=sites[sampled_id].unit_id,
            unit=units[sites[sampled_id].unit_id],
            standard=by_pk[standard_id].text,
            note=note,
            observer=full_name or username,
            observed_at=observed_at,
            deadline=deadline,
            status=RECTIFICATION_STATUS.get(status, ""),
        )
        for standard_id, result, sampled_id, note, full_name, username, observed_at, deadline, status in rows
        if result == Observation.Result.NOT_MET
    ]
    return Outcome(
        assessment=assessment,
        sampled=sampled,
        standards=standards,
        results=results,
        by_item=[Named(items[key], results.by_item[key]) for key in items if key in results.by_item],
        by_unit=named(results.by_unit, units),
        by_site_type=named(results.by_site_type, types),
        problems=problems,
    )
