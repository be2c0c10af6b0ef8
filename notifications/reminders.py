"""The reminder sweep: who must be reminded of which report, rectification
item (整改事项) or supervised task deadline (任务督办), exactly once.

`due_reminders(at=...)` works out what is due in a fixed number of queries,
whatever the number of units and reports; `sweep(at=...)` claims it in the
database and turns it into one digest per person; `deliveries.send_due()`
sends the digests. Jobs and the `send_reminders` command call these.
"""

import datetime
import logging
from collections import defaultdict
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from calendars.models import WorkCalendar
from campaigns.models import Campaign, Membership
from core.dates import day_time_text
from reports.models import Report
from supervision.models import RectificationItem
from tasks.models import Task

from .models import Delivery, Reminder, new_token
from .services import Message, notify_each

logger = logging.getLogger(__name__)

# Daily overdue reminders stop after this many days: by then the office
# chases by hand (催报) and the escalation has gone out.
OVERDUE_REMINDER_DAYS = 14

# Rectification items have no reporting rule of their own: they are reminded
# with the lead times and escalation of their campaign's first reporting rule
# (the one the units know), or with these where a campaign has no rule.
RECTIFICATION_LEAD_HOURS = [24]
RECTIFICATION_ESCALATE_AFTER_DAYS = 3
# Items the unit still has to act on; a submitted item waits for the office.
# A supervised task (Task.due_on, a day) falls due at the end of its working
# day, moved to the next working day when it is a holiday. Its lead unit's
# liaisons are reminded this many working days before (only the nearest), on
# the day, and these many working days after; its head and the office from
# TASK_ESCALATE_AFTER working days after.
TASK_LEAD_WORKING_DAYS = [5, 1]
TASK_OVERDUE_WORKING_DAYS = [1, 5, 10]
TASK_ESCALATE_AFTER = 5
TASK_WINDOW_DAYS = 40  # calendar days around today that hold these working days
REMINDED_ITEM_STATUSES = [
    RectificationItem.Status.OPEN,
    RectificationItem.Status.IN_PROGRESS,
    RectificationItem.Status.REJECTED,
]


@dataclass(frozen=True)
class Due:
    """One reminder that should go out: a report (or a rectification item),
    a kind, a person."""

    report: Report | None
    kind: str
    recipient_id: int
    recipient_username: str
    recipient_name: str
    recipient_email: str
    item: RectificationItem | None = None
    task: Task | None = None

    @property
    def target(self):
        if self.task is not None:
            return self.task
        return self.report if self.report is not None else self.item

    @property
    def target_key(self):
        if self.task is not None:
            return ("task", self.task.pk)
        return ("report", self.report.pk) if self.report is not None else ("item", self.item.pk)

    @property
    def key(self):
        return (*self.target_key, self.kind, self.recipient_id)

    @property
    def unit(self):
        return self.task.lead_unit if self.task is not None else self.target.unit

    @property
    def campaign(self):
        if self.task is not None:
            return self.task.campaign
        return self.report.period.rule.campaign if self.report is not None else self.item.campaign

    @property
    def label(self):
        """What the reminder is about, after the unit: the period, the item or the task."""
        if self.task is not None:
            return f"督办任务“{self.task}”"
        return str(self.report.period) if self.report is not None else f"整改事项{self.item.pk}"


def kind_label(kind):
    if kind.startswith("task_before_"):
        return f"办结时限前{kind[12:-2]}个工作日提醒"
    if kind == "task_due":
        return "办结时限到期提醒"
    if kind.startswith("task_overdue_"):
        return f"办结逾期第{kind[13:-2]}个工作日提醒"
    if kind.startswith("before_"):
        return f"截止前{kind[7:-1]}小时提醒"
    if kind == "due":
        return "截止提醒"
    if kind.startswith("overdue_"):
        return f"逾期第{kind[8:-1]}天提醒"
    if kind == "escalation":
        return "逾期升级提醒"
    if kind.startswith("chase_"):
        return "催报"
    return kind


