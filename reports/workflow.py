"""A report's life: draft, (sign-off), submit, return or accept; exemptions,
reopening and extensions. Every transition goes through core.transitions: it
checks the state it starts from against the model's table, records a
ReviewEvent with its actor and time (an extension request keeps its decision
on its own row), and runs in a transaction on a locked row, so two people
acting at once cannot both succeed.

Callers check permission first (`reports.access`); these functions check
the state machine and keep the record.
"""

import calendar
import datetime
from decimal import Decimal

from django.conf import settings
from django.db import transaction
from django.db.models import F, FilteredRelation, Q
from django.utils import timezone
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from campaigns.models import Campaign, Membership
from core import transitions
from core.dates import date_text
from core.errors import Refused, required_text

from . import similarity
from .files import validate_upload
from .models import (
    UNIT_EDIT,
    Attachment,
    ExtensionRequest,
    IndicatorValue,
    Report,
    ReportVersion,
    ReviewEvent,
    TaskProgress,
)

Status = Report.Status
Action = ReviewEvent.Action


class WorkflowError(Refused):
    """A refused step of a report's workflow."""


class EditConflict(WorkflowError):
    pass


def _row(report):
    return Report.objects.select_related("period__rule", "unit").filter(pk=report.pk)


def _locked(report):
    return transitions.locked(_row(report))


def _move(report, action, *, by, at, refusal, **options):
    """Move the report (see core.transitions). The dashboard's rates and
    indicator figures follow in this transaction (reports.tallies, the
    Report.save() hook); the tasks' progress, which counts accepted reports
    only, is read again after a move into or out of 审核通过."""
    target = report if options.get("held") else _row(report)
    change = transitions.transition(target, action, by=by, at=at, refusal=refusal, **options)
    report = change.obj
    if Report.Status.ACCEPTED in (change.old, change.new):
        Campaign.figures_changed(campaign_id=report.period.rule.campaign_id)
    return report



def unit_tasks(report):
    """The tasks the report's unit leads or supports in the report's campaign."""
    from tasks.models import Task

    # Supported tasks as a subquery of the unit's own links, not a join: a
    # join with OR across two tables makes PostgreSQL read every task of the
    # campaign and every support link of every campaign, then DISTINCT them.
    supported = Task.co_units.through.objects.filter(unit_id=report.unit_id).values("task_id")
    return Task.objects.filter(
        Q(lead_unit=report.unit_id) | Q(pk__in=supported), campaign=report.period.rule.campaign_id
    ).order_by("tree_path")


PROGRESS_FIELDS = ["id", "status", "percent", "note"]


def tasks_with_progress(report):
    """The report's `unit_tasks`, each with `current`, its progress row in
    this report (a TaskProgress, or None), in one query."""
    tasks = list(
        unit_tasks(report)
        .annotate(current_row=FilteredRelation("progress", condition=Q(progress__report=report.pk)))
        .annotate(**{f"current_{name}": F(f"current_row__{name}") for name in PROGRESS_FIELDS})
    )
    for task in tasks:
        task.current = None
        if task.current_id is not None:
            task.current = TaskProgress(
                report_id=report.pk, task=task, **{name: getattr(task, f"current_{name}") for name in PROGRESS_FIELDS}
            )
    return tasks


VALUE_FIELDS = ["id", "value", "allow_negative"]


def indicators_with_values(report):
    """The indicators the report's rule asks for, in order, each with
    `current`, its figure in this report (an IndicatorValue, or None), in one query."""
    indicators = list(
        report.period.rule.indicators.annotate(current_row=FilteredRelation("values", condition=Q(values__report=report.pk)))
        .annotate(**{f"current_{name}": F(f"current_row__{name}") for name in VALUE_FIELDS})
        .order_by("position", "id")
    )
    for indicator in indicators:
        indicator.current = None
        if indicator.current_id is not None:
            indicator.current = IndicatorValue(
                report_id=report.pk,
                indicator=indicator,
                **{name: getattr(indicator, f"current_{name}") for name in VALUE_FIELDS},
            )
    return indicators


def lock(report):
    """The report's row, locked until the transaction ends, with its period,
    rule and unit: for a caller that takes several steps on it (`held=True`)."""
    return _locked(report)


