"""The second demo: the 2025 rule-of-law government work (法治政府建设) of a
district health commission, as the sample year-end report
(docs/samples/weibin-2025-rule-of-law-annual-report.txt) describes it.

The report's sections are the campaign's tasks; five of the commission's
sections report monthly through 2025; the figures the report prints (22
publicity events, 82 of 82 national random inspections, fines of 53364
yuan, ...) are what the units reported, month by month, through the same
workflow the pages use, and the office accepted. The year-end report
(documents.annual) adds them up again: nothing here is written into it.

Two reports carry figures that must not count: 监督所's December report,
returned for correction, and 法规科's December report, a draft never sent.
Every figure is allocated over the months whose reports are accepted, so
the accepted totals are the sample's.

The office inspected its sections four times in 2025; their six
rectification items are in every state (closed on time, closed late,
rejected, submitted, in progress, open).

The campaign is closed (已结束), so no reminder goes out for it. The demo's
office staff (樊丽娜, 李蓉) are given office roles in this commission's
办公室 too, so that one sign-in shows both campaigns; each new unit gets a
liaison with the demo password.
"""

import datetime
import random
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from accounts.models import User
from campaigns.models import Campaign, LeadingGroupMember, Membership, Unit
from core.numerals import chinese_numeral
from reports import workflow
from reports.models import Period, ReportingRule, TaskProgress
from reports.services import generate_periods
from tasks.models import Indicator, Task

YEAR = 2025
TITLE = "卫滨区卫生健康委员会2025年法治政府建设工作方案"
MONTHS = list(range(1, 13))

COMMISSION = ("卫滨区卫生健康委员会", "卫滨区卫健委")

# (key, full name, short name, contact, liaison username, liaison name)
UNITS = [
    ("bgs", "卫滨区卫健委办公室", "办公室", "马晓燕", "liaison_wb_bgs", "马晓燕"),
    ("fgk", "卫滨区卫健委政策法规科", "法规科", "许文博", "liaison_wb_fgk", "许文博"),
    ("jds", "卫滨区卫生健康监督所", "监督所", "郭志强", "liaison_wb_jds", "郭志强"),
    ("spk", "卫滨区卫健委行政审批科", "审批科", "韩丽", "liaison_wb_spk", "韩丽"),
    ("jkk", "卫滨区卫健委疾病预防控制科", "疾控科", "杜鹏", "liaison_wb_jkk", "杜鹏"),
]
OFFICE_STAFF = [("fanlina", "樊丽娜"), ("lirong", "李蓉")]
LEADER = ("zhangyanjun", "张彦军")

# The report's sections: (key, title, lead, co-units, children).
TASKS = [
    ("duty", "党政主要负责人履行推进法治建设第一责任人职责，加强法治政府建设", "bgs", [], []),
    (
        "measures",
        "推进法治政府建设的主要举措和成效",
        None,
        [],
        [
            ("publicity", "创新普法宣传，营造良好法治氛围", "fgk", ["jds"]),
            ("enforcement", "加强重点领域执法，提升综合监管效能", "jds", ["jkk"]),
            ("service", "推进服务型行政执法建设，全面提升法治建设效能", "jds", []),
            ("restraint", "强化对行政执法权力的制约", "fgk", []),
            ("reform", "深化“放管服”改革，切实转变职能", "spk", []),
            ("review", "全面落实行政执法法制审核制度", "fgk", ["jds"]),
            ("emergency", "完善突发公共卫生事件应急预案制度", "jkk", []),
        ],
    ),
    ("congress", "接受人大监督", "bgs", [], []),
]

SUM, AVERAGE, MAX, LATEST = (
    Indicator.Aggregation.SUM,
    Indicator.Aggregation.AVERAGE,
    Indicator.Aggregation.MAX,
    Indicator.Aggregation.LATEST,
)

