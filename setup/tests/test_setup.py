"""The office clerk finishes a draft campaign's set-up in 活动设置 and activates it."""

import datetime

import pytest
from django.urls import reverse

from campaigns.models import Campaign, Membership
from campaigns.tests.factories import CampaignFactory, MembershipFactory, PhaseFactory, UnitFactory
from evaluations.models import ScoringComponent
from reports.models import Period, Report, ReportingRule
from reports.tests.conftest import local
from reports.tests.factories import ReportingRuleFactory
from tasks.models import Indicator, Task
from tasks.tests.factories import TaskFactory

pytestmark = pytest.mark.django_db

Role = Membership.Role
# Monday 12 January 2026: two Tuesday deadlines of a weekly rule have begun.
NOW = local(2026, 1, 12, 10, 0)


@pytest.fixture
def clock(time_machine):
    time_machine.move_to(NOW, tick=False)


class Draft:
    def __init__(self):
        self.office_unit = UnitFactory(name="领导小组办公室")
        self.clerk = MembershipFactory(unit=self.office_unit, role=Role.OFFICE_STAFF, user__username="clerk").user
        self.leader = MembershipFactory(unit=self.office_unit, role=Role.LEADER, user__username="leader").user
        self.campaign = CampaignFactory(
            office_unit=self.office_unit,
            status=Campaign.Status.DRAFT,
            starts_on=datetime.date(2026, 1, 1),
            ends_on=datetime.date(2026, 12, 31),
            contact_person="樊丽娜",
            contact_phone="66213720",
        )
        PhaseFactory(
            campaign=self.campaign, order=1, starts_on=datetime.date(2026, 1, 1), ends_on=datetime.date(2026, 12, 31)
        )
        self.unit = UnitFactory(name="区卫生监督所")
        self.other_unit = UnitFactory(name="区卫健委宣传科")
        self.liaison = MembershipFactory(unit=self.unit, role=Role.LIAISON, user__username="liaison").user
        MembershipFactory(unit=self.other_unit, role=Role.LIAISON, user__username="other_liaison")
        self.led = TaskFactory(campaign=self.campaign, lead_unit=self.unit, title="加强执法人员培训")
        self.leaderless = TaskFactory(campaign=self.campaign, lead_unit=None, title="开展普法宣传")
        other_office = UnitFactory(name="区市场监管局办公室")
        self.other_office = MembershipFactory(
            unit=other_office, role=Role.OFFICE_STAFF, user__username="other_office"
        ).user


@pytest.fixture
def draft(db):
    return Draft()


def url(name, draft, *args):
    return reverse(f"setup:{name}", args=[draft.campaign.pk, *args])


def checklist(client, draft):
    response = client.get(url("overview", draft))
    assert response.status_code == 200
    return [item.text for item in response.context["missing"]]


def test_the_clerk_sets_up_the_draft_and_activates_it(client, draft, clock):
    client.force_login(draft.clerk)
    before = checklist(client, draft)
    assert any("1 项任务还没有牵头单位" in line and "开展普法宣传" in line for line in before)
    assert any("还没有报送要求" in line for line in before)

    response = client.post(
        url("task_edit", draft, draft.leaderless.pk),
        {"code": "2、", "title": "开展普法宣传", "lead_unit": draft.other_unit.pk, "co_units": [draft.unit.pk]},
    )
    assert response.status_code == 302
    draft.leaderless.refresh_from_db()
    assert draft.leaderless.lead_unit == draft.other_unit and list(draft.leaderless.co_units.all()) == [draft.unit]
    after_task = checklist(client, draft)
    assert not any("牵头单位" in line for line in after_task) and len(after_task) < len(before)

    response = client.post(
        url("rule_create", draft),
        {
            "name": "周报",
            "cadence": "weekly",
            "weekday": "2",
            "day_of_month": "19",  # left over from 每月: dropped, not refused
            "due_time": "17:30",
            "owners": "task_units",
            "starts_on": "2026-01-01",
            "ends_on": "2026-12-31",
            "shift_holidays": "on",
        },
    )
    assert response.status_code == 302, response.context["form"].errors
    rule = ReportingRule.objects.get(campaign=draft.campaign)
    assert (rule.weekday, rule.day_of_month) == (2, None)

    response = client.post(
        url("indicators", draft),
        {
            "indicators-TOTAL_FORMS": "1",
            "indicators-INITIAL_FORMS": "0",
            "indicators-0-name": "开展普法宣传活动",
            "indicators-0-measure_unit": "场",
            "indicators-0-aggregation": "sum",
            "indicators-0-target_value": "20",
            "indicators-0-comparison": "gte",
            "indicators-0-position": "0",
        },
    )
    assert response.status_code == 302
    indicator = Indicator.objects.get(campaign=draft.campaign)
    assert indicator.is_met(20) and not indicator.is_met(19)
    # Only reminders are left: no rule asks for the new target yet, and the
    # first Tuesday (6 January) is already past.
    assert [line[:14] for line in checklist(client, draft)] == ["指标“开展普法宣传活动”还没", "报送要求“周报”从2026年"]

    response = client.post(url("activate", draft))
    assert response.status_code == 302
    draft.campaign.refresh_from_db()
    assert draft.campaign.status == Campaign.Status.ACTIVE
    # Tuesdays 6 and 13 January have begun; each period owed by both task units.
    assert list(Period.objects.filter(rule=rule).values_list("number", flat=True)) == [1, 2]
    assert Report.objects.filter(period__rule=rule).count() == 4
    latest = draft.campaign.history.order_by("-history_id").first()
    assert latest.status == Campaign.Status.ACTIVE and latest.history_user == draft.clerk
    # Active: set-up is over, the settings area is closed to the office.
    assert client.get(url("overview", draft)).status_code == 404