def save_draft(
    *, report, by, at, expected_version, work_done="", problems="", next_steps="", task_progress=None, indicator_values=None,
    held=False, tasks=None, indicators=None, write_row=True,
):
    """Save the unit's working copy. `task_progress` maps task id to
    (status, percent, note); `indicator_values` maps indicator id to a
    Decimal, or None to clear it. Refused when someone saved in between.
    `held`: `report` is `lock()`'s row, in the caller's transaction; then
    `tasks` and `indicators` may be what `tasks_with_progress` and
    `indicators_with_values` read under that lock, rather than read again,
    and `write_row=False` leaves the report's own row changed in memory only,
    for the caller's next step to write: a save that is sent at once
    (services.save_report) writes the row, and its history, once."""
    if not held:
        tasks = indicators = None
        write_row = True
    with transaction.atomic(savepoint=not held):
        return _save_draft(
            report=report if held else _locked(report), by=by, at=at, expected_version=expected_version,
            work_done=work_done, problems=problems, next_steps=next_steps, task_progress=task_progress,
            indicator_values=indicator_values, tasks=tasks, indicators=indicators, write_row=write_row,
        )


def _save_draft(
    *, report, by, at, expected_version, work_done, problems, next_steps, task_progress, indicator_values, tasks, indicators,
    write_row=True,
):
    if report.version != expected_version:
        raise EditConflict(
            "保存失败：在您编辑期间，这份报送已被他人修改并保存。您的内容没有覆盖对方的修改。"
            "请复制您填写的内容，刷新页面查看最新内容后再修改。"
        )
    if not report.is_editable_by_unit(at):
        raise WorkflowError(not_editable_message(report, at))
    report.work_done, report.problems, report.next_steps = work_done.strip(), problems.strip(), next_steps.strip()
    if report.status == Status.NOT_STARTED:
        report.status = Status.DRAFT
    report.version += 1
    if write_row:
        report.save()
    if task_progress:
        _save_progress(report, task_progress, by=by, at=at, tasks=tasks)
    if indicator_values is not None:
        _save_figures(report, indicator_values, by=by, at=at, indicators=indicators)
    return report


def _save_progress(report, task_progress, *, by, at, tasks=None):
    """Write the changed progress rows in bulk, each with its history row
    (`UNIT_EDIT`, by, at): the same queries for 3 tasks or 30."""
    tasks = {task.pk: task for task in (tasks_with_progress(report) if tasks is None else tasks)}
    created, changed = [], []
    for task_id, (status, percent, note) in task_progress.items():
        if task_id not in tasks:
            continue
        new = (status, percent, (note or "").strip())
        progress = tasks[task_id].current
        if progress is None:
            created.append(TaskProgress(report=report, task_id=task_id, status=new[0], percent=new[1], note=new[2]))
        elif (progress.status, progress.percent, progress.note) != new:
            progress.status, progress.percent, progress.note = new
            changed.append(progress)
    history = {"default_user": by, "default_date": at, "default_change_reason": UNIT_EDIT}
    if created:
        bulk_create_with_history(created, TaskProgress, **history)
    if changed:
        bulk_update_with_history(changed, TaskProgress, ["status", "percent", "note"], **history)


def _save_figures(report, indicator_values, *, by, at, indicators=None):
    """Write, change or clear the figures in bulk, each with its history row."""
    indicators = indicators_with_values(report) if indicators is None else indicators
    allowed = {indicator.pk: indicator for indicator in indicators}
    created, changed, cleared = [], [], []
    for indicator_id, value in indicator_values.items():
        indicator = allowed.get(indicator_id)
        if indicator is None:
            continue
        figure = indicator.current
        if value is None:
            if figure is not None:
                cleared.append(figure)
            continue
        value = Decimal(value)
        # Copied as IndicatorValue.save() copies it: the database refuses a
        # negative figure of an indicator that allows none.
        if figure is None:
            created.append(
                IndicatorValue(report=report, indicator=indicator, value=value, allow_negative=indicator.allow_negative)
            )
        elif figure.value != value:
            figure.indicator, figure.value, figure.allow_negative = indicator, value, indicator.allow_negative
            changed.append(figure)
    history = {"default_user": by, "default_date": at, "default_change_reason": UNIT_EDIT}
    if cleared:
        _delete_with_history(cleared, IndicatorValue, by=by, at=at)
    if created:
        bulk_create_with_history(created, IndicatorValue, **history)
    if changed:
        bulk_update_with_history(changed, IndicatorValue, ["value", "allow_negative"], **history)


