"""What the notifications app does when a lower app signals an event
(``reports.signals``, ``core.signals``): connected in NotificationsConfig.ready()."""

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from campaigns.models import Campaign, Membership
from core.dates import month_text
from reports.models import ExtensionRequest, Report
from supervision.models import RectificationItem
from tasks.models import Task

from .events import Event, event_key, tell, tell_all
from .models import EventKind
from .services import notify


@transaction.atomic
def workbook_ready(sender, *, export, at, **kwargs):
    """Tell the campaign's office staff that the monthly workbook is ready."""
    staff = (
        Membership.objects.filter(
            unit=export.campaign.office_unit_id, role=Membership.Role.OFFICE_STAFF, is_active=True, user__is_active=True
        )
        .values_list("user_id", flat=True)
        .distinct()
    )
    url = reverse("reports:workbooks", args=[export.campaign_id])
    title = f"{export.campaign}：{month_text(export.date_from)}报送情况汇总表已生成"
    body = (
        f"《{export.campaign.title}》截止日期 {export.date_from:%Y-%m-%d} 至 {export.date_to:%Y-%m-%d} 的报送情况汇总表"
        f"（Excel）已自动生成，可报送领导。\n\n请登录{settings.SITE_NAME}下载：{settings.SITE_URL}{url}"
    )
    return notify(recipients=staff, campaign=export.campaign, title=title, body=body, url=url, at=at).notifications


# Events of the lower apps' state machines (core.signals.transitioned), told
# to the people who must act on them through notifications.events.

Role = Membership.Role


def members(unit_id, *roles):
    return list(
        Membership.objects.filter(unit=unit_id, role__in=roles, is_active=True, user__is_active=True)
        .order_by("user_id")
        .values_list("user_id", flat=True)
        .distinct()
    )


def _report_event(change, by):
    report = change.obj
    period = report.period
    unit = report.unit
    if change.action in ("return", "head_return"):
        returner = "领导小组办公室" if change.action == "return" else "单位负责人"
        kind, roles = EventKind.REPORT_RETURNED, (Role.LIAISON,)
        title = f"报送被退回：{period}"
        body = f"{unit.display_name}的{period}被{returner}退回，请修改后重新报送。\n退回意见：{change.event.comment}"
    elif change.action == "submit" and change.new == Report.Status.PENDING_SIGN_OFF:
        kind, roles = EventKind.REPORT_SIGN_OFF, (Role.UNIT_HEAD,)
        title = f"报送待您审核：{period}"
        body = f"{by}已填报{unit.display_name}的{period}，请审核后报送领导小组办公室。"
    elif change.action == "accept":
        kind, roles = EventKind.REPORT_ACCEPTED, (Role.LIAISON,)
        title = f"报送审核通过：{period}"
        body = f"{unit.display_name}的{period}已审核通过。" + (
            f"\n审核意见：{change.event.comment}" if change.event.comment else ""
        )
    elif change.action == "undo_review":
        # The unit was told of the review it takes back; it is told of the undo too.
        undone = "审核通过" if change.old == Report.Status.ACCEPTED else "退回"
        kind = EventKind.REPORT_ACCEPTED if change.old == Report.Status.ACCEPTED else EventKind.REPORT_RETURNED
        roles = (Role.LIAISON,)
        title = f"审核已撤销：{period}"
        body = f"领导小组办公室撤销了对{unit.display_name}的{period}的{undone}，报送恢复为“已报送”，等待重新审核。"
    elif change.action == "withdraw" and change.old == Report.Status.PENDING_SIGN_OFF:
        # The head need no longer look for it.
        kind, roles = EventKind.REPORT_SIGN_OFF, (Role.UNIT_HEAD,)
        title = f"报送已撤回：{period}"
        body = f"{by}撤回了{unit.display_name}的{period}，修改后会重新提交您审核。"
    else:
        return None
    event = Event(
        key=event_key(change.event),
        kind=kind,
        campaign=period.rule.campaign,
        title=title,
        body=body,
        url=report.get_absolute_url(),
    )
    return event, [(user_id, unit.pk) for user_id in members(unit.pk, *roles)]


