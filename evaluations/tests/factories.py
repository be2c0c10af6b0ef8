"""A month of a campaign to evaluate, with known figures.

March 2026, four weekly periods falling due in it (Tuesdays 3, 10, 17, 24
at 17:30), one in February and one in April that must not count. The
scheme gives 100 points: 报送率 30, 按时报送率 20, 退回次数 10 (2 a return),
任务进度 20, 督导检查得分 10, 整改按期销号率 10.
"""

import datetime
import zoneinfo
from decimal import Decimal

from campaigns.models import Membership
from campaigns.tests.factories import CampaignFactory, MembershipFactory, UnitFactory, UserFactory
from evaluations.models import ScoringComponent, ScoringScheme
from reports.models import Report, ReviewEvent, TaskProgress
from reports.tests.factories import PeriodFactory, ReportingRuleFactory
from supervision.models import Finding, InspectedUnit, Inspection, RectificationItem
from tasks.tests.factories import TaskFactory

SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")
Role = Membership.Role
Kind = ScoringComponent.Kind

MONTH = datetime.date(2026, 3, 1)
# Computed a few days after the month's end.
AT = datetime.datetime(2026, 4, 3, 10, 0, tzinfo=SHANGHAI)

WEIGHTS = {
    Kind.SUBMISSION_RATE: Decimal(30),
    Kind.ON_TIME_RATE: Decimal(20),
    Kind.RETURNED_REPORTS: Decimal(10),
    Kind.TASK_PROGRESS: Decimal(20),
    Kind.INSPECTION_SCORE: Decimal(10),
    Kind.RECTIFICATION_ON_TIME: Decimal(10),
}
DEDUCTION = Decimal(2)


def local(*args):
    return datetime.datetime(*args, tzinfo=SHANGHAI)


def due(day):
    return local(day.year, day.month, day.day, 17, 30)


MARCH_DUES = [datetime.date(2026, 3, d) for d in (3, 10, 17, 24)]


def scheme_for(campaign, *, objection_days=5, lead_count=1, lag_count=1, weights=WEIGHTS):
    scheme = ScoringScheme.objects.create(
        campaign=campaign, objection_days=objection_days, lead_count=lead_count, lag_count=lag_count
    )
    for position, (kind, weight) in enumerate(weights.items()):
        ScoringComponent.objects.create(
            scheme=scheme,
            kind=kind,
            weight=weight,
            deduction=DEDUCTION if kind == Kind.RETURNED_REPORTS else 0,
            position=position,
        )
    return scheme


class Month:
    """The campaign, its office and leader, its rule and the month's periods.
    Units are added with `unit(...)`, each with its own story."""

    def __init__(self, prefix=""):
        self.office_unit = UnitFactory(name=f"{prefix}领导小组办公室", sort_order=0)
        self.campaign = CampaignFactory(office_unit=self.office_unit, title="文明执法三年行动", short_title="文明执法")
        self.office = MembershipFactory(unit=self.office_unit, role=Role.OFFICE_STAFF, user__username="office").user
        self.leader = MembershipFactory(unit=self.office_unit, role=Role.LEADER, user__username="leader").user
        self.rule = ReportingRuleFactory(campaign=self.campaign)
        self.periods = [PeriodFactory(rule=self.rule, number=n, due_at=due(d)) for n, d in enumerate(MARCH_DUES, start=1)]
        self.february = PeriodFactory(rule=self.rule, number=10, due_at=due(datetime.date(2026, 2, 24)))
        self.april = PeriodFactory(rule=self.rule, number=11, due_at=due(datetime.date(2026, 4, 7)))
        self.scheme = scheme_for(self.campaign)
        self.inspector = UserFactory(username="inspector")
        self.liaisons = {}

    def unit(self, name, order, *, statuses):
        """A unit with one report per March period: "on_time", "late",
        "missing" (never sent) or "exempt"; returns the unit and its reports."""
        unit = UnitFactory(name=name, short_name=name, sort_order=order)
        self.liaisons[unit.pk] = MembershipFactory(unit=unit, role=Role.LIAISON, user__username=f"liaison{unit.pk}").user
        reports = []
        for period, status in zip(self.periods, statuses, strict=True):
            fields = {"status": Report.Status.NOT_STARTED}
            if status == "on_time":
                fields = {"status": Report.Status.ACCEPTED, "submitted_at": period.due_at - datetime.timedelta(hours=3)}
            elif status == "late":
                fields = {"status": Report.Status.ACCEPTED, "submitted_at": period.due_at + datetime.timedelta(days=1)}
            elif status == "exempt":
                fields = {"status": Report.Status.EXEMPT}
            reports.append(Report.objects.create(period=period, unit=unit, due_at=period.due_at, **fields))
        # Reports outside the month, all missing: they must change nothing.
        for period in (self.february, self.april):
            Report.objects.create(period=period, unit=unit, due_at=period.due_at)
        return unit, reports

    def progress(self, report, percents, *, tasks=None):
        """Progress on new tasks the report's unit leads, or on `tasks`."""
        made = []
        for index, percent in enumerate(percents):
            task = tasks[index] if tasks else TaskFactory(campaign=self.campaign, lead_unit=report.unit)
            TaskProgress.objects.create(report=report, task=task, percent=percent)
            made.append(task)
        return made

    def returned(self, report, at):
        ReviewEvent.objects.create(
            report=report,
            actor=self.office,
            action=ReviewEvent.Action.RETURN,
            from_status=Report.Status.SUBMITTED,
            to_status=Report.Status.RETURNED,
            comment="请补充活动照片。",
            created_at=at,
        )

    def inspection(self, on, scores, kind=Inspection.Kind.ON_SITE):
        inspection = Inspection.objects.create(
            campaign=self.campaign, kind=kind, inspected_on=on, inspectors="李蓉、樊丽娜", created_by=self.inspector
        )
        for unit, score in scores.items():
            InspectedUnit.objects.create(inspection=inspection, unit=unit, score=score)
        return inspection

    def rectification(self, unit, deadline, *, submitted=None, closed=None, status=None):
        inspection = self.inspection(deadline - datetime.timedelta(days=20), {}, kind=Inspection.Kind.UNANNOUNCED)
        finding = Finding.objects.create(inspection=inspection, unit=unit, description="执法文书填写不规范。")
        if status is None:
            status = RectificationItem.Status.CLOSED if closed else RectificationItem.Status.OPEN
        return RectificationItem.objects.create(
            finding=finding,
            campaign=self.campaign,
            unit=unit,
            requirement=f"{unit.name}规范执法文书填写",
            deadline=deadline,
            due_at=local(deadline.year, deadline.month, deadline.day, 18, 0),
            status=status,
            submitted_at=submitted,
            closed_at=closed,
        )


