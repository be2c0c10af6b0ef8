"""Emptying the cache in a test without emptying the other workers'.

The suite's workers share one Redis under CI (REDIS_URL), each test with a
key prefix of its own (conftest.py). `cache.clear()` there is FLUSHDB: it
empties every worker's keys, and a test elsewhere that had just cached
something finds it gone (a flaky query count)."""

from django.core.cache import caches
from django.core.cache.backends.redis import RedisCache


def clear_test_cache(alias="default"):
    """`cache.clear()` for the running test alone: on Redis, only the keys
    under its prefix; any other backend (the database's cache, rolled back
    with the test, or a process's memory) is cleared as usual."""
    cache = caches[alias]
    if not isinstance(cache, RedisCache):
        cache.clear()
        return
    if not cache.key_prefix:
        raise RuntimeError("A test's cache has a key prefix of its own (conftest.py); this one has none.")
    client = cache._cache.get_client(write=True)
    keys = list(client.scan_iter(match=f"{cache.key_prefix}:*", count=1000))
    if keys:
        client.delete(*keys)
