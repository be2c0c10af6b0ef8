"""A synthetic campaign at production size, for benchmarks (`seed_scale`).

`build_scale_campaign` writes one campaign the size of a large district's
"create a civilised city" plan: a few hundred units, a task tree of some
hundreds of tasks with a lead unit and co-units each, a weekly and a monthly
reporting rule, and every period of the last `weeks` weeks up to today with
its reports, task progress and indicator values. Dashboards, workbooks and
reminders are measured against it.

Choices worth knowing:

* Every run creates a new campaign. Its title names the size and the seed;
  when that title exists already, "（第2次）", "（第3次）" … is appended, so
  a second run never fails and never touches an earlier campaign.
* Units are found by name and created only when missing, so a second run
  reuses the first run's units (and any real unit that happens to share a
  name; such a unit is given tasks but is otherwise left as it is).
* The data are deterministic for a given seed and a given `today`/`now`:
  one `random.Random(seed)` drives every choice, in a fixed order.
* Bulk rows (units, tasks, reports, task progress, indicator values) are
  written with `bulk_create`, which skips `save()` and signals, so
  django-simple-history records no history rows for them; none are needed
  for benchmark data. `Task.tree_path`/`depth` and
  `IndicatorValue.allow_negative`, which `save()` would fill in, are set
  here explicitly. The handful of header rows (campaign, phases, rules,
  indicators) go through the ORM normally.
* Periods and deadlines come from the project's own code
  (`plan_periods`, `period_due_at`, `WorkCalendar`) and who owes a rule's
  reports from `rule_owing_units`, so `generate_periods` run afterwards
  finds nothing to add.
* Everything is written in one transaction: a failed run leaves nothing.
"""

import datetime
import itertools
import math
import random
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import connection, transaction
from django.utils import timezone

from campaigns.models import Campaign, Phase, Unit
from core.numerals import chinese_numeral
from reports import indicator_tallies, tallies
from reports.models import IndicatorValue, Report, ReportingRule, TaskProgress
from reports.services import begun_periods, create_periods, rule_owing_units
from tasks.models import PATH_STEP, Indicator, Task

# Reports are generated a few thousand at a time and their task progress and
# indicator values flushed every FLUSH_ROWS rows, so memory stays flat
# whatever the size.
REPORTS_PER_CHUNK = 3000
FLUSH_ROWS = 20000


def _batch_size():
    # SQLite caps a statement at 999 parameters and Django shrinks batches to
    # fit; PostgreSQL takes large batches, and fewer round trips are faster.
    return 500 if connection.vendor == "sqlite" else 2000


# --------------------------------------------------------------------------
# Names


# Units that own no task: the issuer, the leading group office and the two
# parents most departments sit under. Created (or reused) on every run.
PARTY = "区委"
GOVERNMENT = "区人民政府"
OFFICE = "区精神文明建设指导委员会办公室"
STRUCTURAL_UNITS = [(PARTY, "", None), (GOVERNMENT, "区政府", None), (OFFICE, "区文明办", PARTY)]

