"""The third demo: a district's 创建全国文明城市 campaign with a slice of a real
assessment system, a site register and one completed mock assessment.

The system is the 公共环境 and 公共秩序 items of 甘肃省文明程度指数测评细则
（2023年版）, the corpus sheet `assessments/tests/corpus/a-gansu.xlsx` (its
source is listed in that folder's README): its 11 standards as printed, the
source's typos kept. Two things are the demo's own: a content's 分值, which
the sheet gives once per 测评内容, is spread evenly over its standards (the
sums are the sheet's), and each standard is given the lead and co-units an
office would assign. Of the sheet's 点位类型 the four the register holds are
kept: 城镇主干道, 商业大街, 集贸市场 and 都市居住小区.

The system and the register go in through the same services as an import
(`import_system`, `import_sites`); the mock assessment is drawn with a
recorded seed, given to two observers of the office, observed, and closed
through `assessments.mock`, so its 不达标 are items in the responsible
units' ledger; one unit has answered its item with a photo as evidence.
"""

import datetime
import io
import struct
import zlib
from decimal import Decimal

import docx
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from accounts.models import User
from assessments import material, mock
from assessments.models import MockAssessment, Observation, SampledSite, SiteType, Standard
from assessments.services import import_system, import_sites
from assessments.sheet import ContentRow, ItemRow, Proposal, StandardRow
from assessments.sites import SiteRow
from campaigns.models import Campaign, LeadingGroupMember, Membership, Unit
from evaluations import services as evaluations
from evaluations.models import ScoringComponent, ScoringScheme
from supervision import services as supervision

TITLE = "卫滨区创建全国文明城市工作实施方案"
SEED = 20260
SYSTEM_NAME = "甘肃省文明程度指数测评细则"
SYSTEM_EDITION = "2023年版（公共环境、公共秩序节选）"

# (key, full name, short name, contact)
UNITS = [
    ("wmb", "卫滨区精神文明建设委员会办公室", "区文明办", "周敏"),
    ("scjg", "卫滨区市场监督管理局", "区市场监管局", "宋立新"),
    ("wjw", "卫滨区卫生健康委员会", "卫滨区卫健委", "马晓燕"),  # the second demo's commission
    ("jyj", "卫滨区教育局", "区教育局", "高雅琴"),
    ("zjj", "卫滨区住房和城乡建设局", "区住建局", "孟凡涛"),
    ("cgj", "卫滨区城市管理局", "区城管局", "贾卫东"),
    ("gaj", "新乡市公安局卫滨分局", "区公安分局", "曹斌"),
    ("xfj", "卫滨区消防救援大队", "区消防救援大队", "秦海洋"),
    ("jkl", "卫滨区健康路街道办事处", "健康路街道", "罗晓红"),
    ("sll", "卫滨区胜利路街道办事处", "胜利路街道", "冯建军"),
    ("zyl", "卫滨区自由路街道办事处", "自由路街道", "蒋丽萍"),
    ("nq", "卫滨区南桥街道办事处", "南桥街道", "唐志刚"),
]
# Liaisons of the units that answer for sites (their ledger items).
LIAISONS = {
    "scjg": ("liaison_wm_scjg", "宋立新"),
    "zjj": ("liaison_wm_zjj", "孟凡涛"),
    "cgj": ("liaison_wm_cgj", "贾卫东"),
    "jkl": ("liaison_wm_jkl", "罗晓红"),
    "sll": ("liaison_wm_sll", "冯建军"),
    "zyl": ("liaison_wm_zyl", "蒋丽萍"),
    "nq": ("liaison_wm_nq", "唐志刚"),
}
# The office: its clerk, who organises the mock assessment, and its two observers.
CLERK = ("wmb_zhoumin", "周敏")
OBSERVERS = [("ceping_wang", "王晓东"), ("ceping_liu", "刘佳")]
# The first demo's office staff keep the office's role here too: one sign-in shows every campaign.
DEMO_OFFICE = ["fanlina", "lirong"]