def test_activation_is_refused_while_a_task_lacks_a_lead_unit(client, draft, clock):
    ReportingRuleFactory(
        campaign=draft.campaign, name="周报", starts_on=draft.campaign.starts_on, ends_on=draft.campaign.ends_on
    )
    client.force_login(draft.clerk)

    response = client.post(url("activate", draft), follow=True)

    draft.campaign.refresh_from_db()
    assert draft.campaign.status == Campaign.Status.DRAFT
    assert not Period.objects.exists() and not Report.objects.exists()
    assert draft.campaign.history.count() == 1
    page = response.content.decode()
    assert "活动未启用" in page and "开展普法宣传" in page


def test_a_rule_without_a_deadline_of_its_own_is_warned_about_and_units_without_liaisons_block(client, draft):
    ReportingRuleFactory(
        campaign=draft.campaign,
        name="月报",
        cadence="monthly",
        weekday=None,
        day_of_month=19,
        starts_on=datetime.date(2026, 3, 1),
        ends_on=datetime.date(2026, 3, 10),
    )
    Membership.objects.filter(unit=draft.unit, role=Role.LIAISON).update(is_active=False)
    client.force_login(draft.clerk)
    lines = checklist(client, draft)
    # The rule still tiles its dates: one period, due on its last day, which the clerk is told.
    assert any("月报" in line and "只会生成一期，截止日为2026年3月10日" in line for line in lines)
    assert any("没有在用的联络员" in line and "区卫生监督所" in line for line in lines)


def test_tasks_are_added_under_a_parent_reordered_and_removed(client, draft):
    client.force_login(draft.clerk)
    for title in ("培训执法骨干", "组织岗位练兵"):
        response = client.post(
            url("task_create", draft) + f"?parent={draft.led.pk}", {"title": title, "lead_unit": draft.unit.pk}
        )
        assert response.status_code == 302

    def children():
        return list(draft.led.children.order_by("tree_path").values_list("title", flat=True))

    assert children() == ["培训执法骨干", "组织岗位练兵"]

    second = Task.objects.get(title="组织岗位练兵")
    client.post(url("task_move", draft, second.pk), {"direction": "up"})
    assert children() == ["组织岗位练兵", "培训执法骨干"]

    # A parent with children stays; a leaf goes.
    client.post(url("task_delete", draft, draft.led.pk))
    assert Task.objects.filter(pk=draft.led.pk).exists()
    client.post(url("task_delete", draft, second.pk))
    assert children() == ["培训执法骨干"]


def test_the_scoring_scheme_and_leading_group_are_edited_in_place(client, draft):
    client.force_login(draft.clerk)
    response = client.post(
        url("scoring", draft),
        {
            "objection_days": "5",
            "lead_count": "3",
            "lag_count": "2",
            "components-TOTAL_FORMS": "1",
            "components-INITIAL_FORMS": "0",
            "components-0-kind": "submission_rate",
            "components-0-weight": "40",
            "components-0-deduction": "0",
            "components-0-position": "0",
        },
    )
    assert response.status_code == 302
    assert list(ScoringComponent.objects.values_list("scheme__campaign", "kind")) == [
        (draft.campaign.pk, "submission_rate")
    ]
    response = client.post(
        url("leading_group", draft),
        {
            "members-TOTAL_FORMS": "1",
            "members-INITIAL_FORMS": "0",
            "members-0-position": "head",
            "members-0-name": "张彦军",
            "members-0-order": "0",
        },
    )
    assert response.status_code == 302
    assert draft.campaign.leading_group.get().name == "张彦军"


def settings_urls(draft):
    rule = ReportingRuleFactory(campaign=draft.campaign, name="周报")
    task = draft.led
    pages = [
        "overview",
        "basics",
        "tasks",
        "task_create",
        "rules",
        "rule_create",
        "indicators",
        "leading_group",
        "scoring",
    ]
    urls = [("GET", url(name, draft)) for name in pages]
    urls += [("GET", url("task_edit", draft, task.pk)), ("GET", url("rule_edit", draft, rule.pk))]
    urls += [("POST", url(name, draft)) for name in pages if name not in ("overview", "tasks", "rules")]
    urls += [("POST", url(name, draft, task.pk)) for name in ("task_edit", "task_move", "task_delete")]
    urls += [("POST", url(name, draft, rule.pk)) for name in ("rule_edit", "rule_delete")]
    urls += [("POST", url("activate", draft))]
    return urls


