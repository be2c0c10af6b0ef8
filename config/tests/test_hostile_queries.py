"""Every query-string parameter a page reads, given hostile values: far
dates, impossible months, huge or negative numbers, words, very long text.
A page answers with its default or a clear message, never a server error."""

import datetime

import pytest
from django.urls import reverse

from config.tests.test_access import LIAISON, OFFICE, built_world, clock, world  # noqa: F401

# Every name a view or its filter form reads from request.GET.
PARAMETERS = [
    "month", "older", "page", "rows", "show", "q", "parent", "inline", "campaign", "period", "status",
    "unit", "rule", "phase", "start", "end", "overdue", "channel",
]
HOSTILE = {
    "far_month": "9999-12",
    "zero_month": "0000-00",
    "first_month": "0001-01",
    "far_date": "9999-12-31",
    "first_date": "0001-01-01",
    "huge_int": "9" * 30,
    "huger_than_python_parses": "9" * 5000,
    "negative": "-1",
    "word": "abc",
    "float": "1e9",
    "long_text": "字" * 10000,
    "nul": "a\x00b",
    # str.isdigit() says yes, int() says no.
    "superscript_two": "²",
}


def pages(world):
    campaign = world.campaign.pk
    return {
        "dashboard": reverse("dashboards:campaign", args=[campaign]),
        "ranking": reverse("dashboards:ranking", args=[campaign]),
        "review_queue": reverse("reports:review_queue"),
        "deadlines": reverse("reports:deadline_list", args=[campaign]),
        "ledger": reverse("supervision:ledger", args=[campaign]),
        "new_inspection": reverse("supervision:inspection_create", args=[campaign]),
        "notifications": reverse("notifications:list"),
        "deliveries": reverse("notifications:deliveries"),
        "attachment": reverse("reports:attachment_download", args=[world.attachment.pk]),
        "setup_task": reverse("setup:task_create", args=[campaign]),
        "setup_people": reverse("setup:unit_people", args=[campaign, world.unit.pk]),
    }


def test_posted_ids_that_only_look_like_digits_are_refused_not_a_server_error(client, world):
    client.force_login(world.user(OFFICE))
    for value in ("²", "٣", "9" * 30):
        response = client.post(reverse("reports:review_queue"), {"reports": [value], "confirmed": "1"})
        assert response.status_code < 500, value
        response = client.post(reverse("notifications:chase_overdue", args=[world.campaign.pk]), {"period": value})
        assert response.status_code < 500, value


@pytest.mark.parametrize("role", [OFFICE, LIAISON])
@pytest.mark.parametrize("value", HOSTILE.values(), ids=HOSTILE.keys())
def test_hostile_query_strings_never_give_a_server_error(client, world, role, value):
    client.force_login(world.user(role))
    answers = {}
    for name, url in pages(world).items():
        answers[name] = client.get(url, {parameter: value for parameter in PARAMETERS}).status_code
    assert all(status < 500 for status in answers.values()), answers
    if role == OFFICE:
        assert answers["dashboard"] == answers["ranking"] == answers["review_queue"] == 200, answers


def test_a_month_out_of_range_shows_this_months_ranking_with_a_message(client, world):
    client.force_login(world.user(OFFICE))
    response = client.get(reverse("dashboards:ranking", args=[world.campaign.pk]), {"month": "9999-12"})
    assert response.status_code == 200
    assert response.context["month"] == datetime.date(2026, 1, 1)
    assert "月份无效：请按“年-月”填写前后10年内的月份" in response.content.decode()


@pytest.mark.parametrize("pk", ["9" * 30, "0"])
def test_a_huge_or_zero_id_in_an_address_is_not_found(client, world, pk):
    client.force_login(world.user(OFFICE))
    for name in ("reports:attachment_download", "dashboards:campaign", "dashboards:ranking", "reports:report_edit"):
        url = reverse(name, args=[pk])
        assert client.get(url).status_code == 404, url
