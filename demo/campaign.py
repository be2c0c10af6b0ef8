"""The demo: the sample plan 管卫〔2016〕41号, made live.

Everything is as the plan prints it, except that its three yearly phases are
moved so that the first is the current year, and that the plan's addressees
(机关各相关科室) are given names, so that several units report.
"""

import datetime
import random
from dataclasses import dataclass
from decimal import Decimal

from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import timezone

from accounts.models import User
from audit.access import AUDITOR_GROUP, SECURITY_ADMIN_GROUP
from campaigns.models import Campaign, LeadingGroupMember, Membership, Phase, Unit
from reports import workflow
from reports.models import Period, ReportingRule, TaskProgress
from reports.services import generate_periods
from tasks.models import Indicator, Task

from .weibin import load_weibin

DOCUMENT_NUMBER = "管卫〔2016〕41号"
DEFAULT_PASSWORD = "Demo@2026!"

GUIDING_PRINCIPLE = (
    "以党的十八大和十八届四中、五中全会精神为指导，深入贯彻落实习近平总书记系列重要讲话精神，全面推进依法治国方略，"
    "以培育和践行社会主义核心价值观为核心，以推进文明郑州建设为目标，在全区卫生系统持续深入推进文明执法活动，"
    "大力开展普法宣传工作，推荐和表彰一批先进典型，不断提升本系统文明执法水平，为我区卫生事业又好又快发展营造良好环境。"
)
GOALS = (
    "按照市委、市政府和市卫计委的整体要求，结合全区卫生系统实际，确定本次活动按照“统筹协调、分步推进、长效常态”的工作思路，"
    "力争经过三年努力，基本消除全区卫生系统不文明执法现象，实现行政执法人员文明礼仪素养、思想道德素养、科学文化素养、"
    "身心健康素养、民主法治素养的显著提高，文明执法能力全面提升。具体分三个阶段实施，实现三个目标。"
)
REQUIREMENTS = (
    "区卫生监督所要结合工作实际，把文明执法素养提升活动摆上重要议程，作为一项重要工作，持续深入推进，确保抓出实效，"
    "充分展示本系统执法人员的良好精神面貌。\n"
    "1、组织领导。区卫计委成立全区卫生系统文明执法活动领导小组，领导小组由区卫计委主任、党委书记张彦军任组长、"
    "委领导班子其他成员任副组长。活动领导小组办公室设在委公卫科，李蓉副主任兼任办公室主任。"
    "活动领导小组办公室承担活动的日常工作并负责协调、监督文明执法活动的整体推进。\n"
    "2、抓好活动落实。区卫生监督所要按照方案要求，结合本单位工作实际，细化方案，认真实施，采取扎实有效的工作措施，"
    "认真组织开展好文明执法系列活动。要抓住工作重点，明确责任分工，建立工作台帐，有力有序推进工作，确保取得人民满意的效果。\n"
    "3、加强督导检查。区卫计委将适时进行督查暗访，进行通报，推动活动深入开展，并将活动开展情况纳入年度考核内容。\n"
    "4、加大宣传力度。充分运用各种媒体，大力宣传文明执法活动中的好经验、好做法，营造良好的舆论宣传氛围，"
    "积极配合和参与本系统开展的文明执法的各项重大活动，并把重大活动报道好、宣传好。\n"
    "5、及时报送工作开展情况。区卫生监督所要确定一名活动联络员，每周2下午下班前把本单位开展文明执法活动情况及有关宣传报道稿件一并报送。"
    "每月19日前报送本单位开展文明执法活动情况小节。"
)

PHASES = [
    (
        "教育治理年",
        "实现文明执法到位",
        "研究制定卫生系统加强文明执法实施方案，分解任务，落实责任，完善机制；系统内执法单位制定具体工作计划，推进相应工作；"
        "开展文明执法宣传教育活动，营造舆论氛围，提高行政执法人员的思想认识水平和自觉践行意识；持续开展集中整治行动，"
        "力争使系统内各执法单位不文明执法现象有明显改善、不文明执法行为得到明显遏制。",
    ),
    (
        "巩固提升年",
        "实现文明执法到人",
        "在巩固教育治理成果的基础上，全面深化文明礼仪素养、思想道德素养、科学文化素养、身心健康素养、民主法治素养宣传教育活动，"
        "明确工作重点，增强渗透力度，推进系统内行政执法人员文明执法素养整体上水平、见实效。",
    ),
    (
        "规范深化年",
        "实现文明到心",
        "总结经验，完善规章制度，建立长效常态的管理、激励机制，实现系统内行政执法人员文明执法大提升目标。",
    ),
]

