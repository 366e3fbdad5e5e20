"""The shared Redis cache, which degrades instead of failing when Redis does not answer.

Django's RedisCache raises on a connection error, which would turn every public page into an error
page while Redis is down although nothing is wrong with the trials. Here a failed call is answered
by this process's memory instead (as when no REDIS_URL is set: entries kept a minute), and Redis is
left alone for RETRY_SECONDS, so that an outage does not cost each request a connection timeout.
The first failure of an outage is logged as a warning, and the recovery as information.
"""

import logging
import time

import redis
from django.core.cache.backends.locmem import LocMemCache
from django.core.cache.backends.redis import RedisCache, RedisCacheClient

logger = logging.getLogger(__name__)

RETRY_SECONDS = 10


class SharedClientRedisCacheClient(RedisCacheClient):
    """Django's client makes a new redis-py client for every cache call, and making one fills
    its table of some 170 reply callbacks: about 0.2 ms, four times on every page served from the
    cache. One redis-py client per connection pool is enough (a client is safe to share between
    threads; its pool hands each call a connection)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        if pool not in self._clients:
            self._clients[pool] = self._client(connection_pool=pool)
        return self._clients[pool]


class DegradingRedisCache(RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = SharedClientRedisCacheClient
        self.fallback = LocMemCache("redis-fallback", {"TIMEOUT": 60})
        self.down_until = None

    def call(self, name, *args, **kwargs):
        if self.down_until is not None and time.monotonic() < self.down_until:
            return getattr(self.fallback, name)(*args, **kwargs)
        try:
            answer = getattr(super(), name)(*args, **kwargs)
        except redis.RedisError as error:
            if self.down_until is None:
                logger.warning(
                    "Redis does not answer (%s): caching in this process's memory", error
                )
            self.down_until = time.monotonic() + RETRY_SECONDS
            return getattr(self.fallback, name)(*args, **kwargs)
        if self.down_until is not None:
            logger.info("Redis answers again: caching in Redis")
            self.down_until = None
        return answer

    @property
    def degraded(self):
        """True while Redis is left alone after a failure (the health check reports it)."""
        return self.down_until is not None

    # Every call of Django's cache API that reaches Redis.
    def add(self, *args, **kwargs):
        return self.call("add", *args, **kwargs)

    def get(self, *args, **kwargs):
        return self.call("get", *args, **kwargs)

    def set(self, *args, **kwargs):
        return self.call("set", *args, **kwargs)

    def touch(self, *args, **kwargs):
        return self.call("touch", *args, **kwargs)

    def delete(self, *args, **kwargs):
        return self.call("delete", *args, **kwargs)

    def get_many(self, *args, **kwargs):
        return self.call("get_many", *args, **kwargs)

    def has_key(self, *args, **kwargs):
        return self.call("has_key", *args, **kwargs)

    def incr(self, *args, **kwargs):
        return self.call("incr", *args, **kwargs)

    def set_many(self, *args, **kwargs):
        return self.call("set_many", *args, **kwargs)

    def delete_many(self, *args, **kwargs):
        return self.call("delete_many", *args, **kwargs)

    def clear(self, *args, **kwargs):
        return self.call("clear", *args, **kwargs)
