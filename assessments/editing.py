"""Keeping the current edition of an assessment system in the product: who
answers for each standard (分解责任), the tree's wording and points, and a
new edition copied from the current one (复制为新版本).

Past results stay true: a standard that has observations, in any mock
assessment, keeps its text, 分值, 点位类型 and 实地考察 and is never deleted in place
(its observations PROTECT it); the office changes such a standard in a new
edition. A standard with a unit's material is not deleted either, nor does
it lose 材料审核 while material was submitted or accepted for it; a new
edition carries the material over. Earlier editions are read only. Every write records to the audit
trail in its own transaction, and costs the same queries for 4 standards or
200.
"""

from decimal import Decimal

from django.db import transaction
from django.db.models import Count, F, Max, Q, Sum

import audit
from audit.models import AuditEvent
from campaigns.models import Unit
from supervision.selectors import campaign_units

from .models import (
    AssessmentContent,
    AssessmentItem,
    AssessmentSystem,
    MaterialEvent,
    MaterialFile,
    Observation,
    Standard,
    StandardMaterial,
)
from .services import AssessmentError

OBSERVED_MESSAGE = (
    "这条测评标准已有模拟测评记录，不能修改其{what}，以免改变以往的测评结果。"
    "如需修改，请先“复制为新版本”，在新版本中修改。"
)
# Added to every position while a standard is inserted: larger than any
# system's count, so the shift never meets a position still in place.
SHIFT = 1_000_000


def assignable_units(*, campaign, system=None):
    """The units a standard of the campaign may be given: the campaign's units
    (those that owe its reports or lead or support its tasks), its office, and
    the units its system already names (an imported sheet may name others)."""
    ours = Q(pk__in=campaign_units(campaign=campaign).order_by().values("pk")) | Q(pk=campaign.office_unit_id)
    if system is not None:
        ours |= Q(pk__in=Standard.objects.filter(system=system, lead_unit__isnull=False).values("lead_unit"))
        ours |= Q(pk__in=Standard.co_units.through.objects.filter(standard__system=system).values("unit"))
    return Unit.objects.filter(ours, is_active=True).order_by("sort_order", "name")


def observed_ids(system):
    """The ids of the system's standards that have observations (1 query)."""
    return set(Observation.objects.filter(standard__system=system).values_list("standard_id", flat=True).distinct())


def material_ids(system):
    """The ids of the system's standards that have a unit's material, in any
    state (1 query): a material PROTECTs its standard."""
    return set(StandardMaterial.objects.filter(standard__system=system).values_list("standard_id", flat=True).distinct())


def _current(system):
    if not system.is_current:
        raise AssessmentError("往期版本只供查阅，不能修改；请在现行版本中修改。")


def _check_units(*, system, units):
    """Refuse units that are not the campaign's (1 query)."""
    ids = {unit.pk for unit in units}
    if not ids:
        return
    allowed = set(assignable_units(campaign=system.campaign, system=system).filter(pk__in=ids).values_list("pk", flat=True))
    foreign = [unit.name for unit in units if unit.pk not in allowed]
    if foreign:
        raise AssessmentError(f"{'、'.join(foreign)}不是本活动的责任单位，不能分配测评标准。请从列表中选择本活动的单位。")


def _positions(numbers):
    numbers = sorted(numbers)
    text = "、".join(str(n) for n in numbers[:30])
    return f"{text}等 {len(numbers)} 条" if len(numbers) > 30 else f"{text} 条"


@transaction.atomic
def assign_units(*, system, standard_ids, lead_unit=None, co_units=()):
    """Give the chosen standards `lead_unit` (when given) and add `co_units`
    to their co-units; a standard's lead is never also its co-unit. The number
    of standards changed; 7 queries or fewer whatever their number."""
    _current(system)
    co_units = list(dict.fromkeys(co_units))
    if lead_unit is None and not co_units:
        raise AssessmentError("请选择要设置的牵头单位，或要增加的配合单位。")
    rows = list(Standard.objects.filter(system=system, pk__in=set(standard_ids)).values_list("pk", "position", "lead_unit_id"))
    if not rows:
        raise AssessmentError("请先勾选要分解的测评标准。")
    if len(rows) != len(set(standard_ids)):
        raise AssessmentError("所选测评标准有的不在现行版本中，请刷新页面后重新选择。")
    _check_units(system=system, units=[*([lead_unit] if lead_unit else []), *co_units])
    ids = [pk for pk, _, _ in rows]
    through = Standard.co_units.through
    changes = {}
    if lead_unit is not None:
        Standard.objects.filter(pk__in=ids).update(lead_unit=lead_unit)
        through.objects.filter(standard_id__in=ids, unit=lead_unit).delete()
        changes["牵头单位"] = [None, lead_unit.name]
    if co_units:
        leads = {pk: lead_unit.pk if lead_unit else lead for pk, _, lead in rows}
        through.objects.bulk_create(
            [through(standard_id=pk, unit_id=unit.pk) for pk in ids for unit in co_units if unit.pk != leads[pk]],
            ignore_conflicts=True,
        )
        changes["增加配合单位"] = [None, sorted(unit.name for unit in co_units)]
    audit.record(
        action=AuditEvent.Action.CHANGED,
        obj=system,
        campaign=system.campaign_id,
        description=f"分解责任：第 {_positions(p for _, p, _ in rows)}测评标准"[:300],
        changes=changes,
    )
    return len(rows)