LEADING_GROUP = [
    (LeadingGroupMember.Position.HEAD, "区委书记", "中共卫滨区委书记", None),
    (LeadingGroupMember.Position.DEPUTY, "区长", "卫滨区人民政府区长", None),
    (LeadingGroupMember.Position.DEPUTY, "区委宣传部部长", "区委常委、宣传部部长", None),
    (LeadingGroupMember.Position.MEMBER, "各成员单位主要负责同志", "", None),
    (LeadingGroupMember.Position.OFFICE_DIRECTOR, "周敏", "区委宣传部副部长、区文明办主任（办公室设在区文明办）", "wmb"),
]

ROAD, STREET, MARKET, ESTATE = "城镇主干道", "商业大街", "集贸市场", "都市居住小区"
SITE_VISIT = ["实地考察"]
MATERIAL = ["材料审核"]

# (item, [(content, 分值 of the content, [(standard as printed, methods, site types, lead, co-units, needs a photo)])])
SYSTEM = [
    (
        "公共环境",
        [
            (
                "公共场所环境",
                Decimal(6),
                [
                    ("环境整洁,卫生状况良好,无乱扔杂物、无随地吐痰、无损坏花草树木等现象;", SITE_VISIT, [ROAD, STREET],
                     "cgj", ["jkl", "sll", "zyl", "nq"], True),
                    ("城区街巷和乡村主干道硬化平整,公共设施功能完好,无人为弄脏、无损坏、无乱张贴、无乱涂写、无乱设广告牌。",
                     SITE_VISIT, [ROAD, STREET], "zjj", ["cgj"], False),
                ],
            ),
            (
                "市场环境",
                Decimal(6),
                [
                    ("市场柜台、摊位摆放整洁有序,无占道经营等现象;", SITE_VISIT, [MARKET], "scjg", ["cgj"], True),
                    ("市场和餐饮店亮证经营,证照齐全,无发售过期、变质、伪劣食品,无强买强卖;", SITE_VISIT, [MARKET], "scjg", [], False),
                    ("餐饮店洁净整洁,有消毒设备、消毒措施和记录,有不剩饭不剩菜温馨提醒牌;", SITE_VISIT, [MARKET], "scjg", ["wjw"], False),
                    ("公共消防设施功能完好,消防通道无被占用、无堵塞,消防安全制度健全。", SITE_VISIT, [MARKET], "xfj", ["scjg"], False),
                ],
            ),
            (
                "居住环境",
                Decimal(6),
                [
                    ("人居环境整洁,卫生状况良好;", SITE_VISIT, [ESTATE], "zjj", ["jkl", "sll", "zyl", "nq"], False),
                    ("生活垃圾定点投放、定期清运,垃圾房、箱(桶)完好、整洁;", SITE_VISIT, [ESTATE], "cgj", ["zjj"], True),
                    ("住宅楼有符合原则旳防盗、消防设施,楼门内洁净整洁,楼道无堵塞。", SITE_VISIT, [ESTATE], "zjj", ["gaj", "xfj"], False),
                ],
            ),
            ("群众评价", Decimal(5), [("群众对公共环境状况旳评价。", ["问卷调查"], [], "wmb", ["jyj"], False)]),
        ],
    ),
    (
        "公共秩序",
        [
            # The source's excerpt ends here: no 分值 and no method printed.
            ("交通秩序", None, [("城镇交通安全及管理设施完善,出行环境便捷安全,道路交通安全隐患得到及时治理;", [], [], "gaj", ["zjj"], False)]),
        ],
    ),
    (
        # 材料审核 standards, from the 志愿服务工作测评体系 of the corpus sheet
        # `e-zhiyuan-hnvs.xlsx` (printed without 分值), so that units have
        # material to send: the Gansu excerpt holds none.
        "志愿服务运行机制",
        [
            ("组织领导", None, [
                ("文明委把深入开展志愿服务活动作为精神文明建设的重要任务摆上议事日程,制定下发开展志愿服务的意见,召开专项工作会议进行部署;",
                 MATERIAL, [], "jkl", ["sll", "zyl", "nq"], False),
            ]),
            ("考核测评", None, [
                ("把志愿服务活动开展情况纳入文明县城(城区)、文明村镇、文明单位测评;", MATERIAL + SITE_VISIT, [], "nq", [], False),
            ]),
            ("保障措施", None, [
                ("把志愿服务纳入财政预算,提供保障关爱他人、关爱社会、关爱自然志愿服务活动正常开展所需的专项经费;", MATERIAL, [], "sll", [], False),
                ("根据需要为注册志愿者参加志愿服务活动提供必要的人身保险。", MATERIAL, [], "zyl", [], False),
            ]),
        ],
    ),
]

