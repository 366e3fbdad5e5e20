"""One deployment for the tests of this folder: the README's steps, run once."""

import subprocess

import pytest

from tests.conftest import ROOT
from tests.deploy.server import (
    deploy_commands,
    free_port,
    gunicorn,
    production_environment,
    run_step,
    runnable,
    scratch_database,
)
from tests.mail import smtp_server

CURATOR = ("ada", "a-long-deploy-test-passphrase")
# A curator made as a script would (`echo pw | create_curator`), who forgets the password.
FORGETFUL = ("rosa", "a-long-forgotten-passphrase", "rosa@example.org")


@pytest.fixture(scope="package")
def mailbox():
    """The deployment's mail server: what the portal sent."""
    with smtp_server() as (inbox, port):
        inbox.port = port
        yield inbox


@pytest.fixture(scope="package")
def deployment(tmp_path_factory, mailbox):
    """The README's steps run as written; yields the base URL, the server's log, its environment
    and the gunicorn command line."""
    tmp_path = tmp_path_factory.mktemp("deploy")
    port = free_port()
    lines = deploy_commands()
    commands = [runnable(line) for line in lines]
    steps = [command for command in commands if command and "gunicorn" not in command]
    serve = next(command for command in commands if command and "gunicorn" in command)
    with scratch_database(tmp_path) as database_url:
        env = production_environment(
            database_url=database_url, static_root=tmp_path / "static", port=port
        )
        env.update(
            EMAIL_URL=f"smtp://127.0.0.1:{mailbox.port}", DEFAULT_FROM_EMAIL="trials@example.org"
        )
        for command in steps:
            run_step(command, env)
        # A curator's account, for the browser test of the admin's trial form.
        run_step(
            [serve[0], "manage.py", "createsuperuser", "--noinput", "--email", "ada@example.org"],
            {
                **env,
                "DJANGO_SUPERUSER_USERNAME": CURATOR[0],
                "DJANGO_SUPERUSER_PASSWORD": CURATOR[1],
            },
        )
        name, password, address = FORGETFUL
        made = subprocess.run(
            [serve[0], "manage.py", "create_curator", name, "--email", address],
            input=f"{password}\n",
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert f"{name} can sign in" in made.stdout, made.stdout + made.stderr
        log_path = tmp_path / "gunicorn.log"
        with gunicorn(serve, env=env, port=port, log_path=log_path) as url:
            yield url, log_path, env, serve
