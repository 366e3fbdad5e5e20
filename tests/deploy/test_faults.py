"""Faults: Redis, the database or an import failing, and what families and curators see then.

The database faults run the README's deployment (tests/deploy/conftest.py) under gunicorn in
production mode, pointed at a closed port or at a PostgreSQL of the test's own that it stops and
starts (never the machine's shared one).
"""

import glob
import json
import logging
import os
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path

import psycopg
import pytest

from tests import factories
from tests.conftest import BUNDLED, BUNDLED_IDS, ROOT
from tests.deploy.server import (
    deploy_commands,
    fetch,
    free_port,
    gunicorn,
    production_environment,
    run_step,
    runnable,
    scratch_database,
)
from tests.deploy.test_production import DEBUG_WORDS, log_entries
from trials.models import ProblemReport
from trials.registry.record import map_study

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


# Every public page that reads the database.
PUBLIC_PAGES = [
    "/",
    "/trials/",
    "/trials/?q=blinatumomab&status=RECRUITING",
    f"/trials/{BUNDLED_IDS[1]}/",
    "/trials/export.csv",
    "/trials/export.json?q=leukemia",
    f"/trials/{BUNDLED_IDS[1]}/report/",
]
# The promise: a visitor waits at most this long for the 503 page when the database is gone.
UNAVAILABLE_WITHIN_SECONDS = 3


def timed_fetch(url):
    start = time.monotonic()
    answer = fetch(url)
    return answer, time.monotonic() - start


def assert_the_unavailable_page(url, *, cached=()):
    """Every public page answers the 503 page within 3 s; those in `cached` may instead be
    served whole from the cache (a trial page, the landing page), which is better still."""
    # gunicorn listens before its workers have loaded Django: that wait is not the fault's.
    for _ in range(4):
        fetch(url + "/healthz")
    for path in [*PUBLIC_PAGES, "/healthz"]:
        answer, seconds = timed_fetch(url + path)
        assert seconds < UNAVAILABLE_WITHIN_SECONDS, (path, seconds)
        if answer.status == 200 and path in cached:
            continue
        assert answer.status == 503, (path, answer.status)
        if path == "/healthz":
            assert answer.json()["database"] == "unavailable"
            continue
        assert answer.headers["Retry-After"] == "60"
        assert "briefly unavailable" in answer.text, path
        for word in DEBUG_WORDS + ["psycopg", "OperationalError"]:
            assert word not in answer.text, (path, word)


@pytest.mark.parametrize("pool", ["0", "1"], ids=["connections", "pool"])
def test_with_the_database_at_a_closed_port_every_page_says_unavailable_within_3_s(
    deployment, tmp_path, pool
):
    _, _, env, serve = deployment
    broken = {**env, "DATABASE_URL": f"postgres://portal@127.0.0.1:{free_port()}/portal"}
    broken["DATABASE_POOL"] = pool
    with gunicorn(serve, env=broken, port=free_port(), log_path=tmp_path / "gunicorn.log") as url:
        assert_the_unavailable_page(url)


def test_a_query_past_the_statement_timeout_gives_the_503_page_and_a_log_line(deployment, tmp_path):
    _, _, env, serve = deployment
    if not env["DATABASE_URL"].startswith("postgres"):
        pytest.skip("a statement timeout is PostgreSQL's (run with DATABASE_URL=postgres://...)")
    # A real search on the bundled trials takes some milliseconds: with a 1 ms limit PostgreSQL
    # cancels it, as it would cancel a slow query at the default 5 s.
    env = {**env, "DATABASE_STATEMENT_TIMEOUT_MS": "1"}
    log_path = tmp_path / "gunicorn.log"
    with gunicorn(serve, env=env, port=free_port(), log_path=log_path) as url:
        for _ in range(4):
            fetch(url + "/healthz")  # the workers loaded
        answer, seconds = timed_fetch(f"{url}/trials/?q=relapsed+leukemia+children")
    assert answer.status == 503
    assert seconds < UNAVAILABLE_WITHIN_SECONDS
    assert answer.headers["Retry-After"] == "60"
    assert "briefly unavailable" in answer.text
    for word in DEBUG_WORDS + ["statement timeout", "canceling"]:
        assert word not in answer.text, word
    errors = [e for e in log_entries(log_path) if e["level"] == "ERROR"]
    assert any(
        e.get("path", "").startswith("/trials/") or "/trials/" in e["message"] for e in errors
    )
    assert any(
        "canceling statement due to statement timeout" in e.get("traceback", "") for e in errors
    )


def postgresql_binaries():
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"))
    return Path(found[-1]).parent if found else None


@contextmanager
def own_postgresql():
    """A throw-away PostgreSQL cluster on a free port, which the test may stop and start.

    PostgreSQL refuses to run as root: as root, it runs as the postgres user."""
    binaries = postgresql_binaries()
    if binaries is None:
        pytest.skip("PostgreSQL's server programs are not installed (/usr/lib/postgresql/*/bin)")
    as_user = []
    folder = Path(tempfile.mkdtemp(prefix="portal-faults-pg-"))
    if os.geteuid() == 0:
        if not shutil.which("runuser"):
            pytest.skip("running as root without runuser: cannot start PostgreSQL as postgres")
        as_user = ["runuser", "-u", "postgres", "--"]
        shutil.chown(folder, "postgres")
    port = free_port()
    data = folder / "data"

    def pg(*command):
        subprocess.run([*as_user, *command], check=True, capture_output=True, timeout=120)

    def start():
        options = f"-p {port} -k {folder} -c listen_addresses=127.0.0.1 -c fsync=off"
        pg(binaries / "pg_ctl", "-D", data, "-o", options, "-l", folder / "log", "-w", "start")

    def stop():
        pg(binaries / "pg_ctl", "-D", data, "-m", "fast", "-w", "stop")

    try:
        pg(binaries / "initdb", "-D", data, "-U", "postgres", "--auth=trust", "-E", "UTF8")
        start()
        yield f"postgres://postgres@127.0.0.1:{port}/portal", start, stop
    finally:
        subprocess.run(
            [*as_user, binaries / "pg_ctl", "-D", data, "-m", "immediate", "stop"],
            capture_output=True,
        )
        shutil.rmtree(folder, ignore_errors=True)


