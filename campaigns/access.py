"""Who may see and do what. The only place permission rules live.

Every page gets its objects through these querysets, so a user who may not
see an object gets a 404, whatever URL they type.

- Office staff see every campaign their unit runs (``Campaign.office_unit``),
  every report of those campaigns, and review them.
- Leaders read the campaigns their unit runs or issued; they change nothing.
- Liaisons and unit heads see their own unit's reports only.
- Superusers (system admins) see everything.
"""

from django.db.models import Q

from .models import Campaign, Membership

Role = Membership.Role


def unit_ids(user, *roles):
    """Ids of the units in which the user holds one of `roles`, as a subquery."""
    return Membership.objects.filter(user=user, role__in=roles, is_active=True).values("unit_id")


def has_role(user, *roles):
    return user.is_authenticated and Membership.objects.filter(user=user, role__in=roles, is_active=True).exists()


def roles_of(user):
    if not user.is_authenticated:
        return set()
    return set(Membership.objects.filter(user=user, is_active=True).values_list("role", flat=True))


def office_campaigns(user):
    """Campaigns whose office work (review, exemptions, extensions) the user does."""
    if user.is_superuser:
        return Campaign.objects.all()
    return Campaign.objects.filter(office_unit__in=unit_ids(user, Role.OFFICE_STAFF))


def overseen_campaigns(user):
    """Campaigns whose every report the user may read: the office's and the leaders'."""
    if user.is_superuser:
        return Campaign.objects.all()
    leader_units = unit_ids(user, Role.LEADER)
    return Campaign.objects.filter(
        Q(office_unit__in=unit_ids(user, Role.OFFICE_STAFF))
        | Q(office_unit__in=leader_units)
        | Q(issuing_unit__in=leader_units)
    )


def visible_reports(user):
    from reports.models import Report

    if not user.is_authenticated:
        return Report.objects.none()
    if user.is_superuser:
        return Report.objects.all()
    return Report.objects.filter(
        Q(period__rule__campaign__in=overseen_campaigns(user).values("id"))
        | Q(unit__in=unit_ids(user, Role.LIAISON, Role.UNIT_HEAD))
    )


def unit_reports(user):
    """Reports the user writes or signs off for their own unit."""
    from reports.models import Report

    if not user.is_authenticated:
        return Report.objects.none()
    return Report.objects.filter(unit__in=unit_ids(user, Role.LIAISON, Role.UNIT_HEAD))


def visible_attachments(user):
    """The unit's own files, drafts included; for everyone else only files
    that went to the office in a submitted version."""
    from reports.models import Attachment

    if not user.is_authenticated:
        return Attachment.objects.none()
    own = Q(report__unit__in=unit_ids(user, Role.LIAISON, Role.UNIT_HEAD))
    sent = Q(report__in=visible_reports(user).values("id"), versions__isnull=False)
    return Attachment.objects.filter(own | sent).distinct()


def is_unit_member(user, report):
    return Membership.objects.filter(
        user=user, unit_id=report.unit_id, role__in=[Role.LIAISON, Role.UNIT_HEAD], is_active=True
    ).exists()


def can_edit(user, report, at):
    """The unit's liaison (or head) may write while the report is theirs to write."""
    return is_unit_member(user, report) and report.is_editable_by_unit(at)


def can_sign_off(user, report):
    from reports.models import Report

    return (
        report.status == Report.Status.PENDING_SIGN_OFF
        and Membership.objects.filter(user=user, unit_id=report.unit_id, role=Role.UNIT_HEAD, is_active=True).exists()
    )


def can_manage(user, report):
    """Office work on a report: review, exempt, reopen, decide extensions."""
    return office_campaigns(user).filter(pk=report.period.rule.campaign_id).exists()


def can_review(user, report):
    from reports.models import Report

    return report.status == Report.Status.SUBMITTED and can_manage(user, report)


def own_notifications(user):
    """The notification centre shows each person their own messages only."""
    from notifications.models import Notification

    if not user.is_authenticated:
        return Notification.objects.none()
    return Notification.objects.filter(recipient=user)


