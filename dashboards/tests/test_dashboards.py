"""The dashboards tell the office, the leaders and the units the same figures
one would count by hand from the reports."""

import datetime
import io
from decimal import Decimal

import pytest
import time_machine
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from campaigns.models import Campaign
from campaigns.tests.factories import CampaignFactory, UnitFactory, UserFactory
from reports import indicator_tallies, workflow
from reports.models import ExtensionRequest, IndicatorValue, Report, TaskProgress
from reports.services import generate_periods
from reports.tests.conftest import build_setting, local

pytestmark = pytest.mark.django_db

# Wednesday: period 2's Tuesday deadline has passed, period 3's is next week.
NOW = local(2026, 1, 14, 12, 0)


class World:
    """Two units, three weekly periods, reports in every state the lights show.

    | unit | period 1 (due 1/6)          | period 2 (due 1/13)               | period 3 (due 1/20) |
    | A    | accepted, sent 1/6 (on time) | never started: overdue            | not started: open   |
    | B    | submitted 1/7 (late)         | pending sign-off, sent 1/13 noon  | not started: open   |
    """

    def __init__(self):
        s = build_setting()
        self.s = s
        self.campaign, self.a, self.b = s.campaign, s.unit, s.other_unit
        self.indicator = s.indicator
        self.indicator.target_value = Decimal(4)
        self.indicator.save()
        generate_periods(rule=s.rule, through=datetime.date(2026, 1, 14))
        self.report = {
            (unit, number): Report.objects.get(unit=unit, period__rule=s.rule, period__number=number)
            for unit in (self.a, self.b)
            for number in (1, 2, 3)
        }
        self.set(self.a, 1, Report.Status.ACCEPTED, local(2026, 1, 6, 10, 0))
        self.set(self.b, 1, Report.Status.SUBMITTED, local(2026, 1, 7, 9, 0))
        self.set(self.b, 2, Report.Status.PENDING_SIGN_OFF, local(2026, 1, 13, 12, 0))
        task1, task2 = s.tasks
        self.progress(self.a, 1, task1, 100, TaskProgress.Status.COMPLETED)
        self.progress(self.a, 1, task2, 50)
        self.progress(self.b, 1, task1, 100, TaskProgress.Status.COMPLETED)
        self.progress(self.b, 2, task1, 10)  # awaiting the head: not the office's yet
        self.value(self.a, 1, 3)
        self.value(self.b, 1, 2)
        self.value(self.b, 2, 10)  # awaiting the head: not counted
        self.extension = ExtensionRequest.objects.create(
            report=self.report[self.a, 3],
            requested_by=s.liaison,
            requested_at=NOW,
            requested_due_at=local(2026, 1, 22, 17, 30),
            reason="本周集中开展专项执法检查。",
        )
        self.superuser = UserFactory(username="admin", is_superuser=True, is_staff=True)
        # Statuses set with update(), as a bulk load does: the tallies added up once.
        indicator_tallies.rebuild(campaign=self.campaign)

    def set(self, unit, number, status, submitted_at):
        Report.objects.filter(pk=self.report[unit, number].pk).update(status=status, submitted_at=submitted_at)

    def progress(self, unit, number, task, percent, status=TaskProgress.Status.IN_PROGRESS):
        TaskProgress.objects.create(report=self.report[unit, number], task=task, percent=percent, status=status)

    def value(self, unit, number, value):
        IndicatorValue.objects.create(report=self.report[unit, number], indicator=self.indicator, value=value)

    def url(self, **query):
        from urllib.parse import urlencode

        path = reverse("dashboards:campaign", args=[self.campaign.pk])
        return f"{path}?{urlencode(query)}" if query else path


@pytest.fixture
def world(time_machine):
    time_machine.move_to(NOW, tick=False)
    return World()


def by_hand(reports, at=NOW):
    """The rates' definition, counted over report objects in Python."""
    expected = [r for r in reports if r.due_at <= at and r.status != Report.Status.EXEMPT]
    submitted = [r for r in expected if r.submitted_at is not None]
    on_time = [r for r in submitted if r.submitted_at <= r.due_at]

    def pct(part):
        return (Decimal(len(part)) * 100 / len(expected)).quantize(Decimal("0.1")) if expected else None

    return len(expected), len(submitted), len(on_time), pct(submitted), pct(on_time)