# (key, name, measure unit, aggregation, target, task, sentence pattern,
#  denominator key, rate pattern)
INDICATORS = [
    ("events", "开展普法宣传活动", "场", SUM, 20, "publicity", "线下开展“普法进社区、进学校、进企业”活动{value}场", None, ""),
    ("lectures", "组织专家专题宣讲", "场", SUM, None, "publicity", "组织专家开展专题宣讲{value}场", None, ""),
    # Three figures without a sentence pattern: they speak in the default wording.
    ("leaflets", "发放宣传资料", "份", SUM, None, "publicity", "", None, ""),
    ("consultations", "现场解答法律咨询", "人次", SUM, None, "publicity", "", None, ""),
    ("incidents", "处置突发公共卫生事件", "起", SUM, None, "enforcement", "处置突发公共卫生事件{value}起", None, ""),
    (
        "places", "指导重点场所落实防控措施", "家", MAX, None, "enforcement",
        "依法指导医疗机构、学校、养老机构等{value}家重点场所落实防控措施", None, "",
    ),
    ("id_checks", "开展传染病防治监督检查", "次", SUM, None, "enforcement", "开展传染病防治工作监督检查{value}次", None, ""),
    ("id_problems", "督促整改问题", "个", SUM, None, "enforcement", "", None, ""),
    ("id_fixed", "完成整改问题", "个", SUM, None, "enforcement", "", "id_problems", "督促整改问题{denominator}个，整改完成率{rate}"),
    ("national_tasks", "国家下达双随机抽查任务", "件", SUM, None, "enforcement", "", None, ""),
    (
        "national_done", "完成国家双随机抽查", "件", SUM, None, "enforcement", "", "national_tasks",
        "国家下达双随机抽查任务{denominator}件，完成{numerator}件，完成率{rate}",
    ),
    ("province_tasks", "省下达双随机抽查任务", "件", SUM, None, "enforcement", "", None, ""),
    (
        "province_done", "完成省双随机抽查", "件", SUM, None, "enforcement", "", "province_tasks",
        "省下达双随机抽查任务{denominator}件，完成{numerator}件，完成率{rate}",
    ),
    ("joint_tasks", "跨部门联合抽查任务", "件", SUM, None, "enforcement", "", None, ""),
    (
        "joint_done", "完成跨部门联合抽查", "件", SUM, None, "enforcement", "", "joint_tasks",
        "与区教体文旅局、区市场监管局、区民政局、公安卫滨分局联合跨部门抽查任务{denominator}件，完成{numerator}件，完成率{rate}",
    ),
    (
        "lightened", "减轻处罚并行政指导", "家", SUM, None, "service",
        "对{value}家具备《新乡市卫生健康委员会减轻处罚事项清单》情形的单位给予减轻处罚，并进行行政指导", None, "",
    ),
    ("revisits", "行政处罚案件回访", "次", SUM, None, "service", "开展行政处罚案件回访{value}次", None, ""),
    ("schools", "学校卫生监督检查", "所", SUM, None, "service", "对全区{value}所中、小学校开展秋季学校卫生监督检查", None, ""),
    ("six", "开展“六进”服务", "次", SUM, None, "service", "开展“六进”服务{value}次", None, ""),
    ("beneficiaries", "“六进”受益机构", "家", SUM, None, "service", "受益机构{value}家", None, ""),
    ("reached", "“六进”受益人群", "人", SUM, None, "service", "", None, ""),
    ("inspections", "开展行政检查", "件", SUM, None, "service", "开展行政检查{value}件", None, ""),
    ("visits", "入户入企检查", "次", SUM, None, "service", "入户入企检查{value}次", None, ""),
    ("satisfaction", "回访满意率", "%", AVERAGE, 95, "service", "回访满意率达到{value}%", None, ""),
    ("certified", "行政执法人员持证执法率", "%", LATEST, 100, "restraint", "行政执法人员持证执法率达{value}%", None, ""),
    ("services", "办理政务服务事项", "件", SUM, None, "reform", "共办理各类政务服务事项{value}件", None, ""),
    ("cases", "办理行政处罚案件", "件", SUM, None, "review", "共办理行政处罚案件{value}件", None, ""),
    (
        "reviewed", "法制审核案件", "件", SUM, None, "review", "", "cases",
        "全部进行法制审核（{numerator}件，审核率{rate}）",
    ),
    ("discussed", "集体讨论案件", "件", SUM, None, "review", "其中{value}件进行行政处罚决定集体讨论", None, ""),
    ("fines", "罚款金额", "元", SUM, None, "review", "共计处罚人民币{value}元", None, ""),
    ("confiscated", "没收违法所得", "元", SUM, None, "review", "没收违法所得{value}元", None, ""),
]

