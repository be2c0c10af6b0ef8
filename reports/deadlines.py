"""Supervised task deadlines (督办): where each task stands against its
deadline (`Task.due_on`), and its 办结 — the lead unit applies with evidence,
the office confirms or returns it (`Task.TRANSITIONS`, `TaskEvent`).

- **Deadline status**: 已办结（按期）/ 已办结（逾期） by the day the lead unit
  applied for the 办结 that the office confirmed; 办结待确认 while it waits;
  otherwise 已逾期 after the deadline, 即将到期 within `DUE_SOON_DAYS` of it,
  未到期 before that, 未设时限 without a deadline.
- **Traffic light** against 序时进度 (the share of the task's span elapsed,
  from its phase's first day, or the campaign's, to its deadline): red when
  overdue; yellow when the task's progress (`reports.progress`, the one
  definition) lags the elapsed share by more than `LAG_POINTS` points; green
  otherwise. A task applied for on time or finished has no light.
"""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Prefetch
from django.utils import timezone

from core import transitions
from core.dates import date_text
from core.errors import Refused, required_text
from tasks.models import Task, TaskEvent, TaskEvidence

from .files import validate_upload
from .progress import with_progress

DUE_SOON_DAYS = 7
LAG_POINTS = 20

Status = Task.Status
Action = TaskEvent.Action


class DeadlineRefused(Refused):
    """A 办结 step refused; the message says why and what to do."""


@dataclass(frozen=True)
class Standing:
    """Where a task stands against its deadline, as the 督办 pages show it."""

    key: str  # none, not_due, due_soon, overdue, declared, on_time, late
    label: str
    light: str  # "", green, yellow, red
    elapsed: int | None  # 序时进度, percent of the span elapsed
    days_left: int | None  # negative when overdue

    @property
    def light_label(self):
        return {"green": "绿灯", "yellow": "黄灯", "red": "红灯"}.get(self.light, "")


def span_start(task):
    """The first day of the task's span: its phase's, else the campaign's."""
    if task.phase_id and task.phase.starts_on:
        return task.phase.starts_on
    return task.campaign.starts_on


def elapsed_share(task, today):
    """序时进度: the percent (0–100) of the span from its start to the deadline
    that has passed by `today`; None without a deadline."""
    if task.due_on is None:
        return None
    start = span_start(task)
    total = (task.due_on - start).days
    if total <= 0:
        return 100 if today >= task.due_on else 0
    return max(0, min(100, round((today - start).days * 100 / total)))


def standing(task, *, today, progress=None):
    """The task's Standing on `today`; `progress` is its percent (None: none)."""
    due = task.due_on
    if task.status != Status.OPEN:
        applied = timezone.localdate(task.declared_at)
        late = due is not None and applied > due
        if task.status == Status.DECLARED:
            return Standing("declared", "办结待确认", "red" if late else "", elapsed_share(task, today), None)
        return Standing("late" if late else "on_time", "已办结（逾期）" if late else "已办结（按期）", "", None, None)
    if due is None:
        return Standing("none", "未设时限", "", None, None)
    days_left = (due - today).days
    elapsed = elapsed_share(task, today)
    if days_left < 0:
        return Standing("overdue", "已逾期", "red", elapsed, days_left)
    light = "yellow" if elapsed - (progress or 0) > LAG_POINTS else "green"
    if days_left <= DUE_SOON_DAYS:
        return Standing("due_soon", "即将到期", light, elapsed, days_left)
    return Standing("not_due", "未到期", light, elapsed, days_left)


def supervised_tasks(tasks, *, today):
    """The tasks (a queryset) with their progress and Standing, in plan order,
    each as `task.standing` (3 queries whatever the number of tasks)."""
    rows = list(
        with_progress(tasks)
        .select_related("campaign", "phase", "lead_unit")
        .prefetch_related(
            Prefetch(
                "events",
                queryset=TaskEvent.objects.select_related("actor").prefetch_related("evidence"),
            )
        )
        .order_by("tree_path")
    )
    for task in rows:
        task.standing = standing(task, today=today, progress=task.progress_percent)
    return rows


def overdue_tasks(tasks, *, today):
    """The tasks past their deadline and not applied for: the dashboard's and workbook's list."""
    return tasks.filter(due_on__lt=today, status=Status.OPEN, lead_unit__isnull=False)


def _checked_files(files):
    checked = []
    for uploaded in [f for f in files or () if f]:
        try:
            checked.append((uploaded, validate_upload(uploaded)))
        except ValidationError as error:
            raise DeadlineRefused(error.messages[0]) from error
    return checked


def _state_message(task):
    return f"该任务当前为“{task.get_status_display()}”，不能进行此操作。请刷新页面查看最新状态。"


@transaction.atomic
def declare(*, task, by, at, text, files=()):
    """The lead unit applies for 办结 (办结申请) with what it did and evidence."""
    text = required_text(text, "请填写办结情况：完成了哪些工作、取得什么成效。", error=DeadlineRefused)
    files = _checked_files(files)
    change = transitions.transition(
        task,
        "declare",
        by=by,
        at=at,
        comment=text,
        refusal=lambda current: DeadlineRefused(
            "办结申请已经提交，正在等待领导小组办公室确认，不能重复提交。"
            if current.status == Status.DECLARED
            else _state_message(current)
        ),
    )
    for uploaded, content_type in files:
        TaskEvidence.from_upload(uploaded, content_type, by=by, event=change.event, uploaded_at=at).save()
    task.refresh_from_db()
    return change.event


def _decided_message(current):
    if current.status == Status.FINISHED:
        return "该任务已经确认办结（可能是同事刚刚操作），无需再次处理。"
    return "该任务没有待确认的办结申请（可能已被退回），请刷新页面查看最新状态。"


def confirm(*, task, by, at, comment=""):
    """The office confirms the 办结: the task is finished."""
    transitions.transition(
        task, "confirm", by=by, at=at, comment=(comment or "").strip(),
        refusal=lambda current: DeadlineRefused(_decided_message(current)),
    )
    task.refresh_from_db()
    return task


def send_back(*, task, by, at, reason):
    """The office returns the 办结申请 with a reason; the unit works on and applies again."""
    reason = required_text(reason, "退回时请填写理由，说明还差什么，牵头单位才能据此继续办理。", error=DeadlineRefused)
    transitions.transition(
        task, "return", by=by, at=at, comment=reason,
        refusal=lambda current: DeadlineRefused(_decided_message(current)),
    )
    task.refresh_from_db()
    return task


def due_text(task):
    return date_text(task.due_on) if task.due_on else "未设时限"