def test_the_office_sees_the_figures_one_counts_by_hand(client, world):
    client.force_login(world.s.office)

    response = client.get(world.url())

    d = response.context["d"]
    everything = list(Report.objects.filter(period__rule__campaign=world.campaign))
    expected, submitted, on_time, submission_rate, on_time_rate = by_hand(everything)
    assert (expected, submitted, on_time) == (4, 3, 2)
    assert (d.whole.expected, d.whole.submitted, d.whole.on_time) == (expected, submitted, on_time)
    assert (d.whole.submission_rate, d.whole.on_time_rate) == (submission_rate, on_time_rate) == (Decimal("75.0"), Decimal("50.0"))
    # The current period is the latest one due: period 2.
    assert d.current_period.number == 2
    current = by_hand([r for r in everything if r.period.number == 2])
    assert (d.current.submission_rate, d.current.on_time_rate) == (current[3], current[4]) == (Decimal("50.0"), Decimal("50.0"))
    page = response.content.decode()
    assert 'id="figure-whole-submission">75.0%<' in page
    assert 'id="figure-current-on-time">50.0%<' in page
    overdue = [r for r in everything if r.status in Report.OWED_STATUSES and r.due_at < NOW]
    assert d.overdue_count == len(overdue) == 1 and d.overdue == overdue
    assert 'id="figure-overdue">1<' in page
    assert d.whole.awaiting_review == sum(r.status == Report.Status.SUBMITTED for r in everything) == 1
    # Task 1's lead unit A's latest accepted progress is 100 %, task 2's 50 %;
    # B is a co-unit, and its 10 % waits for its head.
    assert (d.tasks_done, d.tasks) == (1, 2)
    assert d.progress == Decimal("75.0") and 'id="figure-task-progress">75.0%<' in page
    assert [(p.name, p.tasks, p.done, p.average) for p in d.phases] == [("贯穿全程", 2, 1, Decimal("75.0"))]
    # The indicator sums what the office received: 3 + 2, not B's pending 10.
    (total,) = d.indicators
    assert total.value == Decimal("5.00") and total.met is True
    assert f'data-indicator="{world.indicator.pk}">5场<' in page


def test_the_matrix_shows_each_reports_light_and_links_to_it(client, world):
    client.force_login(world.s.office)

    d = client.get(world.url()).context["d"]

    assert [p.number for p in d.matrix.periods] == [1, 2, 3]
    lights = {unit.name: [cell.light for cell in cells] for unit, cells in d.matrix.rows}
    assert world.a.display_name != world.b.display_name
    assert lights == {
        "区卫生监督所": ["on_time", "overdue", "open"],
        "区卫健委宣传科": ["late", "pending", "open"],
    }
    page = client.get(world.url()).content.decode()
    for report in world.report.values():
        assert reverse("reports:report_detail", args=[report.pk]) in page


def test_the_trend_feeds_the_chart_without_inline_script(client, world):
    client.force_login(world.s.office)

    response = client.get(world.url())

    assert response.context["trend_data"] == {
        "labels": [p.label for p in response.context["d"].matrix.periods[:2]],
        "submission": [100.0, 50.0],
        "on_time": [50.0, 50.0],
    }
    page = response.content.decode()
    assert '<script id="trend-data" type="application/json">' in page
    assert "echarts-6.1.0/echarts.min.js" in page and "js/dashboard.js" in page
    import re

    assert not re.search(r"<script(?![^>]*\b(src|type=\"application/json\")=?)", page), "inline script"
    assert not re.search(r"\son[a-z]+=", page) and ' style="' not in page


def test_the_office_chases_overdue_units_from_the_dashboard(client, world):
    client.force_login(world.s.office)
    chase = reverse("notifications:chase", args=[world.report[world.a, 2].pk])

    page = client.get(world.url()).content.decode()

    assert f'action="{chase}"' in page


