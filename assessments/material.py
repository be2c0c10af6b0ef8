"""材料审核: a unit's material per standard, sent to the office and reviewed.

Who is asked: the lead unit of each standard of a campaign's current system
whose methods include 材料审核. A co-unit may send its own material for the
same standard; the office reviews it the same way, but it is not counted as
asked (`accepted_rate`), so a co-unit that sends nothing is never behind.
Only active campaigns ask.

The life of a material: the unit saves a draft (text, files), submits it
(待审核), the office returns it with a comment (已退回: the unit corrects it
and submits again) or accepts it (已通过). Each move goes through
core.transitions (a `MaterialEvent`, the audit trail, and the liaisons told
through notifications, see `material_event`); edits keep their history
(simple_history). There is no unit-head sign-off: the material is evidence
the office checks, not a report the head answers for.

报一次，用多次: a file the unit already sent with a report (an attachment of
a submitted version, which is never deleted) can be listed in the material
instead of being uploaded again; it is the same stored file.

`methods` is a JSON list, which SQLite cannot search inside: the standards
are read in one query and those asking for material picked in Python
(`Standard.asks_material`), so every read here stays a fixed number of queries.
"""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, F, FilteredRelation, Prefetch, Q
from django.urls import reverse

from campaigns.models import Campaign, Membership, Unit
from core import transitions
from core.errors import required_text
from notifications.events import Event, event_key
from notifications.models import EventKind
from notifications.receivers import members
from reports.files import validate_upload
from reports.models import Attachment

from .models import AssessmentSystem, MaterialFile, StandardMaterial, Standard
from .services import AssessmentError

Status = StandardMaterial.Status

MISSING = "missing"
# The office's filters, in the order of the tabs: a draft is not yet submitted.
STATES = {MISSING: "未提交", Status.SUBMITTED: "待审核", Status.RETURNED: "已退回", Status.ACCEPTED: "已通过"}


@dataclass
class MaterialRow:
    """One unit's material for one standard, or its absence."""

    standard: Standard
    unit: Unit
    material: StandardMaterial | None
    is_lead: bool

    @property
    def state(self):
        if self.material is None or self.material.status == Status.DRAFT:
            return MISSING
        return self.material.status

    @property
    def state_display(self):
        if self.material is not None and self.material.status == Status.DRAFT:
            return "草稿（未提交）"
        return STATES[self.state]


def _standards(*conditions, **filters):
    """Standards asking for material, with their item, campaign, lead and co-units (2 queries)."""
    rows = (
        Standard.objects.filter(*conditions, **filters)
        .select_related("content__item", "system__campaign", "lead_unit")
        .prefetch_related(Prefetch("co_units", queryset=Unit.objects.order_by("sort_order", "name")))
        .order_by("system__campaign", "position")
    )
    return [standard for standard in rows if standard.asks_material]


def _materials(standards, unit_ids=None):
    """{(standard id, unit id): material} with its live file count (1 query)."""
    rows = StandardMaterial.objects.filter(standard__in=[s.pk for s in standards]).annotate(
        file_count=Count("files", filter=Q(files__removed_at__isnull=True))
    )
    if unit_ids is not None:
        rows = rows.filter(unit__in=unit_ids)
    return {(m.standard_id, m.unit_id): m for m in rows}


def unit_rows(*, unit_ids):
    """The material each of the units owes (lead) or may add (co-unit) in the
    current systems of active campaigns, in 3 queries whatever their number."""
    unit_ids = list(unit_ids)
    co = Standard.co_units.through.objects.filter(unit__in=unit_ids).values("standard")
    standards = _standards(
        Q(lead_unit__in=unit_ids) | Q(pk__in=co),
        system__is_current=True,
        system__campaign__status=Campaign.Status.ACTIVE,
    ) if unit_ids else []
    materials = _materials(standards, unit_ids)
    rows = []
    for standard in standards:
        for unit in _units_of(standard):
            if unit.pk in unit_ids:
                rows.append(
                    MaterialRow(standard, unit, materials.get((standard.pk, unit.pk)), unit.pk == standard.lead_unit_id)
                )
    return rows


def _units_of(standard):
    lead = [standard.lead_unit] if standard.lead_unit_id else []
    return lead + [unit for unit in standard.co_units.all() if unit.pk != standard.lead_unit_id]


def assigned_row(*, standard_id, unit_ids):
    """The material row of one standard for the user's unit (`unit_ids`), or None
    when the standard does not ask it of any of them."""
    for row in unit_rows(unit_ids=unit_ids):
        if row.standard.pk == standard_id:
            return row
    return None


@dataclass
class Review:
    system: AssessmentSystem | None
    rows: list
    counts: dict  # {state: how many}
    unassigned: int  # standards asking for material with no lead unit


