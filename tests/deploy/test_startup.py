"""The place gazetteer is read when the server starts, not on a worker's first "near" search:
under load, five workers reading it at once overran gunicorn's 30 s timeout and were killed
mid-request, a 500 for the visitor (found by `make loadtest`, bench/LOAD.md)."""

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