def test_a_leader_reads_without_chase_buttons(client, world):
    client.force_login(world.s.leader)

    response = client.get(world.url())

    assert response.status_code == 200
    assert "/chase/" not in response.content.decode()
    assert response.context["d"].whole.expected == 4


def test_a_liaison_sees_only_the_own_units_rows(client, world):
    client.force_login(world.s.liaison)

    response = client.get(world.url())

    page = response.content.decode()
    d = response.context["d"]
    assert world.a.display_name in page and world.b.display_name not in page and world.b.name not in page
    assert [unit.pk for unit, _ in d.matrix.rows] == [world.a.pk]
    own = by_hand(list(Report.objects.filter(unit=world.a)))
    assert (d.whole.submission_rate, d.whole.on_time_rate) == (own[3], own[4]) == (Decimal("50.0"), Decimal("50.0"))
    assert "/chase/" not in page
    # Asking for the other unit still shows the own unit only.
    narrowed = client.get(world.url(unit=world.b.pk)).context["d"]
    assert [unit.pk for unit, _ in narrowed.matrix.rows] == [world.a.pk] and narrowed.whole.expected == 2


def test_a_liaison_gets_404_for_a_campaign_they_have_nothing_in(client, world):
    stranger = CampaignFactory(office_unit=UnitFactory(name="区市场监管局办公室"))
    client.force_login(world.s.liaison)

    assert client.get(reverse("dashboards:campaign", args=[stranger.pk])).status_code == 404
    assert client.get(reverse("dashboards:ranking", args=[world.campaign.pk])).status_code == 404


def test_filters_narrow_to_a_unit_and_a_date_range(client, world):
    client.force_login(world.s.office)

    d = client.get(world.url(unit=world.b.pk, start="2026-01-01", end="2026-01-06")).context["d"]

    assert [p.number for p in d.matrix.periods] == [1]
    assert [unit.pk for unit, _ in d.matrix.rows] == [world.b.pk]
    assert d.current_period.number == 1 and d.current.submission_rate == Decimal("100.0")


def test_past_the_list_limit_the_clerk_finds_a_unit_by_typing_its_name(client, world, monkeypatch):
    """A campaign with more units than a list can hold: the unit box takes
    part of a name; one match narrows the dashboard, several are offered as
    links, none says so and shows every unit."""
    from dashboards import selectors

    monkeypatch.setattr(selectors, "UNIT_LIST_LIMIT", 1)
    world.a.name, world.a.short_name = "区卫生健康委员会", "区卫健委"
    world.a.save()
    world.b.name, world.b.short_name = "区卫生监督所", ""
    world.b.save()
    client.force_login(world.s.office)

    page = client.get(world.url()).content.decode()
    assert 'name="unit_name"' in page and "区卫生监督所</option>" not in page and "区卫健委</option>" not in page

    d = client.get(world.url(unit_name="卫健")).context["d"]
    assert [unit.pk for unit, _ in d.matrix.rows] == [world.a.pk]

    response = client.get(world.url(unit_name="区卫生"))
    assert sorted(unit.pk for unit, _ in response.context["d"].matrix.rows) == sorted([world.a.pk, world.b.pk])
    assert [u.pk for u in response.context["form"].unit_matches] == [world.a.pk, world.b.pk]
    page = response.content.decode()
    assert "名称含“区卫生”的单位不止一个" in page and f"unit={world.b.pk}" in page

    # An exact name among several matches is the one meant.
    d = client.get(world.url(unit_name="区卫生监督所")).context["d"]
    assert [unit.pk for unit, _ in d.matrix.rows] == [world.b.pk]

    # A link to one unit's dashboard; the box shows its name.
    response = client.get(world.url(unit=world.b.pk))
    assert [unit.pk for unit, _ in response.context["d"].matrix.rows] == [world.b.pk]
    assert 'value="区卫生监督所"' in response.content.decode()
    # The box emptied by the clerk: every unit again, though the id came along.
    d = client.get(world.url(unit=world.b.pk, unit_name="")).context["d"]
    assert len(d.matrix.rows) == 2

    response = client.get(world.url(unit_name="教育局"))
    assert "没有找到名称含“教育局”的单位" in response.content.decode()
    assert len(response.context["d"].matrix.rows) == 2