def _delete_with_history(rows, model, *, by, at):
    """Delete `rows` in one query, with their "-" history rows in another, as
    `bulk_create_with_history` writes its "+" rows (simple_history has no
    bulk delete; a queryset's delete() would write one history row per row)."""
    History = model.history.model
    History.objects.bulk_create(
        [
            History(
                history_date=at,
                history_user=by,
                history_change_reason=UNIT_EDIT,
                history_type="-",
                **{field.attname: getattr(row, field.attname) for field in History.tracked_fields},
            )
            for row in rows
        ]
    )
    rows_gone = model.objects.filter(pk__in=[row.pk for row in rows])
    # Nothing refers to these rows and no receiver but history's listens.
    rows_gone._raw_delete(rows_gone.db)


def not_editable_message(report, at):
    if report.is_locked(at):
        return "本期报送已锁定，不能再填报。如确有需要，请联系领导小组办公室重新开放。"
    if report.status == Status.EXEMPT:
        return "本期已免报，无需填报。"
    if report.status == Status.PENDING_SIGN_OFF:
        return "报送已提交单位负责人审核，审核前不能修改。"
    return "报送已提交，办公室退回前不能修改。"


def needs_sign_off(report, by):
    """A unit with a head sends reports through the head, unless the head sends."""
    heads = set(
        Membership.objects.filter(unit_id=report.unit_id, role=Membership.Role.UNIT_HEAD, is_active=True).values_list(
            "user_id", flat=True
        )
    )
    return bool(heads) and by.pk not in heads


def submit(*, report, by, at, late_reason="", held=False):
    """Send the working copy as a new immutable version, to the unit head
    where the unit has one, otherwise to the office. Lateness is recorded,
    never blocked; a late first submission needs a reason. `held`: `report`
    is `lock()`'s row, in the caller's transaction."""
    with transaction.atomic(savepoint=not held):
        return _submit(report=report, by=by, at=at, late_reason=late_reason, held=held)


def _submit(*, report, by, at, late_reason, held):
    def prepare(report):
        if report.is_locked(at):
            raise WorkflowError(not_editable_message(report, at))
        if not report.work_done.strip():
            raise WorkflowError("请先填写“开展情况”并保存，再报送。")
        if report.submitted_at is None and at > report.due_at:
            report.late_reason = required_text(late_reason, "本期已超过截止时间，请填写逾期说明后再报送。", error=WorkflowError)
            report.submitted_at = at
        elif report.submitted_at is None:
            report.submitted_at = at
        report.reopened = False
        report.version += 1
        # The version and the fingerprints are written before the row is
        # saved: saving it moves the tallies, whose rows every submission of
        # the period shares (reports.tallies, indicator_tallies), and they
        # stay locked from there to the commit. Nothing refuses the move
        # after this point, and a refusal before it undoes all of it.
        _snapshot(report, by=by, at=at)
        similarity.index_report(report, at=at)

    return _move(
        report,
        Action.SUBMIT,
        by=by,
        at=at,
        to=Status.PENDING_SIGN_OFF if needs_sign_off(report, by) else Status.SUBMITTED,
        refusal=lambda report: WorkflowError(not_editable_message(report, at)),
        prepare=prepare,
        held=held,
    )


def _snapshot(report, *, by, at):
    number = report.versions.count() + 1
    version = ReportVersion.objects.create(
        report=report,
        number=number,
        submitted_by=by,
        submitted_at=at,
        work_done=report.work_done,
        problems=report.problems,
        next_steps=report.next_steps,
        late_reason=report.late_reason,
        task_progress=[
            {
                "task": p.task_id,
                "code": p.task.code,
                "title": p.task.title,
                "status": p.status,
                "percent": p.percent,
                "note": p.note,
            }
            for p in report.task_progress.select_related("task").order_by("task__tree_path")
        ],
        indicator_values=[
            {
                "indicator": v.indicator_id,
                "name": v.indicator.name,
                "measure_unit": v.indicator.measure_unit,
                "value": str(v.value),
            }
            for v in report.indicator_values.select_related("indicator").order_by("indicator__position")
        ],
    )
    # A new version holds no attachment yet: one insert of the links, no read of them.
    kept = report.attachments.filter(removed_at__isnull=True).order_by().values_list("pk", flat=True)
    Link = ReportVersion.attachments.through
    Link.objects.bulk_create([Link(reportversion=version, attachment_id=pk) for pk in kept])
    return version


NOT_PENDING_SIGN_OFF = "这份报送不在待单位负责人审核状态，可能已被处理，请刷新页面。"


