"""Growing past one machine: a read replica, a shared cache, a statement timeout, a pool.
Each runs Django in a subprocess with the settings a deployment would set."""

import os
import socket
import subprocess
import sys

import pytest
from django.db import connection  # noqa: F401 (read by the skip conditions)

from tests.conftest import ROOT

BASE = {
    "DJANGO_DEBUG": "1",
    "DJANGO_ALLOWED_HOSTS": "testserver",
}


def django(code, env):
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_"))}
    script = "import django; django.setup()\n" + code
    result = subprocess.run(
        [sys.executable, "-c", script],
        cwd=ROOT,
        env={**clean, **BASE, "DJANGO_SETTINGS_MODULE": "portal.settings", **env},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    return result.stdout


def test_public_pages_read_from_the_replica_and_the_admin_does_not(tmp_path):
    primary, replica = tmp_path / "primary.sqlite3", tmp_path / "replica.sqlite3"
    code = """
import io
from django.core.management import call_command
from django.db import connections
from django.test import Client
from django.test.utils import CaptureQueriesContext
import shutil
call_command("migrate", verbosity=0)
call_command("import_trials", "--publish", "data/trials", stdout=io.StringIO())
connections.close_all()
# A replica is a copy of the primary, kept up to date by the database (here: copied once).
names = [connections[alias].settings_dict["NAME"] for alias in ("default", "replica")]
shutil.copy(*names)
client = Client()
# What the list caches (its counts and cards) is read from the primary: a cached entry must
# not be older than the catalogue version it is kept under.
with CaptureQueriesContext(connections["default"]) as on_primary:
    assert client.get("/trials/").status_code == 200
print("cached", len(on_primary))
# A page made for one visitor (sites nearest their place), never cached: from the replica.
with CaptureQueriesContext(connections["replica"]) as on_replica, \\
        CaptureQueriesContext(connections["default"]) as on_primary:
    assert client.get("/trials/NCT02013167/?near=Boston").status_code == 200
print("public", len(on_replica), len(on_primary))
with CaptureQueriesContext(connections["replica"]) as on_replica:
    client.get("/admin/login/")
print("admin", len(on_replica))
"""
    out = django(
        code,
        {"DATABASE_URL": f"sqlite:///{primary}", "DATABASE_REPLICA_URL": f"sqlite:///{replica}"},
    )
    assert int(out.split("cached ")[1].split()[0]) > 0
    public = out.split("public ")[1].split()
    assert int(public[0]) > 0 and int(public[1]) == 0  # every read not cached: the replica
    assert out.split("admin ")[1].split()[0] == "0"


def test_without_a_replica_everything_reads_the_primary():
    from portal.routers import PrimaryReplicaRouter, public_read

    token = public_read.set(True)
    try:
        assert PrimaryReplicaRouter().db_for_read(None) is None
    finally:
        public_read.reset(token)


postgresql_only = pytest.mark.skipif(
    "connection.vendor != 'postgresql'", reason="PostgreSQL settings (run with DATABASE_URL)"
)


@postgresql_only
def test_a_slow_query_is_cancelled_by_the_statement_timeout():
    url = os.environ["DATABASE_URL"]
    out = django(
        """
from django.db import connection
try:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_sleep(2)")
    print("finished")
except Exception as error:
    print("cancelled", type(error).__name__, "statement timeout" in str(error))
""",
        {"DATABASE_URL": url, "DATABASE_STATEMENT_TIMEOUT_MS": "100"},
    )
    assert out.strip() == "cancelled OperationalError True"


@postgresql_only
def test_each_connection_gets_its_sort_memory_and_no_jit():
    url = os.environ["DATABASE_URL"]
    out = django(
        """
from django.db import connection
with connection.cursor() as cursor:
    cursor.execute("SHOW work_mem")
    memory = cursor.fetchone()[0]
    cursor.execute("SHOW jit")
    print(memory, cursor.fetchone()[0])
""",
        {"DATABASE_URL": url, "DATABASE_WORK_MEM_MB": "24"},
    )
    assert out.strip() == "24MB off"


@postgresql_only
def test_the_connection_pool_serves_requests():
    url = os.environ["DATABASE_URL"]
    out = django(
        """
from django.db import connection
with connection.cursor() as cursor:
    cursor.execute("SELECT 1")
print(type(connection.pool).__name__, connection.pool.max_size)
""",
        {"DATABASE_URL": url, "DATABASE_POOL": "1", "DATABASE_POOL_SIZE": "3"},
    )
    assert out.strip() == "ConnectionPool 3"


def redis_is_running():
    try:
        socket.create_connection(("127.0.0.1", 6379), timeout=1).close()
        return True
    except OSError:
        return False


@pytest.mark.skipif(not redis_is_running(), reason="no Redis at 127.0.0.1:6379 (.ci/run starts it)")
def test_the_cache_is_redis_when_redis_url_is_set():
    out = django(
        """
from django.core.cache import caches
cache = caches["default"]
cache.set("scaling-test", 42)
print(type(cache).__name__, cache.get("scaling-test"), cache.degraded)
""",
        {"DATABASE_URL": "sqlite:///:memory:", "REDIS_URL": "redis://127.0.0.1:6379/15"},
    )
    assert out.strip() == "DegradingRedisCache 42 False"


@pytest.mark.skipif(not redis_is_running(), reason="no Redis at 127.0.0.1:6379 (.ci/run starts it)")
def test_the_redis_cache_makes_one_client_not_one_per_call():
    # Django's own makes a redis-py client per call (0.2 ms each, several per cached page).
    out = django(
        """
from django.core.cache import caches
cache = caches["default"]
cache.set("scaling-test", 1)
cache.get("scaling-test")
clients = [cache._cache.get_client(write=w) for w in (True, False) for _ in range(3)]
print(len({id(client) for client in clients}), cache.get("scaling-test"))
""",
        {"DATABASE_URL": "sqlite:///:memory:", "REDIS_URL": "redis://127.0.0.1:6379/15"},
    )
    assert out.strip() == "1 1"