def _check_text(text):
    text = (text or "").strip()
    if not text:
        raise AssessmentError("请填写测评标准的内容。")
    return text


def _shown(value):
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    return value


@transaction.atomic
def update_standard(*, standard, text, score, methods, site_types, needs_photo, lead_unit, co_units):
    """Change a standard of the current edition. Its text, 分值 and 点位类型
    stay as they are once it has observations: refused, with what to do."""
    # of=self: PostgreSQL locks no row on the nullable side of an outer join (the lead unit).
    standard = (
        Standard.objects.select_for_update(of=("self",))
        .select_related("system__campaign", "lead_unit")
        .get(pk=standard.pk)
    )
    _current(standard.system)
    text = _check_text(text)
    site_types, co_units = list(site_types), [unit for unit in dict.fromkeys(co_units) if unit != lead_unit]
    before = {
        "测评标准": standard.text,
        "分值": standard.score,
        "测评方法": standard.methods,
        "点位类型": sorted(t.name for t in standard.site_types.all()),
        "不达标时需拍照": standard.needs_photo,
        "牵头单位": standard.lead_unit.name if standard.lead_unit else None,
        "配合单位": sorted(u.name for u in standard.co_units.all()),
    }
    after = {
        "测评标准": text,
        "分值": score,
        # The sheet's order stays unless the methods themselves change.
        "测评方法": standard.methods if set(methods) == set(standard.methods) else [m for m in Standard.Method.values if m in methods],
        "点位类型": sorted(t.name for t in site_types),
        "不达标时需拍照": needs_photo,
        "牵头单位": lead_unit.name if lead_unit else None,
        "配合单位": sorted(u.name for u in co_units),
    }
    changes = {label: [_shown(before[label]), _shown(after[label])] for label in after if _shown(before[label]) != _shown(after[label])}
    locked = [label for label in ("测评标准", "分值", "点位类型") if label in changes]
    if Standard.Method.SITE in standard.methods and Standard.Method.SITE not in after["测评方法"]:
        # Without 实地考察 the standard would leave the observers' forms and
        # an open assessment's results would change under them.
        locked.append("测评方法中的“实地考察”")
    if locked and Observation.objects.filter(standard=standard).exists():
        what = "、".join("内容" if label == "测评标准" else label for label in locked)
        raise AssessmentError(OBSERVED_MESSAGE.format(what=what))
    if (
        Standard.Method.MATERIAL in standard.methods
        and Standard.Method.MATERIAL not in after["测评方法"]
        and standard.materials.filter(status__in=[StandardMaterial.Status.SUBMITTED, StandardMaterial.Status.ACCEPTED]).exists()
    ):
        raise AssessmentError(
            "这条测评标准已有单位提交或审核通过的材料，不能去掉“材料审核”测评方法，以免这些材料失去依据。"
            "如需调整，请先“复制为新版本”，在新版本中修改。"
        )
    if {"牵头单位", "配合单位"} & set(changes):
        _check_units(system=standard.system, units=[*([lead_unit] if lead_unit else []), *co_units])
    if not changes:
        return standard, {}
    standard.text, standard.score, standard.methods = text, score, after["测评方法"]
    standard.needs_photo, standard.lead_unit = needs_photo, lead_unit
    standard.save(update_fields=["text", "score", "methods", "needs_photo", "lead_unit"])
    standard.site_types.set(site_types)
    standard.co_units.set(co_units)
    audit.record(
        action=AuditEvent.Action.CHANGED,
        obj=standard,
        campaign=standard.system.campaign_id,
        description=f"修改测评标准（第 {standard.position} 条）",
        changes=changes,
    )
    return standard, changes


