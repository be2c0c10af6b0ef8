"""Who may see and do what with reports: the reports app's permission rules.

Pages get their objects through these querysets, so a user who may not see a
report gets a 404, whatever URL they type. Built on the role helpers in
`campaigns.access`.

- Office staff see every report of the campaigns their unit runs and review them.
- Leaders read the reports of the campaigns their unit runs or issued.
- Liaisons and unit heads see and write their own unit's reports only.
"""

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.shortcuts import get_object_or_404

from campaigns.access import Role, has_role, memberships_of, office_campaigns, overseen_campaigns, unit_ids
from campaigns.models import Campaign
from tasks.models import Task, TaskEvidence

from .models import REPORT_RELATED, Attachment, Report


def visible_reports(user):
    if not user.is_authenticated:
        return Report.objects.none()
    if user.is_superuser:
        return Report.objects.all()
    own = Q(unit__in=unit_ids(user, Role.LIAISON, Role.UNIT_HEAD))
    if not has_role(user, Role.OFFICE_STAFF, Role.LEADER):
        # A unit's liaison or head oversees no campaign: no subquery to build.
        return Report.objects.filter(own)
    return Report.objects.filter(Q(period__rule__campaign__in=overseen_campaigns(user).values("id")) | own)


def unit_reports(user):
    """Reports the user writes or signs off for their own unit."""
    if not user.is_authenticated:
        return Report.objects.none()
    return Report.objects.filter(unit__in=unit_ids(user, Role.LIAISON, Role.UNIT_HEAD))


def visible_attachments(user):
    """The unit's own files, drafts included; for everyone else only files
    that went to the office in a submitted version."""
    if not user.is_authenticated:
        return Attachment.objects.none()
    own = Q(report__unit__in=unit_ids(user, Role.LIAISON, Role.UNIT_HEAD))
    sent = Q(report__in=visible_reports(user).values("id"), versions__isnull=False)
    return Attachment.objects.filter(own | sent).distinct()


def _holds(user, unit_id, *roles):
    """Whether the user holds one of `roles` in the unit: read from the
    user's memberships, loaded once a request (campaigns.access.memberships_of)."""
    return any(role in roles and unit == unit_id for role, unit in memberships_of(user))


def is_unit_member(user, report):
    return _holds(user, report.unit_id, Role.LIAISON, Role.UNIT_HEAD)


def can_edit(user, report, at):
    """The unit's liaison (or head) may write while the report is theirs to write."""
    return is_unit_member(user, report) and report.is_editable_by_unit(at)


def can_sign_off(user, report):
    return (
        report.status == Report.Status.PENDING_SIGN_OFF and _holds(user, report.unit_id, Role.UNIT_HEAD)
    )


def can_withdraw(report, last_event):
    """The unit (checked by the caller) may take back what it sent while
    nobody has acted on it: the report's latest event is its submission."""
    return (
        report.status in (Report.Status.SUBMITTED, Report.Status.PENDING_SIGN_OFF)
        and last_event is not None
        and last_event.action == "submit"
    )


def may_withdraw(user, report):
    """Who may take back what the unit sent: its liaisons, and whoever sent it
    (a head who sent the report himself). A head does not take back what a
    liaison sent to him: he returns it, with a comment."""
    if _holds(user, report.unit_id, Role.LIAISON):
        return True
    sent = report.events.filter(action="submit").order_by("-created_at", "-id").values_list("actor", flat=True).first()
    return sent == user.pk


def can_manage(user, report):
    """Office work on a report: review, exempt, reopen, decide extensions
    (as `office_campaigns`: the staff of the campaign's office, and system
    admins). The report comes with its campaign (REPORT_RELATED)."""
    if not user.is_authenticated:
        return False
    return user.is_superuser or _holds(user, report.period.rule.campaign.office_unit_id, Role.OFFICE_STAFF)


def managed_campaign_ids(user, campaigns):
    """The ids of those of `campaigns` whose reports the user manages (as in can_manage)."""
    return set(office_campaigns(user).filter(pk__in=[c.pk for c in campaigns]).values_list("pk", flat=True))


def can_review(user, report):
    return report.status == Report.Status.SUBMITTED and can_manage(user, report)


def reporting_campaigns(user):
    """Campaigns in which the user's own units (as liaison or head) owe reports."""
    if not user.is_authenticated:
        return Campaign.objects.none()
    owing = Report.objects.filter(unit__in=unit_ids(user, Role.LIAISON, Role.UNIT_HEAD))
    return Campaign.objects.filter(pk__in=owing.values("period__rule__campaign"))


def involved_campaigns(user):
    """Campaigns the user takes part in: those the user oversees (office,
    leaders) and those the user's own units report to."""
    if not user.is_authenticated:
        return Campaign.objects.none()
    if user.is_superuser:
        return Campaign.objects.all()
    return Campaign.objects.filter(
        Q(pk__in=overseen_campaigns(user).values("id")) | Q(pk__in=reporting_campaigns(user).values("id"))
    )


def report_to_manage(request, pk):
    """The report for office work on it: 404 when the user may not see it,
    403 when they may see but not manage it (a leader)."""
    report = get_object_or_404(visible_reports(request.user).select_related(*REPORT_RELATED), pk=pk)
    if not can_manage(request.user, report):
        raise PermissionDenied
    return report


def workbook_campaigns(user):
    """Campaigns whose workbooks (汇总表) the user may read and download: the
    office's, and the leaders' who are sent them."""
    return overseen_campaigns(user)


def workbook_office_campaigns(user):
    """Campaigns whose workbooks the user may generate and retry: office work."""
    return office_campaigns(user)


def review_campaigns(user):
    """Campaigns whose review queue the user may open: the office acts, leaders read."""
    return overseen_campaigns(user)


def supervised_tasks(user):
    """Tasks whose deadline (督办) the user may follow: every task of the
    campaigns the user oversees (office, leaders), and the tasks their own
    unit leads (liaisons, heads)."""
    if not user.is_authenticated:
        return Task.objects.none()
    if user.is_superuser:
        return Task.objects.all()
    return Task.objects.filter(
        Q(campaign__in=overseen_campaigns(user).values("id"))
        | Q(lead_unit__in=unit_ids(user, Role.LIAISON, Role.UNIT_HEAD))
    )


def deadline_campaigns(user):
    """Campaigns whose 任务督办 list the user may open: those the user
    oversees (even with no task yet: an empty list, not a 404 behind the
    dashboard's link), and those where their unit leads a task."""
    if not user.is_authenticated:
        return Campaign.objects.none()
    if user.is_superuser:
        return Campaign.objects.all()
    return Campaign.objects.filter(
        Q(pk__in=overseen_campaigns(user).values("id")) | Q(pk__in=supervised_tasks(user).values("campaign_id"))
    )


def led_tasks(user):
    """Tasks the user's unit leads: its liaison or head applies for their 办结."""
    if not user.is_authenticated:
        return Task.objects.none()
    return Task.objects.filter(lead_unit__in=unit_ids(user, Role.LIAISON, Role.UNIT_HEAD))


def confirmable_tasks(user):
    """Tasks whose 办结 the user confirms or returns: the office's campaigns'."""
    if not user.is_authenticated:
        return Task.objects.none()
    return Task.objects.filter(campaign__in=office_campaigns(user).values("id"))


def task_evidence(user):
    return TaskEvidence.objects.filter(event__task__in=supervised_tasks(user).values("id"))