# The register: (name, type, address, responsible unit).
SITES = [
    ("人民路（新中大道—和平大道段）", ROAD, "卫滨区人民路", "cgj"),
    ("平原路（卫滨段）", ROAD, "卫滨区平原路", "cgj"),
    ("胜利路（自由路—新中大道段）", ROAD, "卫滨区胜利路", "cgj"),
    ("健康路（金穗大道—人民路段）", ROAD, "卫滨区健康路", "cgj"),
    ("新中大道（卫滨段）", ROAD, "卫滨区新中大道", "cgj"),
    ("胜利路商业街", STREET, "卫滨区胜利路中段", "sll"),
    ("健康路步行街", STREET, "卫滨区健康路与和平路交叉口", "jkl"),
    ("自由路商业街", STREET, "卫滨区自由路北段", "zyl"),
    ("南桥美食街", STREET, "卫滨区南桥街道人民西路", "nq"),
    ("中同街商业街", STREET, "卫滨区中同街", "jkl"),
    ("健康路农贸市场", MARKET, "卫滨区健康路86号", "scjg"),
    ("胜利路菜市场", MARKET, "卫滨区胜利路152号", "scjg"),
    ("南桥农贸市场", MARKET, "卫滨区南桥街道铁西路18号", "scjg"),
    ("自由路综合市场", MARKET, "卫滨区自由路37号", "scjg"),
    ("铁西农贸市场", MARKET, "卫滨区铁西街道和平路东段", "scjg"),
    ("锦园小区", ESTATE, "卫滨区健康路锦园路9号", "jkl"),
    ("和平家园", ESTATE, "卫滨区和平大道南段216号", "sll"),
    ("金域华府", ESTATE, "卫滨区金穗大道西段88号", "zyl"),
    ("南桥社区家属院", ESTATE, "卫滨区南桥街道人民西路45号", "nq"),
    ("卫滨花园", ESTATE, "卫滨区胜利路西段301号", "zjj"),
]
DRAW = {ROAD: 3, STREET: 3, MARKET: 3, ESTATE: 3}
# Who observes which types of site.
OBSERVED_BY = {ROAD: 0, STREET: 0, MARKET: 1, ESTATE: 1}

