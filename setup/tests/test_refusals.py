"""Mistakes a clerk makes on the settings pages get a sentence, never a
server error, and change nothing; a second click on 启用 lands on the
campaign, not on a 404."""

import datetime

import pytest
from django.urls import reverse

from campaigns.models import Campaign, LeadingGroupMember
from campaigns.tests.factories import UnitFactory
from reports.models import Period, ReportingRule
from reports.tests.factories import ReportingRuleFactory
from tasks.models import Indicator

from .test_setup import NOW, Draft, clock, draft, url  # noqa: F401 (fixtures)

pytestmark = pytest.mark.django_db


def weekly(name="周报"):
    return {
        "name": name,
        "cadence": "weekly",
        "weekday": "2",
        "due_time": "17:30",
        "owners": "task_units",
        "starts_on": "2026-01-01",
        "ends_on": "2026-12-31",
        "shift_holidays": "on",
    }


def test_a_second_rule_with_the_same_name_is_refused_with_a_sentence(client, draft, clock):
    ReportingRuleFactory(campaign=draft.campaign, name="周报")
    client.force_login(draft.clerk)
    response = client.post(url("rule_create", draft), weekly("周报"))
    assert response.status_code == 200
    assert "同一活动中报送要求名称不能重复" in response.content.decode()
    assert ReportingRule.objects.filter(campaign=draft.campaign).count() == 1


def test_a_negative_target_is_refused_with_the_models_sentence(client, draft, clock):
    client.force_login(draft.clerk)
    response = client.post(
        url("indicators", draft),
        {
            "indicators-TOTAL_FORMS": "1",
            "indicators-INITIAL_FORMS": "0",
            "indicators-0-name": "开展普法宣传活动",
            "indicators-0-measure_unit": "场",
            "indicators-0-aggregation": "sum",
            "indicators-0-target_value": "-5",
            "indicators-0-comparison": "gte",
            "indicators-0-position": "1",
        },
    )
    assert response.status_code == 200
    assert "目标值也不能为负数" in response.content.decode()
    assert not Indicator.objects.filter(campaign=draft.campaign).exists()


@pytest.mark.parametrize("parent", ["abc", "1.5", "-3"])
def test_a_parent_that_is_no_number_is_not_found(client, draft, parent):
    client.force_login(draft.clerk)
    assert client.get(url("task_create", draft) + f"?parent={parent}").status_code == 404


def test_the_leading_group_page_reads_the_units_once_whatever_the_members(
    client, draft, django_assert_max_num_queries
):
    client.force_login(draft.clerk)
    LeadingGroupMember.objects.create(campaign=draft.campaign, position="组长", name="张彦军", order=1)
    with django_assert_max_num_queries(12) as few:
        client.get(url("leading_group", draft))
    for order in range(2, 22):
        LeadingGroupMember.objects.create(
            campaign=draft.campaign, position="成员", name=f"成员{order}", order=order, unit=UnitFactory()
        )
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(url("leading_group", draft))
    assert response.status_code == 200


def test_a_second_click_on_activate_lands_on_the_campaign(client, draft, clock):
    draft.leaderless.lead_unit = draft.unit
    draft.leaderless.save()
    ReportingRuleFactory(campaign=draft.campaign, name="周报", cadence="weekly", weekday=2, day_of_month=None,
                         starts_on=datetime.date(2026, 1, 1), ends_on=datetime.date(2026, 12, 31))
    client.force_login(draft.clerk)
    first = client.post(url("activate", draft))
    assert first.status_code == 302 and first.url == reverse("dashboards:campaign", args=[draft.campaign.pk])
    periods = Period.objects.filter(rule__campaign=draft.campaign).count()

    second = client.post(url("activate", draft))
    assert second.status_code == 302 and second.url == reverse("dashboards:campaign", args=[draft.campaign.pk])
    assert Period.objects.filter(rule__campaign=draft.campaign).count() == periods
    draft.campaign.refresh_from_db()
    assert draft.campaign.status == Campaign.Status.ACTIVE


def test_another_office_still_gets_404_on_activate(client, draft):
    client.force_login(draft.other_office)
    assert client.post(url("activate", draft)).status_code == 404


def test_a_rule_that_would_open_overdue_periods_is_pointed_out_before_activation(client, draft, clock):
    ReportingRuleFactory(campaign=draft.campaign, name="周报", cadence="weekly", weekday=2, day_of_month=None,
                         starts_on=datetime.date(2026, 1, 1), ends_on=datetime.date(2026, 12, 31))
    client.force_login(draft.clerk)
    missing = client.get(url("overview", draft)).context["missing"]
    # 6 January 2026 (a Tuesday) is the only deadline before Monday 12 January.
    warning = [item for item in missing if "已过截止日" in item.text]
    assert len(warning) == 1 and not warning[0].blocking
    assert "生成 1 个已过截止日的报送周期" in warning[0].text


def test_the_clerk_discards_a_draft_and_can_import_the_plan_again(client, draft):
    client.force_login(draft.clerk)
    response = client.post(url("discard", draft))
    assert response.status_code == 302 and response.url == reverse("imports:upload")
    assert not Campaign.objects.filter(pk=draft.campaign.pk).exists()
    assert draft.unit.__class__.objects.filter(pk=draft.unit.pk).exists(), "units stay"


def test_an_active_campaign_is_never_discarded(client, draft):
    Campaign.objects.filter(pk=draft.campaign.pk).update(status=Campaign.Status.ACTIVE)
    client.force_login(draft.clerk)
    assert client.post(url("discard", draft)).status_code == 404
    assert Campaign.objects.filter(pk=draft.campaign.pk).exists()


@pytest.mark.parametrize("who", ["leader", "liaison", "other_office"])
def test_only_the_office_may_discard_its_draft(client, draft, who):
    client.force_login(getattr(draft, who))
    assert client.post(url("discard", draft)).status_code == 404
    assert Campaign.objects.filter(pk=draft.campaign.pk).exists()
