"""`clear_test_cache` empties the running test's keys and no one else's."""

import pytest
from django.conf import settings
from django.core.cache import cache
from django.core.cache.backends.redis import RedisCache

from core.tests.caches import clear_test_cache

pytestmark = pytest.mark.django_db  # the database cache, where there is no Redis


def test_the_tests_own_keys_go():
    cache.set("figures", 1)
    clear_test_cache()
    assert cache.get("figures") is None


@pytest.mark.skipif(not settings.REDIS_URL, reason="only Redis is shared by the workers (CI sets REDIS_URL)")
def test_another_workers_keys_stay():
    other = RedisCache(settings.REDIS_URL, {"KEY_PREFIX": f"{cache.key_prefix}-other"})
    other.set("figures", 2)
    cache.set("figures", 1)
    try:
        clear_test_cache()
        assert cache.get("figures") is None
        assert other.get("figures") == 2
    finally:
        other.delete("figures")
