"""Writing an assessment system and a site register from what the office confirmed."""

from django.db import transaction
from django.db.models import Q

from campaigns.models import Unit
from core.errors import Refused
from supervision.selectors import campaign_units

from .models import AssessmentContent, AssessmentItem, AssessmentSystem, Site, SiteType, Standard


class AssessmentError(Refused):
    """A refused step of the assessment system; str() is the Chinese message."""


def unit_lookup(names, *, campaign=None):
    """{name as written: Unit} for the names that name exactly one active unit:
    its name, or else its short name. A short name several units share (办公室,
    监督所: every district has one) names the one among the campaign's units
    (those that report in it or lead or support its tasks), or none: the
    office must then write the full name. One query, two with a shared one."""
    names = {name for name in names if name}
    if not names:
        return {}
    units = list(Unit.objects.filter(is_active=True).filter(Q(name__in=names) | Q(short_name__in=names)))
    found = {unit.name: unit for unit in units if unit.name in names}
    by_short = {}
    for unit in units:
        if unit.short_name in names and unit.short_name not in found:
            by_short.setdefault(unit.short_name, []).append(unit)
    shared = {name: matches for name, matches in by_short.items() if len(matches) > 1}
    if shared and campaign is not None:
        ours = set(campaign_units(campaign=campaign).values_list("pk", flat=True))
        for name, matches in shared.items():
            by_short[name] = [unit for unit in matches if unit.pk in ours]
    found.update({name: matches[0] for name, matches in by_short.items() if len(matches) == 1})
    return found


def unknown_names(names, *, campaign=None):
    """The names, sorted, that name no unit or more than one."""
    names = {name for name in names if name}
    return sorted(names - set(unit_lookup(names, campaign=campaign)))


def unknown_units(proposal, *, campaign=None):
    """The unit names the proposal uses that name no unit (or several), in order of first use."""
    names = []
    for standard in proposal.standards:
        for name in [standard.lead_unit, *standard.co_units]:
            if name and name not in names:
                names.append(name)
    known = unit_lookup(names, campaign=campaign)
    return [name for name in names if name not in known]


def _site_types(campaign, names):
    """{name: SiteType} for `names`, created where missing (2 queries)."""
    names = sorted({name for name in names if name})
    existing = {t.name: t for t in SiteType.objects.filter(campaign=campaign, name__in=names)}
    missing = [SiteType(campaign=campaign, name=name) for name in names if name not in existing]
    if missing:
        SiteType.objects.bulk_create(missing, ignore_conflicts=True)
        existing = {t.name: t for t in SiteType.objects.filter(campaign=campaign, name__in=names)}
    return existing


@transaction.atomic
def import_system(*, campaign, proposal, by, at, name, edition="", weighted=True, source_name=""):
    """Write the confirmed proposal as the campaign's current system; the
    previous one stays, no longer current, with every result recorded against
    it. A constant number of queries whatever the system's size."""
    if not proposal.standards:
        raise AssessmentError("没有可导入的测评标准。")
    unknown = unknown_units(proposal, campaign=campaign)
    if unknown:
        raise AssessmentError(f"以下单位在系统中不存在或简称有重名，请先在单位名单中添加、或在表格中写全称：{'、'.join(unknown)}。")
    # Lock the campaign's systems so two imports at once cannot both be current.
    list(AssessmentSystem.objects.select_for_update().filter(campaign=campaign).values_list("pk", flat=True))
    AssessmentSystem.objects.filter(campaign=campaign, is_current=True).update(is_current=False)
    system = AssessmentSystem.objects.create(
        campaign=campaign, name=name, edition=edition, weighted=weighted, source_name=source_name, created_by=by,
        created_at=at,
    )
    items = AssessmentItem.objects.bulk_create(
        [AssessmentItem(system=system, position=n, name=item.name or "未分类") for n, item in enumerate(proposal.items, 1)]
    )
    contents, pending = [], []
    for item_row, item in zip(proposal.items, items, strict=True):
        for n, content in enumerate(item_row.contents, 1):
            contents.append(AssessmentContent(item=item, position=n, name=content.name))
            pending.append(content)
    contents = AssessmentContent.objects.bulk_create(contents)
    units = unit_lookup({name for s in proposal.standards for name in [s.lead_unit, *s.co_units]}, campaign=campaign)
    types = _site_types(campaign, {t for s in proposal.standards for t in s.site_types})
    standards, rows = [], []
    for content_row, content in zip(pending, contents, strict=True):
        for row in content_row.standards:
            standards.append(
                Standard(
                    system=system,
                    content=content,
                    position=len(standards) + 1,
                    text=row.text,
                    score=row.score,
                    methods=row.methods,
                    lead_unit=units.get(row.lead_unit),
                )
            )
            rows.append(row)
    standards = Standard.objects.bulk_create(standards)
    Standard.site_types.through.objects.bulk_create(
        [
            Standard.site_types.through(standard=standard, sitetype=types[name])
            for standard, row in zip(standards, rows, strict=True)
            for name in dict.fromkeys(row.site_types)
        ]
    )
    Standard.co_units.through.objects.bulk_create(
        [
            Standard.co_units.through(standard=standard, unit=units[name])
            for standard, row in zip(standards, rows, strict=True)
            for name in dict.fromkeys(row.co_units)
        ]
    )
    return system


@transaction.atomic
def import_sites(*, campaign, rows):
    """Add or update the register from `sites.SiteRow`s (matched by name):
    (created, updated). Refused whole, with every row's problem, if a row
    names a unit that does not exist."""
    units = unit_lookup({r.unit for r in rows}, campaign=campaign)
    unknown = [r.unit for r in rows if r.unit not in units]
    if unknown:
        raise AssessmentError(f"以下责任单位在系统中不存在或有重名：{'、'.join(dict.fromkeys(unknown))}。")
    types = _site_types(campaign, {r.site_type for r in rows})
    existing = {s.name: s for s in Site.objects.filter(campaign=campaign, name__in=[r.name for r in rows])}
    created, updated = [], []
    for row in rows:
        values = dict(
            site_type=types[row.site_type], address=row.address, unit=units[row.unit],
            latitude=row.latitude, longitude=row.longitude, is_active=True,
        )
        site = existing.get(row.name)
        if site is None:
            created.append(Site(campaign=campaign, name=row.name, **values))
        else:
            for key, value in values.items():
                setattr(site, key, value)
            updated.append(site)
    Site.objects.bulk_create(created)
    Site.objects.bulk_update(updated, ["site_type", "address", "unit", "latitude", "longitude", "is_active"])
    return len(created), len(updated)