def report_kinds(report, *, at):
    """The routine kinds of reminder a report owes at `at`: for the unit
    ("before_…", "due", "overdue_…") and for its head and office ("escalation")."""
    rule = report.period.rule
    return deadline_kinds(
        due_at=report.due_at, at=at, lead_hours=rule.remind_before_hours, escalate_after_days=rule.escalate_after_days
    )


def deadline_kinds(*, due_at, at, lead_hours, escalate_after_days):
    if due_at > at:
        left = (due_at - at).total_seconds() / 3600
        # Only the nearest lead time: a reminder that is already stale
        # ("24 hours left" with one hour left) is not sent late.
        leads = sorted(h for h in (lead_hours or []) if left <= h)
        return ([f"before_{leads[0]:g}h"] if leads else []), []
    days = (at - due_at).days
    if days == 0:
        unit_kinds = ["due"]
    elif days <= OVERDUE_REMINDER_DAYS:
        unit_kinds = [f"overdue_{days}d"]
    else:
        unit_kinds = []
    escalation = ["escalation"] if days >= escalate_after_days else []
    return unit_kinds, escalation


def item_kinds(item, *, at, settings_by_campaign):
    lead_hours, escalate_after_days = settings_by_campaign.get(
        item.campaign_id, (RECTIFICATION_LEAD_HOURS, RECTIFICATION_ESCALATE_AFTER_DAYS)
    )
    return deadline_kinds(
        due_at=item.due_at, at=at, lead_hours=lead_hours, escalate_after_days=escalate_after_days
    )


def working_days_between(calendar, start, end):
    """The working days after `start` up to and including `end`."""
    count, day = 0, start
    while day < end:
        day += datetime.timedelta(days=1)
        count += calendar.is_working_day(day)
    return count


def task_kinds(task, *, today, calendar):
    """The kinds of reminder a supervised task owes on `today` (a working day):
    for its liaisons, and for its head and the office ("escalation")."""
    deadline = calendar.next_working_day(task.due_on)
    if today < deadline:
        left = working_days_between(calendar, today, deadline)
        leads = sorted(n for n in TASK_LEAD_WORKING_DAYS if left <= n)
        return ([f"task_before_{leads[0]}wd"] if leads else []), []
    if today == deadline:
        return ["task_due"], []
    late = working_days_between(calendar, deadline, today)
    # The latest threshold passed, so a sweep that did not run still sends it once.
    passed = [n for n in TASK_OVERDUE_WORKING_DAYS if n <= late]
    unit_kinds = [f"task_overdue_{passed[-1]}wd"] if passed else []
    return unit_kinds, (["escalation"] if late >= TASK_ESCALATE_AFTER else [])


def reminded_tasks(*, today):
    """The open supervised tasks of active campaigns whose deadline is near
    enough to today to owe a reminder (1 query)."""
    window = datetime.timedelta(days=TASK_WINDOW_DAYS)
    return list(
        Task.objects.filter(
            status=Task.Status.OPEN,
            lead_unit__isnull=False,
            campaign__status=Campaign.Status.ACTIVE,
            due_on__range=(today - window, today + window),
        )
        .select_related("lead_unit", "campaign")
        .order_by("due_on", "tree_path", "id")
    )


def rectification_settings(campaign_ids):
    """{campaign id: (lead hours, escalation days)} from each campaign's first reporting rule."""
    from reports.models import ReportingRule

    found = {}
    for campaign_id, hours, days in (
        ReportingRule.objects.filter(campaign__in=campaign_ids)
        .order_by("campaign_id", "id")
        .values_list("campaign_id", "remind_before_hours", "escalate_after_days")
    ):
        found.setdefault(campaign_id, (hours, days))
    return found


