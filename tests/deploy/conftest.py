"""One deployment for the tests of this folder: the README's steps, run once."""

import pytest

from tests.deploy.server import (
    deploy_commands,
    free_port,
    gunicorn,
    production_environment,
    run_step,
    runnable,
    scratch_database,
)

CURATOR = ("ada", "a-long-deploy-test-passphrase")


@pytest.fixture(scope="package")
def deployment(tmp_path_factory):
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
        log_path = tmp_path / "gunicorn.log"
        with gunicorn(serve, env=env, port=port, log_path=log_path) as url:
            yield url, log_path, env, serve
