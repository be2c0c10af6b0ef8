"""Writes of the supervision app: recording an inspection with its findings
and rectification items, and an item's life (start, submit, verify, reject).

Every transition goes through core.transitions on the item's locked row,
checked against RectificationItem.TRANSITIONS: of two people pressing a
button at once, one changes the row and the other is told what happened.
Callers check permission first (`supervision.access`); these functions check
the state and keep the record.
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

import audit
from calendars.models import WorkCalendar
from core import transitions
from core.errors import Refused, required_text
from reports.files import validate_upload

from .models import (
    DEADLINE_TIME,
    Finding,
    InspectedUnit,
    Inspection,
    InspectionAttachment,
    InspectionRevision,
    RectificationEvent,
    RectificationEvidence,
    RectificationItem,
    RectificationResponse,
    kind_has_score,
)

Status = RectificationItem.Status
Action = RectificationEvent.Action
Decision = RectificationResponse.Decision


class SupervisionError(Refused):
    """A refused supervision step."""


@dataclass(frozen=True)
class FindingInput:
    unit: object
    description: str
    requirement: str
    deadline: datetime.date


def rectification_due_at(*, deadline, work_calendar=None):
    """The moment an item falls due: 18:00 China time on its deadline, or on
    the next working day when the deadline is a holiday or a weekend."""
    calendar = work_calendar or WorkCalendar.between(deadline, deadline)
    day = calendar.next_working_day(deadline)
    return timezone.make_aware(datetime.datetime.combine(day, DEADLINE_TIME))



def _checked_files(files):
    """Validate every file before anything is written, so that one bad file
    changes nothing."""
    checked = []
    for uploaded in [f for f in files or () if f]:
        try:
            checked.append((uploaded, validate_upload(uploaded)))
        except ValidationError as error:
            raise SupervisionError(error.messages[0]) from error
    return checked


def _score(value, unit):
    if value in (None, ""):
        return None
    try:
        score = Decimal(str(value)).quantize(Decimal("0.1"))
    except (InvalidOperation, ValueError) as error:
        raise SupervisionError(f"{unit}的得分“{value}”不是数字，请填写 0 到 100 之间的分数。") from error
    if not Decimal(0) <= score <= Decimal(100):
        raise SupervisionError(f"{unit}的得分须在 0 到 100 之间，现填写的是 {value}。")
    return score


def _checked_inspection(*, kind, inspected_on, inspectors, units, today):
    """The inspection's own facts checked, as recording and revising need
    them: (inspectors, [(unit, score)]). Raises SupervisionError."""
    if kind not in Inspection.Kind.values:
        raise SupervisionError("请选择检查方式。")
    if inspected_on is None:
        raise SupervisionError("请填写检查日期。")
    if inspected_on > today:
        raise SupervisionError("检查日期不能晚于今天，请登记已经开展的检查。")
    inspectors = required_text(inspectors, "请填写检查人员。", error=SupervisionError)
    scored = kind_has_score(kind)
    checked_units, seen = [], set()
    for unit, score in units:
        if unit.pk in seen:
            raise SupervisionError(f"被检查单位“{unit}”重复了，每个单位只填一次。")
        seen.add(unit.pk)
        score = _score(score, unit)
        if score is not None and not scored:
            raise SupervisionError(f"“{Inspection.Kind(kind).label}”不评分，请不要填写{unit}的得分。")
        checked_units.append((unit, score))
    if not checked_units:
        raise SupervisionError("请至少选择一个被检查单位。")
    return inspectors, checked_units


@transaction.atomic
def record_inspection(
    *, campaign, by, at, kind, inspected_on, inspectors, summary="", units, findings=(), attachments=()
):
    """Record an inspection of `units` (a list of (unit, score or None)), its
    `findings` (FindingInput) and files, and open one rectification item per
    finding. Raises SupervisionError, writing nothing, on bad input."""
    today = timezone.localdate(at)
    inspectors, checked_units = _checked_inspection(
        kind=kind, inspected_on=inspected_on, inspectors=inspectors, units=units, today=today
    )
    seen = {unit.pk for unit, _ in checked_units}
    checked_findings = []
    for number, finding in enumerate(findings, start=1):
        if finding.unit.pk not in seen:
            raise SupervisionError(f"第{number}个问题的责任单位“{finding.unit}”不在被检查单位中，请先选择该单位。")
        description = required_text(finding.description, f"请填写第{number}个问题的具体情况。", error=SupervisionError)
        requirement = required_text(finding.requirement, f"请填写第{number}个问题的整改要求。", error=SupervisionError)
        if finding.deadline is None:
            raise SupervisionError(f"请填写第{number}个问题的整改期限。")
        if finding.deadline <= today:
            raise SupervisionError(f"第{number}个问题的整改期限须晚于今天（{today:%Y-%m-%d}），请重新填写。")
        checked_findings.append(FindingInput(finding.unit, description, requirement, finding.deadline))
    files = _checked_files(attachments)

    inspection = Inspection.objects.create(
        campaign=campaign,
        kind=kind,
        inspected_on=inspected_on,
        inspectors=inspectors,
        summary=(summary or "").strip(),
        created_by=by,
        created_at=at,
    )
    InspectedUnit.objects.bulk_create(
        [InspectedUnit(inspection=inspection, unit=unit, score=score) for unit, score in checked_units]
    )
    if checked_findings:
        _open_items(inspection, checked_findings, campaign=campaign, by=by, at=at)
    for uploaded, content_type in files:
        _store(InspectionAttachment, uploaded, content_type, by=by, at=at, inspection=inspection)
    audit.record(
        action="created",
        obj=inspection,
        actor=by,
        at=at,
        description=f"登记督导检查“{inspection}”",
        changes={
            **{f"得分：{unit}": [None, _score_text(score)] for unit, score in checked_units},
            **({"发现问题": [None, f"{len(checked_findings)} 个"]} if checked_findings else {}),
        },
    )
    return inspection


def _open_items(inspection, findings, *, campaign, by, at):
    """One finding, one rectification item and its 交办 event per finding,
    each kind in one INSERT (the database returns their keys), announced
    together: the same queries for 2 findings as for 600."""
    deadlines = [f.deadline for f in findings]
    calendar = WorkCalendar.between(min(deadlines), max(deadlines))
    rows = Finding.objects.bulk_create(
        [Finding(inspection=inspection, unit=f.unit, description=f.description, created_at=at) for f in findings]
    )
    items = RectificationItem.objects.bulk_create(
        [
            RectificationItem(
                finding=row,
                campaign=campaign,
                unit=f.unit,
                requirement=f.requirement,
                deadline=f.deadline,
                due_at=rectification_due_at(deadline=f.deadline, work_calendar=calendar),
                created_at=at,
            )
            for row, f in zip(rows, findings, strict=True)
        ]
    )
    events = RectificationEvent.objects.bulk_create(
        [
            RectificationEvent(
                item=item, actor=by, action=Action.CREATE, from_status="", to_status=Status.OPEN, created_at=at
            )
            for item in items
        ]
    )
    # Not moves, but the units must hear of their new items like of one.
    transitions.announce_many(
        [
            transitions.Change(obj=item, action=Action.CREATE, old="", new=Status.OPEN, event=event)
            for item, event in zip(items, events, strict=True)
        ],
        by=by,
        at=at,
    )
    return items


def _score_text(score):
    return "未评分" if score is None else f"{score} 分"


@transaction.atomic
def revise_inspection(*, inspection, by, at, kind, inspected_on, inspectors, summary="", units, attachments=()):
    """Correct a saved inspection's own facts (kind, date, inspectors,
    summary, the units covered and their scores) and add files; its findings
    and their items keep their own life. Each change is recorded in an
    InspectionRevision. Returns it, or None when nothing changed. Raises
    SupervisionError, writing nothing, on bad input."""
    inspection = Inspection.objects.select_for_update().get(pk=inspection.pk)
    inspectors, checked_units = _checked_inspection(
        kind=kind, inspected_on=inspected_on, inspectors=inspectors, units=units, today=timezone.localdate(at)
    )
    files = _checked_files(attachments)
    wanted = {unit.pk: (unit, score) for unit, score in checked_units}
    current = {row.unit_id: row for row in inspection.inspected_units.select_related("unit")}
    with_findings = set(inspection.findings.values_list("unit_id", flat=True))
    dropped = [current[pk].unit for pk in current.keys() - wanted.keys() if pk in with_findings]
    if dropped:
        raise SupervisionError(
            f"“{dropped[0]}”在本次检查中有发现问题和整改事项，不能取消勾选。如登记有误，请在整改事项中处理。"
        )

    summary = (summary or "").strip()
    changes = []
    for label, before, after, shown in [
        ("检查方式", inspection.kind, kind, lambda value: Inspection.Kind(value).label),
        ("检查日期", inspection.inspected_on, inspected_on, lambda value: f"{value:%Y-%m-%d}"),
        ("检查人员", inspection.inspectors, inspectors, str),
        ("检查情况", inspection.summary, summary, lambda value: value or "（空）"),
    ]:
        if before != after:
            changes.append({"field": label, "before": shown(before), "after": shown(after)})
    inspection.kind, inspection.inspected_on, inspection.inspectors, inspection.summary = (
        kind, inspected_on, inspectors, summary
    )
    for pk in current.keys() - wanted.keys():
        changes.append({"field": f"被检查单位：{current[pk].unit}", "before": _score_text(current[pk].score), "after": "不再列入"})
    InspectedUnit.objects.filter(inspection=inspection, unit_id__in=current.keys() - wanted.keys()).delete()
    for pk, (unit, score) in wanted.items():
        row = current.get(pk)
        if row is None:
            InspectedUnit.objects.create(inspection=inspection, unit=unit, score=score)
            changes.append({"field": f"被检查单位：{unit}", "before": "未列入", "after": _score_text(score)})
        elif row.score != score:
            changes.append({"field": f"得分：{unit}", "before": _score_text(row.score), "after": _score_text(score)})
            row.score = score
            row.save(update_fields=["score"])
    for uploaded, content_type in files:
        _store(InspectionAttachment, uploaded, content_type, by=by, at=at, inspection=inspection)
        changes.append({"field": "检查附件", "before": "", "after": f"新增“{uploaded.name}”"})
    if not changes:
        return None
    inspection.save(update_fields=["kind", "inspected_on", "inspectors", "summary"])
    audit.record(
        action="changed",
        obj=inspection,
        actor=by,
        at=at,
        description=f"修改督导检查“{inspection}”",
        changes={change["field"]: [change["before"], change["after"]] for change in changes},
    )
    return InspectionRevision.objects.create(inspection=inspection, actor=by, created_at=at, changes=changes)


def _store(model, uploaded, content_type, *, by, at, **owner):
    stored = model.from_upload(uploaded, content_type, by=by, uploaded_at=at, **owner)
    stored.save()
    return stored


def _move(item, action, *, by, at, refusal, comment=""):
    """Move the item (see core.transitions); a refused move raises with
    `refusal(current item)`. The caller's copy then shows the new state."""
    transitions.transition(
        item, action, by=by, at=at, comment=comment, refusal=lambda current: SupervisionError(refusal(current))
    )
    item.refresh_from_db()