def due_reminders(*, at, include_sent=False):
    """Every reminder due at `at` that has not been sent yet.

    Nothing on a non-working day (holidays and weekends, make-up working
    days included): routine reminders wait for the next working day.
    """
    today = timezone.localdate(at)
    if not WorkCalendar.between(today, today).is_working_day(today):
        return []
    horizon = max([24 * 14] + RECTIFICATION_LEAD_HOURS + [h for hours in _lead_times() for h in hours])
    since = at - datetime.timedelta(
        days=max(OVERDUE_REMINDER_DAYS, RECTIFICATION_ESCALATE_AFTER_DAYS, _max_escalation_days()) + 1
    )
    tasks = reminded_tasks(today=today)
    reports = [
        report
        for report in Report.objects.filter(
            status__in=Report.OWED_STATUSES,
            period__rule__campaign__status=Campaign.Status.ACTIVE,
            due_at__lte=at + datetime.timedelta(hours=horizon),
            due_at__gte=since,
        )
        .select_related("unit", "period__rule__campaign")
        .order_by("due_at", "unit__sort_order", "unit__name", "id")
        if not report.is_locked(at)
    ]
    items = list(
        RectificationItem.objects.filter(
            status__in=REMINDED_ITEM_STATUSES,
            campaign__status=Campaign.Status.ACTIVE,
            due_at__lte=at + datetime.timedelta(hours=horizon),
            due_at__gte=since,
        )
        .select_related("unit", "campaign")
        .order_by("due_at", "unit__sort_order", "unit__name", "id")
    )
    if not reports and not items and not tasks:
        return []
    units = {report.unit_id for report in reports} | {item.unit_id for item in items} | {t.lead_unit_id for t in tasks}
    offices = (
        {report.period.rule.campaign.office_unit_id for report in reports}
        | {item.campaign.office_unit_id for item in items}
        | {task.campaign.office_unit_id for task in tasks}
    )
    members = defaultdict(list)
    for membership in (
        Membership.objects.filter(is_active=True, user__is_active=True)
        .filter(
            Q(unit__in=units, role__in=[Membership.Role.LIAISON, Membership.Role.UNIT_HEAD])
            | Q(unit__in=offices, role=Membership.Role.OFFICE_STAFF)
        )
        .select_related("user")
        .order_by("user__username")
    ):
        members[(membership.unit_id, membership.role)].append(membership.user)
    settings_by_campaign = rectification_settings({item.campaign_id for item in items}) if items else {}
    due = []
    targets = [(report, None, report.period.rule.campaign, report_kinds(report, at=at)) for report in reports] + [
        (None, item, item.campaign, item_kinds(item, at=at, settings_by_campaign=settings_by_campaign))
        for item in items
    ]
    targets = [(report, item, None, campaign, kinds) for report, item, campaign, kinds in targets]
    if tasks:
        calendar = WorkCalendar.between(today - datetime.timedelta(days=TASK_WINDOW_DAYS), today)
        targets += [
            (None, None, task, task.campaign, task_kinds(task, today=today, calendar=calendar)) for task in tasks
        ]
    for report, item, task, campaign, (unit_kinds, escalation_kinds) in targets:
        unit_id = task.lead_unit_id if task is not None else (report or item).unit_id
        liaisons = members[(unit_id, Membership.Role.LIAISON)]
        escalate_to = members[(unit_id, Membership.Role.UNIT_HEAD)] + members[
            (campaign.office_unit_id, Membership.Role.OFFICE_STAFF)
        ]
        for kinds, people in ((unit_kinds, liaisons), (escalation_kinds, escalate_to)):
            for kind in kinds:
                for person in people:
                    due.append(Due(report, kind, person.pk, person.username, str(person), person.email, item, task))
    if include_sent or not due:
        return due
    sent = set()
    if reports:
        sent |= {
            ("report", *row)
            for row in Reminder.objects.filter(report__in=[r.pk for r in reports]).values_list(
                "report_id", "kind", "recipient_id"
            )
        }
    if items:
        sent |= {
            ("item", *row)
            for row in Reminder.objects.filter(rectification__in=[i.pk for i in items]).values_list(
                "rectification_id", "kind", "recipient_id"
            )
        }
    if tasks:
        sent |= {
            ("task", *row)
            for row in Reminder.objects.filter(task__in=[t.pk for t in tasks]).values_list(
                "task_id", "kind", "recipient_id"
            )
        }
    return [item for item in due if item.key not in sent]


def _lead_times():
    from reports.models import ReportingRule

    return ReportingRule.objects.filter(campaign__status=Campaign.Status.ACTIVE).values_list(
        "remind_before_hours", flat=True
    )