def test_a_liaison_cannot_find_another_unit_by_name(client, world, monkeypatch):
    from dashboards import selectors

    monkeypatch.setattr(selectors, "UNIT_LIST_LIMIT", 0)
    client.force_login(world.s.liaison)

    response = client.get(world.url(unit_name=world.b.name))

    assert response.context["form"].unit_matches == []
    assert [unit.pk for unit, _ in response.context["d"].matrix.rows] == [world.a.pk]
    # Only what the liaison typed comes back: in the box and in the "not found" line.
    page = response.content.decode().replace(f'value="{world.b.name}"', "").replace(f"名称含“{world.b.name}”", "")
    assert world.b.name not in page


def test_the_ranking_orders_units_by_their_rates(client, world):
    client.force_login(world.s.office)

    response = client.get(reverse("dashboards:ranking", args=[world.campaign.pk]), {"month": "2026-01"})

    ranked = response.context["ranked"]
    assert [(r.unit.pk, r.rank) for r in ranked] == [(world.b.pk, 1), (world.a.pk, 2)]
    b, a = ranked
    assert (b.rates.submission_rate, b.rates.on_time_rate) == (Decimal("100.0"), Decimal("50.0"))
    assert (a.rates.submission_rate, a.rates.on_time_rate) == (Decimal("50.0"), Decimal("50.0"))
    # Task progress (reports.progress): A leads both tasks, accepted at 100 and 50;
    # B leads none (its 100 % on task 1 is a co-unit's, and not accepted).
    assert (a.progress, b.progress) == (Decimal("75.0"), None)


def test_todays_work_lists_what_the_office_must_do(client, world):
    client.force_login(world.s.office)

    response = client.get(reverse("dashboards:today"))

    c = response.context
    assert [(g.period.number, g.sent, g.owed) for g in c["due_this_week"]] == [(2, 1, 2)]
    assert c["overdue"] == [world.report[world.a, 2]] and c["overdue_count"] == 1
    assert c["awaiting"] == [world.report[world.b, 1]] and c["awaiting_count"] == 1
    assert c["extensions"] == [world.extension]
    page = response.content.decode()
    assert reverse("notifications:chase", args=[world.report[world.a, 2].pk]) in page
    assert reverse("reports:report_detail", args=[world.report[world.b, 1].pk]) in page


def test_todays_work_leaves_out_a_finished_campaign(client, world):
    """A closed campaign's late reports are history, not today's work: no 催报."""
    Campaign.objects.filter(pk=world.campaign.pk).update(status=Campaign.Status.CLOSED)
    client.force_login(world.s.office)
    c = client.get(reverse("dashboards:today")).context
    assert c["overdue_count"] == 0 and c["awaiting_count"] == 0 and c["due_this_week"] == []


def test_todays_work_is_the_office_staffs_landing_page(client, world):
    client.force_login(world.s.office)
    assert client.get(reverse("home")).url == reverse("dashboards:today")


# Query counts do not grow with the data


def seeded(units, weeks):
    with time_machine.travel(NOW, tick=False):
        call_command("seed_scale", units=units, tasks=units * 2, weeks=weeks, seed=3, stdout=io.StringIO())
    campaign = Campaign.objects.order_by("-pk").first()
    # At least one overdue report at every size, so both sizes draw every list.
    first = Report.objects.filter(period__rule__campaign=campaign, due_at__lt=NOW).order_by("due_at", "pk").first()
    Report.objects.filter(pk=first.pk).update(status=Report.Status.NOT_STARTED, submitted_at=None)
    return campaign