# What the observers found: (site, standard position) → 不达标 with its problem;
# NOT_APPLICABLE are 不适用; every other standard at a drawn site is 达标.
FAILURES = {
    ("平原路（卫滨段）", 1): "平原路与新中大道路口绿化带内有烟头、塑料袋等杂物，约20米未清扫。",
    ("胜利路商业街", 2): "商业街东口公示栏被张贴小广告，两处墙面有乱涂写。",
    ("铁西农贸市场", 3): "市场东门外有4处摊位占道经营，蔬菜筐堆放在人行道上。",
    ("铁西农贸市场", 6): "二楼消防通道堆放杂物，2具灭火器压力不足未更换。",
    ("胜利路菜市场", 5): "熟食区2家餐饮店无消毒记录，未张贴不剩饭不剩菜提醒牌。",
    ("金域华府", 8): "3号楼北侧垃圾桶满溢未清运，1个垃圾桶盖破损。",
    ("南桥社区家属院", 9): "2单元楼道堆放电动车和纸箱，堵塞通道。",
}
NOT_APPLICABLE = {("自由路综合市场", 5)}  # the market has no eating place
# The material the lead units sent for the 材料审核 standards.
MATERIAL_TEXTS = {
    "jkl": "街道党工委会议专题研究志愿服务工作，印发《健康路街道深化志愿服务工作的实施意见》，召开全街道志愿服务工作部署会。会议纪要和文件附后。",
    "sll": "街道本年度安排志愿服务专项经费8万元，用于志愿服务站运行和关爱活动，经费使用说明附后。",
    "zyl": "为辖区1,260名注册志愿者统一购买志愿服务人身意外保险，保险期限一年，投保清单附后。",
}
SCHEME = [
    (ScoringComponent.Kind.MOCK_ASSESSMENT_RATE, Decimal(50)),
    (ScoringComponent.Kind.MATERIAL_ACCEPTED_RATE, Decimal(30)),
    (ScoringComponent.Kind.RECTIFICATION_ON_TIME, Decimal(20)),
]
ANSWERED = ("铁西农贸市场", 3)  # 区市场监管局 has answered, with a photo
IN_PROGRESS = ("金域华府", 8)  # 自由路街道 is working on it


def png(width=48, height=32, colour=(46, 125, 50)):
    """A small solid PNG, made without an imaging library (the demo's photos)."""
    row = b"\x00" + bytes(colour) * width
    raw = zlib.compress(row * height)

    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", raw) + chunk(b"IEND", b"")


def word_file(title, text):
    """A small .docx a unit would send: its title and the material's text."""
    document = docx.Document()
    document.add_heading(title, level=1)
    document.add_paragraph(text)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