SUPERVISION_INSTITUTE = "区卫生监督所"

# (short name, full name, contact): the plan's 机关各相关科室, named.
SECTIONS = [
    ("办公室", "区卫计委办公室", "王静"),
    ("人事科", "区卫计委组织人事科", "刘洋"),
    ("法规科", "区卫计委政策法规科", "陈晨"),
    ("医政科", "区卫计委医政医管科", "赵磊"),
    ("宣传科", "区卫计委宣传科", "孙悦"),
]

# (title, text as printed, co-units by short name)
TASKS = [
    (
        "加强社会主义法治理念教育",
        "组织区卫生系统行政执法人员深入学习贯彻党的十八大和十八届四中、五中全会精神以及习近平总书记系列重要讲话精神，"
        "坚定理想信念，确保行政执法人员始终保持正确政治方向；加强社会主义法治理念教育，增强对中国特色社会主义法治道路的自信和坚定；"
        "加强行政执法人员思想政治教育和职业道德教育，加强文明执法、公正执法、廉洁执法教育，培养行政执法人员秉公执法、坚守法治、"
        "清正廉洁的职业操守。",
        ["人事科", "法规科"],
    ),
    (
        "开展爱民实践服务承诺活动",
        "围绕人民群众关心关注的卫生领域执法热点和难点问题，每年研究制定爱民实践服务承诺事项，推出一批便民利民措施，简化办事程序，"
        "增强办事效率，提高办事质量，不断提升服务人民群众的能力和水平。加大宣传力度，适时向全社会公布承诺事项，提高群众的知晓率，"
        "主动接受群众监督。推动各项承诺事项落实，切实做到有诺必践，取信于民。",
        ["医政科", "办公室"],
    ),
    (
        "深化执法公开",
        "在行政执法队伍中开展“以公开促公正，践行核心价值观”主题教育活动，增强行政执法人员执法公开意识。落实执法公开方案，"
        "以当事人关心、群众关注为重点，构建开放动态透明的阳光执法体制。加强信息公开平台建设，发挥互联网和新媒体优势，拓宽公开渠道，"
        "主动接受监督。",
        ["办公室", "宣传科"],
    ),
    (
        "加强执法规范化建设",
        "规范执法行为，加强执法监督，确保执法不越权、不越界、不滥用；规范执法权力运行，着力解决不作为、慢作为、乱作为，"
        "以及群众反映强烈的“门难进、脸难看、话难听、事难办”等问题，努力提升执法人性化和文明度；加强执法制度建设，规范执法程序，"
        "细化执法标准，确保每一个执法环节都有刚性约束。",
        ["法规科"],
    ),
    (
        "积极开展群众评议监督",
        "加强行政执法单位文明服务建设，为人民群众提供各种便民利民条件，提高服务水平和质量，接受人民群众评议监督，积极拓宽外部监督渠道，"
        "通过回访案件当事人等方式，广泛听取社会各界对本系统行政执法部门的意见和建议，深入查找执法过程中存在的问题，积极整改落实。",
        ["医政科"],
    ),
    (
        "积极开展执法人员志愿服务活动",
        "鼓励行政执法人员积极参加社会志愿服务活动，把法律宣传和弘扬社会主义核心价值观有效结合，开展多种形式的法治宣传教育活动，"
        "增强群众法治观念，引导群众依法办事，使广大人民群众知法懂法守法用法。组织行政执法人员深入基层医院、社区、乡村等地，"
        "开展走访、宣传活动，充分运用典型案例，以群众乐于理解和接受的方式，定期开展针对性的卫生法治宣传教育。",
        ["宣传科"],
    ),
]