@pytest.mark.parametrize("pool", ["0", "1"], ids=["connections", "pool"])
def test_a_postgresql_stopped_then_started_again_503_then_serves_without_a_restart(
    deployment, tmp_path, pool
):
    _, _, env, serve = deployment
    with own_postgresql() as (database_url, start, stop):
        admin_url = database_url.rsplit("/", 1)[0] + "/postgres"
        with psycopg.connect(admin_url, autocommit=True) as conn:
            conn.execute("CREATE DATABASE portal")
        env = {**env, "DATABASE_URL": database_url, "DATABASE_POOL": pool}
        for line in deploy_commands():
            command = runnable(line)
            if command and ("migrate" in command or "import_trials" in command):
                run_step(command, env)
        with gunicorn(serve, env=env, port=free_port(), log_path=tmp_path / "log") as url:
            for path in PUBLIC_PAGES * 2:  # both workers hold a connection
                assert fetch(url + path).status == 200, path

            stop()
            assert_the_unavailable_page(url, cached=PUBLIC_PAGES)
            # A search no one made before reads the database: it cannot be served from a cache.
            assert fetch(f"{url}/trials/?q=relapsed+infant").status == 503

            start()
            # The very next requests succeed: each worker finds its old connection dead and
            # connects again (CONN_HEALTH_CHECKS; the pool checks too), with no restart.
            for path in [*PUBLIC_PAGES, "/healthz"] * 2:
                answer = fetch(url + path)
                assert answer.status == 200, (path, answer.status)


IMPORT_COPIES = 8  # of each bundled API v2 record: a folder of 48 records, some of 117 sites


def synthetic_folder(folder):
    """Copies of the bundled records under made-up NCT IDs (the synthetic range, NCT9...), each
    labelled synthetic in its title and source; returns {NCT ID: the rows its file holds}."""
    folder.mkdir()
    expected = {}
    number = 90_000_000
    for _ in range(IMPORT_COPIES):
        for original in sorted(BUNDLED.glob("*.json")):
            study = json.loads(original.read_text())
            number += 1
            nct_id = f"NCT{number}"
            ident = study["protocolSection"]["identificationModule"]
            ident["nctId"] = nct_id
            ident["briefTitle"] = f"[Synthetic copy of {original.stem}] {ident['briefTitle']}"
            study.setdefault("portal", {})["source"] = (
                f"Synthetic: a copy of {original.stem} for a fault test."
            )
            (folder / f"{nct_id}.json").write_text(json.dumps(study))
            mapped = map_study(study)
            expected[nct_id] = rows_of(mapped)
    return expected


def rows_of(mapped):
    return {
        "sites": len(mapped.sites),
        "arms": len(mapped.arms),
        "interventions": len(mapped.interventions),
        "outcomes": len(mapped.outcomes),
    }


ROWS_IN_DATABASE = """
import json
from django.db.models import Count
from trials import models as m
rows = {t: dict.fromkeys(["sites", "arms", "interventions", "outcomes"], 0)
        for t in m.Trial.objects.values_list("nct_id", flat=True)}
for name, model in [("sites", m.Site), ("arms", m.Arm),
                    ("interventions", m.Intervention), ("outcomes", m.Outcome)]:
    for nct_id, count in model.objects.values_list("trial__nct_id").annotate(n=Count("id")):
        rows[nct_id][name] = count
print(json.dumps(rows))
"""


def trial_count(database_url):
    if database_url.startswith("postgres"):
        with psycopg.connect(database_url) as conn:
            return conn.execute("SELECT count(*) FROM trials_trial").fetchone()[0]
    with sqlite3.connect(database_url.removeprefix("sqlite:///"), timeout=10) as conn:
        count = conn.execute("SELECT count(*) FROM trials_trial").fetchone()[0]
    conn.close()
    return count


def test_an_import_killed_mid_folder_leaves_no_half_written_trial_and_a_rerun_finishes(tmp_path):
    expected = synthetic_folder(tmp_path / "records")
    with scratch_database(tmp_path, suffix="_import_kill") as database_url:
        env = {**production_environment(database_url=database_url, static_root=tmp_path, port=0)}
        manage = [sys.executable, "manage.py"]
        run_step([*manage, "migrate", "--noinput"], env)
        importing = subprocess.Popen(
            [*manage, "import_trials", str(tmp_path / "records")],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 300
        while trial_count(database_url) < 5 and time.monotonic() < deadline:
            assert importing.poll() is None, "the import ended before it could be killed"
            time.sleep(0.05)
        importing.send_signal(signal.SIGKILL)
        importing.wait(timeout=30)
        assert importing.returncode == -signal.SIGKILL

        present = json.loads(
            run_step([*manage, "shell", "--no-imports", "-c", ROWS_IN_DATABASE], env).stdout
        )
        assert 5 <= len(present) < len(expected), "killed in the middle of the folder"
        for nct_id, rows in present.items():
            assert rows == expected[nct_id], nct_id  # every trial there is whole

        run_step([*manage, "import_trials", str(tmp_path / "records")], env)
        finished = json.loads(
            run_step([*manage, "shell", "--no-imports", "-c", ROWS_IN_DATABASE], env).stdout
        )
        assert finished == expected
