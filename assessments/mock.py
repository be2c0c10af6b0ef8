"""模拟测评: draw a sample of sites, let observers mark each standard, close it.

- The sample is drawn by type (`draw`): for each 点位类型 the office asks for n
  sites, drawn at random from the type's active sites with a seed that is
  recorded, so the draw can be repeated and checked; or the office chooses
  the sites (`choose`).
- A sampled site's form holds the standards that apply to its type: those of
  the current system checked by 实地考察 at that 点位类型 (`standards_for`).
- An observer marks each standard 达标, 不达标 (saying what is wrong, with a
  photo only where the standard asks for one) or 不适用 (`observe`).
- Closing (`close`) records the mock assessment in the rectification ledger as
  an inspection of the sites' responsible units, each unit scored by its
  得分率, and every 不达标 becomes a finding with its rectification item.
"""

import random
import secrets
from collections import defaultdict
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Count

from supervision.models import Inspection
from supervision.services import FindingInput, SupervisionError, record_inspection

from . import scoring
from .models import MockAssessment, Observation, SampledSite, Site, Standard
from .services import AssessmentError

Status = MockAssessment.Status


def standards_for(system, site_type_ids):
    """{site type id: [Standard]} of the system's site-visit standards that
    apply at each type, in the system's order (1 query)."""
    found = defaultdict(list)
    through = Standard.site_types.through.objects.filter(
        standard__system=system, sitetype__in=site_type_ids
    ).select_related("standard").order_by("standard__position")
    for row in through:
        if Standard.Method.SITE in row.standard.methods:
            found[row.sitetype_id].append(row.standard)
    return found


def _preparing(assessment):
    if assessment.status != Status.PREPARING:
        raise AssessmentError("测评已开始或已结束，不能再改动抽样。")


@transaction.atomic
def draw(*, assessment, counts, seed=None):
    """Draw `counts` ({SiteType: n}) sites at random, with `seed` (a new one
    when None, recorded on the assessment); replaces an earlier draw."""
    assessment = MockAssessment.objects.select_for_update().get(pk=assessment.pk)
    _preparing(assessment)
    seed = secrets.randbelow(2**31) if seed is None else int(seed)
    chooser = random.Random(seed)
    pool = defaultdict(list)
    for site in Site.objects.filter(campaign=assessment.campaign, is_active=True, site_type__in=list(counts)).order_by("pk"):
        pool[site.site_type_id].append(site)
    chosen = []
    for site_type, wanted in sorted(counts.items(), key=lambda pair: pair[0].pk):
        sites = pool.get(site_type.pk, [])
        if wanted > len(sites):
            raise AssessmentError(f"“{site_type}”只有 {len(sites)} 个在用点位，不能抽取 {wanted} 个。")
        chosen += chooser.sample(sites, wanted)
    SampledSite.objects.filter(assessment=assessment).delete()
    SampledSite.objects.bulk_create([SampledSite(assessment=assessment, site=site) for site in chosen])
    assessment.seed = seed
    assessment.save(update_fields=["seed"])
    return chosen


@transaction.atomic
def choose(*, assessment, sites):
    """The office's own choice of sites, added to the sample."""
    assessment = MockAssessment.objects.select_for_update().get(pk=assessment.pk)
    _preparing(assessment)
    SampledSite.objects.bulk_create(
        [SampledSite(assessment=assessment, site=site) for site in sites], ignore_conflicts=True
    )


@transaction.atomic
def assign(*, assessment, sampled_sites, observer):
    assessment = MockAssessment.objects.select_for_update().get(pk=assessment.pk)
    if assessment.status == Status.CLOSED:
        raise AssessmentError("测评已结束。")
    SampledSite.objects.filter(assessment=assessment, pk__in=[s.pk for s in sampled_sites]).update(observer=observer)


@transaction.atomic
def start(*, assessment):
    assessment = MockAssessment.objects.select_for_update().get(pk=assessment.pk)
    _preparing(assessment)
    sampled = SampledSite.objects.filter(assessment=assessment)
    if not sampled.exists():
        raise AssessmentError("请先抽取或选择点位。")
    if sampled.filter(observer__isnull=True).exists():
        raise AssessmentError("还有点位没有指定测评员。")
    assessment.status = Status.OPEN
    assessment.save(update_fields=["status"])
    return assessment


@dataclass(frozen=True)
class Mark:
    """What an observer marks for one standard at one site."""

    standard: Standard
    result: str
    note: str = ""
    photo: object = None  # an uploaded image, where the standard asks for one


class MarksRefused(AssessmentError):
    """Marks refused, none saved: `problems` holds one Chinese sentence each."""

    def __init__(self, problems):
        super().__init__("；".join(problems))
        self.problems = problems