# Figures the demo asks for: not printed in the plan, added so that reports
# carry numbers (name, measure unit, aggregation, target, rule).
INDICATORS = [
    ("开展普法宣传活动", "场", Indicator.Aggregation.SUM, None, "周报"),
    ("发放宣传资料", "份", Indicator.Aggregation.SUM, None, "周报"),
    ("报送宣传报道稿件", "篇", Indicator.Aggregation.SUM, None, "周报"),
    ("回访案件当事人", "人次", Indicator.Aggregation.SUM, None, "月度小结"),
    ("群众满意度", "%", Indicator.Aggregation.AVERAGE, Decimal("90"), "月度小结"),
]


@dataclass
class DemoUser:
    username: str
    full_name: str
    role: str  # a Membership.Role, or "admin", "security" (安全管理员), "auditor" (审计员)
    unit: str  # a unit's short name


# The three system roles (三员): no unit, the admin site; two by their group.
GROUP_OF = {"security": SECURITY_ADMIN_GROUP, "auditor": AUDITOR_GROUP}
SYSTEM_ROLES = {"admin", *GROUP_OF}

DEMO_USERS = [
    DemoUser("admin", "系统管理员", "admin", "区卫计委"),
    # 三员分立: the security admin manages people, the auditor reads the trail.
    DemoUser("anquan", "安全管理员", "security", "区卫计委"),
    DemoUser("shenji", "审计员", "auditor", "区卫计委"),
    DemoUser("fanlina", "樊丽娜", Membership.Role.OFFICE_STAFF, "公卫科"),
    DemoUser("lirong", "李蓉", Membership.Role.OFFICE_STAFF, "公卫科"),
    DemoUser("zhangyanjun", "张彦军", Membership.Role.LEADER, "区卫计委"),
    DemoUser("liaison_jds", "周涛", Membership.Role.LIAISON, "监督所"),
    DemoUser("liaison_bgs", "王静", Membership.Role.LIAISON, "办公室"),
    DemoUser("liaison_rsk", "刘洋", Membership.Role.LIAISON, "人事科"),
    DemoUser("liaison_fgk", "陈晨", Membership.Role.LIAISON, "法规科"),
    DemoUser("liaison_yzk", "赵磊", Membership.Role.LIAISON, "医政科"),
    DemoUser("liaison_xck", "孙悦", Membership.Role.LIAISON, "宣传科"),
    DemoUser("head_jds", "吴建国", Membership.Role.UNIT_HEAD, "监督所"),
    DemoUser("head_fgk", "郑红", Membership.Role.UNIT_HEAD, "法规科"),
]