# Reporting units. None of these names is one seed_demo uses (its 区卫生监督所
# and 区卫计委 sections): a unit found by name would take this campaign's
# tasks and reports into the demo's screens.
PARTY_DEPARTMENTS = [
    "区委办公室", "区委组织部", "区委宣传部", "区委统战部", "区委政法委员会", "区纪委监委",
    "区委网信办", "区委政策研究室", "区委机构编制委员会办公室", "区委老干部局", "区直机关工委",
    "区委党校", "区融媒体中心", "团区委", "区妇女联合会", "区总工会", "区科学技术协会",
    "区文学艺术界联合会", "区残疾人联合会", "区红十字会",
]
GOVERNMENT_DEPARTMENTS = [
    ("区人民政府办公室", GOVERNMENT), ("区发展和改革局", GOVERNMENT), ("区教育局", GOVERNMENT),
    ("区科学技术局", GOVERNMENT), ("区工业和信息化局", GOVERNMENT), ("区公安分局", GOVERNMENT),
    ("区民政局", GOVERNMENT), ("区司法局", GOVERNMENT), ("区财政局", GOVERNMENT),
    ("区人力资源和社会保障局", GOVERNMENT), ("区自然资源局", GOVERNMENT), ("区生态环境分局", GOVERNMENT),
    ("区住房和城乡建设局", GOVERNMENT), ("区交通运输局", GOVERNMENT), ("区水务局", GOVERNMENT),
    ("区农业农村局", GOVERNMENT), ("区商务局", GOVERNMENT), ("区文化和旅游局", GOVERNMENT),
    ("区卫生健康委员会", GOVERNMENT), ("区退役军人事务局", GOVERNMENT), ("区应急管理局", GOVERNMENT),
    ("区审计局", GOVERNMENT), ("区市场监督管理局", GOVERNMENT), ("区统计局", GOVERNMENT),
    ("区医疗保障局", GOVERNMENT), ("区城市管理局", GOVERNMENT), ("区信访局", GOVERNMENT),
    ("区体育局", GOVERNMENT), ("区数据局", GOVERNMENT), ("区税务局", GOVERNMENT),
    ("区消防救援大队", GOVERNMENT), ("区卫生健康综合执法大队", "区卫生健康委员会"),
    ("区疾病预防控制中心", "区卫生健康委员会"), ("区人民医院", "区卫生健康委员会"),
    ("区中医医院", "区卫生健康委员会"), ("区妇幼保健院", "区卫生健康委员会"),
    ("区市场监管执法大队", "区市场监督管理局"), ("区城市管理综合执法大队", "区城市管理局"),
    ("区图书馆", "区文化和旅游局"), ("区文化馆", "区文化和旅游局"),
]
COMMUNITIES_PER_STREET = 4


def unit_specs(count):
    """`count` distinct (name, short_name, parent_name) for reporting units.

    Departments first (one party department to two government ones, so a
    small run still has both), then streets, their residents' committees and
    schools, numbered for as long as needed.
    """
    named = []
    government = iter(GOVERNMENT_DEPARTMENTS)
    for party in PARTY_DEPARTMENTS:
        named.append((party, "", PARTY))
        named.extend((name, "", parent) for name, parent in itertools.islice(government, 2))
    named.extend((name, "", parent) for name, parent in government)
    specs = named[:count]
    counters = Counter()
    cycle = itertools.cycle(["street"] + ["community"] * COMMUNITIES_PER_STREET + ["primary", "middle"])
    while len(specs) < count:
        kind = next(cycle)
        counters[kind] += 1
        k = counters[kind]
        if kind == "street":
            specs.append((f"第{chinese_numeral(k)}街道办事处", f"{chinese_numeral(k)}街道", GOVERNMENT))
        elif kind == "community":
            street, number = divmod(k - 1, COMMUNITIES_PER_STREET)
            street_name = f"第{chinese_numeral(street + 1)}街道办事处"
            specs.append(
                (f"第{chinese_numeral(street + 1)}街道第{chinese_numeral(number + 1)}社区居民委员会", "", street_name)
            )
        elif kind == "primary":
            specs.append((f"区第{chinese_numeral(k)}小学", "", "区教育局"))
        else:
            specs.append((f"区第{chinese_numeral(k)}中学", "", "区教育局"))
    return specs


