"""Writes of the settings area that touch more than one row: moving and
removing tasks, the units' liaisons and heads, and activating the campaign."""

import re

from django.db import transaction
from django.db.models import Max, ProtectedError, RestrictedError, Value
from django.db.models.functions import Replace
from django.utils import timezone

from accounts.models import User
from accounts.resources import new_initial_password
from campaigns.models import Campaign, Membership
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


@transaction.atomic
def discard_draft(*, campaign, by, at):
    """Delete a draft the office no longer wants (a plan imported by mistake,
    or to import it again), with its tasks, rules, indicators, phases and
    leading group. Units and people it created stay: other campaigns may use
    them. A campaign that ever went live is history and is never deleted."""
    campaign = Campaign.objects.select_for_update().get(pk=campaign.pk)
    if campaign.status != Campaign.Status.DRAFT:
        raise SetupRefused("只有草稿活动可以删除；已启用的活动是工作记录，不能删除。")
    title = str(campaign)
    campaign._history_user = by
    try:
        campaign.delete()
    except (ProtectedError, RestrictedError):
        raise SetupRefused(f"草稿“{title}”已有报送、督导检查或评定记录，不能删除。") from None
    return title


# Units' people: the clerk gives a unit that owes reports its liaison without
# the Django admin. Only a unit's own roles are given here; office staff,
# leaders and admin accounts stay the system admin's.
UNIT_ROLES = (Membership.Role.LIAISON, Membership.Role.UNIT_HEAD)
MOBILE = re.compile(r"1\d{10}")


def mobile_number(phone):
    """The 11-digit mobile number `phone` writes (spaces and dashes dropped), or SetupRefused."""
    digits = re.sub(r"[\s-]", "", phone)
    if not MOBILE.fullmatch(digits):
        raise SetupRefused(f"手机号“{phone.strip()}”格式不正确：应为以 1 开头的 11 位数字。")
    return digits


def _owing_unit(*, campaign, unit):
    if not selectors.owing_units(campaign=campaign).filter(pk=unit.pk).exists():
        raise SetupRefused(f"“{unit}”在本活动中没有报送任务，不能在这里为其添加人员。")


def _check_role(role):
    if role not in UNIT_ROLES:
        raise SetupRefused("这里只能设置联络员或单位负责人；办公室工作人员和领导请联系系统管理员设置。")


def _give_role(*, user, unit, role, by):
    """Create the membership, or bring back one ended earlier (user, unit, role is unique)."""
    membership = Membership.objects.select_for_update().filter(user=user, unit=unit, role=role).first()
    if membership is not None and membership.is_active:
        raise SetupRefused(f"“{user}”已是“{unit}”的{membership.get_role_display()}。")
    if membership is None:
        membership = Membership(user=user, unit=unit, role=role)
    membership.is_active = True
    membership.full_clean()
    membership._history_user = by
    membership.save()
    return membership


@transaction.atomic
def assign_member(*, campaign, unit, user, role, by, at):
    """Give an existing user a unit role (联络员 or 单位负责人) in a unit owing reports in `campaign`."""
    _check_role(role)
    _owing_unit(campaign=campaign, unit=unit)
    if not user.is_active:
        raise SetupRefused(f"用户“{user}”已停用，不能指定。")
    if user.is_staff or user.is_superuser:
        raise SetupRefused(f"“{user}”是系统管理账号，不能在这里指定为单位人员，请联系系统管理员。")
    return _give_role(user=user, unit=unit, role=role, by=by)


def _free_username(phone):
    # The phone number, as the people import names a user without 用户名;
    # suffixed when an account already took it as its name.
    taken = set(User.objects.filter(username__startswith=phone).values_list("username", flat=True))
    username, n = phone, 1
    while username in taken:
        n += 1
        username = f"{phone}_{n}"
    return username


@transaction.atomic
def create_member(*, campaign, unit, full_name, phone, role, by, at):
    """A new person with a unit role. Returns (membership, initial password):
    the password is shown once and stored only hashed; its owner must change
    it at first sign-in (accounts.middleware)."""
    _check_role(role)
    _owing_unit(campaign=campaign, unit=unit)
    full_name, phone = full_name.strip(), mobile_number(phone)
    if not full_name:
        raise SetupRefused("请填写姓名。")
    # Phones typed in the admin or a sheet may carry spaces and dashes.
    written = Replace(Replace("phone", Value(" "), Value("")), Value("-"), Value(""))
    holder = User.objects.annotate(digits=written).filter(digits=phone).first()
    if holder is not None:
        raise SetupRefused(
            f"手机号 {phone} 已属于用户“{holder}”（用户名 {holder.username}），不能重复创建。"
            "如是同一人，请用“指定已有用户”为其指定角色。"
        )
    password = new_initial_password()
    user = User(
        username=_free_username(phone),
        full_name=full_name,
        phone=phone,
        is_staff=False,
        is_superuser=False,
        must_change_password=True,
        date_joined=at,
    )
    user.set_password(password)
    user.full_clean()
    user.save()
    return _give_role(user=user, unit=unit, role=role, by=by), password


def _added_by_office(membership, *, campaign):
    """Whether the campaign's office staff gave (or gave back) the role: its last change is theirs."""
    last = membership.history.order_by("-history_date", "-history_id").first()
    return last is not None and Membership.objects.filter(
        user=last.history_user_id, unit=campaign.office_unit_id, role=Membership.Role.OFFICE_STAFF
    ).exists()


@transaction.atomic
def end_membership(*, campaign, membership, by, at):
    """Undo a unit role given by mistake. Only roles the office gave: a unit's
    people serve every campaign the unit reports to, and other offices'
    liaisons are the system admin's to end."""
    membership = Membership.objects.select_for_update().select_related("user", "unit").get(pk=membership.pk)
    _check_role(membership.role)
    _owing_unit(campaign=campaign, unit=membership.unit)
    if not membership.is_active:
        raise SetupRefused(f"“{membership.user}”已不是“{membership.unit}”的{membership.get_role_display()}。")
    if not (by.is_superuser or _added_by_office(membership, campaign=campaign)):
        raise SetupRefused(
            f"“{membership.user}”不是由领导小组办公室添加的，不能在这里撤销；如需撤销，请联系系统管理员。"
        )
    membership.is_active = False
    membership._history_user = by
    membership.save(update_fields=["is_active"])
    return membership
