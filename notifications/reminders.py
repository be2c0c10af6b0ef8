"""The reminder sweep: who must be reminded of which report, exactly once.

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
from reports.models import Report

from .models import Delivery, Notification, Reminder, new_token

logger = logging.getLogger(__name__)

# Daily overdue reminders stop after this many days: by then the office
# chases by hand (催报) and the escalation has gone out.
OVERDUE_REMINDER_DAYS = 14


@dataclass(frozen=True)
class Due:
    """One reminder that should go out: a report, a kind, a person."""

    report: Report
    kind: str
    recipient_id: int
    recipient_username: str
    recipient_name: str
    recipient_email: str

    @property
    def key(self):
        return (self.report.pk, self.kind, self.recipient_id)


def kind_label(kind):
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
    due_at = report.due_at
    if due_at > at:
        left = (due_at - at).total_seconds() / 3600
        # Only the nearest lead time: a reminder that is already stale
        # ("24 hours left" with one hour left) is not sent late.
        leads = sorted(h for h in (rule.remind_before_hours or []) if left <= h)
        return ([f"before_{leads[0]:g}h"] if leads else []), []
    days = (at - due_at).days
    if days == 0:
        unit_kinds = ["due"]
    elif days <= OVERDUE_REMINDER_DAYS:
        unit_kinds = [f"overdue_{days}d"]
    else:
        unit_kinds = []
    escalation = ["escalation"] if days >= rule.escalate_after_days else []
    return unit_kinds, escalation


def due_reminders(*, at, include_sent=False):
    """Every reminder due at `at` that has not been sent yet.

    Nothing on a non-working day (holidays and weekends, make-up working
    days included): routine reminders wait for the next working day.
    """
    today = timezone.localdate(at)
    if not WorkCalendar.between(today, today).is_working_day(today):
        return []
    horizon = max([24 * 14] + [h for hours in _lead_times() for h in hours])
    reports = [
        report
        for report in Report.objects.filter(
            status__in=Report.OWED_STATUSES,
            period__rule__campaign__status=Campaign.Status.ACTIVE,
            due_at__lte=at + datetime.timedelta(hours=horizon),
            due_at__gte=at - datetime.timedelta(days=max(OVERDUE_REMINDER_DAYS, _max_escalation_days()) + 1),
        )
        .select_related("unit", "period__rule__campaign")
        .order_by("due_at", "unit__sort_order", "unit__name", "id")
        if not report.is_locked(at)
    ]
    if not reports:
        return []
    units = {report.unit_id for report in reports}
    offices = {report.period.rule.campaign.office_unit_id for report in reports}
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
    due = []
    for report in reports:
        unit_kinds, escalation_kinds = report_kinds(report, at=at)
        liaisons = members[(report.unit_id, Membership.Role.LIAISON)]
        escalate_to = members[(report.unit_id, Membership.Role.UNIT_HEAD)] + members[
            (report.period.rule.campaign.office_unit_id, Membership.Role.OFFICE_STAFF)
        ]
        for kinds, people in ((unit_kinds, liaisons), (escalation_kinds, escalate_to)):
            for kind in kinds:
                for person in people:
                    due.append(Due(report, kind, person.pk, person.username, str(person), person.email))
    if include_sent or not due:
        return due
    sent = set(
        Reminder.objects.filter(report__in=[r.pk for r in reports]).values_list("report_id", "kind", "recipient_id")
    )
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
            Reminder(report=item.report, kind=item.kind, recipient_id=item.recipient_id, sweep=token, created_at=at, sent_by=sent_by)
            for item in due
        ],
        ignore_conflicts=True,
    )
    claimed_keys = set(Reminder.objects.filter(sweep=token).values_list("report_id", "kind", "recipient_id"))
    claimed = [item for item in due if item.key in claimed_keys]
    if not claimed:
        return Claim()
    digests = defaultdict(list)
    for item in claimed:
        digests[item.recipient_id].append(item)
    notifications = Notification.objects.bulk_create(
        [_notification(items, at=at) for items in digests.values()]
    )
    by_recipient = {n.recipient_id: n for n in notifications}
    reminders = list(Reminder.objects.filter(sweep=token))
    for reminder in reminders:
        reminder.notification = by_recipient[reminder.recipient_id]
    Reminder.objects.bulk_update(reminders, ["notification"])
    deliveries = []
    for recipient_id, items in digests.items():
        notification = by_recipient[recipient_id]
        units = {item.report.unit_id for item in items}
        common = {
            "notification": notification,
            "campaign": notification.campaign,
            "unit_id": units.pop() if len(units) == 1 else None,
            "recipient_id": recipient_id,
            "subject": notification.title,
            "body": notification.body,
            "created_at": at,
        }
        deliveries.append(
            Delivery(channel=Delivery.Channel.IN_APP, status=Delivery.Status.SENT, sent_at=at, attempts=1, **common)
        )
        email = items[0].recipient_email
        if email:
            deliveries.append(Delivery(channel=Delivery.Channel.EMAIL, address=email, next_attempt_at=at, **common))
    deliveries += _webhook_deliveries(claimed, at=at)
    deliveries = Delivery.objects.bulk_create(deliveries)
    logger.info("Claim %s: %s reminders for %s people", token, len(claimed), len(digests))
    return Claim(claimed, deliveries)


def _notification(items, *, at):
    campaigns = {item.report.period.rule.campaign for item in items}
    overdue = sum(1 for item in items if not item.kind.startswith("before_"))
    if any(item.kind.startswith("chase_") for item in items):
        title = f"催报：{items[0].report.unit.display_name}有{len(items)}项报送逾期未报，请立即报送"
    else:
        title = f"报送提醒：{len(items)}项需要处理" + (f"（其中{overdue}项已到期或逾期）" if overdue else "")
    lines = [_line(item, at=at) for item in items]
    url = reverse("reports:unit_home") if all(_is_unit_kind(i.kind) for i in items) else reverse("reports:review_queue")
    return Notification(
        recipient_id=items[0].recipient_id,
        campaign=campaigns.pop() if len(campaigns) == 1 else None,
        title=title,
        body="\n".join(lines) + f"\n\n请登录{settings.SITE_NAME}办理：{settings.SITE_URL}{url}",
        url=url,
        created_at=at,
    )


def _is_unit_kind(kind):
    return kind != "escalation"


def _line(item, *, at):
    report = item.report
    rule = report.period.rule
    due = timezone.localtime(report.due_at)
    where = f"{rule.campaign} · {report.unit.display_name} · {rule.name} {report.period.label}"
    if item.kind.startswith("before_"):
        hours = max(1, round((report.due_at - at).total_seconds() / 3600))
        return f"· {where}：将于 {due:%m月%d日 %H:%M} 截止（还剩约{hours}小时），尚未报送。"
    if item.kind == "due":
        return f"· {where}：已于 {due:%m月%d日 %H:%M} 截止，尚未报送，请尽快报送。"
    if item.kind.startswith("chase_"):
        return f"· {where}：领导小组办公室催报，已于 {due:%m月%d日 %H:%M} 截止，请立即报送。"
    days = (at - report.due_at).days
    if item.kind == "escalation":
        return f"· {where}：已逾期{days}天仍未报送，请督促。"
    return f"· {where}：已逾期{days}天，尚未报送，请尽快报送并填写逾期说明。"


def _webhook_deliveries(claimed, *, at):
    """One post per campaign robot per sweep, naming the units concerned."""
    from .models import CampaignWebhook

    by_campaign = defaultdict(dict)
    for item in claimed:
        if _is_unit_kind(item.kind):
            by_campaign[item.report.period.rule.campaign_id][(item.report.pk, item.kind)] = item
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
                subject=f"【{webhook.campaign}】报送提醒：{len(items)}项",
                body=body,
                created_at=at,
                next_attempt_at=at,
            )
        )
    return deliveries