def _max_escalation_days():
    from django.db.models import Max

    from reports.models import ReportingRule

    return ReportingRule.objects.aggregate(days=Max("escalate_after_days"))["days"] or 0


def sweep(*, at=None):
    """Claim every due reminder and queue one digest per person.
    Returns the reminders this sweep claimed (others were sent before or by
    a concurrent sweep)."""
    at = at or timezone.now()
    return claim_and_notify(due_reminders(at=at), at=at)


class Claim(list):
    """The reminders a call claimed, with the deliveries it queued for them."""

    def __init__(self, reminders=(), deliveries=()):
        super().__init__(reminders)
        self.deliveries = list(deliveries)


@transaction.atomic
def claim_and_notify(due, *, at, sent_by=None):
    if not due:
        return Claim()
    token = new_token()
    Reminder.objects.bulk_create(
        [
            Reminder(
                report=item.report,
                rectification=item.item,
                task=item.task,
                kind=item.kind,
                recipient_id=item.recipient_id,
                sweep=token,
                created_at=at,
                sent_by=sent_by,
            )
            for item in due
        ],
        ignore_conflicts=True,
    )
    claimed_keys = {
        (("report", report_id) if report_id else ("item", item_id) if item_id else ("task", task_id))
        + (kind, recipient_id)
        for report_id, item_id, task_id, kind, recipient_id in Reminder.objects.filter(sweep=token).values_list(
            "report_id", "rectification_id", "task_id", "kind", "recipient_id"
        )
    }
    claimed = [item for item in due if item.key in claimed_keys]
    if not claimed:
        return Claim()
    digests = defaultdict(list)
    for item in claimed:
        digests[item.recipient_id].append(item)
    notified = notify_each(
        messages=[_message(items, at=at) for items in digests.values()],
        posts=_webhook_deliveries(claimed, at=at),
        at=at,
    )
    by_recipient = {n.recipient_id: n for n in notified.notifications}
    reminders = list(Reminder.objects.filter(sweep=token))
    for reminder in reminders:
        reminder.notification = by_recipient[reminder.recipient_id]
    Reminder.objects.bulk_update(reminders, ["notification"])
    logger.info("Claim %s: %s reminders for %s people", token, len(claimed), len(digests))
    return Claim(claimed, notified.deliveries)


def _topic(items):
    """报送提醒, 整改提醒, 督办提醒, or what they combine, after what the reminders are about."""
    kinds = [
        name
        for name, present in (
            ("报送", any(item.report is not None for item in items)),
            ("整改", any(item.item is not None for item in items)),
            ("督办", any(item.task is not None for item in items)),
        )
        if present
    ]
    return "与".join(kinds) + "提醒"


def _message(items, *, at):
    """One person's digest, e-mailed too when they have an address."""
    campaigns = {item.campaign for item in items}
    units = {item.unit.pk for item in items}
    overdue = sum(1 for item in items if "before_" not in item.kind)
    if any(item.kind.startswith("chase_") for item in items):
        title = f"催报：{items[0].report.unit.display_name}有{len(items)}项报送逾期未报，请立即报送"
    else:
        title = f"{_topic(items)}：{len(items)}项需要处理" + (f"（其中{overdue}项已到期或逾期）" if overdue else "")
    lines = [_line(item, at=at) for item in items]
    for_unit = all(_is_unit_kind(i.kind) for i in items)
    if any(item.report is not None for item in items):
        url = reverse("reports:unit_home") if for_unit else reverse("reports:review_queue")
    elif all(item.task is not None for item in items):
        url = reverse("reports:deadline_list", args=[items[0].task.campaign_id])
    else:
        url = reverse("supervision:unit_items") if for_unit else reverse("supervision:index")
    return Message(
        recipient_id=items[0].recipient_id,
        campaign=campaigns.pop() if len(campaigns) == 1 else None,
        unit_id=units.pop() if len(units) == 1 else None,
        email=items[0].recipient_email,
        title=title,
        body="\n".join(lines) + f"\n\n请登录{settings.SITE_NAME}办理：{settings.SITE_URL}{url}",
        url=url,
    )