def _requiring(comment, message):
    """A `prepare` that refuses a blank comment, once the table allowed the move."""

    def prepare(report):
        required_text(comment, message, error=WorkflowError)

    return prepare


@transaction.atomic
def sign_off(*, report, by, at):
    return _move(report, Action.SIGN_OFF, by=by, at=at, refusal=WorkflowError(NOT_PENDING_SIGN_OFF))


@transaction.atomic
def head_return(*, report, by, at, comment):
    comment = (comment or "").strip()
    return _move(
        report,
        Action.HEAD_RETURN,
        by=by,
        at=at,
        comment=comment,
        refusal=WorkflowError(NOT_PENDING_SIGN_OFF),
        prepare=_requiring(comment, "退回时请填写退回意见，说明需要修改的内容。"),
    )


def _seen(expected_version):
    """A `check` refusing a review of a page that no longer shows what the unit sent."""

    def check(report):
        if expected_version is not None and expected_version != report.version:
            raise EditConflict("这份报送在您打开页面后已重新报送或修改，请查看最新内容后再审核。")

    return check


def _not_submitted(verb):
    return lambda report: WorkflowError(
        "只能%s“已报送”的报送；这份报送当前为“%s”，请刷新页面。" % (verb, report.get_status_display())
    )


def _in_batch(batch):
    """A `prepare` marking the move's event with the bulk action it belongs to."""

    def prepare(report):
        report.event_batch = batch

    return prepare


@transaction.atomic
def accept(*, report, by, at, comment="", expected_version=None, batch=None):
    return _move(
        report,
        Action.ACCEPT,
        by=by,
        at=at,
        comment=(comment or "").strip(),
        refusal=_not_submitted("审核"),
        check=_seen(expected_version),
        prepare=_in_batch(batch) if batch else None,
    )


def accept_many(*, reports, by, at, batch=None):
    """Accept each submitted report, each event marked with `batch` (a UUID)
    so that the whole bulk action can be undone; returns how many were accepted."""
    accepted = 0
    for report in reports:
        try:
            accept(report=report, by=by, at=at, batch=batch)
        except WorkflowError:
            continue
        accepted += 1
    return accepted


def _last_event(report):
    return report.events.select_related("actor").order_by("-created_at", "-id").first()


NOT_WITHDRAWABLE = "只能撤回已报送、尚未审核的报送；这份报送当前为“%s”，请刷新页面。"


@transaction.atomic
def withdraw(*, report, by, at):
    """撤回: the unit takes back a report nobody has acted on yet.

    The report goes back to the state it had before that submission: a draft
    (or 已退回, when the withdrawn submission answered a return), editable,
    with its content. A withdrawn first submission was never sent as far as
    lateness goes: `submitted_at` is cleared, so sending it again after the
    deadline is late and needs a 逾期说明. The sent version stays on record.
    """
    report = _locked(report)
    if report.status not in Report.TRANSITIONS[Action.WITHDRAW][0]:
        raise WorkflowError(NOT_WITHDRAWABLE % report.get_status_display())
    last = _last_event(report)
    if last is None or last.action != Action.SUBMIT:
        raise WorkflowError("单位负责人已审核通过并提交办公室，不能再撤回。如需修改，请联系领导小组办公室退回。")
    if report.joint_answers.exists():
        # Its twin was sent with the same text: withdrawing one alone would
        # leave the office reviewing what the unit took back.
        raise WorkflowError("这份报送同时作为另一份报送报送过，不能单独撤回。如需修改，请联系领导小组办公室退回。")
    back = Status.RETURNED if last.from_status == Status.RETURNED else Status.DRAFT
    if back == Status.DRAFT:
        locks_at = report.locks_at()
        if locks_at is not None and at > locks_at:
            raise WorkflowError("本期报送已锁定，撤回后将不能再次报送，因此不能撤回。如需修改，请联系领导小组办公室。")

    def prepare(report):
        if back == Status.DRAFT:
            report.submitted_at = None
        report.version += 1

    similarity.forget_report(report)
    return _move(
        report,
        Action.WITHDRAW,
        by=by,
        at=at,
        to=back,
        refusal=lambda report: WorkflowError(NOT_WITHDRAWABLE % report.get_status_display()),
        prepare=prepare,
    )


def undo_window():
    return datetime.timedelta(hours=settings.REVIEW_UNDO_HOURS)