def _extension_event(change, by):
    request = ExtensionRequest.objects.select_related("report__period__rule__campaign", "report__unit").get(
        pk=change.obj.pk
    )
    report = request.report
    comment = f"\n审批意见：{request.decision_comment}" if request.decision_comment else ""
    if change.action == "grant":
        title = f"延期申请已同意：{report.period}"
        due = timezone.localtime(request.granted_due_at)
        body = f"{report.unit.display_name}的{report.period}截止时间延至{due.month}月{due.day}日{due:%H:%M}。{comment}"
    elif report.status == Report.Status.EXEMPT:
        title = f"延期申请无需审批：{report.period}"
        body = f"{report.unit.display_name}的{report.period}已免报，无需延期。"
    else:
        title = f"延期申请未同意：{report.period}"
        body = f"{report.unit.display_name}的{report.period}延期申请未获同意，请按原截止时间报送。{comment}"
    event = Event(
        key=event_key(request, change.action),
        kind=EventKind.EXTENSION_DECIDED,
        campaign=report.period.rule.campaign,
        title=title,
        body=body,
        url=report.get_absolute_url(),
    )
    people = [request.requested_by_id, *members(report.unit_id, Role.LIAISON)]
    return event, [(user_id, report.unit_id) for user_id in people]


def _short(requirement):
    return requirement if len(requirement) <= 30 else f"{requirement[:30]}…"


def _item_assigned(item, event_row, campaign):
    """One new item, told as the unit's liaisons read it."""
    return Event(
        key=event_key(event_row),
        kind=EventKind.ITEM_ASSIGNED,
        campaign=campaign,
        title=f"整改事项交办：{_short(item.requirement)}",
        body=f"督导检查发现问题，请于{item.deadline.month}月{item.deadline.day}日前完成整改并报送整改情况。\n整改要求：{item.requirement}",
        url=item.get_absolute_url(),
    )


def _item_event(change, by):
    item = change.obj
    requirement = _short(item.requirement)
    if change.action == "create":
        event = _item_assigned(item, change.event, Campaign.objects.get(pk=item.campaign_id))
        return event, [(user_id, item.unit_id) for user_id in members(item.unit_id, Role.LIAISON)]
    if change.action == "reject":
        kind, title = EventKind.ITEM_RETURNED, f"整改被退回：{requirement}"
        body = f"整改情况未通过核验，请继续整改后重新报送。\n退回理由：{change.event.comment}"
    elif change.action == "verify":
        kind, title = EventKind.ITEM_VERIFIED, f"整改已销号：{requirement}"
        body = "整改情况已通过核验，予以销号。" + (f"\n核验意见：{change.event.comment}" if change.event.comment else "")
    else:
        return None
    event = Event(
        key=event_key(change.event),
        kind=kind,
        campaign=Campaign.objects.get(pk=item.campaign_id),
        title=title,
        body=body,
        url=item.get_absolute_url(),
    )
    return event, [(user_id, item.unit_id) for user_id in members(item.unit_id, Role.LIAISON)]


LISTED = 20
"""The most items one notice of an inspection's new items lists one by one."""


def _items_assigned(changes, by):
    """The items an inspection opened (supervision.services.record_inspection),
    told per unit: a unit with one new item hears of it as of any item; a unit
    with several hears of them all in ONE notice per liaison ("模拟测评发现12个
    问题需整改"), which lists them with their deadlines and links to the unit's
    items, rather than one notice (and e-mail) per item."""
    created = [change for change in changes if change.action == "create"]
    told = [_item_event(change, by) for change in changes if change.action != "create"]
    if not created:
        return told
    campaigns = Campaign.objects.in_bulk({change.obj.campaign_id for change in created})
    liaisons = {}
    for unit_id, user_id in (
        Membership.objects.filter(
            unit__in={change.obj.unit_id for change in created}, role=Role.LIAISON, is_active=True, user__is_active=True
        )
        .order_by("unit_id", "user_id")
        .values_list("unit_id", "user_id")
        .distinct()
    ):
        liaisons.setdefault(unit_id, []).append(user_id)
    by_unit = {}
    for change in created:
        by_unit.setdefault(change.obj.unit_id, []).append(change)
    for unit_id, unit_changes in by_unit.items():
        first = unit_changes[0].obj
        campaign = campaigns[first.campaign_id]
        if len(unit_changes) == 1:
            event = _item_assigned(first, unit_changes[0].event, campaign)
        else:
            # The finding and its inspection are those the caller just wrote (no query).
            inspection = first.finding.inspection
            found = f"{inspection.get_kind_display()}发现{len(unit_changes)}个问题"
            lines = [
                f"{number}. {change.obj.requirement}（请于{change.obj.deadline.month}月{change.obj.deadline.day}日前完成整改）"
                for number, change in enumerate(unit_changes[:LISTED], start=1)
            ]
            if len(unit_changes) > LISTED:
                lines.append(f"……共{len(unit_changes)}项，其余请在整改事项中查看。")
            event = Event(
                key=event_key(inspection, f"items:{unit_id}"),
                kind=EventKind.ITEM_ASSIGNED,
                campaign=campaign,
                title=f"整改事项交办：{found}需整改",
                body=f"{found}需要本单位整改，请按各项期限完成整改并逐项报送整改情况。\n" + "\n".join(lines),
                url=reverse("supervision:unit_items"),
            )
        told.append((event, [(user_id, unit_id) for user_id in liaisons.get(unit_id, [])]))
    return told