@transaction.atomic
def observe_many(*, sampled_site, marks, by, at):
    """Record (or correct) a site's marks while the assessment is open: all of
    them or, when one is wrong, none (MarksRefused). The same queries for one
    mark as for forty. Returns the observations."""
    sampled_site = SampledSite.objects.select_related("site").get(pk=sampled_site.pk)
    # Locked: an observation never commits after close() has read the failures.
    assessment = (
        MockAssessment.objects.select_for_update(of=("self",)).select_related("system").get(pk=sampled_site.assessment_id)
    )
    if assessment.status != Status.OPEN:
        raise AssessmentError("测评未开始或已结束，不能填写。")
    type_id = sampled_site.site.site_type_id
    applies = {standard.pk for standard in standards_for(assessment.system, [type_id]).get(type_id, [])}
    problems = []
    for mark in marks:
        if mark.standard.pk not in applies:
            problems.append(f"“{mark.standard}”不适用于该点位类型。")
        elif mark.result not in Observation.Result.values:
            problems.append(f"“{mark.standard}”：请选择达标、不达标或不适用。")
        elif mark.result == Observation.Result.NOT_MET and not (mark.note or "").strip():
            problems.append(f"“{mark.standard}”不达标，请写明存在的问题。")
    if problems:
        raise MarksRefused(problems)
    recorded = {
        o.standard_id: o
        for o in Observation.objects.filter(sampled_site=sampled_site, standard__in=[m.standard.pk for m in marks])
    }
    new, changed = [], []
    for mark in marks:
        observation = recorded.get(mark.standard.pk) or Observation(sampled_site=sampled_site, standard=mark.standard)
        observation.result = mark.result
        observation.note = (mark.note or "").strip()
        observation.observed_by = by
        observation.observed_at = at
        if mark.result != Observation.Result.NOT_MET:
            observation.photo = ""  # a photo is kept only where it shows a failure
        elif mark.photo:
            observation.photo.save(mark.photo.name, mark.photo, save=False)
        (changed if observation.pk else new).append(observation)
    Observation.objects.bulk_create(new)
    Observation.objects.bulk_update(changed, ["result", "note", "photo", "observed_by", "observed_at"])
    return new + changed


def observe(*, sampled_site, standard, result, note="", photo=None, by, at):
    """Record (or correct) one observation while the assessment is open."""
    (observation,) = observe_many(sampled_site=sampled_site, marks=[Mark(standard, result, note, photo)], by=by, at=at)
    return observation


def incomplete_sites(assessment):
    """The sampled sites with applicable standards not yet marked, each with
    `.observed` and `.expected`, by observer and site (2 queries): closing
    leaves them unobserved, so the office confirms first."""
    sampled = list(
        SampledSite.objects.filter(assessment=assessment)
        .select_related("site__site_type", "site__unit", "observer")
        .annotate(observed=Count("observations"))
        .order_by("observer__full_name", "observer__username", "site__name")
    )
    applies = standards_for(assessment.system, {s.site.site_type_id for s in sampled})
    incomplete = []
    for s in sampled:
        s.expected = len(applies.get(s.site.site_type_id, []))
        if s.observed < s.expected:
            incomplete.append(s)
    return incomplete


def observations(assessment):
    """scoring.Observation of every observation of the assessment (1 query)."""
    rows = Observation.objects.filter(sampled_site__assessment=assessment).values_list(
        "standard_id",
        "result",
        "sampled_site__site_id",
        "sampled_site__site__unit_id",
        "sampled_site__site__site_type_id",
        "standard__content__item_id",
        "standard__content_id",
    )
    return [scoring.Observation(*row) for row in rows]


def results(assessment, observed=None):
    """The assessment's 得分率 (scoring.Results), 2 queries; 1 when the
    caller has read its `observations` already."""
    system = assessment.system
    weights = dict(Standard.objects.filter(system=system).values_list("pk", "score")) if system.weighted else None
    return scoring.results(observations(assessment) if observed is None else observed, weights=weights)


def _observers(sampled):
    """The observers' names as the ledger's 检查人员 holds them (200 characters)."""
    names = sorted({s.observer.full_name or s.observer.username for s in sampled if s.observer}) or ["测评员"]
    text = "、".join(names)
    if len(text) <= 200:
        return text
    shown = []
    for name in names:
        if len("、".join([*shown, name])) > 180:
            break
        shown.append(name)
    return f"{'、'.join(shown)}等 {len(names)} 人"


@transaction.atomic
def close(*, assessment, by, at, deadline):
    """Close the assessment: an inspection of the sampled sites' responsible
    units in the ledger, each scored by its 得分率, one finding and one
    rectification item (due `deadline`) per 不达标."""
    assessment = (
        MockAssessment.objects.select_for_update(of=("self",)).select_related("campaign", "system").get(pk=assessment.pk)
    )
    if assessment.status != Status.OPEN:
        raise AssessmentError("只有测评中的模拟测评才能结束。")
    sampled = list(
        SampledSite.objects.filter(assessment=assessment).select_related("site__unit", "site__site_type", "observer")
    )
    failures = list(
        Observation.objects.filter(sampled_site__assessment=assessment, result=Observation.Result.NOT_MET)
        .select_related("sampled_site__site__unit", "standard")
        .order_by("sampled_site__site__name", "standard__position")
    )
    by_unit = results(assessment).by_unit
    units = {s.site.unit_id: s.site.unit for s in sampled}
    findings = [
        FindingInput(
            unit=o.sampled_site.site.unit,
            description=f"【{o.sampled_site.site.name}】{o.standard.text}：{o.note}",
            requirement=f"对照测评标准“{o.standard.text}”整改到位，并上传整改后的情况。",
            deadline=deadline,
        )
        for o in failures
    ]
    try:
        inspection = record_inspection(
            campaign=assessment.campaign,
            by=by,
            at=at,
            kind=Inspection.Kind.MOCK_ASSESSMENT,
            inspected_on=assessment.held_on,
            inspectors=_observers(sampled),
            summary=f"{assessment.name}：抽取 {len(sampled)} 个点位，不达标 {len(failures)} 处。",
            units=[(unit, by_unit[pk].rate if pk in by_unit else None) for pk, unit in units.items()],
            findings=findings,
        )
    except SupervisionError as error:
        raise AssessmentError(str(error)) from error
    for observation, finding in zip(failures, inspection.findings.order_by("pk"), strict=True):
        observation.finding = finding
    Observation.objects.bulk_update(failures, ["finding"])
    assessment.status = Status.CLOSED
    assessment.closed_at = at
    assessment.inspection = inspection
    assessment.save(update_fields=["status", "closed_at", "inspection"])
    return inspection