def build_month():
    """Four units whose scores are worked out in test_compute.py:

    - 甲: every report on time; tasks at 80 and 100 %; inspected once (90);
      one item due in March closed on time; one return in February (not counted).
    - 乙: on time, late, on time, missing; one return in March; tasks at 60 %;
      not inspected in March (an April inspection does not count); two items
      due in March (one closed on time, one open) and one due in February
      still open.
    - 丙 and 丁: exempt, then three on time; tasks at 50 %; inspected twice
      (70 and 80); no items due (an item due in April does not count): a tie.
    """
    m = Month()
    m.a, a = m.unit("甲单位", 1, statuses=["on_time"] * 4)
    m.b, b = m.unit("乙单位", 2, statuses=["on_time", "late", "on_time", "missing"])
    m.c, c = m.unit("丙单位", 3, statuses=["exempt", "on_time", "on_time", "on_time"])
    m.d, d = m.unit("丁单位", 4, statuses=["exempt", "on_time", "on_time", "on_time"])
    a_tasks = m.progress(a[3], [80, 100])
    m.progress(a[0], [10], tasks=a_tasks[:1])  # an earlier report: not the latest accepted
    m.progress(b[2], [60])
    m.progress(c[3], [50])
    m.progress(d[3], [50])
    m.returned(a[0], local(2026, 2, 27, 9, 0))
    m.returned(b[1], local(2026, 3, 12, 9, 0))
    m.inspection(datetime.date(2026, 3, 5), {m.a: Decimal(90)})
    m.inspection(datetime.date(2026, 3, 18), {m.c: Decimal(70), m.d: Decimal(70)})
    m.inspection(datetime.date(2026, 3, 31), {m.c: Decimal(80), m.d: Decimal(80)})
    m.inspection(datetime.date(2026, 4, 1), {m.b: Decimal(40)})
    m.inspection(datetime.date(2026, 3, 20), {m.b: None}, kind=Inspection.Kind.UNANNOUNCED)
    m.rectification(m.a, datetime.date(2026, 3, 20), submitted=local(2026, 3, 19, 9), closed=local(2026, 3, 22, 9))
    m.rectification(m.a, datetime.date(2026, 2, 10), submitted=local(2026, 2, 9, 9), closed=local(2026, 2, 12, 9))
    m.rectification(m.b, datetime.date(2026, 3, 16), submitted=local(2026, 3, 16, 9), closed=local(2026, 3, 18, 9))
    m.b_open = m.rectification(m.b, datetime.date(2026, 3, 25))
    m.b_old = m.rectification(m.b, datetime.date(2026, 2, 20), status=RectificationItem.Status.IN_PROGRESS)
    m.rectification(m.c, datetime.date(2026, 4, 20))
    return m