def _task_event(change, by):
    """任务督办: the office is told of an 办结申请; the lead unit's liaisons of its answer."""
    task = Task.objects.select_related("campaign", "lead_unit").get(pk=change.obj.pk)
    name = f"“{task}”"
    if change.action == "declare":
        kind, title = EventKind.TASK_DECLARED, f"任务办结申请待确认：{task}"
        body = f"{task.lead_unit.display_name}申请任务{name}办结，请核实后确认或退回。\n办结情况：{change.event.comment}"
        unit_id, roles = task.campaign.office_unit_id, (Role.OFFICE_STAFF,)
    elif change.action == "return":
        kind, title = EventKind.TASK_RETURNED, f"任务办结申请被退回：{task}"
        body = f"任务{name}的办结申请未获确认，请继续办理后重新申请。\n退回理由：{change.event.comment}"
        unit_id, roles = task.lead_unit_id, (Role.LIAISON,)
    elif change.action == "confirm":
        kind, title = EventKind.TASK_FINISHED, f"任务已确认办结：{task}"
        body = f"任务{name}已经领导小组办公室确认办结。" + (f"\n意见：{change.event.comment}" if change.event.comment else "")
        unit_id, roles = task.lead_unit_id, (Role.LIAISON,)
    else:
        return None
    event = Event(
        key=event_key(change.event),
        kind=kind,
        campaign=task.campaign,
        title=title,
        body=body,
        url=reverse("reports:deadline_task", args=[task.pk]),
    )
    return event, [(user_id, task.lead_unit_id) for user_id in members(unit_id, *roles)]


EVENTS = {
    Report: _report_event,
    ExtensionRequest: _extension_event,
    RectificationItem: _item_event,
    Task: _task_event,
}


# Many moves of one model at once (core.signals.transitioned_many), told in bulk:
# a model without an entry has each move told as EVENTS says.
MANY_EVENTS = {
    RectificationItem: _items_assigned,
}


def describe_moves(model, describe):
    """A hook for the apps above (assessments' material, from its AppConfig.ready()):
    the moves of `model` are told as `describe(change, by)` says, an
    (Event, [(user id, unit id)]) or None for a move nobody is told of."""
    EVENTS[model] = describe


def transitioned(sender, *, change, by, at, **kwargs):
    """Tell the people who must act on a move; nobody is told what they did themselves."""
    describe = EVENTS.get(sender)
    told = describe and describe(change, by)
    if not told:
        return []
    event, recipients = told
    return tell(event=event, recipients=[r for r in recipients if r[0] != by.pk], at=at)


def transitioned_many(sender, *, changes, by, at, **kwargs):
    """Tell the people who must act on many moves at once, in queries that do
    not grow with the moves; nobody is told what they did themselves."""
    describe_many = MANY_EVENTS.get(sender)
    if describe_many is not None:
        told = describe_many(changes, by)
    else:
        describe = EVENTS.get(sender)
        told = [describe(change, by) for change in changes] if describe else []
    told = [(event, [r for r in recipients if r[0] != by.pk]) for event, recipients in filter(None, told)]
    return tell_all(told=told, at=at)