TOP_TASKS = [
    "加强思想道德建设", "优化城乡环境面貌", "规范市场经营秩序", "提升公共服务水平", "推进依法行政",
    "繁荣发展文化事业", "创新社会治理", "深化志愿服务", "保障食品药品安全",
    "加强未成年人思想道德建设", "推进生态文明建设", "深化群众性精神文明创建活动",
]
MIDDLE_TASKS = [
    "健全工作机制", "开展集中整治", "强化宣传引导", "完善基础设施", "加强督促检查", "推进示范创建",
    "落实长效管理", "提升服务质量",
]
LEAF_TASKS = [
    "开展“文明餐桌”行动", "推进背街小巷环境整治", "实施农贸市场规范化改造", "做好公益广告刊播",
    "建设社区志愿服务站", "举办道德讲堂", "开展文明交通劝导", "规范窗口单位服务",
    "整治校园周边环境", "开展垃圾分类宣传", "评选诚信经营示范店", "落实网格化管理",
    "推进老旧小区改造", "加强公共场所控烟", "开展违法建设专项整治", "开展食品安全抽检",
    "组织学雷锋志愿服务", "开展移风易俗宣传", "排查无障碍设施", "排查消防安全隐患",
    "规范户外广告设置", "整治占道经营", "开展“我们的节日”主题活动", "评选身边好人",
    "建设新时代文明实践站", "推进公共厕所提档升级", "开展文明旅游宣传", "治理噪声扰民",
]
WORK_DONE = [
    "本期围绕“{task}”等{n}项任务开展工作，召开专题推进会1次，各项工作按计划推进。",
    "本期牵头落实“{task}”，组织人员开展现场检查，发现问题已建立台账、明确整改时限。",
    "本期配合做好“{task}”等工作，开展宣传活动，发放宣传资料，群众知晓率进一步提高。",
    "本期对照任务分工，重点推进“{task}”，完成阶段性工作，相关资料已整理归档。",
]
PROBLEMS = [
    "部分群众参与积极性不高。",
    "个别点位整改后出现反弹。",
    "人员力量不足，工作推进偏慢。",
    "经费保障有待加强。",
]
NEXT_STEPS = [
    "下步将继续加大宣传力度，巩固创建成果。",
    "下步将加强督促检查，确保问题整改到位。",
    "下步将完善长效机制，推动工作常态化。",
]
LATE_REASONS = [
    "节假日值班人员调整，报送延误。",
    "联络员外出参加培训，未能按时报送。",
    "数据需与相关科室核对，延后报送。",
]
BLOCKED_NOTE = "受天气及场地协调影响，暂缓推进。"


# --------------------------------------------------------------------------
# Indicators: what each is and how a report's figure is drawn.


def _integer(low, high, step=1):
    return lambda rng: Decimal(rng.randint(low, high) * step)


def _percent(low, high):
    return lambda rng: Decimal(rng.randint(low * 100, high * 100)).scaleb(-2)


INDICATORS = [
    # name, measure unit, aggregation, target, allow_negative, max_value, rule, draw
    ("开展宣传活动", "场", Indicator.Aggregation.SUM, 2000, False, None, "weekly", _integer(0, 5)),
    ("发放宣传资料", "份", Indicator.Aggregation.SUM, 100000, False, None, "weekly", _integer(0, 30, 10)),
    ("开展执法检查", "次", Indicator.Aggregation.SUM, None, False, None, "weekly", _integer(0, 8)),
    ("投诉件数较上期增减", "件", Indicator.Aggregation.SUM, None, True, None, "weekly", _integer(-5, 5)),
    ("群众满意度", "%", Indicator.Aggregation.AVERAGE, 90, False, 100, "monthly", _percent(85, 100)),
    ("问题整改完成率", "%", Indicator.Aggregation.AVERAGE, 100, False, 100, "monthly", _percent(70, 100)),
    ("罚没款金额", "元", Indicator.Aggregation.SUM, None, False, None, "monthly", _integer(0, 500, 100)),
]


# --------------------------------------------------------------------------
# Result


@dataclass
class ScaleResult:
    campaign: Campaign
    units: int = 0
    units_created: int = 0
    people: int = 0
    tasks: int = 0
    assignments: int = 0
    indicators: int = 0
    rules: int = 0
    periods: int = 0
    reports: int = 0
    task_progress: int = 0
    indicator_values: int = 0
    late: int = 0
    statuses: Counter = field(default_factory=Counter)

    def lines(self):
        """`key: value` lines, in a fixed order, for the command to print."""
        rows = [
            ("campaign_id", self.campaign.pk),
            ("units", self.units),
            ("units_created", self.units_created),
            ("people", self.people),
            ("tasks", self.tasks),
            ("assignments", self.assignments),
            ("indicators", self.indicators),
            ("rules", self.rules),
            ("periods", self.periods),
            ("reports", self.reports),
            ("task_progress", self.task_progress),
            ("indicator_values", self.indicator_values),
            ("late", self.late),
        ]
        rows += [(f"status.{status}", self.statuses[status]) for status in Report.Status.values]
        return [f"{key}: {value}" for key, value in rows]