def _hours():
    return f"{settings.REVIEW_UNDO_HOURS:g}"


def undo_refusal(report, last, *, by, at):
    """Why `by` cannot take back the review `last` (the report's latest
    event) at `at`, or None."""
    if last is None or last.action not in (Action.ACCEPT, Action.RETURN) or report.status != last.to_status:
        return "审核后这份报送已有新的办理（如单位已重新报送），不能撤销审核，请刷新页面查看。"
    if last.actor_id != by.pk:
        return f"只能撤销您本人的审核；这份报送由{last.actor}审核。"
    if at > last.created_at + undo_window():
        return f"审核已超过 {_hours()} 小时，不能再撤销。"
    if last.report_version is not None and report.version != last.report_version:
        return "单位已开始修改这份退回的报送，不能撤销退回。"
    return None


def can_undo_review(report, *, by, at, last=None):
    """The review `by` may still take back (the report's latest event), or None."""
    last = last if last is not None else _last_event(report)
    return last if last is not None and undo_refusal(report, last, by=by, at=at) is None else None


@transaction.atomic
def undo_review(*, report, by, at, event=None):
    """撤销审核: the office takes back its own accept or return, within
    REVIEW_UNDO_HOURS and while nothing has happened to the report since;
    the report is back in the queue as 已报送, and the undo is on record.
    With `event` (a bulk action's), only that review is taken back."""
    report = _locked(report)
    last = _last_event(report)
    if event is not None and (last is None or last.pk != event.pk):
        raise WorkflowError("批量操作后这份报送已有新的办理，不能撤销。")
    refused = undo_refusal(report, last, by=by, at=at)
    if refused:
        raise WorkflowError(refused)

    def prepare(report):
        report.version += 1

    return _move(
        report,
        Action.UNDO_REVIEW,
        by=by,
        at=at,
        comment=f"撤销{last.get_action_display()}",
        refusal=WorkflowError(refused or "这份报送不能撤销审核。"),
        prepare=prepare,
    )


def batch_events(*, batch, by):
    """The acceptances of one bulk action of `by`, with their reports."""
    return (
        ReviewEvent.objects.filter(batch=batch, actor=by, action=Action.ACCEPT)
        .select_related("report__unit", "report__period__rule__campaign")
        .order_by("report__unit__sort_order", "report__unit__name", "report__period__due_at", "id")
    )


def undo_batch(*, batch, by, at):
    """Take back every acceptance of one bulk action that may still be taken
    back; returns (the reports put back, [(report, why not)])."""
    undone, kept = [], []
    for event in batch_events(batch=batch, by=by):
        try:
            undone.append(undo_review(report=event.report, by=by, at=at, event=event))
        except WorkflowError as refused:
            kept.append((event.report, refused.message))
    return undone, kept


@transaction.atomic
def return_report(*, report, by, at, comment, expected_version=None):
    comment = (comment or "").strip()
    return _move(
        report,
        Action.RETURN,
        by=by,
        at=at,
        comment=comment,
        refusal=_not_submitted("退回"),
        check=_seen(expected_version),
        prepare=_requiring(comment, "退回时请填写退回意见，说明需要修改或补充的内容。"),
    )


@transaction.atomic
def exempt(*, report, by, at, reason):
    """Excuse the unit from this period (免报): no longer owed, never counted missing."""
    reason = (reason or "").strip()
    report = _move(
        report,
        Action.EXEMPT,
        by=by,
        at=at,
        comment=reason,
        refusal=WorkflowError("只能对尚未报送的单位免报。"),
        prepare=_requiring(reason, "免报时请填写理由。"),
    )
    # An exempt report owes nothing: a pending request for more time is moot.
    for request in report.extension_requests.filter(status=ExtensionRequest.Status.PENDING):
        transitions.transition(
            request, "refuse", by=by, at=at, comment="本期已免报，无需延期。", refusal=WorkflowError(EXTENSION_DECIDED)
        )
    return report


@transaction.atomic
def reopen(*, report, by, at, reason):
    """Let one unit report into a locked period (an exception, with a reason)."""
    reason = (reason or "").strip()
    not_locked = WorkflowError("本期报送没有锁定，单位可以直接填报，无需重新开放。")

    def prepare(report):
        if not report.is_locked(at):
            raise not_locked
        required_text(reason, "重新开放时请填写理由。", error=WorkflowError)
        report.reopened = True

    return _move(report, Action.REOPEN, by=by, at=at, comment=reason, refusal=not_locked, prepare=prepare)