def may_see_deliveries(user):
    """The delivery history is the office's tool for checking that reminders
    reached the units; leaders and units have no use for it."""
    return user.is_authenticated and (user.is_superuser or has_role(user, Role.OFFICE_STAFF))


def visible_deliveries(user):
    """Deliveries of the campaigns whose office work the user does. A delivery
    with no campaign cannot be attributed to an office: superusers only."""
    from notifications.models import Delivery

    if user.is_superuser:
        return Delivery.objects.all()
    return Delivery.objects.filter(campaign__in=office_campaigns(user).values("id"))


def reporting_campaigns(user):
    """Campaigns in which the user's own units (as liaison or head) owe reports."""
    from reports.models import Report

    if not user.is_authenticated:
        return Campaign.objects.none()
    owing = Report.objects.filter(unit__in=unit_ids(user, Role.LIAISON, Role.UNIT_HEAD))
    return Campaign.objects.filter(pk__in=owing.values("period__rule__campaign"))


def dashboard_campaigns(user):
    """Campaigns whose dashboard the user may open: every unit's rows for the
    office and leaders, the own units' rows for liaisons and unit heads."""
    if not user.is_authenticated:
        return Campaign.objects.none()
    if user.is_superuser:
        return Campaign.objects.all()
    return Campaign.objects.filter(
        Q(pk__in=overseen_campaigns(user).values("id")) | Q(pk__in=reporting_campaigns(user).values("id"))
    )


def dashboard_unit_ids(user, campaign):
    """Whose rows the user sees on `campaign`'s dashboard: None for every
    unit (office, leaders), else the set of the user's own unit ids."""
    if overseen_campaigns(user).filter(pk=campaign.pk).exists():
        return None
    return set(unit_ids(user, Role.LIAISON, Role.UNIT_HEAD).values_list("unit_id", flat=True))


def may_chase(user, campaign):
    """催报 is office work: the campaign's office staff and the system admin."""
    return office_campaigns(user).filter(pk=campaign.pk).exists()


# Monthly evaluation (综合评定), objections (申诉) and bulletins (通报).
# The office computes, adjusts and publishes; leaders read everything; a unit
# sees the published evaluations it was scored in (the ranking, as the
# bulletin names everyone), but only its own breakdown and objections.


def evaluation_campaigns(user):
    """Campaigns whose evaluations the user may open: the office's and the
    leaders' campaigns, and those the user's units report to."""
    return dashboard_campaigns(user)


def visible_evaluations(user):
    from evaluations.models import Evaluation

    if not user.is_authenticated:
        return Evaluation.objects.none()
    if user.is_superuser:
        return Evaluation.objects.all()
    own = Evaluation.objects.filter(
        status=Evaluation.Status.PUBLISHED, scores__unit__in=unit_ids(user, Role.LIAISON, Role.UNIT_HEAD)
    ).values("id")
    return Evaluation.objects.filter(Q(campaign__in=overseen_campaigns(user).values("id")) | Q(pk__in=own))


def office_evaluations(user):
    """Evaluations the user computes, adjusts and publishes."""
    from evaluations.models import Evaluation

    if not user.is_authenticated:
        return Evaluation.objects.none()
    return Evaluation.objects.filter(campaign__in=office_campaigns(user).values("id"))


def may_evaluate(user, campaign):
    return user.is_authenticated and office_campaigns(user).filter(pk=campaign.pk).exists()


def visible_scores(user):
    """Every score for the office and leaders; a unit's own, once published."""
    from evaluations.models import Evaluation, Score

    if not user.is_authenticated:
        return Score.objects.none()
    if user.is_superuser:
        return Score.objects.all()
    return Score.objects.filter(
        Q(evaluation__campaign__in=overseen_campaigns(user).values("id"))
        | Q(
            evaluation__status=Evaluation.Status.PUBLISHED,
            unit__in=unit_ids(user, Role.LIAISON, Role.UNIT_HEAD),
        )
    )


def own_scores(user):
    """Scores the user may object to: the own units' published scores."""
    from evaluations.models import Evaluation, Score

    if not user.is_authenticated:
        return Score.objects.none()
    return Score.objects.filter(
        evaluation__status=Evaluation.Status.PUBLISHED, unit__in=unit_ids(user, Role.LIAISON, Role.UNIT_HEAD)
    )