# The year's accepted figures, as the sample prints them: (indicator, unit,
# total, months it was reported in; None for every month the unit's report
# was accepted). Sums are allocated over those months.
FIGURES = [
    ("events", "fgk", 12, None),
    ("events", "jds", 10, [3, 4, 5, 9, 10, 11]),
    ("lectures", "fgk", 5, [3, 5, 6, 9, 11]),
    ("leaflets", "fgk", 960, None),  # 近千份
    ("consultations", "fgk", 120, [3, 5, 6, 9, 11]),  # 百余人次
    ("incidents", "jkk", 1, [8]),
    ("id_checks", "jds", 6, [2, 4, 6, 8, 9, 11]),
    ("id_problems", "jds", 2, [6, 9]),
    ("id_fixed", "jds", 2, [7, 10]),
    ("national_tasks", "jds", 82, [3]),
    ("national_done", "jds", 82, [4, 5, 6, 7, 8, 9, 10, 11]),
    ("province_tasks", "jds", 17, [4]),
    ("province_done", "jds", 17, [5, 6, 7, 8, 9]),
    ("joint_tasks", "jds", 8, [5]),
    ("joint_done", "jds", 8, [6, 8, 10]),
    ("lightened", "jds", 4, [3, 6, 8, 11]),
    ("revisits", "jds", 14, None),
    ("schools", "jds", 19, [9, 10]),
    ("six", "jds", 22, None),
    ("beneficiaries", "jds", 80, None),
    ("reached", "jds", 980, None),  # 近千人
    ("inspections", "jds", 376, None),
    ("visits", "jds", 483, None),
    ("services", "spk", 943, None),
    ("cases", "jds", 14, None),
    ("reviewed", "fgk", 14, None),
    ("discussed", "fgk", 6, [2, 5, 7, 9, 10, 11]),
    ("fines", "jds", 53364, None),
    ("confiscated", "jds", 464, [5, 10]),
]
# Figures that are not sums: the same each month, or growing to the year's.
MONTHLY_SERIES = {
    ("satisfaction", "jds"): [100] * 12,
    ("certified", "fgk"): [96, 96, 98] + [100] * 9,
    ("places", "jkk"): [20, 28, 35, 41, 46, 50, 54, 57, 60, 62, 64, 65],
}

# December's two reports that do not count, and what they carry.
RETURNED = ("jds", 12, {"inspections": 41, "visits": 52, "fines": 6000, "cases": 2, "six": 3})
DRAFT = ("fgk", 12, {"events": 3, "lectures": 1, "reviewed": 2, "certified": 100})
RETURN_COMMENT = "12月行政检查件数与执法系统台账不一致，请核对后重新报送。"