class Demo:
    """Builds the demo campaign as of `now`. Use `load_demo()`."""

    def __init__(self, *, now, password):
        self.now = now
        self.today = timezone.localdate(now)
        self.year = self.today.year
        self.password = password
        self.rng = random.Random(41)
        self.users = {}

    def build(self):
        self.build_units()
        self.build_users()
        self.build_campaign()
        self.build_tasks_and_rules()
        self.build_reports()
        return self.campaign

    # -- structure -------------------------------------------------------

    def unit(self, name, **fields):
        return Unit.objects.get_or_create(name=name, defaults=fields)[0]

    def build_units(self):
        self.commission = self.unit(
            name="管城回族区卫生和计划生育委员会", short_name="区卫计委", sort_order=1
        )
        self.office = self.unit(
            name="区卫计委公共卫生科",
            short_name="公卫科",
            parent=self.commission,
            contact_person="樊丽娜",
            phone="66213720",
            email="fangbaoke@126.com",
            sort_order=2,
        )
        self.institute = self.unit(
            name=SUPERVISION_INSTITUTE, short_name="监督所", parent=self.commission, contact_person="周涛", sort_order=10
        )
        self.units = {"监督所": self.institute}
        for order, (short, name, contact) in enumerate(SECTIONS, start=11):
            self.units[short] = self.unit(
                name=name, short_name=short, parent=self.commission, contact_person=contact, sort_order=order
            )

    def build_users(self):
        units = {"区卫计委": self.commission, "公卫科": self.office, **self.units}
        for demo_user in DEMO_USERS:
            user, created = User.objects.get_or_create(
                username=demo_user.username,
                defaults={
                    "full_name": demo_user.full_name,
                    # example.com never delivers: the demo's mail goes to the console.
                    "email": f"{demo_user.username}@example.com",
                    "is_staff": demo_user.role in SYSTEM_ROLES,
                    "is_superuser": demo_user.role == "admin",
                },
            )
            if created:  # an existing account keeps the password its owner chose
                user.set_password(self.password)
                user.save()
            if demo_user.role in GROUP_OF:
                user.groups.add(Group.objects.get(name=GROUP_OF[demo_user.role]))
            if demo_user.role not in SYSTEM_ROLES:
                Membership.objects.get_or_create(user=user, unit=units[demo_user.unit], role=demo_user.role)
            self.users[demo_user.username] = user
        members = Membership.objects.filter(unit__in=self.units.values()).select_related("user")
        self.liaison_of = {m.unit_id: m.user for m in members if m.role == Membership.Role.LIAISON}
        self.head_of = {m.unit_id: m.user for m in members if m.role == Membership.Role.UNIT_HEAD}

    def build_campaign(self):
        year = self.year
        self.campaign = Campaign.objects.create(
            title="全区卫生系统文明执法素养提升三年行动方案（2016—2018）",
            short_title="文明执法素养提升三年行动",
            document_number=DOCUMENT_NUMBER,
            issuing_unit=self.commission,
            office_unit=self.office,
            addressees="区卫生监督所，机关各相关科室",
            issued_on=datetime.date(2016, 4, 28),
            starts_on=datetime.date(year, 1, 1),
            ends_on=datetime.date(year + 2, 12, 31),
            status=Campaign.Status.ACTIVE,
            guiding_principle=GUIDING_PRINCIPLE,
            goals=GOALS,
            requirements=REQUIREMENTS,
            contact_person="樊丽娜",
            contact_phone="66213720",
            contact_email="fangbaoke@126.com",
        )
        for order, (name, goal, description) in enumerate(PHASES, start=1):
            Phase.objects.create(
                campaign=self.campaign,
                order=order,
                name=name,
                goal=goal,
                description=description,
                starts_on=datetime.date(year + order - 1, 1, 1),
                ends_on=datetime.date(year + order - 1, 12, 31),
            )
        members = [
            (LeadingGroupMember.Position.HEAD, "张彦军", "区卫计委主任、党委书记", self.commission, self.users["zhangyanjun"]),
            (LeadingGroupMember.Position.DEPUTY, "委领导班子其他成员", "", self.commission, None),
            (LeadingGroupMember.Position.OFFICE_DIRECTOR, "李蓉", "区卫计委副主任（办公室设在委公卫科）", self.office, self.users["lirong"]),
        ]
        for order, (position, name, title, unit, user) in enumerate(members, start=1):
            LeadingGroupMember.objects.create(
                campaign=self.campaign, position=position, name=name, title=title, unit=unit, user=user, order=order
            )

    def build_tasks_and_rules(self):
        self.tasks = []
        for position, (title, description, co_units) in enumerate(TASKS, start=1):
            task = Task.objects.create(
                campaign=self.campaign,
                position=position,
                code=f"{position}、",
                title=title,
                description=description,
                lead_unit=self.institute,
            )
            task.co_units.set([self.units[short] for short in co_units])
            self.tasks.append(task)
        rules = {
            "周报": ReportingRule.objects.create(
                campaign=self.campaign,
                name="周报",
                cadence=ReportingRule.Cadence.WEEKLY,
                weekday=ReportingRule.Weekday.TUESDAY,
                due_time=datetime.time(17, 30),
                starts_on=self.campaign.starts_on,
                ends_on=self.campaign.ends_on,
                source_text="每周2下午下班前把本单位开展文明执法活动情况及有关宣传报道稿件一并报送。",
            ),
            "月度小结": ReportingRule.objects.create(
                campaign=self.campaign,
                name="月度小结",
                cadence=ReportingRule.Cadence.MONTHLY,
                day_of_month=19,
                due_time=datetime.time(17, 30),
                starts_on=self.campaign.starts_on,
                ends_on=self.campaign.ends_on,
                source_text="每月19日前报送本单位开展文明执法活动情况小节。",
            ),
        }
        for position, (name, measure_unit, aggregation, target, rule_name) in enumerate(INDICATORS, start=1):
            indicator = Indicator.objects.create(
                campaign=self.campaign,
                name=name,
                measure_unit=measure_unit,
                aggregation=aggregation,
                target_value=target,
                max_value=Decimal("100") if measure_unit == "%" else None,
                position=position,
            )
            rules[rule_name].indicators.add(indicator)
        self.rules = rules
        for rule in rules.values():
            generate_periods(rule=rule, through=self.today)

    # -- reports in every state -------------------------------------------

    def build_reports(self):
        tasks_of_unit = {}
        for task in self.tasks:
            for unit_id in [task.lead_unit_id, *[u.pk for u in task.co_units.all()]]:
                tasks_of_unit.setdefault(unit_id, []).append(task)
        reviewer = self.users["fanlina"]
        for rule in self.rules.values():
            indicators = list(rule.indicators.all())
            periods = list(Period.objects.filter(rule=rule).order_by("-due_at"))
            past = [p for p in periods if p.due_at <= self.now]
            for period in periods:
                age = past.index(period) + 1 if period in past else 0
                for report in period.reports.select_related("unit").order_by("unit__sort_order"):
                    state = self.state_for(age=age, unit=report.unit, cadence=rule.cadence)
                    self.fill(report, state, tasks_of_unit.get(report.unit_id, []), indicators, reviewer)

    def state_for(self, *, age, unit, cadence):
        """Which state a report is in, by how many deadlines ago it fell due
        (0: not yet due). Recent periods show every state on purpose."""
        short = unit.short_name
        if age == 0 and cadence == ReportingRule.Cadence.MONTHLY:
            # A month's summary is written near its end, not weeks ahead.
            return {"监督所": "draft"}.get(short, "not_started")
        if age == 0:
            return {"监督所": "draft", "办公室": "submitted", "法规科": "pending_head"}.get(short, "not_started")
        if age == 1:
            return {
                "监督所": "submitted",
                "法规科": "submitted_late",
                "医政科": "returned",
                "宣传科": "not_started",
            }.get(short, "accepted")
        if age == 2:
            return {"宣传科": "accepted_late", "医政科": "submitted", "人事科": "exempt"}.get(short, "accepted")
        roll = self.rng.random()
        if roll < 0.78:
            return "accepted"
        if roll < 0.86:
            return "accepted_late"
        if roll < 0.91:
            return "resubmitted_accepted"
        if roll < 0.95:
            return "exempt"
        return "not_started"

    def fill(self, report, state, tasks, indicators, reviewer):
        """Bring a report to `state` through the same workflow the pages use,
        at the times a real unit and office would have acted."""
        if state == "not_started":
            return
        liaison = self.liaison_of[report.unit_id]
        head = self.head_of.get(report.unit_id)
        if state == "exempt":
            workflow.exempt(
                report=report, by=reviewer, at=report.due_at - datetime.timedelta(days=2),
                reason="该单位本期集中参加市级执法培训，经办公室同意免报。",
            )
            return
        late = state in ("submitted_late", "accepted_late")
        submitted_at = self.office_hours(report.due_at, days=self.rng.randint(1, 2) if late else -self.rng.randint(0, 2))
        submitted_at = min(submitted_at, self.now - datetime.timedelta(hours=3))
        self.write_content(report, tasks, indicators, liaison, at=submitted_at - datetime.timedelta(hours=1))
        if state == "draft":
            return
        report = workflow.submit(
            report=report, by=liaison, at=submitted_at,
            late_reason="本期执法任务集中，材料整理延误，已补报。" if submitted_at > report.due_at else "",
        )
        if state == "pending_head":
            return
        at = submitted_at
        if head is not None:
            at = at + datetime.timedelta(minutes=40)
            report = workflow.sign_off(report=report, by=head, at=at)
        reviewed_at = min(at + datetime.timedelta(hours=20), self.now - datetime.timedelta(minutes=10))
        if state in ("submitted", "submitted_late"):
            return
        if state == "returned":
            workflow.return_report(
                report=report, by=reviewer, at=reviewed_at,
                comment="请补充本期宣传报道稿件和活动照片，并写明回访当事人的具体人数。",
            )
            return
        if state == "resubmitted_accepted":
            report = workflow.return_report(
                report=report, by=reviewer, at=reviewed_at, comment="开展情况过于笼统，请写明活动时间、地点和参加人数。"
            )
            fixed_at = reviewed_at + datetime.timedelta(hours=2)
            report = workflow.save_draft(
                report=report, by=liaison, at=fixed_at, expected_version=report.version,
                work_done=report.work_done + "活动在辖区3个社区开展，参加群众120余人。",
                problems=report.problems, next_steps=report.next_steps,
            )
            report = workflow.submit(report=report, by=liaison, at=fixed_at + datetime.timedelta(minutes=5))
            at = fixed_at + datetime.timedelta(minutes=5)
            if head is not None:
                at = at + datetime.timedelta(minutes=30)
                report = workflow.sign_off(report=report, by=head, at=at)
            reviewed_at = at + datetime.timedelta(hours=2)
        workflow.accept(report=report, by=reviewer, at=reviewed_at)

    def office_hours(self, due_at, *, days):
        """A moment in working hours `days` after the deadline's day (before
        the deadline itself when that day is the deadline's)."""
        day = timezone.localtime(due_at).date() + datetime.timedelta(days=days)
        moment = timezone.make_aware(
            datetime.datetime.combine(day, datetime.time(self.rng.randint(8, 16), self.rng.choice([5, 20, 35, 50])))
        )
        return min(moment, due_at - datetime.timedelta(minutes=10)) if days <= 0 else moment

    def write_content(self, report, tasks, indicators, liaison, at):
        rng = self.rng
        figures = {
            "开展普法宣传活动": rng.randint(0, 3),
            "发放宣传资料": rng.choice([0, 50, 80, 120, 200]),
            "报送宣传报道稿件": rng.randint(0, 2),
            "回访案件当事人": rng.randint(3, 15),
            "群众满意度": Decimal(rng.randint(900, 995)) / 10,
        }
        period = report.period
        focus = tasks[(period.number - 1) % len(tasks)].title if tasks else "文明执法"
        step = 2 if period.rule.cadence == "weekly" else 8
        percent = min(100, period.number * step)
        workflow.save_draft(
            report=report,
            by=liaison,
            at=at,
            expected_version=report.version,
            work_done=(
                f"{period.starts_on.month}月{period.starts_on.day}日至{period.ends_on.month}月{period.ends_on.day}日，"
                f"{report.unit.display_name}围绕“{focus}”开展工作："
                f"组织执法人员集中学习{rng.randint(1, 2)}次，参加{rng.randint(8, 30)}人次；"
                f"开展普法宣传活动{figures['开展普法宣传活动']}场，发放宣传资料{figures['发放宣传资料']}份；"
                f"报送宣传报道稿件{figures['报送宣传报道稿件']}篇。"
            ),
            problems=rng.choice(
                ["部分执法人员对文明执法规范掌握不够熟练。", "基层宣传阵地利用不充分。", "个别案件回访不及时。"]
            ),
            next_steps=rng.choice(
                ["继续开展执法文书规范化培训。", "结合主题日开展进社区宣传。", "完善案件回访台账，按月通报。"]
            ),
            task_progress={
                task.pk: (
                    TaskProgress.Status.COMPLETED if percent >= 100 else TaskProgress.Status.IN_PROGRESS,
                    percent,
                    f"按计划推进“{task.title}”。",
                )
                for task in tasks
            },
            indicator_values={indicator.pk: figures[indicator.name] for indicator in indicators},
        )
        report.refresh_from_db()


@transaction.atomic
def load_demo(*, now=None, password=DEFAULT_PASSWORD):
    """Load the demo once. Returns the campaign, and whether it was created."""
    existing = Campaign.objects.filter(document_number=DOCUMENT_NUMBER).first()
    if existing is not None:
        return existing, False
    now = now or timezone.now()
    campaign = Demo(now=now, password=password).build()
    from demo.evaluations import seed_evaluation
    from demo.supervision import seed_supervision

    seed_supervision(campaign=campaign, office_user=User.objects.get(username="fanlina"), now=now)
    seed_evaluation(campaign=campaign, office_user=User.objects.get(username="fanlina"), now=now)
    load_weibin(now=now, password=password)
    return campaign, True
