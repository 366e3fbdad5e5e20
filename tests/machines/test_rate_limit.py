"""A rate limit per client address on the API and the exports, counted in the shared cache: in
Redis (across workers) and in the local-memory cache alike (trials/machines/rate_limit.py)."""

import json
import os

import pytest
from django.core.cache import cache
from django.test import Client

from trials.machines.rate_limit import count_request

pytestmark = pytest.mark.django_db

# This branch's own Redis database (tests may reach loopback only).
TEST_REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/6")


def redis_answers():
    import redis

    try:
        return redis.Redis.from_url(TEST_REDIS_URL, socket_connect_timeout=0.5).ping()
    except redis.RedisError:
        return False


@pytest.fixture(params=["locmem", "redis"])
def shared_cache(request, settings):
    if request.param == "redis":
        if not redis_answers():
            pytest.skip(f"no Redis at {TEST_REDIS_URL}")
        settings.CACHES = {
            "default": {"BACKEND": "portal.cache.DegradingRedisCache", "LOCATION": TEST_REDIS_URL}
        }
    else:
        settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    cache.clear()
    yield request.param
    cache.clear()


def test_the_exports_answer_429_with_retry_after_past_the_limit(
    client, bundled_trials, settings, shared_cache
):
    settings.API_RATE_LIMIT = (3, 60)
    for _ in range(3):
        assert client.get("/trials/export.csv").status_code == 200
    refused = client.get("/es/trials/export.json")  # every export, in every language, counts
    assert refused.status_code == 429
    assert 1 <= int(refused["Retry-After"]) <= 60
    assert "text/html" in refused["Content-Type"]
    assert "Demasiadas solicitudes" in refused.content.decode()
    # The pages themselves are not limited.
    assert client.get("/trials/").status_code == 200


def test_the_api_answers_429_in_json(client, settings, shared_cache):
    settings.API_RATE_LIMIT = (1, 60)
    client.get("/api/v1/trials/")  # whatever it answers (the API comes with its branch)
    refused = client.get("/api/v1/trials/")
    assert refused.status_code == 429
    body = json.loads(refused.content)
    assert body["retry_after"] == int(refused["Retry-After"])
    assert "Too many requests" in body["detail"]


def test_each_address_has_its_own_count_behind_the_trusted_proxy(
    bundled_trials, settings, shared_cache
):
    settings.API_RATE_LIMIT = (1, 60)
    settings.TRUSTED_PROXY_COUNT = 1
    one = Client(headers={"X-Forwarded-For": "203.0.113.7"})
    other = Client(headers={"X-Forwarded-For": "203.0.113.8"})
    assert one.get("/trials/export.csv").status_code == 200
    assert one.get("/trials/export.csv").status_code == 429
    # A forged first entry does not give a fresh count: the proxy's entry is the address.
    forged = Client(headers={"X-Forwarded-For": "198.51.100.1, 203.0.113.7"})
    assert forged.get("/trials/export.csv").status_code == 429
    assert other.get("/trials/export.csv").status_code == 200


def test_the_count_is_shared_by_every_process_that_shares_the_cache(rf, settings, shared_cache):
    """Two workers are two middleware instances reading one cache: the count is the cache's."""
    settings.API_RATE_LIMIT = (2, 3600)
    request = rf.get("/trials/export.csv", REMOTE_ADDR="192.0.2.1")
    assert count_request(request) == 0
    assert count_request(request) == 0
    wait = count_request(request)
    assert 0 < wait <= 3600
    if shared_cache == "redis":
        import redis

        keys = redis.Redis.from_url(TEST_REDIS_URL).keys("*rate-limit*")
        assert len(keys) == 1 and b"192.0.2.1" not in keys[0]  # the address kept as a hash


def test_no_limit_when_turned_off(client, bundled_trials, settings, shared_cache):
    settings.API_RATE_LIMIT = None
    for _ in range(5):
        assert client.get("/trials/export.csv").status_code == 200
