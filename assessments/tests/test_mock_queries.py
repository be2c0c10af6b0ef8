"""A mock assessment's pages and steps cost the same queries for 2 sites × 2
standards as for 6 sites × 5 standards (and their observations)."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from assessments import mock
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
from notifications.models import Notification
from campaigns.tests.factories import CampaignFactory, MembershipFactory, UnitFactory, UserFactory

NOW = timezone.make_aware(datetime.datetime(2026, 12, 1, 10, 0))
SMALL, LARGE = (2, 2), (6, 5)  # (sites, standards)


def build(sites, standards, *, observe=True, tag="", units=2, failing=((0, 0),)):
    """An open mock assessment of `sites` markets (of `units` units, each with
    a liaison) checked against `standards`, each observed: `failing` lists the
    (site, standard) numbers 不达标 (by default the first standard at the first site)."""
    office = UnitFactory(name=f"市文明办{tag}")
    campaign = CampaignFactory(office_unit=office)
    clerk = UserFactory(username=f"clerk{tag}")
    observer = UserFactory(username=f"observer{tag}", full_name="王测评")
    for user in (clerk, observer):
        MembershipFactory(user=user, unit=office, role=Membership.Role.OFFICE_STAFF)
    market = SiteType.objects.create(campaign=campaign, name="农贸市场")
    units = [UnitFactory(name=f"街道{n}{tag}") for n in range(units)]
    for n, unit in enumerate(units):
        MembershipFactory(user=UserFactory(username=f"liaison{n}{tag}"), unit=unit, role=Membership.Role.LIAISON)
    registered = [
        Site.objects.create(campaign=campaign, site_type=market, name=f"市场{n:02}", unit=units[n % len(units)])
        for n in range(sites)
    ]
    system = AssessmentSystem.objects.create(campaign=campaign, name="测评体系", created_by=clerk)
    item = AssessmentItem.objects.create(system=system, position=1, name="市容")
    content = AssessmentContent.objects.create(item=item, position=1, name="市场")
    checked = []
    for n in range(standards):
        standard = Standard.objects.create(
            system=system, content=content, position=n + 1, text=f"标准{n}", score=n + 1, methods=["实地考察"], needs_photo=n == 0
        )
        standard.site_types.add(market)
        checked.append(standard)
    assessment = MockAssessment.objects.create(
        campaign=campaign, system=system, name="模拟测评", held_on=datetime.date(2026, 11, 30), created_by=clerk
    )
    mock.choose(assessment=assessment, sites=registered)
    sampled = list(SampledSite.objects.filter(assessment=assessment).order_by("site__name"))
    mock.assign(assessment=assessment, sampled_sites=sampled, observer=observer)
    mock.start(assessment=assessment)
    if observe:
        Observation.objects.bulk_create(
            [
                Observation(
                    sampled_site=s, standard=standard, observed_by=observer, observed_at=NOW,
                    result="not_met" if (i, j) in failing else "met", note="地面积水" if (i, j) in failing else "",
                )
                for i, s in enumerate(sampled)
                for j, standard in enumerate(checked)
            ]
        )
    return dict(assessment=assessment, clerk=clerk, observer=observer, sampled=sampled, standards=checked)


def both(prepare, sizes=(SMALL, LARGE), **options):
    """The queries that the step `prepare(world)` returns takes at the small and
    at the large size (or at `sizes`: (sites, standards) or build()'s options)."""
    counts = []
    for size in sizes:
        size = size if isinstance(size, dict) else {"sites": size[0], "standards": size[1]}
        step = prepare(build(**size, tag=f"{len(Site.objects.all())}-{len(counts)}", **options))
        with CaptureQueriesContext(connection) as queries:
            step()
        counts.append(len(queries))
    return counts


def get(client, user, url):
    """A page's GET, after a first one that warms the session and caches."""
    client.force_login(user)

    def go():
        assert client.get(url).status_code == 200

    go()
    return go


@pytest.mark.django_db
def test_the_mock_assessment_page(client):
    counts = both(lambda w: get(client, w["clerk"], reverse("assessments:mock_detail", args=[w["assessment"].pk])))
    assert counts[0] == counts[1] <= 20, counts


@pytest.mark.django_db
def test_my_sites(client):
    counts = both(lambda w: get(client, w["observer"], reverse("assessments:my_sites")))
    assert counts[0] == counts[1] <= 8, counts


@pytest.mark.django_db
def test_the_observe_form(client):
    counts = both(lambda w: get(client, w["observer"], reverse("assessments:observe", args=[w["sampled"][0].pk])))
    assert counts[0] == counts[1] <= 10, counts


@pytest.mark.django_db
def test_saving_the_observe_form(client):
    def post(w):
        get(client, w["observer"], reverse("assessments:my_sites"))
        standards = w["standards"]
        data = {f"s{s.pk}": "met" for s in standards} | {f"s{standards[-1].pk}": "not_met", f"n{standards[-1].pk}": "占道经营"}

        def go():
            response = client.post(reverse("assessments:observe", args=[w["sampled"][1].pk]), data)
            assert response.status_code == 302
            assert Observation.objects.filter(sampled_site=w["sampled"][1]).count() == len(standards)

        return go

    # The first save creates every row, the second corrects them: both in constant queries.
    first = both(post, observe=False)
    again = both(post)
    assert first[0] == first[1] <= 20, first
    assert again[0] == again[1] <= 20, again


@pytest.mark.django_db
def test_results_and_close():
    assert both(lambda w: lambda: mock.results(w["assessment"])) == [2, 2]
    counts = both(lambda w: lambda: mock.close(assessment=w["assessment"], by=w["clerk"], at=NOW, deadline=datetime.date(2026, 12, 20)))
    assert counts[0] == counts[1], counts


@pytest.mark.django_db
def test_closing_costs_the_same_queries_for_2_failures_at_2_units_as_for_20_at_5():
    sizes = [
        # Failed: the first standard at both sites (one a unit).
        dict(sites=2, standards=2, units=2, failing={(0, 0), (1, 0)}),
        # Failed: the first two standards at 10 sites (4 a unit).
        dict(sites=10, standards=5, units=5, failing={(i, j) for i in range(10) for j in range(2)}),
    ]
    counts = both(
        lambda w: lambda: mock.close(assessment=w["assessment"], by=w["clerk"], at=NOW, deadline=datetime.date(2026, 12, 20)),
        sizes,
    )
    assert counts[0] == counts[1], counts
    # The findings are linked to their observations, and each unit's liaison is told once.
    large = MockAssessment.objects.order_by("pk").last()
    failures = Observation.objects.filter(sampled_site__assessment=large, result="not_met").select_related(
        "finding", "sampled_site__site", "standard"
    )
    assert len(failures) == 20
    for observation in failures:
        assert observation.finding.unit_id == observation.sampled_site.site.unit_id
        assert observation.finding.description == f"【{observation.sampled_site.site.name}】{observation.standard.text}：地面积水"
    told = Notification.objects.filter(campaign=large.campaign, title="整改事项交办：模拟测评发现4个问题需整改")
    assert sorted(told.values_list("recipient__username", flat=True)) == [f"liaison{n}2-1" for n in range(5)]  # tag: 2 sites built before