def count_queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize("page", ["campaign", "ranking", "today"])
def test_dashboard_queries_do_not_grow_with_units_and_periods(client, time_machine, django_assert_max_num_queries, page):
    time_machine.move_to(NOW, tick=False)
    admin = UserFactory(is_superuser=True, is_staff=True)
    client.force_login(admin)
    counts = []
    for units, weeks in ((5, 3), (16, 20)):
        campaign = seeded(units, weeks)
        url = {
            "campaign": reverse("dashboards:campaign", args=[campaign.pk]),
            "ranking": reverse("dashboards:ranking", args=[campaign.pk]) + "?month=2026-01",
            "today": reverse("dashboards:today"),
        }[page]
        # The first view reads the tasks' progress (and caches it); the
        # second reads it from the cache, everything else from the tallies
        # again. Task progress (reports.progress) takes one query more when
        # a task has no figure.
        # The overdue tasks (任务督办) are read fresh on each view: 2 queries.
        # The unit filter's list: 2 queries (are there few enough to list? then the list).
        with django_assert_max_num_queries(39):
            first = count_queries(client, url)
        with django_assert_max_num_queries(31):
            second = count_queries(client, url)
        counts.append((first, second))
    assert counts[0] == counts[1]
    if page == "campaign":
        assert counts[0][1] < counts[0][0], "the second view reads the tasks' progress from the cache"


def test_dashboard_figures_change_as_soon_as_a_report_does(client, world):
    """Cached figures are keyed by the campaign's figures version: a report
    returned shows on the very next view, on any host (the cache is shared)."""
    client.force_login(world.s.office)
    url = world.url()
    totals = lambda: {t.indicator.pk: t.value for t in client.get(url).context["d"].indicators}  # noqa: E731
    assert totals()[world.indicator.pk] == Decimal("5.00")  # A's 3 + B's 2 (B's 10 awaits the head)
    assert totals()[world.indicator.pk] == Decimal("5.00"), "read again, from the cache"
    workflow.return_report(report=world.report[world.b, 1], by=world.s.office, at=NOW, comment="数字有误，请核实。")
    assert totals()[world.indicator.pk] == Decimal("3.00"), "B's returned figures no longer count"


def test_the_dashboard_counts_rectification_items_as_one_would_by_hand(client, world, time_machine):
    """Three items for A (one closed on time, one open and overdue, one open
    and not yet due) and one for B, closed: the figures a clerk would count."""
    from supervision import services as supervision
    from supervision.models import Inspection

    s = world.s
    inspected_on = datetime.date(2026, 1, 5)
    time_machine.move_to(local(2026, 1, 5, 9, 0), tick=False)
    findings = [
        supervision.FindingInput(world.a, "台账不全", "补齐台账", datetime.date(2026, 1, 9)),
        supervision.FindingInput(world.a, "公示栏未更新", "更新公示栏", datetime.date(2026, 1, 9)),
        supervision.FindingInput(world.a, "制度未上墙", "制度上墙", datetime.date(2026, 1, 30)),
        supervision.FindingInput(world.b, "记录不规范", "规范记录", datetime.date(2026, 1, 9)),
    ]
    inspection = supervision.record_inspection(
        campaign=world.campaign, by=s.office, at=local(2026, 1, 5, 9, 0), kind=Inspection.Kind.ON_SITE,
        inspected_on=inspected_on, inspectors="王某、李某", units=[(world.a, 90), (world.b, 80)], findings=findings,
    )
    a_closed, a_overdue, a_later, b_closed = [f.rectification for f in inspection.findings.order_by("pk")]
    for item, liaison in ((a_closed, s.liaison), (b_closed, s.other_liaison)):
        supervision.submit_response(item=item, by=liaison, at=local(2026, 1, 8, 10, 0), text="已整改。")
        supervision.verify(item=item, by=s.office, at=local(2026, 1, 8, 15, 0))
    time_machine.move_to(NOW, tick=False)

    client.force_login(s.office)
    d = client.get(world.url()).context["d"]
    overall = d.rectification.overall
    assert (overall.total, overall.closed, overall.overdue_open) == (4, 2, 1)
    assert overall.rate == Decimal("66.7"), "2 closed of 3 due (the item due 1/30 is neither)"
    assert d.rectification_open == 2
    by_unit = d.rectification.by_unit
    assert (by_unit[world.a.pk].total, by_unit[world.a.pk].closed, by_unit[world.a.pk].overdue_open) == (3, 1, 1)
    assert [row.unit_id for row in d.rectification_units] == [world.a.pk], "B has nothing open"
    page = client.get(world.url()).content.decode()
    assert 'id="figure-rectification-open">2<' in page

    # A liaison's dashboard counts the own unit's items only.
    client.force_login(s.liaison)
    mine = client.get(world.url()).context["d"].rectification.overall
    assert (mine.total, mine.closed) == (3, 1)