@transaction.atomic
def add_standard(*, content, text, score, methods, site_types, needs_photo, lead_unit=None, co_units=()):
    """A new standard at the end of `content`; the system's later standards
    move down one place."""
    content = AssessmentContent.objects.select_related("item__system__campaign").get(pk=content.pk)
    system = content.item.system
    # Lock the system's standards so two insertions cannot take one position.
    list(Standard.objects.select_for_update().filter(system=system).values_list("pk", flat=True))
    _current(system)
    text = _check_text(text)
    co_units = [unit for unit in dict.fromkeys(co_units) if unit != lead_unit]
    _check_units(system=system, units=[*([lead_unit] if lead_unit else []), *co_units])
    before = Q(content__item__position__lt=content.item.position) | Q(
        content__item=content.item, content__position__lte=content.position
    )
    last = Standard.objects.filter(system=system).filter(before).aggregate(last=Max("position"))["last"] or 0
    later = Standard.objects.filter(system=system, position__gt=last)
    later.update(position=F("position") + SHIFT)
    Standard.objects.filter(system=system, position__gt=SHIFT).update(position=F("position") - SHIFT + 1)
    standard = Standard.objects.create(
        system=system, content=content, position=last + 1, text=text, score=score,
        methods=[m for m in Standard.Method.values if m in methods], needs_photo=needs_photo, lead_unit=lead_unit,
    )
    standard.site_types.set(site_types)
    standard.co_units.set(co_units)
    audit.record(
        action=AuditEvent.Action.CREATED,
        obj=standard,
        campaign=system.campaign_id,
        description=f"新增测评标准（{content.item.name} · 第 {standard.position} 条）",
        changes={"测评标准": [None, text], "分值": [None, _shown(score)]},
    )
    return standard


@transaction.atomic
def delete_standard(*, standard):
    standard = Standard.objects.select_for_update(of=("self",)).select_related("system").get(pk=standard.pk)
    _current(standard.system)
    if Observation.objects.filter(standard=standard).exists():
        raise AssessmentError(
            "这条测评标准已有模拟测评记录，不能删除，以免改变以往的测评结果。如需去掉，请先“复制为新版本”，在新版本中删除。"
        )
    if StandardMaterial.objects.filter(standard=standard).exists():
        raise AssessmentError(
            "这条测评标准已有单位报送的材料，不能删除，以免丢失单位的材料和审核记录。"
        )
    pk, position, text = standard.pk, standard.position, standard.text
    standard.delete()
    audit.record(
        action=AuditEvent.Action.DELETED,
        object_type="assessments.standard",
        object_id=str(pk),
        campaign=standard.system.campaign_id,
        description=f"删除测评标准（第 {position} 条）：{text}"[:300],
    )


@transaction.atomic
def rename_item(*, item, name):
    item = AssessmentItem.objects.select_related("system").get(pk=item.pk)
    _current(item.system)
    name = (name or "").strip()
    if not name:
        raise AssessmentError("测评项目名称不能为空。")
    if name != item.name:
        old, item.name = item.name, name
        item.save(update_fields=["name"])
        audit.record(
            action=AuditEvent.Action.CHANGED, obj=item, campaign=item.system.campaign_id,
            description=f"修改测评项目名称“{name}”", changes={"测评项目": [old, name]},
        )
    return item


@transaction.atomic
def rename_content(*, content, name):
    content = AssessmentContent.objects.select_related("item__system").get(pk=content.pk)
    _current(content.item.system)
    name = (name or "").strip()
    if name != content.name:
        old, content.name = content.name, name
        content.save(update_fields=["name"])
        audit.record(
            action=AuditEvent.Action.CHANGED, obj=content, campaign=content.item.system.campaign_id,
            description=f"修改测评内容名称“{name or '（未分内容）'}”", changes={"测评内容": [old, name]},
        )
    return content


