"""What the settings pages read: the activation checklist (启用前检查).

Each check is one query whatever the size of the plan, so that the settings
page costs the same for six tasks or six hundred.
"""

import datetime
import itertools
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db.models import Count, Exists, OuterRef, Prefetch, Q
from django.urls import reverse
from django.utils import timezone

from campaigns.models import Membership, Unit
from reports.models import ReportingRule
from reports.schedule import (
    CYCLE_MONTHS,
    END_CADENCES,
    MAX_MONTHS_AFTER,
    add_months,
    closing_deadline,
    nominal_deadlines,
    plan_periods,
)

Role = Membership.Role


@dataclass(frozen=True)
class Missing:
    """One line of the checklist: what is missing, where to fix it, and
    whether it stops the campaign from going live."""

    text: str
    url: str
    blocking: bool = True


def _names(rows, limit=5):
    names = "、".join(rows[:limit])
    return names + (f"等 {len(rows)} 项" if len(rows) > limit else "")


def _day(date):
    """A date as the office writes it: 2026年1月6日."""
    return f"{date.year}年{date.month}月{date.day}日"


def _deadlines(rule, *, until, phases=()):
    # The schedule's own arithmetic (no database): the deadline days of the
    # periods the rule will have, before any holiday shift, up to `until`.
    return itertools.takewhile(
        lambda day: day <= until,
        (
            period.deadline
            for period in plan_periods(
                cadence=rule.cadence,
                weekday=rule.weekday,
                day_of_month=rule.day_of_month,
                starts_on=rule.starts_on,
                ends_on=rule.ends_on,
                month_offset=rule.month_offset,
                days_after=rule.days_after,
                phases=phases,
            )
        ),
    )


def _past_deadlines(rule, *, at, phases=()):
    """How many of the rule's deadlines are already past at `at`: the
    periods activation opens overdue."""
    return sum(1 for _ in _deadlines(rule, until=timezone.localdate(at) - datetime.timedelta(days=1), phases=phases))


def _rule_has_own_deadline(rule, *, phases=()):
    """Whether the rule's dates hold a deadline day of its own schedule (a
    one-off rule's is its last day)."""
    days = nominal_deadlines(
        cadence=rule.cadence,
        weekday=rule.weekday,
        day_of_month=rule.day_of_month,
        starts_on=rule.starts_on,
        ends_on=rule.ends_on,
        month_offset=rule.month_offset,
        days_after=rule.days_after,
        phases=phases,
    )
    return next(iter(days), None) is not None


def latest_rule_end(rule, campaign):
    """The last day a rule of the campaign may run to. A report on the
    campaign's last days may fall due after it: a one-off summary
    (活动结束后10日内报送总结) up to three months later, a cycle reported
    after its end (次月10日前报送上季度情况) up to its last cycle's deadline.
    A report at the end of each phase or of the campaign (活动结束后10日内报送
    工作总结) runs to its days after the campaign. Every other rule ends with
    the campaign."""
    if rule.cadence in END_CADENCES:
        return campaign.ends_on + datetime.timedelta(days=rule.days_after)
    if rule.cadence == ReportingRule.Cadence.ONCE:
        return add_months(campaign.ends_on, MAX_MONTHS_AFTER)
    if rule.cadence in CYCLE_MONTHS and rule.month_offset > 0:
        return max(
            campaign.ends_on,
            closing_deadline(
                cadence=rule.cadence, day_of_month=rule.day_of_month, month_offset=rule.month_offset, on=campaign.ends_on
            ),
        )
    return campaign.ends_on


def owing_unit_ids(*, campaign, rules):
    """Every unit that would owe a report of some rule: the units of the tasks
    (lead and co-units) for rules owed by task units, the listed units for the
    others. reports.services.rule_owing_units says the same rule by rule."""
    ids = set()
    if any(rule.owners == ReportingRule.Owners.TASK_UNITS for rule in rules):
        ids |= set(
            Unit.objects.filter(
                Q(led_tasks__campaign=campaign) | Q(supported_tasks__campaign=campaign), is_active=True
            ).values_list("pk", flat=True)
        )
    listed = [rule.pk for rule in rules if rule.owners == ReportingRule.Owners.LISTED]
    if listed:
        ids |= set(Unit.objects.filter(reporting_rules__in=listed, is_active=True).values_list("pk", flat=True))
    return ids