def review_rows(*, campaign, state=None):
    """Every lead unit's material for the campaign's current system (absent
    ones too) and the co-units' sent ones, filtered by `state` (STATES), with
    the count of each state: 4 queries whatever the number of standards and units."""
    system = AssessmentSystem.objects.filter(campaign=campaign, is_current=True).first()
    if system is None:
        return Review(None, [], dict.fromkeys(STATES, 0), 0)
    standards = _standards(system=system)
    materials = _materials(standards)
    rows, unassigned = [], 0
    for standard in standards:
        if standard.lead_unit_id is None:
            unassigned += 1
        for unit in _units_of(standard):
            is_lead = unit.pk == standard.lead_unit_id
            row = MaterialRow(standard, unit, materials.get((standard.pk, unit.pk)), is_lead)
            if is_lead or row.state != MISSING:
                rows.append(row)
    counts = dict.fromkeys(STATES, 0)
    for row in rows:
        counts[row.state] += 1
    if state in STATES:
        rows = [row for row in rows if row.state == state]
    return Review(system, rows, counts, unassigned)


def accepted_rate(campaign, *, as_of=None):
    """{unit id: (accepted, asked)}: per lead unit, how many standards of the
    campaign's current system ask it for material and how many of those it
    has had accepted, before `as_of` when given (an evaluation's cutoff).
    Co-units' material is not counted. One query.

    已通过 is final (no move leaves it), so `reviewed_at` of an accepted
    material is the time it was accepted: material accepted at or after
    `as_of` is counted as not yet accepted."""
    rows = (
        Standard.objects.filter(system__campaign=campaign, system__is_current=True, lead_unit__isnull=False)
        .annotate(lead_material=FilteredRelation("materials", condition=Q(materials__unit=F("lead_unit"))))
        .order_by()
        .values_list("lead_unit_id", "methods", "lead_material__status", "lead_material__reviewed_at")
    )
    rates = {}
    for unit_id, methods, status, reviewed_at in rows:
        if Standard.Method.MATERIAL not in (methods or []):
            continue
        accepted, asked = rates.get(unit_id, (0, 0))
        counted = status == Status.ACCEPTED and (as_of is None or reviewed_at < as_of)
        rates[unit_id] = (accepted + counted, asked + 1)
    return rates


def live_files(material):
    return list(material.files.filter(removed_at__isnull=True).order_by("uploaded_at", "pk"))


def reusable_attachments(*, unit, exclude=()):
    """The unit's report attachments that went to the office in a submitted
    version (kept for the record, never deleted), newest first, at most 50."""
    return list(
        Attachment.objects.filter(report__unit=unit, removed_at__isnull=True, versions__isnull=False)
        .exclude(pk__in=list(exclude))
        .select_related("report__period__rule")
        .distinct()
        .order_by("-uploaded_at", "-pk")[:50]
    )


# Writing


def _row(material):
    return StandardMaterial.objects.select_related("standard__system__campaign", "unit").filter(pk=material.pk)


def state_message(material):
    if material.status == Status.SUBMITTED:
        return "材料已提交，正在等待领导小组办公室审核，审核前不能修改。"
    if material.status == Status.ACCEPTED:
        return "材料已审核通过，不能再修改。"
    return f"材料当前为“{material.get_status_display()}”，不能进行此操作。请刷新页面查看最新状态。"


def _check_assigned(standard, unit):
    if not standard.asks_material:
        raise AssessmentError("这条测评标准不需要材料审核。")
    system = standard.system
    if not system.is_current or system.campaign.status != Campaign.Status.ACTIVE:
        raise AssessmentError("这条测评标准不在进行中活动的现行测评体系内，不能再报送材料。")
    if unit.pk != standard.lead_unit_id and not standard.co_units.filter(pk=unit.pk).exists():
        raise AssessmentError("本单位不是这条测评标准的牵头单位或配合单位。")


def _checked(files):
    checked = []
    for uploaded in files:
        try:
            checked.append((uploaded, validate_upload(uploaded)))
        except ValidationError as error:
            raise AssessmentError(error.messages[0]) from error
    return checked