def _is_unit_kind(kind):
    return kind != "escalation"


def _line(item, *, at):
    if item.task is not None:
        return _task_line(item, at=at)
    if item.report is None:
        return _item_line(item, at=at)
    report = item.report
    rule = report.period.rule
    due = timezone.localtime(report.due_at)
    where = f"{rule.campaign} · {report.unit.display_name} · {rule.name} {report.period.label}"
    if item.kind.startswith("before_"):
        hours = max(1, round((report.due_at - at).total_seconds() / 3600))
        return f"· {where}：将于 {day_time_text(due)} 截止（还剩约{hours}小时），尚未报送。"
    if item.kind == "due":
        return f"· {where}：已于 {day_time_text(due)} 截止，尚未报送，请尽快报送。"
    if item.kind.startswith("chase_"):
        return f"· {where}：领导小组办公室催报，已于 {day_time_text(due)} 截止，请立即报送。"
    days = (at - report.due_at).days
    if item.kind == "escalation":
        return f"· {where}：已逾期{days}天仍未报送，请督促。"
    return f"· {where}：已逾期{days}天，尚未报送，请尽快报送并填写逾期说明。"


def _item_line(due, *, at):
    item = due.item
    moment = timezone.localtime(item.due_at)
    requirement = item.requirement if len(item.requirement) <= 30 else item.requirement[:30] + "…"
    where = f"{item.campaign} · {item.unit.display_name} · 整改事项“{requirement}”"
    if due.kind.startswith("before_"):
        hours = max(1, round((item.due_at - at).total_seconds() / 3600))
        return f"· {where}：整改期限 {day_time_text(moment)} 截止（还剩约{hours}小时），尚未提交整改报告。"
    if due.kind == "due":
        return f"· {where}：整改期限已于 {day_time_text(moment)} 截止，尚未提交整改报告，请尽快整改并提交。"
    days = (at - item.due_at).days
    if due.kind == "escalation":
        return f"· {where}：已逾期{days}天仍未提交整改报告，请督促。"
    return f"· {where}：已逾期{days}天，尚未提交整改报告，请尽快整改并提交。"


def _task_line(due, *, at):
    task = due.task
    where = f"{task.campaign} · {task.lead_unit.display_name} · 督办任务“{task}”"
    deadline = f"{task.due_on.month}月{task.due_on.day}日"
    if due.kind.startswith("task_before_"):
        return f"· {where}：办结时限为{deadline}，还剩{due.kind[12:-2]}个工作日以内，请抓紧办理并按时提交办结申请。"
    if due.kind == "task_due":
        return f"· {where}：今天是办结时限（{deadline}），尚未提交办结申请，请尽快办结。"
    days = (timezone.localdate(at) - task.due_on).days
    if due.kind == "escalation":
        return f"· {where}：已超过办结时限（{deadline}）{days}天仍未提交办结申请，请督促。"
    return f"· {where}：已超过办结时限（{deadline}）{days}天，尚未提交办结申请，请尽快办结并说明逾期原因。"


def _webhook_deliveries(claimed, *, at):
    """One post per campaign robot per sweep, naming the units concerned."""
    from .models import CampaignWebhook

    by_campaign = defaultdict(dict)
    for item in claimed:
        if _is_unit_kind(item.kind):
            by_campaign[item.campaign.pk][(*item.target_key, item.kind)] = item
    if not by_campaign:
        return []
    deliveries = []
    for webhook in CampaignWebhook.objects.filter(campaign__in=by_campaign, is_active=True).select_related("campaign"):
        items = list(by_campaign[webhook.campaign_id].values())
        body = "\n".join(_line(item, at=at) for item in items)
        deliveries.append(
            Delivery(
                channel=webhook.kind,
                webhook=webhook,
                campaign=webhook.campaign,
                address=webhook.name,
                subject=f"【{webhook.campaign}】{_topic(items)}：{len(items)}项",
                body=body,
                created_at=at,
                next_attempt_at=at,
            )
        )
    return deliveries