def activation_checklist(*, campaign, at=None):
    """What is still missing before `campaign` can go live, as sentences."""
    at = at or timezone.now()

    def url(name, anchor=""):
        return reverse(f"setup:{name}", args=[campaign.pk]) + anchor

    missing = []
    if campaign.ends_on < campaign.starts_on:
        missing.append(Missing("活动的结束日期早于开始日期，请改正活动起止日期。", url("basics")))
    outside = list(
        campaign.phases.filter(Q(starts_on__lt=campaign.starts_on) | Q(ends_on__gt=campaign.ends_on)).values_list(
            "name", flat=True
        )
    )
    if outside:
        missing.append(
            Missing(
                f"阶段“{_names(outside)}”的日期超出了活动起止日期（{_day(campaign.starts_on)}至"
                f"{_day(campaign.ends_on)}），请调整阶段或活动日期。",
                url("basics", "#phases"),
            )
        )
    if not Membership.objects.filter(unit=campaign.office_unit_id, role=Role.OFFICE_STAFF, is_active=True).exists():
        missing.append(
            Missing(
                f"领导小组办公室所在单位“{campaign.office_unit}”还没有在用的办公室工作人员，启用后无人审核报送。"
                "请联系系统管理员添加人员。",
                url("basics"),
            )
        )
    if not (campaign.contact_person and (campaign.contact_phone or campaign.contact_email)):
        missing.append(
            Missing("还没有填写办公室联系人及联系电话或邮箱，各单位将不知道向谁咨询。", url("basics"), blocking=False)
        )

    leaderless = [str(task) for task in campaign.tasks.filter(lead_unit__isnull=True).only("code", "title")]
    if leaderless:
        missing.append(
            Missing(
                f"{len(leaderless)} 项任务还没有牵头单位：{_names(leaderless)}。请为每项任务指定牵头单位。",
                url("tasks"),
            )
        )

    unasked = list(campaign.indicators.filter(reporting_rules__isnull=True).values_list("name", flat=True))
    if unasked:
        # A target no rule asks for is never reported: it cannot be met, nor scored (指标完成).
        missing.append(
            Missing(
                f"指标“{_names(unasked)}”还没有出现在任何报送要求中，各单位不会填报这些数值。"
                "请在报送要求中勾选“填报指标”（一般放在月报或季报中）。",
                url("rules"),
                blocking=False,
            )
        )
    rules = list(campaign.reporting_rules.annotate(listed=Count("units", filter=Q(units__is_active=True))))
    if not rules:
        missing.append(Missing("还没有报送要求，启用后不会生成任何报送周期。请至少添加一条报送要求。", url("rules")))
    # Read once for every rule owed at the end of each phase.
    phases = (
        list(campaign.phases.filter(starts_on__isnull=False, ends_on__isnull=False).order_by("order"))
        if any(rule.cadence == ReportingRule.Cadence.PHASE_END for rule in rules)
        else []
    )
    for rule in rules:
        if rule.owners == ReportingRule.Owners.LISTED and not rule.listed:
            missing.append(
                Missing(
                    f"报送要求“{rule.name}”没有指定报送单位，请选择报送单位。",
                    reverse("setup:rule_edit", args=[campaign.pk, rule.pk]),
                )
            )
        if rule.starts_on < campaign.starts_on or rule.ends_on > (last := latest_rule_end(rule, campaign)):
            after = "" if last == campaign.ends_on else f"，或截止日晚于{_day(last)}"
            missing.append(
                Missing(
                    f"报送要求“{rule.name}”的起止日期超出了活动起止日期（{_day(campaign.starts_on)}至"
                    f"{_day(campaign.ends_on)}）{after}，请调整。",
                    reverse("setup:rule_edit", args=[campaign.pk, rule.pk]),
                )
            )
        elif rule.cadence == ReportingRule.Cadence.PHASE_END and not _rule_has_own_deadline(rule, phases=phases):
            missing.append(
                Missing(
                    f"报送要求“{rule.name}”按阶段报送，但活动还没有在其起止日期内结束的阶段，启用后不会生成任何报送周期。"
                    "请先设置阶段及其起止日期，或改为活动结束后报送。",
                    url("basics", "#phases"),
                )
            )
        elif not _rule_has_own_deadline(rule, phases=phases):
            # The periods tile the rule's dates whatever they are: this rule
            # gets one period, due on its last day rather than the plan's.
            missing.append(
                Missing(
                    f"报送要求“{rule.name}”的起止日期内没有一个{rule.schedule_display}的截止日，"
                    f"只会生成一期，截止日为{_day(rule.ends_on)}。如不是这样安排，请调整起止日期或报送日。",
                    reverse("setup:rule_edit", args=[campaign.pk, rule.pk]),
                    blocking=False,
                )
            )
        elif past := _past_deadlines(rule, at=at, phases=phases):
            # A plan imported late, or one whose dates were inferred from its
            # title, would open with every unit already overdue and escalated.
            missing.append(
                Missing(
                    f"报送要求“{rule.name}”从{_day(rule.starts_on)}开始，启用时将立即生成 {past} 个已过截止日的"
                    "报送周期，各单位这些期次都会计为逾期。如这些期次不必补报，请把开始日期改为今天。",
                    reverse("setup:rule_edit", args=[campaign.pk, rule.pk]),
                    blocking=False,
                )
            )
    owing = owing_unit_ids(campaign=campaign, rules=rules)
    if rules and not owing:
        missing.append(Missing("没有任何单位需要报送：请为任务指定牵头单位，或为报送要求指定报送单位。", url("tasks")))
    if owing:
        liaison = Membership.objects.filter(unit=OuterRef("pk"), role=Role.LIAISON, is_active=True)
        without = list(Unit.objects.filter(pk__in=owing).exclude(Exists(liaison)).values_list("name", flat=True))
        if without:
            missing.append(
                Missing(
                    f"{len(without)} 个需要报送的单位还没有在用的联络员：{_names(without)}。"
                    "请在“单位与联络员”中为这些单位指定或新建联络员。",
                    url("liaisons"),
                )
            )
    return missing


