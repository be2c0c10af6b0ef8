"""Demo inspections and rectification items for a demo campaign, made through
the services the pages use, so that the ledger shows every state: open, in
progress, submitted, closed on time, closed late, rejected and overdue."""

import datetime

from django.utils import timezone

from calendars.models import WorkCalendar
from campaigns.models import Membership
from supervision import selectors, services
from supervision.models import Inspection


def _moment(day, hour=10, minute=0):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))


def seed_supervision(*, campaign, office_user, now):
    """Record three inspections of `campaign` (45, 12 and 8 days before `now`)
    and drive their items into every state. Does nothing if the campaign
    already has inspections."""
    if campaign.inspections.exists():
        return []
    units = list(selectors.campaign_units(campaign=campaign))
    if not units:
        return []
    by_short = {unit.short_name or unit.name: unit for unit in units}

    def unit(short, index):
        return by_short.get(short) or units[index % len(units)]

    people = {}
    for membership in Membership.objects.filter(
        unit__in=units, role__in=[Membership.Role.LIAISON, Membership.Role.UNIT_HEAD], is_active=True
    ).select_related("user").order_by("role", "user__username"):
        # Ordered by role, a unit's liaison comes before its head: the liaison answers.
        people.setdefault(membership.unit_id, membership.user)

    today = timezone.localdate(now)
    day = datetime.timedelta(days=1)
    first_on, second_on, third_on = today - 45 * day, today - 12 * day, today - 8 * day
    # A deadline soon after the questionnaire whose due time (moved past any
    # holiday) has passed, for an item that is overdue while in progress.
    short_deadline = WorkCalendar.between(third_on, today).next_working_day(third_on + day)
    jds, fgk, yzk, xck, bgs, rsk = (unit(name, i) for i, name in enumerate(["监督所", "法规科", "医政科", "宣传科", "办公室", "人事科"]))

    def finding(target, description, requirement, deadline):
        return services.FindingInput(target, description, requirement, deadline)

    scheduled = services.record_inspection(
        campaign=campaign,
        by=office_user,
        at=_moment(first_on, 16),
        kind=Inspection.Kind.SCHEDULED,
        inspected_on=first_on,
        inspectors="樊丽娜、李蓉",
        summary="对各责任单位开展文明执法工作定期督导检查，查阅执法案卷、公示资料和工作台账，听取工作汇报。",
        units=[(target, 95 - 3 * (i % 5)) for i, target in enumerate(units)],
        findings=[
            finding(jds, "部分行政执法文书填写不规范，案由表述不统一。", "对照文书规范逐卷整改，并组织一次执法文书培训。", first_on + 14 * day),
            finding(fgk, "执法公示栏信息未及时更新。", "更新执法公示栏信息，建立每月更新制度。", first_on + 14 * day),
            finding(yzk, "医疗机构监督检查记录缺少负责人签字。", "补齐签字，完善检查记录审核流程。", first_on + 20 * day),
        ],
    )
    unannounced = services.record_inspection(
        campaign=campaign,
        by=office_user,
        at=_moment(second_on, 17),
        kind=Inspection.Kind.UNANNOUNCED,
        inspected_on=second_on,
        inspectors="樊丽娜",
        summary="明察暗访窗口服务和执法人员着装、亮证情况。",
        units=[(xck, None), (bgs, None), (rsk, None)],
        findings=[
            finding(xck, "宣传资料摆放杂乱，部分资料已过期。", "清理过期资料，规范摆放。", today + 10 * day),
            finding(bgs, "窗口工作人员未佩戴工作牌。", "落实挂牌上岗制度。", today + 7 * day),
            finding(rsk, "执法人员培训台账不完整。", "补齐全年培训台账。", today + 5 * day),
        ],
    )
    questionnaire = services.record_inspection(
        campaign=campaign,
        by=office_user,
        at=_moment(third_on, 16),
        kind=Inspection.Kind.QUESTIONNAIRE,
        inspected_on=third_on,
        inspectors="李蓉",
        summary="向服务对象发放满意度问卷120份，收回113份。",
        units=[(jds, 92.5), (fgk, 88)],
        findings=[
            finding(jds, "问卷反映执法告知不够充分。", "执法时主动告知权利义务，制作告知卡。", today + 14 * day),
            finding(fgk, "问卷反映法律咨询答复不及时。", "建立咨询登记和限时答复制度。", short_deadline),
        ],
    )

    def item_of(inspection, target):
        return inspection.findings.get(unit=target).rectification

    def person(target):
        return people.get(target.pk)

    # Closed on time: answered two days before the deadline, verified the next day.
    item = item_of(scheduled, jds)
    if person(jds):
        services.start_work(item=item, by=person(jds), at=_moment(first_on + day, 9))
        services.submit_response(
            item=item, by=person(jds), at=_moment(item.deadline - 2 * day, 15),
            text="已对2份不规范文书逐一整改，并于本周组织全所执法文书培训，参训32人。",
        )
        services.verify(item=item, by=office_user, at=_moment(item.deadline - day, 10), comment="整改到位，予以销号。")
    # Closed late: answered three days after the deadline.
    item = item_of(scheduled, fgk)
    if person(fgk):
        services.submit_response(
            item=item, by=person(fgk), at=_moment(item.deadline + 3 * day, 11),
            text="已更新公示栏全部信息，并明确专人每月更新。",
        )
        services.verify(item=item, by=office_user, at=_moment(item.deadline + 4 * day, 9))
    # Overdue: 医政科 has not answered (item_of(scheduled, yzk) stays open).
    # In progress.
    if person(xck):
        services.start_work(item=item_of(unannounced, xck), by=person(xck), at=_moment(second_on + day, 9))
    # Submitted, awaiting verification.
    if person(bgs):
        services.submit_response(
            item=item_of(unannounced, bgs), by=person(bgs), at=now - day,
            text="已为窗口工作人员统一制作工作牌，落实挂牌上岗。",
        )
    # Rejected, back with the unit.
    item = item_of(unannounced, rsk)
    if person(rsk):
        services.submit_response(item=item, by=person(rsk), at=now - 5 * day, text="已整理培训台账。")
        services.reject(
            item=item, by=office_user, at=now - 4 * day,
            reason="台账缺少第三季度两次培训的签到表和照片，请补齐后重新提交。",
        )
    # Overdue while in progress: due soon after the questionnaire.
    if person(fgk):
        services.start_work(item=item_of(questionnaire, fgk), by=person(fgk), at=_moment(third_on + day, 9))
    # Open: item_of(questionnaire, jds) is not yet due.
    return [scheduled, unannounced, questionnaire]