@pytest.mark.parametrize("who", ["liaison", "other_office", "leader"])
def test_others_get_404_on_every_settings_url(client, draft, who):
    urls = settings_urls(draft)
    client.force_login(getattr(draft, who))
    before = list(Task.objects.values_list("pk", "position", "lead_unit")), ReportingRule.objects.count()
    statuses = {
        (method, path): (client.get(path) if method == "GET" else client.post(path)).status_code
        for method, path in urls
    }
    assert set(statuses.values()) == {404}, statuses
    assert (list(Task.objects.values_list("pk", "position", "lead_unit")), ReportingRule.objects.count()) == before
    assert Campaign.objects.get(pk=draft.campaign.pk).status == Campaign.Status.DRAFT


# Session, user, campaign, then the page's own queries; the checklist asks one
# question per check, whatever the number of tasks.
@pytest.mark.parametrize(("page", "queries"), [("overview", 18), ("tasks", 7), ("rules", 6), ("indicators", 6)])
def test_settings_pages_cost_the_same_for_more_tasks(client, draft, page, queries, django_assert_max_num_queries):
    ReportingRuleFactory(campaign=draft.campaign, name="周报")
    client.force_login(draft.clerk)
    with django_assert_max_num_queries(queries):
        assert client.get(url(page, draft)).status_code == 200
    for _ in range(30):
        task = TaskFactory(campaign=draft.campaign, lead_unit=UnitFactory())
        task.co_units.add(draft.unit)
    with django_assert_max_num_queries(queries):
        assert client.get(url(page, draft)).status_code == 200


def test_todays_work_leads_the_clerk_to_the_drafts_settings(client, draft):
    client.force_login(draft.clerk)
    page = client.get(reverse("dashboards:today")).content.decode()
    assert "待启用的草稿活动" in page and url("overview", draft) in page


def test_a_weekly_rule_without_its_weekday_is_refused_with_a_sentence(client, draft):
    client.force_login(draft.clerk)
    response = client.post(
        url("rule_create", draft),
        {
            "name": "周报",
            "cadence": "weekly",
            "due_time": "17:30",
            "owners": "listed",
            "starts_on": "2026-01-01",
            "ends_on": "2026-12-31",
        },
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "每周报送请选择每周报送日。" in page and "请至少选择一个单位" in page
    assert not ReportingRule.objects.exists()


def test_the_drafts_dashboard_leads_its_office_to_the_settings_and_not_the_leader(client, draft):
    dashboard = reverse("dashboards:campaign", args=[draft.campaign.pk])
    client.force_login(draft.clerk)
    assert url("overview", draft) in client.get(dashboard).content.decode()
    client.force_login(draft.leader)
    response = client.get(dashboard)
    assert response.status_code == 200 and url("overview", draft) not in response.content.decode()


def test_a_phase_outside_the_campaign_dates_blocks_until_the_dates_are_fixed(client, draft):
    phase = PhaseFactory(
        campaign=draft.campaign,
        order=2,
        name="巩固提升年",
        starts_on=datetime.date(2027, 1, 1),
        ends_on=datetime.date(2027, 12, 31),
    )
    client.force_login(draft.clerk)
    assert any("巩固提升年" in line for line in checklist(client, draft))

    first = draft.campaign.phases.get(order=1)
    data = {
        "title": draft.campaign.title,
        "starts_on": "2026-01-01",
        "ends_on": "2027-12-31",
        "contact_person": "樊丽娜",
        "contact_phone": "66213720",
        "phases-TOTAL_FORMS": "2",
        "phases-INITIAL_FORMS": "2",
    }
    for i, row in enumerate([first, phase]):
        data.update(
            {
                f"phases-{i}-id": row.pk,
                f"phases-{i}-campaign": draft.campaign.pk,
                f"phases-{i}-order": row.order,
                f"phases-{i}-name": row.name,
                f"phases-{i}-starts_on": row.starts_on.isoformat(),
                f"phases-{i}-ends_on": row.ends_on.isoformat(),
            }
        )
    response = client.post(url("basics", draft), data)
    assert response.status_code == 302
    draft.campaign.refresh_from_db()
    assert draft.campaign.ends_on == datetime.date(2027, 12, 31)
    assert not any("巩固提升年" in line for line in checklist(client, draft))

    # The model's constraint speaks for the form: an end before the start.
    response = client.post(url("basics", draft), {**data, "ends_on": "2025-12-31"})
    assert response.status_code == 200 and "结束日期不能早于开始日期。" in response.content.decode()

    # A year typed wrong (9999 for 2027) is caught with the range it must lie in.
    response = client.post(url("basics", draft), {**data, "ends_on": "9999-12-31"})
    assert response.status_code == 200 and "结束日期应在" in response.content.decode()
    draft.campaign.refresh_from_db()
    assert draft.campaign.ends_on == datetime.date(2027, 12, 31)
