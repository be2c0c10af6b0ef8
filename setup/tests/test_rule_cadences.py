"""The clerk sets up the plan's quarterly, yearly and one-off reports in 活动设置."""

import datetime

import pytest

from reports.models import ReportingRule

from .test_setup import NOW, Draft, checklist, clock, draft, url  # noqa: F401 (fixtures)

pytestmark = pytest.mark.django_db


def rule(name, **fields):
    return {
        "name": name,
        "due_time": "17:30",
        "owners": "task_units",
        "starts_on": "2026-01-01",
        "ends_on": "2026-12-31",
        "shift_holidays": "on",
        "month_offset": "0",
        **fields,
    }


def test_a_quarterly_rule_due_in_the_month_after_each_quarter(client, draft, clock):
    client.force_login(draft.clerk)
    response = client.post(
        url("rule_create", draft),
        rule("季报", cadence="quarterly", day_of_month="10", month_offset="1", weekday="2", ends_on="2027-01-10"),
    )
    assert response.status_code == 302
    saved = ReportingRule.objects.get(campaign=draft.campaign, name="季报")
    # The weekday left over from 每周 is dropped, not refused.
    assert (saved.cadence, saved.day_of_month, saved.month_offset, saved.weekday) == ("quarterly", 10, 1, None)
    page = client.get(url("rules", draft)).content.decode()
    assert "每季度（1月、4月、7月、10月）10日 17:30 前" in page


def test_a_one_off_report_is_due_on_the_rules_last_day(client, draft, clock):
    client.force_login(draft.clerk)
    response = client.post(
        url("rule_create", draft),
        rule("检查情况", cadence="once", day_of_month="15", month_offset="2", ends_on="2026-07-15"),
    )
    assert response.status_code == 302
    saved = ReportingRule.objects.get(campaign=draft.campaign, name="检查情况")
    assert (saved.day_of_month, saved.month_offset, saved.ends_on) == (None, 0, datetime.date(2026, 7, 15))
    assert not any("检查情况" in line for line in checklist(client, draft))


@pytest.mark.parametrize(
    "fields, field, message",
    [
        ({"cadence": "quarterly"}, "day_of_month", "每季度报送请填写报送日（1–31）。"),
        ({"cadence": "quarterly", "day_of_month": "10", "month_offset": "-3"}, "month_offset", None),
        ({"cadence": "half_yearly", "day_of_month": "10", "month_offset": "-6"}, "month_offset", None),
    ],
)
def test_a_cycle_without_its_day_or_with_a_month_outside_it_is_refused_at_the_field(client, draft, clock, fields, field, message):
    client.force_login(draft.clerk)
    response = client.post(url("rule_create", draft), rule("季报", **fields))
    assert response.status_code == 200
    errors = response.context["form"].errors[field]
    assert errors and (message is None or errors == [message])
    assert not ReportingRule.objects.filter(campaign=draft.campaign).exists()


@pytest.mark.parametrize(
    "fields, allowed",
    [
        # A summary due ten days after the campaign: a report on its last days.
        ({"cadence": "once", "ends_on": "2027-01-10"}, True),
        ({"cadence": "once", "ends_on": "2027-04-10"}, False),
        # 次月10日前报送上季度情况: the fourth quarter is reported on 10 January.
        ({"cadence": "quarterly", "day_of_month": "10", "month_offset": "1", "ends_on": "2027-01-10"}, True),
        ({"cadence": "quarterly", "day_of_month": "10", "month_offset": "1", "ends_on": "2027-02-10"}, False),
        ({"cadence": "weekly", "weekday": "2", "ends_on": "2027-01-05"}, False),
    ],
)
def test_a_rule_may_run_past_the_campaign_only_to_report_on_its_last_days(client, draft, clock, fields, allowed):
    client.force_login(draft.clerk)
    assert client.post(url("rule_create", draft), rule("总结", **fields)).status_code == 302
    outside = [line for line in checklist(client, draft) if "超出了活动起止日期" in line]
    assert not outside if allowed else len(outside) == 1


def test_a_campaign_summary_runs_to_its_days_after_the_campaign(client, draft, clock):
    client.force_login(draft.clerk)
    response = client.post(
        url("rule_create", draft),
        rule("工作总结", cadence="campaign_end", days_after="10", day_of_month="5", weekday="2", month_offset="1"),
    )
    assert response.status_code == 302
    saved = ReportingRule.objects.get(campaign=draft.campaign, name="工作总结")
    # The rule's last day follows from the campaign's; what other cadences use is dropped.
    assert (saved.days_after, saved.ends_on, saved.weekday, saved.day_of_month, saved.month_offset) == (
        10, datetime.date(2027, 1, 10), None, None, 0
    )
    assert "活动结束后10日内 17:30 前" in client.get(url("rules", draft)).content.decode()
    assert not any("工作总结" in line for line in checklist(client, draft))


def test_days_after_is_dropped_for_other_cadences_and_refused_past_ninety(client, draft, clock):
    client.force_login(draft.clerk)
    assert client.post(url("rule_create", draft), rule("周报", cadence="weekly", weekday="2", days_after="5")).status_code == 302
    assert ReportingRule.objects.get(name="周报").days_after == 0
    response = client.post(url("rule_create", draft), rule("工作总结", cadence="campaign_end", days_after="91"))
    assert response.status_code == 200
    assert response.context["form"].errors["days_after"]
    assert not ReportingRule.objects.filter(name="工作总结").exists()


def test_a_phase_report_needs_the_campaigns_phases(client, draft, clock):
    client.force_login(draft.clerk)
    assert client.post(url("rule_create", draft), rule("阶段小结", cadence="phase_end", days_after="5")).status_code == 302
    saved = ReportingRule.objects.get(name="阶段小结")
    assert saved.ends_on == datetime.date(2027, 1, 5)
    assert not any("阶段小结" in line for line in checklist(client, draft))
    draft.campaign.phases.all().delete()
    [line] = [line for line in checklist(client, draft) if "阶段小结" in line]
    assert "活动还没有在其起止日期内结束的阶段" in line


def test_a_target_no_rule_asks_for_is_pointed_out_until_a_rule_asks_for_it(client, draft, clock):
    from tasks.models import Indicator

    indicator = Indicator.objects.create(campaign=draft.campaign, name="食品抽检合格率", target_value=98, comparison="gte")
    client.force_login(draft.clerk)
    assert any("食品抽检合格率" in line and "不会填报" in line for line in checklist(client, draft))
    client.post(url("rule_create", draft), rule("月报", cadence="monthly", day_of_month="5", indicators=[indicator.pk]))
    assert not any("不会填报" in line for line in checklist(client, draft))
