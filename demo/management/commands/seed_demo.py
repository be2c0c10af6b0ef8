from django.core.management.base import BaseCommand
from django.db.models import Count
from django.utils import timezone

from campaigns.models import Campaign, Membership
from demo import civilised
from demo.campaign import DEFAULT_PASSWORD, DEMO_USERS, load_demo
from demo.weibin import TITLE as WEIBIN_TITLE
from demo.weibin import UNITS as WEIBIN_UNITS
from demo.weibin import YEAR as WEIBIN_YEAR
from reports import indicator_tallies, tallies
from reports.models import Report


class Command(BaseCommand):
    help = (
        "载入演示数据，只载入一次：管卫〔2016〕41号文明执法素养提升三年行动方案（阶段移至今年起），"
        "卫滨区卫健委2025年法治政府建设工作（已结束，可生成年度情况报告），"
        "以及卫滨区创建全国文明城市（测评体系节选、点位台账和一次已结束的模拟测评）。"
    )

    def add_arguments(self, parser):
        parser.add_argument("--password", default=DEFAULT_PASSWORD, help=f"演示用户的密码（默认 {DEFAULT_PASSWORD}）")

    def handle(self, *args, password, **options):
        now = timezone.now()
        campaign, created = load_demo(now=now, password=password)
        # Loaded on its own: a database seeded before this demo existed gains it.
        city, city_created = civilised.load_civilised(now=now, password=password)
        if created:
            # The demo writes reports and their figures directly, figures after
            # their report was sent: the running tallies are added up once.
            tallies.rebuild()
            indicator_tallies.rebuild()
            self.stdout.write(self.style.SUCCESS(f"已载入演示活动：{campaign.title}（{campaign.document_number}）"))
        else:
            self.stdout.write(f"演示活动已存在，未做任何修改：{campaign.title}（{campaign.document_number}）")
            password = f"首次载入时设置的密码，默认 {DEFAULT_PASSWORD}"
        counts = (
            Report.objects.filter(period__rule__campaign=campaign)
            .values_list("status")
            .annotate(n=Count("id"))
            .order_by("-n")
        )
        labels = dict(Report.Status.choices)
        self.stdout.write("报送：" + "，".join(f"{labels[status]} {n}" for status, n in counts))
        weibin = Campaign.objects.filter(title=WEIBIN_TITLE).first()
        if weibin is not None:
            self.stdout.write(f"第二个演示活动：{weibin.title}（{weibin.get_status_display()}，可生成{WEIBIN_YEAR}年度情况报告）")
        self.stdout.write(
            f"第三个演示活动：{city.title}（{'已载入' if city_created else '已存在，未做任何修改'}；"
            f"测评体系节选、{len(civilised.SITES)}个点位和一次已结束的模拟测评，不达标已列入整改台账；"
            f"测评材料待审核、已退回、已通过各有一份，按模拟测评得分率和测评材料通过率计算的综合评定草稿）"
        )
        self.stdout.write("")
        write_logins(self.stdout, password)


def write_logins(stdout, password):
    roles = dict(Membership.Role.choices) | {"admin": "系统管理员", "security": "安全管理员", "auditor": "审计员"}
    stdout.write(f"演示账号，密码：{password}")
    for user in DEMO_USERS:
        where = "" if user.role in ("admin", "security", "auditor") else f"（{user.unit}）"
        stdout.write(f"  {user.username:<13} {user.full_name}\t{roles[user.role]}{where}")
    liaisons = "、".join(f"{username}（{short}）" for _, _, short, _, username, _ in WEIBIN_UNITS)
    stdout.write(f"  卫滨区演示活动的联络员：{liaisons}；办公室工作人员同上（fanlina、lirong）")
    clerk, _ = civilised.CLERK
    observers = "、".join(f"{username}（{name}）" for username, name in civilised.OBSERVERS)
    units = {key: short for key, _, short, _ in civilised.UNITS}
    city_liaisons = "、".join(f"{username}（{units[key]}）" for key, (username, _) in civilised.LIAISONS.items())
    stdout.write(f"  创建全国文明城市演示活动：区文明办工作人员 {clerk}（{civilised.CLERK[1]}），测评员 {observers}；"
                 f"联络员：{city_liaisons}；fanlina、lirong 也是区文明办工作人员")