def blocking(missing):
    return [item for item in missing if item.blocking]


def owing_units(*, campaign):
    """The units that owe reports in `campaign` under its rules as they stand."""
    return Unit.objects.filter(pk__in=owing_unit_ids(campaign=campaign, rules=list(campaign.reporting_rules.all())))


def owing_units_with_people(*, campaign):
    """The units owing reports in `campaign`, each with `people`: its active
    liaisons and unit heads. A few queries, whatever the number of units."""
    people = Membership.objects.filter(role__in=[Role.LIAISON, Role.UNIT_HEAD], is_active=True).select_related("user")
    units = owing_units(campaign=campaign).prefetch_related(
        Prefetch("memberships", queryset=people.order_by("role", "user__full_name", "user__username"), to_attr="people")
    )
    for unit in units:
        unit.has_liaison = any(m.role == Role.LIAISON for m in unit.people)
    return sorted(units, key=lambda unit: (unit.has_liaison, unit.sort_order, unit.name))


def assignable_users(*, query, limit=20):
    """Active users matching `query` by name, username or phone, who may be
    given a unit role here (no admin accounts)."""
    query = query.strip()
    if not query:
        return []
    users = get_user_model().objects.filter(is_active=True, is_staff=False, is_superuser=False).filter(
        Q(full_name__icontains=query) | Q(username__icontains=query) | Q(phone__icontains=query)
    )
    return list(
        users.prefetch_related(
            Prefetch("memberships", queryset=Membership.objects.filter(is_active=True).select_related("unit"))
        ).order_by("full_name", "username")[:limit]
    )
