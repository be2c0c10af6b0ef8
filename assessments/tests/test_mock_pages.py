"""The mock assessment's pages: the office prepares, observers fill their sites' forms, the office closes."""

import datetime

import pytest
from django.urls import reverse

from assessments.models import (
    AssessmentContent,
    AssessmentItem,
    AssessmentSystem,
    MockAssessment,
    Observation,
    SampledSite,
    Site,
    SiteType,
    Standard,
)
from campaigns.models import Membership
from campaigns.tests.factories import CampaignFactory, MembershipFactory, UnitFactory, UserFactory
from supervision.models import RectificationItem


@pytest.fixture
def world(db):
    office_unit = UnitFactory(name="市文明办")
    campaign = CampaignFactory(office_unit=office_unit)
    clerk, observer, other = (UserFactory(username=n, full_name=f) for n, f in (("clerk", "樊丽娜"), ("obs", "王测评"), ("obs2", "李测评")))
    for user in (clerk, observer, other):
        MembershipFactory(user=user, unit=office_unit, role=Membership.Role.OFFICE_STAFF)
    liaison = UserFactory(username="liaison")
    MembershipFactory(user=liaison, role=Membership.Role.LIAISON)
    market = SiteType.objects.create(campaign=campaign, name="农贸市场")
    unit = UnitFactory(name="城东街道")
    for n in range(5):
        Site.objects.create(campaign=campaign, site_type=market, name=f"市场{n}", unit=unit)
    system = AssessmentSystem.objects.create(campaign=campaign, name="测评体系", created_by=clerk)
    content = AssessmentContent.objects.create(item=AssessmentItem.objects.create(system=system, position=1, name="市容"), position=1, name="市场")
    standards = [
        Standard.objects.create(system=system, content=content, position=n, text=t, score=1, methods=["实地考察"], needs_photo=p)
        for n, (t, p) in enumerate((("干净整洁", True), ("无占道经营", False)), 1)
    ]
    for s in standards:
        s.site_types.add(market)
    return dict(campaign=campaign, clerk=clerk, observer=observer, other=other, liaison=liaison, market=market, standards=standards)


def test_the_office_prepares_observers_fill_and_the_close_opens_items(client, world, django_assert_max_num_queries):
    campaign, market = world["campaign"], world["market"]
    client.force_login(world["clerk"])
    response = client.post(reverse("assessments:mock_list", args=[campaign.pk]), {"name": "第一次模拟测评", "held_on": "2026-01-10"})
    assessment = MockAssessment.objects.get()
    assert response.url == reverse("assessments:mock_detail", args=[assessment.pk])
    client.post(reverse("assessments:mock_draw", args=[assessment.pk]), {f"type_{market.pk}": "3", "seed": "7"})
    sampled = list(SampledSite.objects.filter(assessment=assessment).order_by("pk"))
    assert len(sampled) == 3
    assert "未指定" in client.get(reverse("assessments:mock_detail", args=[assessment.pk])).content.decode()
    client.post(reverse("assessments:mock_assign", args=[assessment.pk]), {"observer": world["observer"].pk, "sites": [s.pk for s in sampled]})
    client.post(reverse("assessments:mock_start", args=[assessment.pk]))
    assessment.refresh_from_db()
    assert assessment.status == "open" and assessment.seed == 7

    client.force_login(world["observer"])
    assert "已测 0 条" in client.get(reverse("assessments:my_sites")).content.decode()
    clean, stalls = world["standards"]
    url = reverse("assessments:observe", args=[sampled[0].pk])
    response = client.post(url, {f"s{clean.pk}": "not_met", f"n{clean.pk}": "", f"s{stalls.pk}": "met"})
    assert response.status_code == 400 and "请写明存在的问题" in response.content.decode()
    # All or none: the 达标 beside the failure without its problem is not saved, but still shown.
    assert not Observation.objects.filter(sampled_site=sampled[0]).exists()
    assert f'id="m{stalls.pk}" value="met" checked' in response.content.decode()
    response = client.post(url, {f"s{clean.pk}": "not_met", f"n{clean.pk}": "地面积水", f"s{stalls.pk}": "met"})
    assert response.status_code == 302
    assert Observation.objects.filter(sampled_site=sampled[0]).count() == 2
    for other_site in sampled[1:]:
        client.post(reverse("assessments:observe", args=[other_site.pk]), {f"s{clean.pk}": "met", f"s{stalls.pk}": "na"})

    client.force_login(world["clerk"])
    with django_assert_max_num_queries(20):
        page = client.get(reverse("assessments:mock_detail", args=[assessment.pk])).content.decode()
    # By 分值 (1 each): 干净整洁 met at 2 of 3 sites, 无占道经营 at 1 of 1 (不适用 left
    # out): (2/3 + 1) / 2 = 83.3 %, where counting observations would give 3 of 4.
    assert "83.3%" in page
    client.post(reverse("assessments:mock_close", args=[assessment.pk]), {"deadline": "2099-01-31"})
    (item,) = RectificationItem.objects.filter(campaign=campaign)
    assert item.unit.name == "城东街道" and "地面积水" in item.finding.description


def test_whoever_may_not_see_gets_404(client, world):
    campaign = world["campaign"]
    assessment = MockAssessment.objects.create(campaign=campaign, system=AssessmentSystem.objects.get(), name="x", held_on=datetime.date(2026, 1, 10), created_by=world["clerk"], status="open")
    site = SampledSite.objects.create(assessment=assessment, site=Site.objects.first(), observer=world["observer"])
    client.force_login(world["liaison"])
    assert client.get(reverse("assessments:mock_detail", args=[assessment.pk])).status_code == 404
    assert client.get(reverse("assessments:observe", args=[site.pk])).status_code == 404
    client.force_login(world["other"])  # office staff, but not this site's observer
    assert client.get(reverse("assessments:observe", args=[site.pk])).status_code == 404
    assert client.get(reverse("assessments:mock_detail", args=[assessment.pk])).status_code == 200


def test_a_photo_is_kept_only_where_the_standard_asks_and_only_an_image(client, world):
    from django.core.files.uploadedfile import SimpleUploadedFile

    assessment = MockAssessment.objects.create(campaign=world["campaign"], system=AssessmentSystem.objects.get(), name="x", held_on=datetime.date(2026, 1, 10), created_by=world["clerk"], status="open")
    site = SampledSite.objects.create(assessment=assessment, site=Site.objects.first(), observer=world["observer"])
    clean, stalls = world["standards"]
    client.force_login(world["observer"])
    png = b"\x89PNG\r\n\x1a\n" + b"0" * 100
    response = client.post(reverse("assessments:observe", args=[site.pk]), {
        f"s{clean.pk}": "not_met", f"n{clean.pk}": "脏", f"p{clean.pk}": SimpleUploadedFile("a.txt", b"not an image"),
    })
    assert response.status_code == 400 and "JPG 或 PNG" in response.content.decode()
    assert not Observation.objects.exists()  # the failure beside a bad photo is not saved either
    client.post(reverse("assessments:observe", args=[site.pk]), {
        f"s{clean.pk}": "not_met", f"n{clean.pk}": "脏", f"p{clean.pk}": SimpleUploadedFile("a.png", png),
        f"s{stalls.pk}": "not_met", f"n{stalls.pk}": "占道", f"p{stalls.pk}": SimpleUploadedFile("b.png", png),
    })
    photos = dict(Observation.objects.values_list("standard_id", "photo"))
    assert photos[clean.pk] and not photos[stalls.pk]  # 无占道经营 asks for no photo