# An extension may reach past the campaign's end, to let a unit finish its
# last reports, but not indefinitely: three months after the end at most.
EXTENSION_MONTHS_AFTER_END = 3


def latest_extension(report):
    """The last moment an extension of `report` may reach: the end of the day
    three months after its campaign ends."""
    ends_on = Campaign.objects.values_list("ends_on", flat=True).get(reporting_rules__periods__reports=report)
    month = ends_on.month - 1 + EXTENSION_MONTHS_AFTER_END
    year, month = ends_on.year + month // 12, month % 12 + 1
    last_day = calendar.monthrange(year, month)[1]
    day = datetime.date(year, month, min(ends_on.day, last_day))
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(23, 59)))


def _check_extension_bound(report, until):
    latest = latest_extension(report)
    if until > latest:
        raise WorkflowError(
            f"延期不能晚于{date_text(timezone.localdate(latest))}（活动结束后{EXTENSION_MONTHS_AFTER_END}个月），请检查日期是否填错。"
        )


@transaction.atomic
def request_extension(*, report, by, at, until, reason):
    report = _locked(report)
    if report.status not in Report.OWED_STATUSES:
        raise WorkflowError("只能为尚未报送的报送申请延期。")
    if at >= report.due_at:
        raise WorkflowError("已过截止时间，不能再申请延期。请尽快报送并填写逾期说明。")
    if until <= report.due_at:
        raise WorkflowError("申请延期至的时间必须晚于现在的截止时间。")
    _check_extension_bound(report, until)
    if report.extension_requests.filter(status=ExtensionRequest.Status.PENDING).exists():
        raise WorkflowError("本期已有一份待审批的延期申请，请等待办公室答复。")
    reason = required_text(reason, "请填写延期理由。", error=WorkflowError)
    return ExtensionRequest.objects.create(
        report=report, requested_by=by, requested_at=at, requested_due_at=until, reason=reason
    )


EXTENSION_DECIDED = "这份延期申请已经处理过了。"


@transaction.atomic
def decide_extension(*, request, by, at, grant, new_due_at=None, comment=""):
    # The report first, then the request: the order 免报 (exempt) takes them
    # in, so the two never wait on each other's second lock.
    locked_report = _locked(request.report)

    def prepare(request):
        report = locked_report
        if not grant:
            return
        if report.status not in Report.OWED_STATUSES:
            raise WorkflowError("该单位本期已报送或已免报，不能再延期。")
        due_at = new_due_at or request.requested_due_at
        if due_at <= at:
            raise WorkflowError("批准延期至的时间必须晚于现在。")
        if due_at <= report.due_at:
            raise WorkflowError("批准延期至的时间必须晚于原截止时间。")
        _check_extension_bound(report, due_at)
        if report.submitted_at is not None:
            # Lateness is judged against the deadline at submission.
            raise WorkflowError("该单位已经报送，不能再延期。")
        request.granted_due_at = due_at
        report.due_at = due_at
        report.save()  # the tallies follow (reports.tallies)

    return transitions.transition(
        request,
        "grant" if grant else "refuse",
        by=by,
        at=at,
        comment=(comment or "").strip(),
        refusal=WorkflowError(EXTENSION_DECIDED),
        prepare=prepare,
    ).obj


def add_attachment(*, report, by, at, uploaded, held=False):
    """Keep `uploaded` with the unit's working copy; `held`: `report` is
    `lock()`'s row, in the caller's transaction."""
    from django.core.exceptions import ValidationError

    with transaction.atomic(savepoint=not held):
        report = report if held else _locked(report)
        if not report.is_editable_by_unit(at):
            raise WorkflowError(not_editable_message(report, at))
        try:
            content_type = validate_upload(uploaded)
        except ValidationError as error:
            raise WorkflowError(error.messages[0]) from error
        attachment = Attachment.from_upload(uploaded, content_type, by=by, report=report)
        attachment.save()
        return attachment


@transaction.atomic
def remove_attachment(*, attachment, by, at):
    report = _locked(attachment.report)
    if not report.is_editable_by_unit(at):
        raise WorkflowError(not_editable_message(report, at))
    if attachment.versions.exists():
        # Part of a version the office has seen: keep the file for the record.
        attachment.removed_at = at
        attachment.save(update_fields=["removed_at"])
    else:
        attachment.file.delete(save=False)
        attachment.delete()