@transaction.atomic
def copy_system(*, system, by, at, edition=""):
    """A new current edition, a copy of `system` (the current one): items,
    contents, standards with their 点位类型, lead and co-units, and the units'
    material (`_copy_materials`). The copied edition and its results stay as
    they were; mock assessments already created keep theirs. 16 queries
    whatever the size, 6 more when units have material."""
    # Lock the campaign's systems so two copies (or a copy and an import) cannot both be current.
    list(AssessmentSystem.objects.select_for_update().filter(campaign_id=system.campaign_id).values_list("pk", flat=True))
    system = AssessmentSystem.objects.get(pk=system.pk)
    _current(system)
    edition = (edition or "").strip()[:50] or f"{system.edition or '现行版'}修订"[:50]
    AssessmentSystem.objects.filter(pk=system.pk).update(is_current=False)
    copy = AssessmentSystem.objects.create(
        campaign_id=system.campaign_id, name=system.name, edition=edition, weighted=system.weighted, is_current=True,
        source_name=f"复制自《{system}》"[:200], created_by=by, created_at=at,
    )
    old_items = list(AssessmentItem.objects.filter(system=system).order_by("position"))
    items = AssessmentItem.objects.bulk_create(
        [AssessmentItem(system=copy, position=i.position, name=i.name) for i in old_items]
    )
    item_of = {old.pk: new for old, new in zip(old_items, items, strict=True)}
    old_contents = list(AssessmentContent.objects.filter(item__system=system).order_by("item__position", "position"))
    contents = AssessmentContent.objects.bulk_create(
        [AssessmentContent(item=item_of[c.item_id], position=c.position, name=c.name) for c in old_contents]
    )
    content_of = {old.pk: new for old, new in zip(old_contents, contents, strict=True)}
    old_standards = list(Standard.objects.filter(system=system).order_by("position"))
    standards = Standard.objects.bulk_create(
        [
            Standard(
                system=copy, content=content_of[s.content_id], position=s.position, text=s.text, score=s.score,
                methods=list(s.methods), needs_photo=s.needs_photo, lead_unit_id=s.lead_unit_id,
            )
            for s in old_standards
        ]
    )
    standard_of = {old.pk: new.pk for old, new in zip(old_standards, standards, strict=True)}
    types = Standard.site_types.through
    types.objects.bulk_create(
        [
            types(standard_id=standard_of[row.standard_id], sitetype_id=row.sitetype_id)
            for row in types.objects.filter(standard__system=system)
        ]
    )
    co = Standard.co_units.through
    co.objects.bulk_create(
        [co(standard_id=standard_of[row.standard_id], unit_id=row.unit_id) for row in co.objects.filter(standard__system=system)]
    )
    carried = _copy_materials(system=system, standard_of=standard_of, by=by, at=at)
    audit.record(
        action=AuditEvent.Action.CREATED,
        obj=copy,
        actor=by,
        campaign=system.campaign_id,
        description=f"复制《{system}》为新版本《{copy}》，{len(standards)} 条测评标准"
        + (f"，带入 {carried} 份单位材料" if carried else ""),
    )
    return copy


def _copy_materials(*, system, standard_of, by, at):
    """Carry the units' material (材料审核) over to the copied standards: all
    material reads look at the current edition, so without it every unit's
    accepted material would show as 未提交. Each keeps its status, text,
    sender and reviewer, its review record (the events, copied) and its
    files, which name the same stored files (never a copy of the bytes, as
    `reused_from` shares a report attachment's). Its history starts with the
    carry-over. 1 query without material, 7 with, whatever their number."""
    old_materials = list(StandardMaterial.objects.filter(standard__system=system).order_by("pk"))
    if not old_materials:
        return 0
    fields = ("unit_id", "status", "text", "submitted_by_id", "submitted_at", "review_comment", "reviewed_by_id",
              "reviewed_at", "updated_at")
    materials = StandardMaterial.objects.bulk_create(
        [
            StandardMaterial(standard_id=standard_of[m.standard_id], **{f: getattr(m, f) for f in fields})
            for m in old_materials
        ]
    )
    StandardMaterial.history.bulk_history_create(
        materials, default_user=by, default_date=at, default_change_reason=f"复制为新版本时自《{system}》带入"[:100]
    )
    material_of = {old.pk: new.pk for old, new in zip(old_materials, materials, strict=True)}
    MaterialFile.objects.bulk_create(
        [
            MaterialFile(
                material_id=material_of[f.material_id], file=f.file.name, original_name=f.original_name, size=f.size,
                content_type=f.content_type, sha256=f.sha256, uploaded_by_id=f.uploaded_by_id, uploaded_at=f.uploaded_at,
                reused_from_id=f.reused_from_id, removed_at=f.removed_at,
            )
            for f in MaterialFile.objects.filter(material__standard__system=system).order_by("pk")
        ]
    )
    MaterialEvent.objects.bulk_create(
        [
            MaterialEvent(
                material_id=material_of[e.material_id], actor_id=e.actor_id, comment=e.comment, created_at=e.created_at,
                action=e.action, from_status=e.from_status, to_status=e.to_status,
            )
            for e in MaterialEvent.objects.filter(material__standard__system=system).order_by("created_at", "pk")
        ]
    )
    return len(materials)


def unit_summary(system):
    """[(unit, led, co_led, points led)] of every unit that answers for a
    standard of the system or may be given one, most standards first, and
    the number of standards without a lead unit (4 queries)."""
    led = {
        row["lead_unit"]: row
        for row in Standard.objects.filter(system=system).values("lead_unit").annotate(n=Count("pk"), points=Sum("score")).order_by()
    }
    co = dict(
        Standard.co_units.through.objects.filter(standard__system=system)
        .values("unit")
        .annotate(n=Count("standard", distinct=True))
        .order_by()
        .values_list("unit", "n")
    )
    unassigned = led.pop(None, {"n": 0})["n"]
    units = assignable_units(campaign=system.campaign, system=system)
    rows = [(unit, led.get(unit.pk, {}).get("n", 0), co.get(unit.pk, 0), led.get(unit.pk, {}).get("points")) for unit in units]
    rows.sort(key=lambda row: (-(row[1] + row[2]), -row[1]))
    return rows, unassigned
