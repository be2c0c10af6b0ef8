"""With REDIS_URL set, a signed-in request reads its session from the cache,
with the database behind it, and from the database alone while the cache is
away (config.sessions). The suite runs on database sessions (conftest.py);
these tests turn the cached ones on."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.contrib.sessions.models import Session
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.middleware import LAST_SEEN_AT
from campaigns.models import Membership
from campaigns.tests.factories import MembershipFactory
from config import sessions
from core.tests.caches import clear_test_cache

pytestmark = pytest.mark.django_db
CACHED = "config.sessions"
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def liaison(settings):
    settings.SESSION_ENGINE = CACHED
    return MembershipFactory(role=Membership.Role.LIAISON).user


def session_reads(queries):
    return [q for q in queries.captured_queries if 'FROM "django_session"' in q["sql"]]


def test_a_signed_in_page_reads_its_session_from_the_cache(client, liaison):
    client.force_login(liaison)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("reports:unit_home")).status_code == 200
    assert not session_reads(queries)


def test_a_session_the_cache_lost_is_read_from_the_database(client, liaison):
    client.force_login(liaison)
    clear_test_cache()
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("reports:unit_home")).status_code == 200
    assert len(session_reads(queries)) == 1
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("reports:unit_home")).status_code == 200
    assert not session_reads(queries), "cached again after the read"


def test_the_idle_clock_is_written_to_the_database_too(client, liaison, time_machine):
    time_machine.move_to("2026-03-09 09:00 +08:00", tick=False)
    client.force_login(liaison)
    time_machine.move_to("2026-03-09 09:10 +08:00", tick=False)
    assert client.get(reverse("reports:unit_home")).status_code == 200
    stored = Session.objects.get(session_key=client.session.session_key).get_decoded()
    assert stored[LAST_SEEN_AT] == client.session[LAST_SEEN_AT] > stored.get("signed_in_at", 0)


def test_signing_out_ends_the_session_in_the_cache_and_the_database(client, liaison):
    client.force_login(liaison)
    key = client.session.session_key
    client.post(reverse("logout"))
    assert not Session.objects.filter(session_key=key).exists()
    assert client.get(reverse("reports:unit_home")).status_code == 302


@pytest.mark.parametrize(
    "redis_url, engine", [("", "django.contrib.sessions.backends.db"), ("redis://127.0.0.1:6379/0", "config.sessions")]
)
def test_sessions_are_cached_where_redis_is(redis_url, engine):
    # Settings are read once per process: a fresh one reads them with this environment.
    env = {**os.environ, "REDIS_URL": redis_url, "DJANGO_SETTINGS_MODULE": "config.settings"}
    code = "from django.conf import settings; print(settings.SESSION_ENGINE)"
    output = subprocess.run(
        [sys.executable, "-c", f"import django; django.setup(); {code}"], env=env, cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout
    assert output.strip() == engine


def test_a_session_stays_in_the_cache_a_few_minutes_at_most():
    """So that a session whose delete the cache missed is read from it no longer."""

    class Recording:
        def set(self, key, value, timeout):
            self.timeout = timeout

    recording = Recording()
    sessions.TolerantCache(recording).set("key", {}, 12 * 3600)
    assert recording.timeout == sessions.CACHE_SECONDS == 300
    sessions.TolerantCache(recording).set("key", {}, 60)
    assert recording.timeout == 60


@pytest.fixture
def redis_away(settings):
    """A cache nothing answers: a Redis on a port where none listens."""
    settings.CACHES = {
        **settings.CACHES,
        "away": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": "redis://127.0.0.1:1/0"},
    }
    settings.SESSION_CACHE_ALIAS = "away"


def test_with_the_cache_away_people_sign_in_work_and_sign_out(client, liaison, redis_away, caplog):
    client.force_login(liaison)
    key = client.session.session_key
    assert Session.objects.filter(session_key=key).exists()
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("reports:unit_home")).status_code == 200
    assert len(session_reads(queries)) == 1, "read from the database"
    client.post(reverse("logout"))
    assert not Session.objects.filter(session_key=key).exists()
    assert client.get(reverse("reports:unit_home")).status_code == 302
    assert "Session cache unavailable" in caplog.text
