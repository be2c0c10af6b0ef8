"""复查: the office verifies an item a 不达标 opened by re-checking the site,
from the item's page, in one step; the assessment's 得分率 does not move."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from assessments import mock
from assessments.models import (
    AssessmentContent,
    AssessmentItem,
    AssessmentSystem,
    MockAssessment,
    Observation,
    Recheck,
    Site,
    SiteType,
    Standard,
)
from campaigns.models import Membership
from campaigns.tests.factories import CampaignFactory, MembershipFactory, UnitFactory, UserFactory
from supervision import services as supervision
from supervision.models import Inspection, RectificationItem

NOW = timezone.make_aware(datetime.datetime(2026, 12, 1, 10, 0))
Role = Membership.Role


@pytest.fixture
def world(db):
    """A closed mock assessment of one market of 城东街道: 干净整洁 (分值 2) not
    met, 无占道经营 (分值 1) met, so 1 of 3 points = 33.3 %; its item answered."""
    office_unit = UnitFactory(name="市文明办")
    campaign = CampaignFactory(office_unit=office_unit)
    clerk = UserFactory(username="clerk", full_name="樊丽娜")
    MembershipFactory(user=clerk, unit=office_unit, role=Role.OFFICE_STAFF)
    leader = UserFactory(username="leader")
    MembershipFactory(user=leader, unit=office_unit, role=Role.LEADER)
    unit = UnitFactory(name="城东街道")
    liaison = UserFactory(username="liaison")
    MembershipFactory(user=liaison, unit=unit, role=Role.LIAISON)
    market = SiteType.objects.create(campaign=campaign, name="农贸市场")
    site = Site.objects.create(campaign=campaign, site_type=market, name="东门市场", unit=unit)
    system = AssessmentSystem.objects.create(campaign=campaign, name="测评体系", created_by=clerk, weighted=True)
    content = AssessmentContent.objects.create(item=AssessmentItem.objects.create(system=system, position=1, name="市容"), position=1)
    clean, stalls = (
        Standard.objects.create(system=system, content=content, position=n, text=t, score=s, methods=["实地考察"])
        for n, t, s in ((1, "市场内干净整洁", 2), (2, "无占道经营", 1))
    )
    clean.site_types.add(market)
    stalls.site_types.add(market)
    assessment = MockAssessment.objects.create(
        campaign=campaign, system=system, name="第一次模拟测评", held_on=datetime.date(2026, 11, 30), created_by=clerk
    )
    mock.choose(assessment=assessment, sites=[site])
    sampled = assessment.sampled_sites.get()
    mock.assign(assessment=assessment, sampled_sites=[sampled], observer=clerk)
    mock.start(assessment=assessment)
    mock.observe(sampled_site=sampled, standard=clean, result="not_met", note="地面积水", by=clerk, at=NOW)
    mock.observe(sampled_site=sampled, standard=stalls, result="met", by=clerk, at=NOW)
    mock.close(assessment=assessment, by=clerk, at=NOW, deadline=datetime.date(2026, 12, 20))
    failure = Observation.objects.get(result="not_met")
    item = failure.finding.rectification
    return dict(campaign=campaign, clerk=clerk, leader=leader, liaison=liaison, unit=unit, assessment=assessment,
                failure=failure, item=item)


def answer(client, world):
    client.force_login(world["liaison"])
    response = client.post(reverse("supervision:item_answer", args=[world["item"].pk]), {"text": "已清理积水并疏通排水沟。"})
    assert response.status_code == 302
    client.force_login(world["clerk"])


def test_recheck_met_verifies_the_item_in_one_tap_and_leaves_the_rate_alone(client, world, django_assert_max_num_queries):
    item, url = world["item"], reverse("supervision:item_detail", args=[world["item"].pk])
    assert mock.results(world["assessment"]).overall.rate == Decimal("33.3")
    client.force_login(world["clerk"])
    assert "复查达标" not in client.get(url).content.decode()  # nothing to verify yet
    answer(client, world)

    page = client.get(url).content.decode()
    assert "模拟测评复查" in page and "东门市场" in page and "地面积水" in page
    assert reverse("assessments:recheck", args=[item.pk]) in page and 'value="met"' in page

    response = client.post(reverse("assessments:recheck", args=[item.pk]), {"result": "met"})

    assert response.url == url
    item.refresh_from_db()
    assert item.status == RectificationItem.Status.CLOSED and item.closed_at is not None
    assert item.responses.get().decision == "verified"
    assert item.events.latest("pk").comment == "现场复查达标。"
    recheck = Recheck.objects.get()
    assert (recheck.observation, recheck.result, recheck.checked_by) == (world["failure"], "met", world["clerk"])
    # The day's finding stands: the original observation and the 得分率 are unchanged.
    world["failure"].refresh_from_db()
    assert world["failure"].result == "not_met"
    assert mock.results(world["assessment"]).overall.rate == Decimal("33.3")
    assert Observation.objects.count() == 2
    with django_assert_max_num_queries(20):
        page = client.get(url).content.decode()
    assert "已记录复查达标，整改事项已核验销号。" in page and "text-bg-success\">复查达标" in page
    assert 'value="met"' not in page  # nothing left to verify


def test_recheck_still_failing_needs_a_note_and_returns_the_item_with_it(client, world):
    answer(client, world)
    item, url = world["item"], reverse("assessments:recheck", args=[world["item"].pk])

    response = client.post(url, {"result": "not_met", "note": "  "}, follow=True)

    assert "复查仍不达标时，请写明还存在的问题" in response.content.decode()
    item.refresh_from_db()
    assert item.status == RectificationItem.Status.SUBMITTED and not Recheck.objects.exists()

    client.post(url, {"result": "not_met", "note": "排水沟仍有积水"})

    item.refresh_from_db()
    assert item.status == RectificationItem.Status.REJECTED
    assert item.events.latest("pk").comment == "现场复查仍不达标：排水沟仍有积水"
    assert Recheck.objects.get().note == "排水沟仍有积水"


def test_a_recheck_of_an_item_not_awaiting_verification_changes_nothing(client, world):
    client.force_login(world["clerk"])

    response = client.post(reverse("assessments:recheck", args=[world["item"].pk]), {"result": "met"}, follow=True)

    assert "没有待核验的整改报告" in response.content.decode()
    assert not Recheck.objects.exists()
    world["item"].refresh_from_db()
    assert world["item"].status == RectificationItem.Status.OPEN


def test_only_the_office_rechecks(client, world):
    answer(client, world)
    url = reverse("assessments:recheck", args=[world["item"].pk])
    client.force_login(world["leader"])
    assert client.post(url, {"result": "met"}).status_code == 403  # reads the assessment, decides nothing
    client.force_login(world["liaison"])
    assert client.post(url, {"result": "met"}).status_code == 404
    stranger = UserFactory(username="stranger")
    MembershipFactory(user=stranger, unit=UnitFactory(name="外区文明办"), role=Role.OFFICE_STAFF)
    client.force_login(stranger)
    assert client.post(url, {"result": "met"}).status_code == 404
    assert not Recheck.objects.exists()
    world["item"].refresh_from_db()
    assert world["item"].status == RectificationItem.Status.SUBMITTED
    # The leader and the unit read the item without the 复查 buttons.
    for user in (world["leader"], world["liaison"]):
        client.force_login(user)
        page = client.get(reverse("supervision:item_detail", args=[world["item"].pk])).content.decode()
        assert "模拟测评复查" in page and 'value="met"' not in page


def test_an_item_no_mock_assessment_opened_offers_no_recheck(client, world):
    inspection = supervision.record_inspection(
        campaign=world["campaign"], by=world["clerk"], at=NOW, kind=Inspection.Kind.ON_SITE, inspected_on=NOW.date(),
        inspectors="樊丽娜", units=[(world["unit"], 80)],
        findings=[supervision.FindingInput(world["unit"], "公示栏未更新。", "更新公示栏。", datetime.date(2026, 12, 20))],
    )
    item = inspection.findings.get().rectification
    supervision.submit_response(item=item, by=world["liaison"], at=NOW, text="已更新。")
    client.force_login(world["clerk"])

    page = client.get(reverse("supervision:item_detail", args=[item.pk])).content.decode()

    assert "核验整改情况" in page and "模拟测评复查" not in page
    assert client.post(reverse("assessments:recheck", args=[item.pk]), {"result": "met"}).status_code == 404