def visible_objections(user):
    from evaluations.models import Objection

    return Objection.objects.filter(score__in=visible_scores(user).values("id"))


def office_objections(user):
    from evaluations.models import Objection

    return Objection.objects.filter(score__evaluation__in=office_evaluations(user).values("id"))


def visible_bulletins(user):
    """Drafts for the office and leaders; published bulletins for the units scored."""
    from evaluations.models import Bulletin

    if not user.is_authenticated:
        return Bulletin.objects.none()
    if user.is_superuser:
        return Bulletin.objects.all()
    return Bulletin.objects.filter(
        Q(evaluation__campaign__in=overseen_campaigns(user).values("id"))
        | Q(status=Bulletin.Status.PUBLISHED, evaluation__in=visible_evaluations(user).values("id"))
    )


def office_bulletins(user):
    from evaluations.models import Bulletin

    return Bulletin.objects.filter(evaluation__in=office_evaluations(user).values("id"))


# Supervision (督导检查, 整改台账): the office records and decides, leaders
# read, a unit sees only its own findings and rectification items.


def supervised_campaigns(user):
    """Campaigns whose inspections and ledger the user reads: the office's and the leaders'."""
    if not user.is_authenticated:
        return Campaign.objects.none()
    return overseen_campaigns(user)


def may_supervise(user, campaign):
    """Recording inspections and verifying rectifications is office work."""
    return user.is_authenticated and office_campaigns(user).filter(pk=campaign.pk).exists()


def visible_inspections(user):
    """Whole inspections (every unit's scores and findings): office and leaders only."""
    from supervision.models import Inspection

    if not user.is_authenticated:
        return Inspection.objects.none()
    return Inspection.objects.filter(campaign__in=supervised_campaigns(user).values("id"))


def visible_rectifications(user):
    """Items of the campaigns the user oversees, and the own unit's items."""
    from supervision.models import RectificationItem

    if not user.is_authenticated:
        return RectificationItem.objects.none()
    if user.is_superuser:
        return RectificationItem.objects.all()
    return RectificationItem.objects.filter(
        Q(campaign__in=overseen_campaigns(user).values("id")) | Q(unit__in=unit_ids(user, Role.LIAISON, Role.UNIT_HEAD))
    )


def unit_rectifications(user):
    """Items the user answers for their own unit (liaison or unit head)."""
    from supervision.models import RectificationItem

    if not user.is_authenticated:
        return RectificationItem.objects.none()
    return RectificationItem.objects.filter(unit__in=unit_ids(user, Role.LIAISON, Role.UNIT_HEAD))


def may_answer_rectification(user, item):
    return Membership.objects.filter(
        user=user, unit_id=item.unit_id, role__in=[Role.LIAISON, Role.UNIT_HEAD], is_active=True
    ).exists()


def may_verify_rectification(user, item):
    return may_supervise(user, item.campaign)


def visible_inspection_attachments(user):
    from supervision.models import InspectionAttachment

    return InspectionAttachment.objects.filter(inspection__in=visible_inspections(user).values("id"))


def visible_evidence(user):
    from supervision.models import RectificationEvidence

    return RectificationEvidence.objects.filter(response__item__in=visible_rectifications(user).values("id"))


def may_import_plans(user):
    """Importing a plan document as a draft campaign is office work."""
    return user.is_authenticated and (user.is_superuser or has_role(user, Role.OFFICE_STAFF))


def plan_import_office_units(user):
    """Units a user may make the office of an imported campaign: the units
    whose office staff they are, so that they can see the draft they create."""
    from .models import Unit

    if user.is_superuser:
        return Unit.objects.filter(is_active=True)
    return Unit.objects.filter(pk__in=unit_ids(user, Role.OFFICE_STAFF))


def annual_report_campaigns(user):
    """Campaigns whose year-end report (年度情况报告) the user may download:
    the office drafts it, leaders read it. Units write none of it."""
    if not user.is_authenticated:
        return Campaign.objects.none()
    return overseen_campaigns(user)
