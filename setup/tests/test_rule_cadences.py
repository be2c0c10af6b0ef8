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
