"""Writes of the settings area that touch more than one row: moving and
removing tasks, and activating the campaign."""

from django.db import transaction
from django.db.models import Max, ProtectedError, RestrictedError
from django.utils import timezone

from campaigns.models import Campaign
from core.errors import Refused
from reports.services import generate_periods
from tasks.models import Task

from . import selectors


class SetupRefused(Refused):
    """A settings step refused; str() is the sentence for the user."""


def next_position(*, campaign, parent):
    siblings = Task.objects.filter(campaign=campaign, parent=parent)
    return (siblings.aggregate(last=Max("position"))["last"] or 0) + 1


@transaction.atomic
def move_task(*, task, up):
    """Swap `task` with its previous (`up`) or next sibling; the subtrees move
    with them (Task.save). Returns False when it is already first or last."""
    siblings = Task.objects.select_for_update().filter(campaign=task.campaign_id, parent=task.parent_id)
    neighbour = (
        siblings.filter(position__lt=task.position).order_by("-position")
        if up
        else siblings.filter(position__gt=task.position).order_by("position")
    ).first()
    if neighbour is None:
        return False
    mine, theirs = task.position, neighbour.position
    # Through a free position: (campaign, tree_path) is unique at every step.
    task.position = next_position(campaign=task.campaign_id, parent=task.parent_id)
    task.save()
    neighbour.position = mine
    neighbour.save()
    task.position = theirs
    task.save()
    return True


@transaction.atomic
def remove_task(*, task):
    if task.children.exists():
        raise SetupRefused(f"任务“{task}”下还有下级任务，请先删除或移走下级任务。")
    try:
        task.delete()
    except (ProtectedError, RestrictedError):
        raise SetupRefused(f"任务“{task}”已有单位报送的进展，不能删除。") from None


def remove_rows(*, rows, what):
    """Delete rows a formset marked, refusing with a sentence when reports refer to one."""
    try:
        with transaction.atomic():
            for row in rows:
                row.delete()
    except (ProtectedError, RestrictedError):
        raise SetupRefused(f"{what}已被单位填报或被其他指标引用，不能删除。") from None


@transaction.atomic
def activate_campaign(*, campaign, by, at):
    """Draft → active, with the periods due so far, or nothing at all.

    Refuses (SetupRefused) while the checklist holds a blocking line, or when
    the campaign is no longer a draft. Returns (periods, reports) created.
    """
    campaign = Campaign.objects.select_for_update().get(pk=campaign.pk)
    if campaign.status != Campaign.Status.DRAFT:
        raise SetupRefused("该活动已经启用，无需再次启用。")
    blocking = selectors.blocking(selectors.activation_checklist(campaign=campaign))
    if blocking:
        raise SetupRefused(
            f"还有 {len(blocking)} 项必须完成的设置，活动未启用："
            + "；".join(item.text.rstrip("。") for item in blocking)
            + "。"
        )
    campaign.status = Campaign.Status.ACTIVE
    campaign._history_user = by
    campaign.save(update_fields=["status"])
    through = timezone.localdate(at)
    totals = [0, 0]
    for rule in campaign.reporting_rules.all():
        periods, reports = generate_periods(rule=rule, through=through)
        totals[0] += periods
        totals[1] += reports
    return tuple(totals)
