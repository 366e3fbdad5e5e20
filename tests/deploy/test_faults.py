"""Faults: Redis, the database or an import failing, and what families and curators see then."""

import logging
import shutil
import socket
import subprocess
import time

import pytest

from tests import factories
from tests.conftest import BUNDLED_IDS
from tests.deploy.server import free_port
from trials.models import ProblemReport

# A real Redis client pointed at a port where nothing listens.
REDIS_DOWN = {
    "default": {
        "BACKEND": "portal.cache.DegradingRedisCache",
        "LOCATION": "redis://127.0.0.1:9/0",
        "TIMEOUT": 3600,
        "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
    }
}


def test_without_redis_the_pages_still_serve_and_the_warning_is_logged_once(
    client, bundled_trials, settings, caplog
):
    settings.CACHES = REDIS_DOWN
    caplog.set_level(logging.WARNING, logger="portal.cache")
    nct_id = BUNDLED_IDS[1]
    for path in ["/", "/trials/", "/trials/?q=blinatumomab", f"/trials/{nct_id}/", "/"]:
        response = client.get(path)
        assert response.status_code == 200, path
    assert nct_id in client.get("/trials/").content.decode()
    warnings = [r for r in caplog.records if r.name == "portal.cache"]
    assert len(warnings) == 1
    assert "Redis does not answer" in warnings[0].getMessage()


def test_without_redis_the_health_check_says_degraded_but_keeps_the_server_in_rotation(
    client, db, settings
):
    settings.CACHES = REDIS_DOWN
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"database": "ok", "cache": "degraded"}


def test_without_redis_problem_reports_are_still_limited_per_address(client, db, settings):
    settings.CACHES = REDIS_DOWN
    settings.PROBLEM_REPORTS_PER_HOUR = 2
    made = factories.trial()
    url = f"/trials/{made.nct_id}/report/"
    form = {"kind": "WRONG", "message": "The phone number of the Boston site is wrong."}
    for _ in range(2):
        assert client.post(url, form, REMOTE_ADDR="203.0.113.9").status_code == 302
    assert client.post(url, form, REMOTE_ADDR="203.0.113.9").status_code == 429
    assert ProblemReport.objects.count() == 2


def test_moving_the_catalogue_version_on_without_redis_does_not_fail(db, settings):
    """A curator's save moves the version on (trials/cache.py): it must not fail."""
    from trials.cache import catalogue_changed, catalogue_version

    settings.CACHES = REDIS_DOWN
    before = catalogue_version()
    catalogue_changed()
    assert catalogue_version() == before + 1


@pytest.fixture
def own_redis(tmp_path):
    """A throw-away redis-server of this test's own, which it may stop and start."""
    if not shutil.which("redis-server"):
        pytest.skip("no redis-server on this machine (apt-get install redis-server)")
    port = free_port()
    command = ["redis-server", "--port", str(port), "--save", "", "--dir", str(tmp_path)]

    def start():
        server = subprocess.Popen(command, stdout=subprocess.DEVNULL)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                return server
            except OSError:
                time.sleep(0.05)
        raise AssertionError("redis-server did not start")

    servers = [start()]
    yield port, servers, start
    for server in servers:
        server.terminate()
        server.wait(timeout=10)


def test_redis_stopped_and_started_again_the_pages_serve_throughout(
    client, bundled_trials, settings, own_redis, caplog, monkeypatch
):
    port, servers, start = own_redis
    monkeypatch.setattr("portal.cache.RETRY_SECONDS", 0)
    caplog.set_level(logging.INFO, logger="portal.cache")
    settings.CACHES = {
        "default": {**REDIS_DOWN["default"], "LOCATION": f"redis://127.0.0.1:{port}/0"}
    }
    assert client.get("/healthz").json()["cache"] == "ok"
    assert client.get("/trials/").status_code == 200

    servers[0].terminate()
    servers[0].wait(timeout=10)
    assert client.get("/trials/?q=blinatumomab").status_code == 200
    assert client.get("/healthz").json()["cache"] == "degraded"

    servers.append(start())
    assert client.get("/trials/").status_code == 200
    assert client.get("/healthz").json()["cache"] == "ok"
    messages = [r.getMessage() for r in caplog.records if r.name == "portal.cache"]
    assert len(messages) == 2
    assert "Redis does not answer" in messages[0]
    assert "Redis answers again" in messages[1]