@transaction.atomic
def save_material(*, standard, unit, by, at, text, files=(), reuse=()):
    """Keep the unit's working copy of its material: the text, new uploads
    (checked as report attachments are) and report attachments listed again
    (`reuse`, ids). Refused, changing nothing, once submitted or accepted."""
    _check_assigned(standard, unit)
    files = _checked(files)
    try:
        with transaction.atomic():
            material, _ = StandardMaterial.objects.get_or_create(standard=standard, unit=unit, defaults={"updated_at": at})
    except IntegrityError:
        # Two saves of a first draft at once: the other created it.
        material = StandardMaterial.objects.get(standard=standard, unit=unit)
    material = transitions.locked(_row(material))
    if not material.is_editable:
        raise AssessmentError(state_message(material))
    reuse = set(reuse)
    reused = reusable_attachments(unit=unit) if reuse else []
    chosen = [a for a in reused if a.pk in reuse]
    if len(chosen) != len(reuse):
        raise AssessmentError("所选的报送附件已不能使用（须是本单位已报送的附件），请刷新页面后重新选择。")
    already = set(material.files.filter(removed_at__isnull=True, reused_from__isnull=False).values_list("reused_from", flat=True))
    text = (text or "").strip()
    if text != material.text:
        material.text = text
        material.updated_at = at
        material._change_reason = "单位填报"
        material.save()
    new = [
        MaterialFile.from_upload(uploaded, content_type, by=by, material=material, uploaded_at=at)
        for uploaded, content_type in files
    ] + [
        MaterialFile(
            material=material,
            file=attachment.file.name,
            original_name=attachment.original_name,
            size=attachment.size,
            content_type=attachment.content_type,
            sha256=attachment.sha256,
            uploaded_by=by,
            uploaded_at=at,
            reused_from=attachment,
        )
        for attachment in chosen
        if attachment.pk not in already
    ]
    if new:
        MaterialFile.objects.bulk_create(new)
    return material


def submit_material(*, material, by, at):
    """Send the working copy to the office; refused without a text or a file."""

    def prepare(row):
        if not row.text.strip() and not row.files.filter(removed_at__isnull=True).exists():
            raise AssessmentError("材料是空的：请填写材料说明或上传材料文件，再提交审核。")

    return transitions.transition(
        _row(material), "submit", by=by, at=at, refusal=lambda row: AssessmentError(state_message(row)), prepare=prepare
    ).obj


@transaction.atomic
def save_and_submit(*, standard, unit, by, at, text, files=(), reuse=()):
    """Save and submit at once: refused whole (nothing saved) when the submission is."""
    material = save_material(standard=standard, unit=unit, by=by, at=at, text=text, files=files, reuse=reuse)
    return submit_material(material=material, by=by, at=at)


def _not_waiting(row):
    return AssessmentError(
        f"只能审核“待审核”的材料；这份材料当前为“{row.get_status_display()}”（可能同事刚刚处理过），请刷新页面。"
    )


def return_material(*, material, by, at, comment):
    comment = required_text(comment, "退回时请填写退回意见，说明材料缺什么、怎样补充。", error=AssessmentError)
    return transitions.transition(_row(material), "return", by=by, at=at, comment=comment, refusal=_not_waiting).obj


def accept_material(*, material, by, at, comment=""):
    return transitions.transition(
        _row(material), "accept", by=by, at=at, comment=(comment or "").strip(), refusal=_not_waiting
    ).obj


@transaction.atomic
def remove_file(*, material_file, by, at):
    """Take a file out of the working copy. A file of a material never
    submitted, uploaded here, is deleted (its bytes too, unless another
    edition's copy of the material still names them); any other stays on
    record."""
    material = transitions.locked(_row(material_file.material))
    if not material.is_editable:
        raise AssessmentError(state_message(material))
    if material.submitted_at is None and material_file.reused_from_id is None:
        # A draft carried over to a new edition (复制为新版本) names the same
        # stored file as the earlier edition's: those bytes stay.
        shared = MaterialFile.objects.filter(file=material_file.file.name).exclude(pk=material_file.pk).exists()
        if not shared:
            material_file.file.delete(save=False)
        material_file.delete()
    else:
        material_file.removed_at = at
        material_file.save(update_fields=["removed_at"])


# Telling the unit (notifications.receivers.describe_moves, registered in apps.py)


def material_event(change, by):
    """A return or an acceptance, told to the unit's liaisons; a submission tells nobody,
    as a report's does not (the office sees it in its list)."""
    material = change.obj
    standard, unit = material.standard, material.unit
    name = standard.text if len(standard.text) <= 30 else f"{standard.text[:30]}…"
    if change.action == "return":
        kind, title = EventKind.REPORT_RETURNED, f"测评材料被退回：{name}"
        body = f"{unit.display_name}报送的测评材料被领导小组办公室退回，请补充后重新提交。\n退回意见：{change.event.comment}"
    elif change.action == "accept":
        kind, title = EventKind.REPORT_ACCEPTED, f"测评材料审核通过：{name}"
        body = f"{unit.display_name}报送的测评材料已审核通过。" + (
            f"\n审核意见：{change.event.comment}" if change.event.comment else ""
        )
    else:
        return None
    event = Event(
        key=event_key(change.event),
        kind=kind,
        campaign=standard.system.campaign,
        title=title,
        body=body,
        url=reverse("assessments:material_edit", args=[standard.pk, unit.pk]),
    )
    return event, [(user_id, unit.pk) for user_id in members(unit.pk, Membership.Role.LIAISON)]
