"""The portal deployed as the README's "Deploying" says, in a temporary folder, for the tests here.

The manage.py and gunicorn lines of the README's deploy block are run as written (the virtual
environment's python is this one), with debug off, the production static storage and gunicorn, so a
step that fails in production fails here too.
"""

import json
import os
import re
import secrets
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from contextlib import contextmanager
from urllib.parse import urlsplit, urlunsplit

import psycopg

from tests.conftest import ROOT

README = ROOT / "README.md"


def deploy_commands():
    """The command lines of the README's deploy block, in order."""
    text = README.read_text()
    block = re.search(r"<!-- deploy:begin.*?```sh\n(.*?)```.*?<!-- deploy:end -->", text, re.S)
    assert block, "README.md has no deploy block between <!-- deploy:begin --> and deploy:end"
    return [line.strip() for line in block.group(1).splitlines() if line.strip()]


def runnable(line):
    """A README line as this test runs it: the project's python instead of .venv's."""
    words = line.split()
    if words[0] == ".venv/bin/python":
        return [sys.executable, *words[1:]]
    if words[0] == ".venv/bin/gunicorn":
        return [sys.executable, "-m", "gunicorn", *words[1:]]
    return None


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def production_environment(*, database_url, static_root, port):
    """The environment of a production server: the test run's own settings taken out."""
    env = {
        name: value
        for name, value in os.environ.items()
        if not name.startswith(("DJANGO_", "DATABASE_", "REDIS_", "MAP_TILE"))
    }
    env.update(
        DATABASE_URL=database_url,
        DJANGO_SECRET_KEY=secrets.token_urlsafe(50),
        DJANGO_ALLOWED_HOSTS="127.0.0.1,localhost",
        # The browser test posts the admin login from http://127.0.0.1 (no TLS proxy here).
        DJANGO_CSRF_TRUSTED_ORIGINS=f"http://127.0.0.1:{port}",
        DJANGO_STATIC_ROOT=str(static_root),
    )
    return env


@contextmanager
def scratch_database(tmp_path, suffix="_deploy"):
    """A database of its own: PostgreSQL beside the test run's when DATABASE_URL names one."""
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        yield f"sqlite:///{tmp_path / 'portal.sqlite3'}"
        return
    parts = urlsplit(url)
    name = parts.path.lstrip("/") + suffix
    admin_url = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield urlunsplit(parts._replace(path=f"/{name}"))
    finally:
        with psycopg.connect(admin_url, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def run_step(command, env):
    result = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, f"{' '.join(command)} failed:\n{result.stdout}\n{result.stderr}"
    return result


@contextmanager
def gunicorn(command, *, env, port, log_path):
    """gunicorn as the README starts it, on `port`, until the block ends."""
    command = [*command]
    command[command.index("--bind") + 1] = f"127.0.0.1:{port}"
    command[command.index("--workers") + 1] = "2"  # two cores here
    with open(log_path, "w") as log:
        server = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=log)
        try:
            wait_until_up(port, server, log_path)
            yield f"http://127.0.0.1:{port}"
        finally:
            server.terminate()
            server.wait(timeout=30)


def wait_until_up(port, server, log_path, seconds=180):
    # Generous: the server reads the place gazetteer before it answers (portal/wsgi.py), which
    # takes seconds alone and a minute on a machine busy with other tests.
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise AssertionError(f"gunicorn stopped:\n{log_path.read_text()}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            time.sleep(0.2)
    raise AssertionError(f"gunicorn did not answer in {seconds} s:\n{log_path.read_text()}")


class Answer:
    def __init__(self, status, headers, body):
        self.status, self.headers, self.body = status, headers, body

    @property
    def text(self):
        return self.body.decode("utf-8", "replace")

    def json(self):
        return json.loads(self.body)


class NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


OPENER = urllib.request.build_opener(NoRedirects)


def fetch(url, *, https=True, headers=None):
    """GET over real HTTP, as from behind the TLS proxy (X-Forwarded-Proto) unless https=False."""
    request = urllib.request.Request(url, headers=headers or {})
    if https:
        request.add_header("X-Forwarded-Proto", "https")
    try:
        with OPENER.open(request, timeout=30) as response:
            return Answer(response.status, response.headers, response.read())
    except urllib.error.HTTPError as error:
        return Answer(error.code, error.headers, error.read())