class Civilised:
    def __init__(self, *, now, password):
        self.now = now
        self.today = timezone.localdate(now)
        self.password = password

    def moment(self, day, hour, minute=0):
        return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))

    def user(self, username, full_name):
        user, created = User.objects.get_or_create(
            username=username, defaults={"full_name": full_name, "email": f"{username}@example.com"}
        )
        if created:  # an existing account keeps the password its owner chose
            user.set_password(self.password)
            user.save()
        return user

    def build(self):
        self.build_units_and_people()
        self.build_campaign()
        self.build_system_and_sites()
        self.build_mock_assessment()
        self.build_material()
        self.build_scheme()
        return self.campaign

    def build_units_and_people(self):
        self.units = {}
        for order, (key, name, short, contact) in enumerate(UNITS, start=200):
            self.units[key] = Unit.objects.get_or_create(
                name=name, defaults={"short_name": short, "contact_person": contact, "sort_order": order}
            )[0]
        office = self.units["wmb"]
        self.clerk = self.user(*CLERK)
        self.observers = [self.user(*person) for person in OBSERVERS]
        staff = [self.clerk, *self.observers, *User.objects.filter(username__in=DEMO_OFFICE).order_by("username")]
        for user in staff:
            Membership.objects.get_or_create(user=user, unit=office, role=Membership.Role.OFFICE_STAFF)
        self.liaisons = {}
        for key, (username, full_name) in LIAISONS.items():
            self.liaisons[key] = self.user(username, full_name)
            Membership.objects.get_or_create(user=self.liaisons[key], unit=self.units[key], role=Membership.Role.LIAISON)

    def build_campaign(self):
        # Running since the start of the year before the mock assessment's.
        year = (self.today - datetime.timedelta(days=30)).year
        self.campaign = Campaign.objects.create(
            title=TITLE,
            short_title="创建全国文明城市",
            document_number=f"卫文明办〔{year}〕1号",
            issuing_unit=self.units["wmb"],
            office_unit=self.units["wmb"],
            addressees="区直各单位，各街道办事处",
            issued_on=datetime.date(year, 1, 15),
            starts_on=datetime.date(year, 1, 1),
            ends_on=datetime.date(year + 2, 12, 31),
            status=Campaign.Status.ACTIVE,
            goals="对照全国文明城市测评体系，补齐城市管理和公共服务短板，以常态化模拟测评推动问题整改，确保测评成绩稳步提升。",
            contact_person="周敏",
            contact_phone="0373-5061234",
        )
        for order, (position, name, title, unit) in enumerate(LEADING_GROUP, start=1):
            # The office director is the clerk who signs in (周敏).
            LeadingGroupMember.objects.create(
                campaign=self.campaign, position=position, name=name, title=title, order=order,
                unit=self.units[unit] if unit else None,
                user=self.clerk if position == LeadingGroupMember.Position.OFFICE_DIRECTOR else None,
            )

    def build_system_and_sites(self):
        names = {key: short for key, _, short, _ in UNITS}
        photo = {}
        items = []
        for item_name, contents in SYSTEM:
            item = ItemRow(item_name)
            for content_name, total, rows in contents:
                content = ContentRow(content_name)
                share = None if total is None else (total / len(rows)).quantize(Decimal("0.01"))
                for text, methods, types, lead, co, needs_photo in rows:
                    content.standards.append(
                        StandardRow(text, row=0, score=share, methods=list(methods), site_types=list(types),
                                    lead_unit=names[lead], co_units=[names[k] for k in co])
                    )
                    photo[text] = needs_photo
                item.contents.append(content)
            items.append(item)
        self.system = import_system(
            campaign=self.campaign, proposal=Proposal(items, []), by=self.clerk, at=self.moment(self.held_on - datetime.timedelta(days=40), 10),
            name=SYSTEM_NAME, edition=SYSTEM_EDITION, weighted=True, source_name="a-gansu.xlsx",
        )
        Standard.objects.filter(system=self.system, text__in=[t for t, asks in photo.items() if asks]).update(needs_photo=True)
        import_sites(
            campaign=self.campaign,
            rows=[SiteRow(n, name, kind, names[unit], address) for n, (name, kind, address, unit) in enumerate(SITES, start=2)],
        )

    @property
    def held_on(self):
        return self.today - datetime.timedelta(days=10)

    def build_mock_assessment(self):
        held_on = self.held_on
        types = {t.name: t for t in SiteType.objects.filter(campaign=self.campaign)}
        assessment = MockAssessment.objects.create(
            campaign=self.campaign, system=self.system, name=f"{held_on.month}月模拟测评", held_on=held_on,
            created_by=self.clerk, created_at=self.moment(held_on - datetime.timedelta(days=3), 9),
        )
        mock.draw(assessment=assessment, counts={types[name]: n for name, n in DRAW.items()}, seed=SEED)
        sampled = list(SampledSite.objects.filter(assessment=assessment).select_related("site__site_type"))
        for index, observer in enumerate(self.observers):
            mine = [s for s in sampled if OBSERVED_BY[s.site.site_type.name] == index]
            mock.assign(assessment=assessment, sampled_sites=mine, observer=observer)
        mock.start(assessment=assessment)
        applies = mock.standards_for(self.system, [t.pk for t in types.values()])
        minute = 0
        for s in sorted(sampled, key=lambda s: (OBSERVED_BY[s.site.site_type.name], s.site.name)):
            observer = self.observers[OBSERVED_BY[s.site.site_type.name]]
            at = self.moment(held_on, 9) + datetime.timedelta(minutes=minute)
            minute += 20
            marks = []
            for standard in applies[s.site.site_type_id]:
                key = (s.site.name, standard.position)
                note, photo = FAILURES.get(key, ""), None
                result = "not_met" if note else ("na" if key in NOT_APPLICABLE else "met")
                if note and standard.needs_photo:
                    photo = ContentFile(png(colour=(158, 158, 158)), name=f"现场照片{standard.position}.png")
                marks.append(mock.Mark(standard, result, note, photo))
            # The site's form, sent once.
            mock.observe_many(sampled_site=s, marks=marks, by=observer, at=at)
        closed_at = self.closed_at = self.moment(held_on + datetime.timedelta(days=1), 16)
        inspection = mock.close(
            assessment=assessment, by=self.clerk, at=closed_at, deadline=self.today + datetime.timedelta(days=10)
        )
        items = {
            (o.sampled_site.site.name, o.standard.position): o.finding.rectification
            for o in assessment_failures(assessment)
        }
        if len(items) != len(FAILURES):
            raise RuntimeError("A failure names a site the seed did not draw: FAILURES follows the draw of SEED.")
        answered = items[ANSWERED]
        supervision.submit_response(
            item=answered, by=self.liaisons["scjg"], at=self.moment(self.today - datetime.timedelta(days=2), 15, 30),
            text="已约谈市场开办方，清理东门外占道摊位4处，划定临时摆放线，安排专人早晚巡查。整改后照片附后。",
            files=[ContentFile(png(), name="铁西农贸市场整改后.png")],
        )
        supervision.start_work(
            item=items[IN_PROGRESS], by=self.liaisons["zyl"], at=self.moment(self.today - datetime.timedelta(days=5), 9)
        )
        return inspection


    def build_material(self):
        """The 材料审核 standards' material: one accepted, one returned, one
        waiting for the office, one not yet sent."""
        standards = {
            s.lead_unit_id: s for s in Standard.objects.filter(system=self.system, lead_unit__isnull=False) if s.asks_material
        }
        sent = self.held_on - datetime.timedelta(days=20)

        def send(key, text, name, day):
            return material.save_and_submit(
                standard=standards[self.units[key].pk], unit=self.units[key], by=self.liaisons[key],
                at=self.moment(day, 10), text=text, files=[ContentFile(word_file(name, text), name=f"{name}.docx")],
            )

        accepted = send("jkl", MATERIAL_TEXTS["jkl"], "健康路街道志愿服务工作部署会议纪要", sent)
        material.accept_material(material=accepted, by=self.clerk, at=self.moment(sent + datetime.timedelta(days=2), 15))
        returned = send("sll", MATERIAL_TEXTS["sll"], "胜利路街道志愿服务经费说明", sent)
        material.return_material(
            material=returned, by=self.clerk, at=self.moment(sent + datetime.timedelta(days=2), 15, 20),
            comment="只有经费使用说明，缺少街道年度预算中志愿服务专项经费的批复文件，请补充后重新提交。",
        )
        send("zyl", MATERIAL_TEXTS["zyl"], "自由路街道注册志愿者保险清单", self.today - datetime.timedelta(days=3))

    def build_scheme(self):
        """A scoring scheme on the assessment's results, and the month the
        mock assessment closed in computed as a draft for the office."""
        scheme = ScoringScheme.objects.create(
            campaign=self.campaign, objection_days=5, lead_count=2, lag_count=2,
            notes="模拟测评得分率取自已结束的模拟测评（按分值计），测评材料通过率取自材料审核，整改按期销号率取自整改台账。",
        )
        for position, (kind, weight) in enumerate(SCHEME):
            ScoringComponent.objects.create(scheme=scheme, kind=kind, weight=weight, position=position)
        closed = timezone.localdate(self.closed_at)
        evaluations.compute_evaluation(campaign=self.campaign, month=closed.replace(day=1), by=self.clerk, at=self.now)


def assessment_failures(assessment):
    return list(
        Observation.objects.filter(sampled_site__assessment=assessment, result=Observation.Result.NOT_MET)
        .select_related("sampled_site__site", "standard", "finding__rectification")
    )


@transaction.atomic
def load_civilised(*, now=None, password):
    """Load the civilised-city demo once. Returns (campaign, created)."""
    existing = Campaign.objects.filter(title=TITLE).first()
    if existing is not None:
        return existing, False
    return Civilised(now=now or timezone.now(), password=password).build(), True