def _state_message(item):
    return f"该整改事项当前状态为“{item.get_status_display()}”，不能进行此操作。请刷新页面查看最新状态。"


@transaction.atomic
def start_work(*, item, by, at):
    """The unit marks an open or rejected item as being worked on (整改中)."""
    _move(item, Action.START, by=by, at=at, refusal=_state_message)
    return item


@transaction.atomic
def submit_response(*, item, by, at, text, files=()):
    """The unit sends its rectification report with evidence; the item
    awaits the office's verification."""
    text = required_text(text, "请填写整改情况：做了哪些整改、取得什么效果。", error=SupervisionError)
    files = _checked_files(files)
    _move(
        item,
        Action.SUBMIT,
        by=by,
        at=at,
        refusal=lambda current: (
            "整改报告已经提交，正在等待领导小组办公室核验，不能重复提交。"
            if current.status == Status.SUBMITTED
            else _state_message(current)
        ),
    )
    response = RectificationResponse.objects.create(item=item, text=text, submitted_by=by, submitted_at=at)
    for uploaded, content_type in files:
        _store(RectificationEvidence, uploaded, content_type, by=by, at=at, response=response)
    return response


def _decided_message(current):
    if current.status == Status.CLOSED:
        return "该整改事项已经核验销号（可能是同事刚刚操作），无需再次处理。"
    if current.status == Status.REJECTED:
        return "该整改事项已被退回（可能是同事刚刚操作），请等待单位重新提交。"
    return "该整改事项没有待核验的整改报告，不能核验或退回。请刷新页面查看最新状态。"


def _decide(item, *, by, at, decision, comment):
    updated = RectificationResponse.objects.filter(item=item, decision=Decision.PENDING).update(
        decision=decision, decided_by=by, decided_at=at, decision_comment=comment
    )
    if updated != 1:
        raise SupervisionError(_decided_message(item))


@transaction.atomic
def verify(*, item, by, at, comment=""):
    """The office accepts the rectification: the item is closed (销号)."""
    comment = (comment or "").strip()
    _move(item, Action.VERIFY, by=by, at=at, comment=comment, refusal=_decided_message)
    _decide(item, by=by, at=at, decision=Decision.VERIFIED, comment=comment)
    return item


@transaction.atomic
def reject(*, item, by, at, reason):
    """The office sends the rectification back with a reason; the unit answers again."""
    reason = required_text(reason, "退回时请填写理由，说明还需要整改什么，单位才能据此重新整改。", error=SupervisionError)
    _move(item, Action.REJECT, by=by, at=at, comment=reason, refusal=_decided_message)
    _decide(item, by=by, at=at, decision=Decision.REJECTED, comment=reason)
    return item