def later():
    """When the warm-up's countdown has run out (it waits for the rest of a burst)."""
    from django.utils import timezone

    from dashboards.jobs import WARM_DELAY_SECONDS

    return timezone.now() + datetime.timedelta(seconds=WARM_DELAY_SECONDS)


def test_a_return_empties_no_cache_and_the_next_look_costs_no_more(
    client, world, django_capture_on_commit_callbacks, django_assert_max_num_queries
):
    """A report returned (like one submitted) moves the tallies in its own
    transaction: nothing cached changes, no warm-up is queued, and the next
    look costs what a warm one does, with the new figure."""
    from core import outbox

    client.force_login(world.s.office)
    client.get(world.url())
    with CaptureQueriesContext(connection) as warm:
        client.get(world.url())
    queued = list(outbox.pending().values_list("pk", flat=True))  # the world's own set-up
    with django_capture_on_commit_callbacks(execute=True):
        workflow.return_report(report=world.report[world.b, 1], by=world.s.office, at=NOW, comment="数字有误，请核实。")
    assert list(outbox.pending().values_list("pk", flat=True)) == queued
    with django_assert_max_num_queries(len(warm)):
        d = client.get(world.url()).context["d"]
    assert {t.indicator.pk: t.value for t in d.indicators}[world.indicator.pk] == Decimal("3.00")


def test_an_acceptance_warms_the_tasks_progress_so_the_next_look_is_cached(
    client, world, django_capture_on_commit_callbacks, django_assert_max_num_queries
):
    """After a report is accepted, the worker reads the tasks' progress again:
    the next look finds it in the cache."""
    from core import outbox

    client.force_login(world.s.office)
    client.get(world.url())
    with CaptureQueriesContext(connection) as warm:
        client.get(world.url())
    with django_capture_on_commit_callbacks(execute=True):
        workflow.accept(report=world.report[world.b, 1], by=world.s.office, at=NOW)
    # The warm-up waits out its countdown in the outbox, then the relay sends it.
    assert [m.task for m in outbox.pending()] == ["dashboards.jobs.warm_dashboard"]
    assert outbox.relay(at=later()) == 1
    with django_assert_max_num_queries(len(warm)):
        assert client.get(world.url()).status_code == 200


def test_a_broker_that_cannot_be_reached_does_not_fail_the_change(world, monkeypatch, django_capture_on_commit_callbacks):
    """The change is saved and its warm-up waits in the outbox, with the error, for the next relay."""
    from core import outbox
    from dashboards import jobs

    def unreachable(*args, **kwargs):
        raise ConnectionError("broker down")

    monkeypatch.setattr(jobs.warm_dashboard, "apply_async", unreachable)
    with django_capture_on_commit_callbacks(execute=True):
        workflow.accept(report=world.report[world.b, 1], by=world.s.office, at=NOW)
    assert Report.objects.get(pk=world.report[world.b, 1].pk).status == Report.Status.ACCEPTED
    assert outbox.relay(at=later()) == 0
    (message,) = outbox.pending()
    assert (message.kwargs, message.attempts) == ({"campaign_id": world.campaign.pk}, 1)
    assert "broker down" in message.last_error