# What each unit writes (开展情况), by month; {figures} are the month's.
WORK = {
    "bgs": [
        "组织党组理论学习中心组专题学习习近平法治思想，研究部署本月法治政府建设重点工作。",
        "组织全体干部职工周一集中学法，学习《民法典》《宪法》《基本医疗卫生与健康促进法》相关条文。",
        "落实“述职必述法”要求，汇总班子成员述法材料，纳入年度考核。",
        "办理人大代表建议，与代表沟通办理结果，做到件件有落实、事事有回音。",
    ],
    "fgk": [
        "结合主题节点开展“普法进社区、进学校、进企业”活动，组织专家开展专题宣讲。",
        "对重大执法决定开展法制审核，编制《重大执法决定备案审查表》并备案。",
        "对照“双公示”工作评估指标完成数据核查，规范工作台账。",
        "组织执法人员新法律法规专题培训，开展以案释法。",
    ],
    "jds": [
        "落实“双随机、一公开”抽查任务，做好检查结果录入，对抽查全程留痕。",
        "开展行政检查和入户入企检查，对投诉举报做到查处及时、反馈到位。",
        "开展行政处罚案件回访和送法上门“六进”服务，对相对人进行行政指导。",
        "开展学校卫生、放射卫生、医疗美容等专项监督检查，督促整改发现的问题。",
    ],
    "spk": [
        "精简审批流程，压缩审批时限，对行政许可证件开展到期提醒。",
        "严格落实权责清单动态管理，规范办理各类政务服务事项。",
    ],
    "jkk": [
        "规范开展重点传染病监测，参加国家传染病与突发公共卫生事件风险评估视频会议。",
        "修订突发公共卫生事件应急预案集，开展卫生应急培训和演练。",
        "指导医疗机构、学校、养老机构等重点场所落实传染病防控措施。",
    ],
}
# Problems as units write them: what is wrong, why, and what they will do.
PROBLEMS = {
    "jds": (
        "卫生监督执法力量不足，工作成效有待提高。原因在于卫生执法监管任务增加，监管面广、量大、点多，"
        "执法人员年纪均在50岁以上，执法队伍现状与形势任务有一定差距。下一步将定期组织执法人员学习法律法规、"
        "专业业务技能和典型案例，鼓励经验丰富的执法人员与年轻人员结对，传授实战经验。"
    ),
    "fgk": (
        "宣传工作形式比较单一，创新性不高。原因是宣传形式仍偏传统，针对不同群体的精准普法不足，"
        "普法深度、力度、广度不够。下一步将在巩固宣传栏、宣传折页、义诊活动等线下阵地的基础上，"
        "强化微信公众号、抖音等线上平台宣传，针对医疗机构从业人员、社会公众等不同群体开展精准普法。"
    ),
    "spk": "部分审批事项线上办理比例不高，群众对网上办理渠道知晓率有待提高。",
}
NEXT_STEPS = {
    "bgs": "持续深化理论学习，落实领导干部应知应会法律法规清单。",
    "fgk": "落实普法责任制，推进“互联网+法治宣传”，打造“线上+线下”法治宣传矩阵。",
    "jds": "继续加强卫生健康监督执法队伍能力，加强监督稽查、案件评查力度。",
    "spk": "进一步完善制约和监督机制，继续落实“双随机、一公开”“双公示”制度。",
    "jkk": "定期开展卫生应急演练，做好应急物资储备。",
}
NOTES = {
    "duty": "每月召开党组会议研究法治建设工作。",
    "publicity": "按普法计划推进普法宣传。",
    "enforcement": "按计划推进重点领域执法和双随机抽查。",
    "service": "推行事前提示、事中指导、事后回访。",
    "restraint": "执法人员持证上岗，执法全过程留痕。",
    "reform": "按清单办理政务服务事项。",
    "review": "重大执法决定全部法制审核。",
    "emergency": "完善应急预案，加强监测预警。",
    "congress": "按期办理人大代表建议。",
}