# --------------------------------------------------------------------------
# The builder


@dataclass(frozen=True)
class _Profile:
    """How reliably a unit reports: most units are good, a few lag."""

    missing: float
    draft: float
    late: float


_PROFILES = [(0.7, _Profile(0.01, 0.005, 0.03)), (0.9, _Profile(0.04, 0.02, 0.10)), (1.0, _Profile(0.15, 0.05, 0.30))]

SUBMITTED = {Report.Status.SUBMITTED, Report.Status.RETURNED, Report.Status.ACCEPTED}


def build_scale_campaign(*, units=300, tasks=600, weeks=156, seed=1, today=None, now=None, district=""):
    """Create one synthetic campaign of the given size; return a ScaleResult.
    `district` prefixes every unit's name (甲市 → 甲市区委办公室), so a second
    campaign seeded into the same database has units, an office and people of
    its own instead of sharing the first one's."""
    if units < 1 or tasks < 1 or weeks < 1:
        raise ValueError("units, tasks and weeks must all be at least 1")
    now = now or timezone.now()
    today = today or timezone.localdate(now)
    with transaction.atomic():
        return _Builder(units=units, tasks=tasks, weeks=weeks, seed=seed, today=today, now=now, district=district).build()


class _Builder:
    def __init__(self, *, units, tasks, weeks, seed, today, now, district=""):
        self.unit_count, self.task_count, self.weeks, self.seed = units, tasks, weeks, seed
        self.district = district
        self.today, self.now = today, now
        self.rng = random.Random(seed)
        self.batch = _batch_size()

    def build(self):
        self._plan_dates()
        units, created = self._units()
        self.campaign = self._campaign()
        self.result = ScaleResult(campaign=self.campaign, units=len(units), units_created=created)
        self._phases()
        self.unit_order = {unit.pk: position for position, unit in enumerate(units)}
        self._people(units)
        self._tasks(units)
        self._indicators()
        self._rules()
        for rule in (self.weekly, self.monthly):
            self._reports(rule)
        # The reports went in untallied (tally=False), their figures after them:
        # a GROUP BY each fills the tallies.
        tallies.rebuild(campaign=self.campaign)
        indicator_tallies.rebuild(campaign=self.campaign)
        return self.result

    # -- dates ------------------------------------------------------------

    def _plan_dates(self):
        # Weekly deadline: Tuesday. The current period is the one whose
        # deadline is the first Tuesday on or after today; the first period
        # is a full week `weeks - 1` weeks before it.
        current = self.today + datetime.timedelta(days=(2 - self.today.isoweekday()) % 7)
        first_deadline = current - datetime.timedelta(weeks=self.weeks - 1)
        self.starts_on = first_deadline - datetime.timedelta(days=6)
        # A live campaign: it has about a quarter to run.
        self.ends_on = current + datetime.timedelta(weeks=13)

    # -- units ------------------------------------------------------------

    def _units(self):
        """The reporting units, found by name or created, in spec order."""
        d = self.district
        specs = [
            (d + name, short and d + short, d + parent if parent else None)
            for name, short, parent in list(STRUCTURAL_UNITS) + unit_specs(self.unit_count)
        ]
        names = [name for name, _, _ in specs]
        wanted = set(names) | {parent for _, _, parent in specs if parent}
        by_name = {unit.name: unit for unit in Unit.objects.filter(name__in=wanted)}
        # A parent that is neither made here nor already there (the 区教育局
        # of a small run): the unit goes under the district government.
        specs = [
            (name, short, parent if parent is None or parent in by_name or parent in names else d + GOVERNMENT)
            for name, short, parent in specs
        ]
        order = {name: position for position, name in enumerate(names)}
        missing = [spec for spec in specs if spec[0] not in by_name]
        created = 0
        while missing:
            pending = {name for name, _, _ in missing}
            # Parents first: a unit waits while its parent is still to be made.
            ready = [spec for spec in missing if spec[2] not in pending]
            if not ready:  # the unit lists name parents in a cycle
                raise ValueError(f"单位上下级关系有循环：{sorted(pending)}")
            Unit.objects.bulk_create(
                [
                    Unit(
                        name=name,
                        short_name=short,
                        parent=by_name[parent] if parent else None,
                        sort_order=(order[name] + 1) * 10,
                    )
                    for name, short, parent in ready
                ],
                batch_size=self.batch,
            )
            created += len(ready)
            by_name.update(
                (unit.name, unit) for unit in Unit.objects.filter(name__in=[name for name, _, _ in ready])
            )
            missing = [spec for spec in missing if spec[0] not in by_name]
        self.structural = {name: by_name[d + name] for name, _, _ in STRUCTURAL_UNITS}
        return [by_name[name] for name, _, _ in specs[len(STRUCTURAL_UNITS):]], created

    # -- campaign ---------------------------------------------------------

    def _people(self, units):
        """A liaison for every unit that has none, and an office clerk, so
        that reminders have someone to go to. They cannot sign in: the
        password is unusable."""
        from accounts.models import User
        from campaigns.models import Membership

        Role = Membership.Role
        staffed = set(Membership.objects.filter(unit__in=units, role=Role.LIAISON).values_list("unit_id", flat=True))
        wanted = [(f"scale_liaison_{unit.pk}", unit, Role.LIAISON) for unit in units if unit.pk not in staffed]
        office = self.structural[OFFICE]
        if not Membership.objects.filter(unit=office, role=Role.OFFICE_STAFF).exists():
            wanted.append((f"scale_office_{office.pk}", office, Role.OFFICE_STAFF))
        users = User.objects.bulk_create(
            [
                User(username=username, full_name=f"{unit.display_name}联络员", email=f"{username}@example.com", password="!")
                for username, unit, _ in wanted
            ],
            batch_size=self.batch,
        )
        if not all(user.pk for user in users):
            users = list(User.objects.filter(username__in=[w[0] for w in wanted]).order_by("username"))
            by_name = {user.username: user for user in users}
            users = [by_name[w[0]] for w in wanted]
        Membership.objects.bulk_create(
            [Membership(user=user, unit=unit, role=role) for user, (_, unit, role) in zip(users, wanted)],
            batch_size=self.batch,
        )
        self.result.people = len(users)

    def _campaign(self):
        base = f"规模测试：{self.district}创建全国文明城区三年行动方案（{self.unit_count}个单位·{self.task_count}项任务·{self.weeks}周·种子{self.seed}）"
        title, run = base, 1
        taken = set(Campaign.objects.filter(title__startswith=base).values_list("title", flat=True))
        while title in taken:
            run += 1
            title = f"{base}（第{run}次）"
        return Campaign.objects.create(
            title=title,
            short_title=f"规模测试{self.unit_count}×{self.task_count}×{self.weeks}"[:50],
            document_number=f"创建办〔{self.starts_on.year}〕{self.seed}号",
            issuing_unit=self.structural[GOVERNMENT],
            office_unit=self.structural[OFFICE],
            addressees="各街道办事处，区直各部门",
            issued_on=self.starts_on,
            starts_on=self.starts_on,
            ends_on=self.ends_on,
            status=Campaign.Status.ACTIVE,
            goals="群众对文明城区创建工作的满意度不低于90%，问题整改完成率达到100%。",
            requirements="各单位每周二下午下班前报送本周工作开展情况，每月19日前报送月度工作小结。",
            contact_person="王明",
            contact_phone="0000-12345678",
        )

    def _phases(self):
        span = (self.ends_on - self.starts_on).days
        bounds = [self.starts_on + datetime.timedelta(days=span * i // 3) for i in range(4)]
        names = [("宣传发动", "实现全员知晓"), ("全面推进", "实现问题整改到位"), ("巩固提升", "实现长效常态")]
        Phase.objects.bulk_create(
            [
                Phase(
                    campaign=self.campaign,
                    order=i + 1,
                    name=name,
                    goal=goal,
                    starts_on=bounds[i] + datetime.timedelta(days=1 if i else 0),
                    ends_on=bounds[i + 1],
                )
                for i, (name, goal) in enumerate(names)
            ]
        )

    # -- tasks ------------------------------------------------------------

    def _tree_shape(self):
        """Counts of 一、 / （一） / 1、 tasks adding up to the task count."""
        top = max(1, min(self.task_count, round(math.sqrt(self.task_count) / 2)))
        middle = min(self.task_count - top, top * 5)
        return top, middle, self.task_count - top - middle

    def _tasks(self, units):
        rng = self.rng
        top_count, middle_count, leaf_count = self._tree_shape()
        leads = units[:]
        rng.shuffle(leads)
        co_order = units[:]
        rng.shuffle(co_order)
        lead_cycle, co_cycle = itertools.cycle(leads), itertools.cycle(co_order)

        def make(parent, position, code, title, description=""):
            lead = next(lead_cycle)
            task = Task(
                campaign=self.campaign,
                parent=parent,
                position=position,
                code=code,
                title=title,
                description=description,
                lead_unit=lead,
            )
            # bulk_create skips Task.save(): set the path as save() would.
            task.tree_path = task.compute_path()
            task.depth = len(task.tree_path) // PATH_STEP - 1
            wanted = min(rng.choice((3, 4, 4, 5)), len(units) - 1)
            co_units = []
            while len(co_units) < wanted:
                unit = next(co_cycle)
                if unit is not lead and unit not in co_units:
                    co_units.append(unit)
            task._scale_co_units = co_units
            return task

        tops = [
            make(None, i + 1, f"{chinese_numeral(i + 1)}、", TOP_TASKS[i % len(TOP_TASKS)]) for i in range(top_count)
        ]
        self._save_tasks(tops)
        middles, children = [], Counter()
        for i in range(middle_count):
            parent = tops[i % top_count]
            children[parent.pk] += 1
            n = children[parent.pk]
            middles.append(make(parent, n, f"（{chinese_numeral(n)}）", MIDDLE_TASKS[(i // top_count) % len(MIDDLE_TASKS)]))
        self._save_tasks(middles)
        leaves = []
        for i in range(leaf_count):
            parent = middles[i % middle_count]
            children[parent.pk] += 1
            n = children[parent.pk]
            title = rng.choice(LEAF_TASKS)
            description = f"由牵头单位制定工作方案，配合单位按职责分工负责，每周报送{title}的进展情况。"
            leaves.append(make(parent, n, f"{n}、", title, description))
        self._save_tasks(leaves)

        all_tasks = tops + middles + leaves
        through = Task.co_units.through
        rows = [through(task_id=task.pk, unit_id=unit.pk) for task in all_tasks for unit in task._scale_co_units]
        through.objects.bulk_create(rows, batch_size=self.batch)

        # The tasks each unit leads or supports, in plan order.
        self.unit_tasks = defaultdict(list)
        for task in sorted(all_tasks, key=lambda t: t.tree_path):
            for unit in [task.lead_unit, *task._scale_co_units]:
                self.unit_tasks[unit.pk].append(task)
        # How fast each unit moves each task along: (first week, weeks to finish).
        self.curves = {
            (unit_id, task.pk): (rng.randint(0, max(1, self.weeks // 4)), rng.randint(4, max(8, self.weeks * 5 // 4)))
            for unit_id, unit_tasks in self.unit_tasks.items()
            for task in unit_tasks
        }
        self.tops = tops
        self.result.tasks = len(all_tasks)
        self.result.assignments = len(all_tasks) + len(rows)

    def _save_tasks(self, tasks):
        if not tasks:
            return
        Task.objects.bulk_create(tasks, batch_size=self.batch)
        if not all(task.pk for task in tasks):  # backends that do not return ids
            ids = dict(
                Task.objects.filter(campaign=self.campaign, tree_path__in=[t.tree_path for t in tasks]).values_list(
                    "tree_path", "pk"
                )
            )
            for task in tasks:
                task.pk = ids[task.tree_path]

    # -- indicators and rules ---------------------------------------------

    def _indicators(self):
        self.indicators = {"weekly": [], "monthly": []}
        self.draws = {}
        for position, (name, measure, aggregation, target, negative, maximum, rule, draw) in enumerate(INDICATORS):
            indicator = Indicator.objects.create(
                campaign=self.campaign,
                task=self.tops[position % len(self.tops)],
                name=name,
                measure_unit=measure,
                aggregation=aggregation,
                target_value=target,
                allow_negative=negative,
                max_value=maximum,
                position=position + 1,
            )
            self.indicators[rule].append(indicator)
            self.draws[indicator.pk] = draw
        self.result.indicators = len(INDICATORS)

    def _rules(self):
        common = dict(campaign=self.campaign, due_time=datetime.time(17, 30), starts_on=self.starts_on, ends_on=self.ends_on)
        self.weekly = ReportingRule.objects.create(
            name="周报",
            cadence=ReportingRule.Cadence.WEEKLY,
            weekday=ReportingRule.Weekday.TUESDAY,
            owners=ReportingRule.Owners.TASK_UNITS,
            source_text="各单位每周二下午下班前报送本周工作开展情况及宣传信息。",
            **common,
        )
        self.monthly = ReportingRule.objects.create(
            name="月度小结",
            cadence=ReportingRule.Cadence.MONTHLY,
            day_of_month=19,
            owners=ReportingRule.Owners.LISTED,
            source_text="各牵头单位每月19日前报送月度工作小结。",
            **common,
        )
        # The monthly summary is owed by the units leading a top-level task.
        self.monthly.units.set({task.lead_unit for task in self.tops})
        self.weekly.indicators.set(self.indicators["weekly"])
        self.monthly.indicators.set(self.indicators["monthly"])
        self.result.rules = 2

    # -- periods and reports ----------------------------------------------

    def _periods(self, rule):
        """The rule's periods that have begun by today, as generate_periods makes them."""
        planned = begun_periods(rule=rule, through=self.today)
        if rule.cadence == ReportingRule.Cadence.WEEKLY:
            assert len(planned) == self.weeks, (len(planned), self.weeks)
        periods = create_periods(rule=rule, planned=planned)
        if not all(p.pk for p in periods):
            periods = list(rule.periods.order_by("starts_on"))
        self.result.periods += len(periods)
        return periods

    def _reports(self, rule):
        periods = self._periods(rule)
        rng = self.rng
        # In the order of the unit list, not of ids, so that the same seed
        # draws the same data in a database with other units in it.
        unit_ids = sorted(
            rule_owing_units(rule=rule).values_list("id", flat=True).order_by(),
            key=lambda pk: self.unit_order.get(pk, len(self.unit_order)),
        )
        profiles = {}
        for unit_id in unit_ids:
            roll = rng.random()
            profiles[unit_id] = next(profile for limit, profile in _PROFILES if roll < limit)
        per_chunk = max(1, REPORTS_PER_CHUNK // max(1, len(unit_ids)))
        progress, values = [], []
        for start in range(0, len(periods), per_chunk):
            chunk = periods[start : start + per_chunk]
            reports = [self._report(period, unit_id, profiles[unit_id]) for period in chunk for unit_id in unit_ids]
            Report.objects.bulk_create(reports, batch_size=self.batch, tally=False)
            if not all(report.pk for report in reports):
                ids = {
                    (r.period_id, r.unit_id): r.pk
                    for r in Report.objects.filter(period__in=chunk).only("id", "period_id", "unit_id")
                }
                for report in reports:
                    report.pk = ids[(report.period_id, report.unit_id)]
            self.result.reports += len(reports)
            for report in reports:
                progress.extend(self._progress(report))
                values.extend(self._values(report, rule))
                if len(progress) >= FLUSH_ROWS:
                    self._flush(progress, values)
                    progress, values = [], []
        self._flush(progress, values)

    def _flush(self, progress, values):
        TaskProgress.objects.bulk_create(progress, batch_size=self.batch)
        IndicatorValue.objects.bulk_create(values, batch_size=self.batch)
        self.result.task_progress += len(progress)
        self.result.indicator_values += len(values)

    def _report(self, period, unit_id, profile):
        rng, now = self.rng, self.now
        opened = timezone.make_aware(datetime.datetime.combine(period.starts_on, datetime.time(8, 30)))
        opened = min(opened, now)
        due = period.due_at
        submitted_at = None
        version = 1
        if due > now:
            # The period still open: some units have started, a few sent.
            roll = rng.random()
            if roll < 0.45:
                status = Report.Status.NOT_STARTED
            elif roll < 0.75:
                status = Report.Status.DRAFT
            else:
                status = Report.Status.SUBMITTED if roll < 0.95 else Report.Status.ACCEPTED
                submitted_at = opened + (now - opened) * rng.random()
        else:
            roll = rng.random()
            if roll < 0.015:
                status = Report.Status.EXEMPT
            elif roll < 0.015 + profile.missing:
                status = Report.Status.NOT_STARTED
            elif roll < 0.015 + profile.missing + profile.draft:
                status = Report.Status.DRAFT
            else:
                if rng.random() < profile.late:
                    submitted_at = due + datetime.timedelta(hours=rng.uniform(0.5, 72))
                    if submitted_at > now:
                        submitted_at = due + (now - due) / 2
                else:
                    submitted_at = due - min(datetime.timedelta(days=3), due - opened) * rng.random()
                review = rng.random()
                if now - due > datetime.timedelta(days=14):  # long reviewed
                    accepted, returned = 0.97, 0.98
                else:
                    accepted, returned = 0.55, 0.65
                if review < accepted:
                    status = Report.Status.ACCEPTED
                    version = 1 if rng.random() < 0.9 else 3  # some were returned once and fixed
                elif review < returned:
                    status, version = Report.Status.RETURNED, 2
                else:
                    status = Report.Status.SUBMITTED
        if submitted_at is not None:
            submitted_at = submitted_at.replace(microsecond=0)
        report = Report(period=period, unit_id=unit_id, status=status, due_at=due, submitted_at=submitted_at, version=version)
        if status in SUBMITTED or status == Report.Status.DRAFT:
            tasks = self.unit_tasks[unit_id]
            report.work_done = rng.choice(WORK_DONE).format(task=tasks[0].title, n=len(tasks))
            if rng.random() < 0.3:
                report.problems = rng.choice(PROBLEMS)
            report.next_steps = rng.choice(NEXT_STEPS)
        if submitted_at is not None and submitted_at > due:
            report.late_reason = rng.choice(LATE_REASONS)
            self.result.late += 1
        self.result.statuses[status] += 1
        return report

    def _progress(self, report):
        rng = self.rng
        reported = report.status in SUBMITTED or report.status == Report.Status.DRAFT
        week = (report.period.ends_on - self.starts_on).days // 7
        rows = []
        for task in self.unit_tasks[report.unit_id]:
            if not reported:
                rows.append(
                    TaskProgress(report_id=report.pk, task_id=task.pk, status=TaskProgress.Status.NOT_STARTED, percent=0)
                )
                continue
            first, span = self.curves[(report.unit_id, task.pk)]
            percent = min(100, max(0, round(100 * (week - first) / span)))
            note = ""
            if percent == 100:
                status = TaskProgress.Status.COMPLETED
            elif percent == 0:
                status = TaskProgress.Status.NOT_STARTED
            elif rng.random() < 0.02:
                status, note = TaskProgress.Status.BLOCKED, BLOCKED_NOTE
            else:
                status = TaskProgress.Status.IN_PROGRESS
            rows.append(TaskProgress(report_id=report.pk, task_id=task.pk, status=status, percent=percent, note=note))
        return rows

    def _values(self, report, rule):
        if report.status in SUBMITTED:
            indicators = self.indicators[rule.cadence]
        elif report.status == Report.Status.DRAFT:
            indicators = [i for i in self.indicators[rule.cadence] if self.rng.random() < 0.5]
        else:
            return []
        # bulk_create skips IndicatorValue.save(): copy allow_negative here.
        return [
            IndicatorValue(
                report_id=report.pk,
                indicator_id=indicator.pk,
                value=self.draws[indicator.pk](self.rng),
                allow_negative=indicator.allow_negative,
            )
            for indicator in indicators
        ]