def test_a_burst_of_changes_queues_one_warm_up_per_campaign(world, monkeypatch, django_capture_on_commit_callbacks):
    """Accepting a page of reports, or loading the demo, queues one job, not one per report;
    a move that leaves 审核通过 alone (a return, an exemption) queues none."""
    from core import outbox
    from dashboards import jobs

    queued = []
    monkeypatch.setattr(jobs.warm_dashboard, "apply_async", lambda args=None, kwargs=None, **options: queued.append(kwargs))
    assert outbox.relay(at=later()) <= 1  # the world's own set-up
    queued.clear()
    with django_capture_on_commit_callbacks(execute=True):
        workflow.exempt(report=world.report[world.a, 2], by=world.s.office, at=NOW, reason="本期集中培训。")
    assert [m.task for m in outbox.pending()] == []
    with django_capture_on_commit_callbacks(execute=True):
        workflow.accept(report=world.report[world.b, 1], by=world.s.office, at=NOW)
    with django_capture_on_commit_callbacks(execute=True):
        workflow.undo_review(report=world.report[world.b, 1], by=world.s.office, at=NOW)
    assert outbox.relay(at=later()) == 1
    assert queued == [{"campaign_id": world.campaign.pk}]
    # Once sent, the next change queues the next warm-up.
    with django_capture_on_commit_callbacks(execute=True):
        workflow.accept(report=world.report[world.b, 1], by=world.s.office, at=NOW)
    assert outbox.relay(at=later()) == 1
    assert len(queued) == 2


@pytest.mark.parametrize(
    "starts, ends, expected",
    [
        ((2026, 1, 1), (2028, 12, 31), ((2026, 1, 1), None)),  # running: this year to date
        ((2016, 1, 1), (2018, 12, 31), ((2018, 1, 1), (2018, 12, 31))),  # over: its last year
        ((2027, 3, 1), (2029, 12, 31), ((2027, 1, 1), (2027, 12, 31))),  # not begun: its first year
    ],
)
def test_indicator_totals_cover_a_year_of_the_campaign(db, starts, ends, expected):
    from dashboards.selectors import Filters, indicator_window

    campaign = CampaignFactory(starts_on=datetime.date(*starts), ends_on=datetime.date(*ends))
    start, end = indicator_window(filters=Filters(), at=NOW, campaign=campaign)
    assert (start, end) == (datetime.date(*expected[0]), expected[1] and datetime.date(*expected[1]))


def test_cached_indicator_totals_follow_the_new_year(client, world, time_machine):
    """On 1 January the indicators' window moves to the new year: the figures
    cached on 31 December are not shown beside the new window."""
    Campaign.objects.filter(pk=world.campaign.pk).update(ends_on=datetime.date(2027, 12, 31))
    time_machine.move_to(local(2026, 12, 31, 23, 55), tick=False)
    client.force_login(world.s.office)
    before = client.get(world.url()).context["d"]
    assert before.indicator_window[0] == datetime.date(2026, 1, 1)
    assert {t.indicator.pk: t.value for t in before.indicators}[world.indicator.pk] == Decimal("5.00")
    time_machine.move_to(local(2027, 1, 1, 0, 5), tick=False)
    after = client.get(world.url()).context["d"]
    assert after.indicator_window[0] == datetime.date(2027, 1, 1)
    assert {t.indicator.pk: t.value for t in after.indicators}[world.indicator.pk] is None


def test_past_the_list_limit_no_unit_of_the_database_is_probed(client, world, monkeypatch):
    """A period's reports are each of a different unit: when one period has
    more than the list holds, the tallies say so, and the units of other
    campaigns are not probed one by one for reports in this one."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from dashboards import selectors

    monkeypatch.setattr(selectors, "UNIT_LIST_LIMIT", 1)
    client.force_login(world.s.office)
    with CaptureQueriesContext(connection) as queries:
        page = client.get(world.url()).content.decode()
    assert 'name="unit_name"' in page
    probes = [q["sql"] for q in queries.captured_queries if q["sql"].startswith('SELECT "campaigns_unit"."id" AS "pk" FROM "campaigns_unit" WHERE EXISTS')]
    assert probes == []
    monkeypatch.setattr(selectors, "UNIT_LIST_LIMIT", 300)
    assert 'name="unit_name"' not in client.get(world.url()).content.decode()
