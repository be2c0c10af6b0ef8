"""Sessions read from Redis, with the database behind them (SESSION_ENGINE
where REDIS_URL is set, config/settings.py).

Django's cached_db store, made to go on without Redis: a read, a write or a
delete that Redis does not answer is logged and passed over, and the session
is read from and written to the database as without a cache. A session is
kept in the cache for CACHE_SECONDS at most, so that one whose delete Redis
missed (signing out while Redis was away) is not read from it for longer.
"""

import logging

from django.contrib.sessions.backends import cached_db

logger = logging.getLogger(__name__)

CACHE_SECONDS = 300


class TolerantCache:
    """The cache operations the session store uses, each a miss or a no-op when the cache fails."""

    def __init__(self, cache):
        self.cache = cache

    def _failed(self, operation):
        logger.warning("Session cache unavailable (%s); using the database", operation, exc_info=True)

    def get(self, key, default=None):
        try:
            return self.cache.get(key, default)
        except Exception:  # noqa: BLE001 - any cache backend's connection error
            self._failed("get")
            return default

    def set(self, key, value, timeout):
        try:
            self.cache.set(key, value, min(timeout, CACHE_SECONDS))
        except Exception:  # noqa: BLE001 - as above
            self._failed("set")

    def delete(self, key):
        try:
            self.cache.delete(key)
        except Exception:  # noqa: BLE001 - as above
            self._failed("delete")

    def __getattr__(self, name):
        # Anything else the store may use (the async twins): as the cache has it.
        return getattr(self.cache, name)

    def __contains__(self, key):
        try:
            return key in self.cache
        except Exception:  # noqa: BLE001 - as above
            self._failed("contains")
            return False


class SessionStore(cached_db.SessionStore):
    def __init__(self, session_key=None):
        super().__init__(session_key)
        self._cache = TolerantCache(self._cache)