def allocate(total, months, rng):
    """`total` split over `months` in uneven whole parts that add up exactly."""
    weights = [rng.randint(2, 6) for _ in months]
    shares = [total * w // sum(weights) for w in weights]
    for i in range(total - sum(shares)):
        shares[i % len(shares)] += 1
    return dict(zip(months, shares))


class Weibin:
    def __init__(self, *, now, password):
        self.now = now
        self.password = password
        self.rng = random.Random(2025)

    def build(self):
        self.build_units_and_users()
        self.build_campaign()
        self.build_tasks_and_indicators()
        self.build_reports()
        self.build_supervision()
        return self.campaign

    def user(self, username, full_name):
        user, created = User.objects.get_or_create(
            username=username, defaults={"full_name": full_name, "email": f"{username}@example.com"}
        )
        if created:  # an existing account keeps the password its owner chose
            user.set_password(self.password)
            user.save()
        return user

    def build_units_and_users(self):
        name, short = COMMISSION
        self.commission = Unit.objects.get_or_create(name=name, defaults={"short_name": short, "sort_order": 100})[0]
        self.units, self.liaisons = {}, {}
        for order, (key, name, short, contact, username, person) in enumerate(UNITS, start=101):
            unit = Unit.objects.get_or_create(
                name=name,
                defaults={"short_name": short, "parent": self.commission, "contact_person": contact, "sort_order": order},
            )[0]
            self.units[key] = unit
            self.liaisons[key] = self.user(username, person)
            Membership.objects.get_or_create(user=self.liaisons[key], unit=unit, role=Membership.Role.LIAISON)
        self.office = self.units["bgs"]
        self.staff = [self.user(username, person) for username, person in OFFICE_STAFF]
        for user in self.staff:
            Membership.objects.get_or_create(user=user, unit=self.office, role=Membership.Role.OFFICE_STAFF)
        self.reviewer = self.staff[0]
        # The demo's leader reads this campaign too, as the README tells
        # (dashboard, year-end report): a leader of the commission that issues it.
        leader = self.user(*LEADER)
        Membership.objects.get_or_create(user=leader, unit=self.commission, role=Membership.Role.LEADER)

    def build_campaign(self):
        self.campaign = Campaign.objects.create(
            title=TITLE,
            short_title="法治政府建设",
            issuing_unit=self.commission,
            office_unit=self.office,
            addressees="委机关各科室，区卫生健康监督所",
            issued_on=datetime.date(YEAR, 1, 10),
            starts_on=datetime.date(YEAR, 1, 1),
            ends_on=datetime.date(YEAR, 12, 31),
            status=Campaign.Status.CLOSED,
            goals="对照《卫滨区法治政府建设实施方案（2021-2025年）》责任分工，严格履行卫生健康部门职能，推动法治政府建设全面提质增效。",
            contact_person="马晓燕",
        )
        for order, (position, name, title) in enumerate(
            [
                (LeadingGroupMember.Position.HEAD, "委主要负责同志", "区卫健委主任"),
                (LeadingGroupMember.Position.DEPUTY, "主管副职", "区卫健委副主任"),
                (LeadingGroupMember.Position.MEMBER, "各科室负责人", ""),
            ],
            start=1,
        ):
            LeadingGroupMember.objects.create(
                campaign=self.campaign, position=position, name=name, title=title, unit=self.commission, order=order
            )

    def build_tasks_and_indicators(self):
        self.tasks, self.tasks_of_unit = {}, {}

        def create(key, title, lead, co, position, parent=None):
            code = f"（{chinese_numeral(position)}）" if parent else f"{chinese_numeral(position)}、"
            task = Task.objects.create(
                campaign=self.campaign,
                parent=parent,
                position=position,
                code=code,
                title=title,
                lead_unit=self.units[lead] if lead else None,
            )
            task.co_units.set([self.units[k] for k in co])
            self.tasks[key] = task
            for unit_key in ([lead] if lead else []) + co:
                self.tasks_of_unit.setdefault(unit_key, []).append(key)
            return task

        for position, (key, title, lead, co, children) in enumerate(TASKS, start=1):
            parent = create(key, title, lead, co, position)
            for child_position, (child_key, child_title, child_lead, child_co) in enumerate(children, start=1):
                create(child_key, child_title, child_lead, child_co, child_position, parent=parent)

        self.rule = ReportingRule.objects.create(
            campaign=self.campaign,
            name="月度报送",
            cadence=ReportingRule.Cadence.MONTHLY,
            day_of_month=31,  # the month's last day
            due_time=datetime.time(17, 30),
            starts_on=self.campaign.starts_on,
            ends_on=self.campaign.ends_on,
            source_text="各科室每月底前报送本月法治政府建设工作情况及有关数据。",
        )
        self.indicators = {}
        for position, (key, name, measure, aggregation, target, task, pattern, denominator, rate) in enumerate(
            INDICATORS, start=1
        ):
            indicator = Indicator(
                campaign=self.campaign,
                task=self.tasks[task],
                name=name,
                measure_unit=measure,
                aggregation=aggregation,
                target_value=target,
                max_value=Decimal("100") if measure == "%" else None,
                position=position,
                sentence_pattern=pattern,
                denominator=self.indicators[denominator] if denominator else None,
                rate_pattern=rate,
            )
            indicator.full_clean()
            indicator.save()
            self.indicators[key] = indicator
        self.rule.indicators.set(self.indicators.values())
        generate_periods(rule=self.rule, through=self.campaign.ends_on)

    # Reports

    def accepted_months(self, unit_key):
        skipped = {month for key, month, _ in (RETURNED, DRAFT) if key == unit_key}
        return [m for m in MONTHS if m not in skipped]

    def monthly_figures(self):
        """{(unit key, month): {indicator key: value}} of the accepted reports."""
        figures = {}
        for key, unit, total, months in FIGURES:
            accepted = self.accepted_months(unit)
            months = accepted if months is None else months
            assert set(months) <= set(accepted), f"{key} is reported in a month that does not count"
            for month, value in allocate(total, months, self.rng).items():
                if value:
                    figures.setdefault((unit, month), {})[key] = value
        for (key, unit), series in MONTHLY_SERIES.items():
            for month in self.accepted_months(unit):
                figures.setdefault((unit, month), {})[key] = series[month - 1]
        return figures

    def build_reports(self):
        figures = self.monthly_figures()
        periods = {p.ends_on.month: p for p in Period.objects.filter(rule=self.rule)}
        for unit_key, unit in self.units.items():
            reports = {r.period.ends_on.month: r for r in unit.reports.filter(period__rule=self.rule).select_related("period")}
            for month in MONTHS:
                report = reports[month]
                values = figures.get((unit_key, month), {})
                if (unit_key, month) == RETURNED[:2]:
                    values = RETURNED[2]
                elif (unit_key, month) == DRAFT[:2]:
                    values = DRAFT[2]
                self.fill(report, periods[month], unit_key, month, values)

    def at(self, period, *, hours):
        return period.due_at + datetime.timedelta(hours=hours)

    def fill(self, report, period, unit_key, month, values):
        liaison = self.liaisons[unit_key]
        written = self.at(period, hours=-6)
        report = self.write(report, unit_key, month, values, at=written)
        if (unit_key, month) == DRAFT[:2]:
            return
        report = workflow.submit(report=report, by=liaison, at=self.at(period, hours=-3))
        if (unit_key, month) == RETURNED[:2]:
            workflow.return_report(report=report, by=self.reviewer, at=self.at(period, hours=40), comment=RETURN_COMMENT)
            return
        if (unit_key, month) == ("spk", 6):
            # Returned once and sent again: the corrected report counts.
            report = workflow.return_report(
                report=report, by=self.reviewer, at=self.at(period, hours=20), comment="请补充本月办件的分类统计。"
            )
            report = workflow.save_draft(
                report=report, by=liaison, at=self.at(period, hours=22), expected_version=report.version,
                work_done=report.work_done + "其中即办件占六成。", problems=report.problems, next_steps=report.next_steps,
            )
            report = workflow.submit(report=report, by=liaison, at=self.at(period, hours=23))
        workflow.accept(report=report, by=self.reviewer, at=self.at(period, hours=44))

    def write(self, report, unit_key, month, values, *, at):
        texts = WORK[unit_key]
        work = f"{month}月，{texts[(month - 1) % len(texts)]}"
        if values:
            names = {key: (name, measure) for key, name, measure, *_ in INDICATORS}
            shown = "，".join(f"{names[k][0]}{v}{names[k][1]}" for k, v in values.items() if names[k][1] != "%")
            if shown:
                work += f"本月{shown}。"
        percent = min(100, month * 9)
        return workflow.save_draft(
            report=report,
            by=self.liaisons[unit_key],
            at=at,
            expected_version=report.version,
            work_done=work,
            problems=PROBLEMS.get(unit_key, "") if month % 3 == 0 else "",
            next_steps=NEXT_STEPS.get(unit_key, "") if month % 3 == 0 else "",
            task_progress={
                self.tasks[key].pk: (
                    TaskProgress.Status.COMPLETED if month == 12 else TaskProgress.Status.IN_PROGRESS,
                    100 if month == 12 else percent,
                    NOTES[key],
                )
                for key in self.tasks_of_unit.get(unit_key, [])
            },
            indicator_values={self.indicators[key].pk: Decimal(value) for key, value in values.items()},
        )


    # Supervision: the office's inspections of its own sections in 2025, with
    # rectification items in every state.

    def build_supervision(self):
        from supervision import services
        from supervision.models import Inspection

        def moment(month, day, hour=10):
            return timezone.make_aware(datetime.datetime(YEAR, month, day, hour, 0))

        def inspect(kind, month, day, units, findings):
            at = moment(month, day, 16)
            inspection = services.record_inspection(
                campaign=self.campaign,
                by=self.reviewer,
                at=at,
                kind=kind,
                inspected_on=at.date(),
                inspectors="樊丽娜、李蓉",
                summary=f"对{'、'.join(self.units[key].short_name for key, _ in units)}法治政府建设工作开展检查。",
                units=[(self.units[key], score) for key, score in units],
                findings=[
                    services.FindingInput(self.units[key], description, requirement, deadline)
                    for key, description, requirement, deadline in findings
                ],
            )
            return list(inspection.findings.order_by("pk").select_related("rectification"))

        def answer(item, key, month, day, text):
            services.submit_response(item=item, by=self.liaisons[key], at=moment(month, day), text=text)

        on_time, late = inspect(
            Inspection.Kind.SCHEDULED, 4, 15, [("jds", 92), ("fgk", 88)],
            [
                ("jds", "双随机抽查结果录入不及时。", "5月15日前补录全部抽查结果。", datetime.date(YEAR, 5, 15)),
                ("fgk", "普法活动台账资料不全。", "补齐活动照片、签到表，规范台账。", datetime.date(YEAR, 5, 15)),
            ],
        )
        answer(on_time.rectification, "jds", 5, 9, "已补录全部抽查结果，建立每周录入核对制度。")
        services.verify(item=on_time.rectification, by=self.reviewer, at=moment(5, 12))
        answer(late.rectification, "fgk", 5, 20, "已补齐活动台账资料。")
        services.verify(item=late.rectification, by=self.reviewer, at=moment(5, 22))

        (rejected,) = inspect(
            Inspection.Kind.UNANNOUNCED, 9, 10, [("spk", None)],
            [("spk", "窗口公示的办事指南不是最新版本。", "更新窗口和网上的办事指南。", datetime.date(YEAR, 10, 10))],
        )
        answer(rejected.rectification, "spk", 9, 25, "已更新窗口纸质办事指南。")
        services.reject(
            item=rejected.rectification, by=self.reviewer, at=moment(9, 27), reason="网上办事指南尚未更新，请一并整改后重新报送。"
        )

        submitted, in_progress = inspect(
            Inspection.Kind.QUESTIONNAIRE, 11, 20, [("jkk", 90), ("bgs", 95)],
            [
                ("jkk", "应急物资台账未按月更新。", "按月更新应急物资台账。", datetime.date(YEAR, 12, 19)),
                ("bgs", "述法材料归档不全。", "年底前完成述法材料归档。", datetime.date(YEAR, 12, 31)),
            ],
        )
        answer(submitted.rectification, "jkk", 12, 15, "已更新11月、12月应急物资台账。")
        services.start_work(item=in_progress.rectification, by=self.liaisons["bgs"], at=moment(12, 1))

        inspect(
            Inspection.Kind.ON_SITE, 12, 10, [("jds", 94)],
            [("jds", "执法记录仪使用登记不规范。", "规范执法记录仪领用和数据归档登记。", datetime.date(YEAR + 1, 1, 15))],
        )


@transaction.atomic
def load_weibin(*, now=None, password):
    """Load the second demo campaign once. Returns (campaign, created)."""
    existing = Campaign.objects.filter(title=TITLE).first()
    if existing is not None:
        return existing, False
    return Weibin(now=now or timezone.now(), password=password).build(), True
