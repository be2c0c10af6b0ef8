"""The dashboard's body is added up once per DASHBOARD_SHARED_SECONDS for
everyone with the same view (dashboards.views.shared_body): the office's
refreshes in the deadline hour cost a cache read, yet no viewer gets another's
view, a CSRF token that is not theirs, or stale figures right after acting."""

import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from campaigns.models import Membership
from campaigns.tests.factories import UserFactory
from reports.models import Report

from .test_dashboards import world  # noqa: F401 - the fixture

pytestmark = pytest.mark.django_db


@pytest.fixture
def shared(settings):
    settings.DASHBOARD_SHARED_SECONDS = 60


def another_office_user(world):  # noqa: F811
    user = UserFactory(username="office2")
    Membership.objects.create(user=user, unit=world.campaign.office_unit, role=Membership.Role.OFFICE_STAFF)
    return user


def queries(client, url):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return response, len(captured)


def test_a_second_office_user_reads_the_body_the_first_added_up(client, world, shared):  # noqa: F811
    client.force_login(world.s.office)
    first, first_queries = queries(client, world.url())
    other = Client()
    other.force_login(another_office_user(world))

    second, second_queries = queries(other, world.url())

    assert 'id="figure-overdue">1<' in second.content.decode()
    # The figures, the matrix and the lists are not added up again.
    assert second_queries <= first_queries - 10, (first_queries, second_queries)
    assert "d" not in second.context


def test_each_viewer_posts_with_their_own_csrf_token(world, shared):  # noqa: F811
    office = Client(enforce_csrf_checks=True)
    office.force_login(world.s.office)
    office.get(world.url())  # adds the body up, with the office's token in place
    other = Client(enforce_csrf_checks=True)
    other.force_login(another_office_user(world))

    page = other.get(world.url()).content.decode()

    chase = reverse("notifications:chase", args=[world.report[world.a, 2].pk])
    form = re.search(rf'action="{re.escape(chase)}"[^>]*>\s*<input type="hidden" name="csrfmiddlewaretoken" value="([^"]+)"', page)
    assert form, "the chase form and its token"
    assert "__dashboard-csrf-token__" not in page
    response = other.post(chase, {"csrfmiddlewaretoken": form.group(1), "next": world.url()})
    assert response.status_code == 302  # not 403: the token is the viewer's own


def test_a_look_right_after_acting_adds_the_figures_up_again(client, world, shared):  # noqa: F811
    client.force_login(world.s.office)
    assert 'id="figure-awaiting">1<' in client.get(world.url()).content.decode()
    report = world.report[world.b, 1]
    # Another office user accepts the submitted report: shared figures may lag
    # for the few seconds the body is kept.
    Report.objects.filter(pk=report.pk).update(status=Report.Status.ACCEPTED)
    assert 'id="figure-awaiting">1<' in client.get(world.url()).content.decode()

    # This user acts and comes back with a message: the body is fresh.
    chase = reverse("notifications:chase", args=[world.report[world.a, 2].pk])
    page = client.post(chase, {"next": world.url()}, follow=True).content.decode()

    assert f"已向{world.a.display_name}催报" in page
    assert 'id="figure-awaiting">0<' in page


def test_views_that_differ_never_share_a_body(client, world, shared):  # noqa: F811
    client.force_login(world.s.office)
    client.get(world.url())
    liaison = Client()
    liaison.force_login(world.s.liaison)

    own = liaison.get(world.url()).content.decode()
    filtered = client.get(world.url(unit=world.b.pk)).content.decode()

    # The liaison's body is the own unit's, added up for the liaison's scope.
    assert world.a.display_name in own and world.b.name not in own and "/chase/" not in own
    assert world.a.display_name not in filtered.split('id="matrix-title"')[1].split("</table>")[0]


def test_the_page_says_when_its_figures_were_added_up(client, world, shared):  # noqa: F811
    client.force_login(world.s.office)

    page = client.get(world.url()).content.decode()

    assert re.search(r'id="figures-as-of">数据更新于 12:00:00<', page)


def test_with_the_cache_down_the_dashboard_still_answers(client, world, shared, settings):  # noqa: F811
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": "redis://127.0.0.1:1/0"}}
    client.force_login(world.s.office)

    response = client.get(world.url())

    assert response.status_code == 200
    assert 'id="figure-overdue">1<' in response.content.decode()
