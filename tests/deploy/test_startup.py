"""The place gazetteer is read when the server starts, not on a worker's first "near" search:
under load, five workers reading it at once overran gunicorn's 30 s timeout and were killed
mid-request, a 500 for the visitor (found by `make loadtest`, bench/LOAD.md)."""

import os
import subprocess
import sys

from tests.conftest import ROOT
from tests.deploy.server import deploy_commands


def test_the_wsgi_application_reads_the_gazetteer_before_any_request():
    loaded = subprocess.run(
        [
            sys.executable,
            "-c",
            "import portal.wsgi\n"
            "from trials.places.gazetteer import _load_gazetteer\n"
            "print(_load_gazetteer.cache_info().currsize)",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert loaded.returncode == 0, loaded.stderr
    assert loaded.stdout.strip() == "1"


def test_the_readme_reads_it_once_before_gunicorn_forks_its_workers():
    serve = next(line for line in deploy_commands() if "gunicorn" in line)
    assert "--preload" in serve.split()


def test_what_the_server_keeps_for_life_is_left_out_of_garbage_collection():
    # Frozen at start-up (before the fork), then again after each process's first requests,
    # when its templates are compiled: a full collection no longer walks them (portal/wsgi.py).
    script = """
import gc
import portal.wsgi
from django.test import Client
from portal import gc_tuning
from django.utils.translation import trans_real
at_start = gc.get_freeze_count()
print(at_start > 0, sorted(trans_real._translations))
client = Client()
for _ in range(gc_tuning.WARM_REQUESTS - 1):
    assert client.get("/robots.txt").status_code == 200
before = gc.get_freeze_count()
client.get("/robots.txt")
# (Frozen objects can still be freed: the count falls, until the next freeze.)
print(before <= at_start, gc.get_freeze_count() > before)
"""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "DATABASE_", "REDIS_"))
    }
    frozen = subprocess.run(
        [sys.executable, "-c", script],
        cwd=ROOT,
        env={
            **env,
            "DATABASE_URL": "sqlite:///:memory:",
            "DJANGO_DEBUG": "0",
            "DJANGO_SECRET_KEY": "startup-test-" + "x" * 50,
            "DJANGO_ALLOWED_HOSTS": "testserver",
            "DJANGO_SECURE_SSL_REDIRECT": "0",
        },
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert frozen.returncode == 0, frozen.stderr[-2000:]
    assert frozen.stdout.split("\n")[:2] == ["True ['en', 'es', 'zh-hans']", "True True"]
