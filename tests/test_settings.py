import os
import subprocess
import sys

from tests.conftest import ROOT

PRODUCTION = {
    "DJANGO_DEBUG": "0",
    "DJANGO_SECRET_KEY": "k7#Qm2vX9!pL4zR8wT1yN6bC3dF5hJ0sA-gU*eW+oI2qE7rY_tP",
    "DJANGO_ALLOWED_HOSTS": "trials.example.org",
}


def manage(*args, env):
    clean = {key: value for key, value in os.environ.items() if not key.startswith("DJANGO_")}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_deploy_check_is_clean_in_production_mode():
    result = manage("check", "--deploy", "--fail-level", "WARNING", env=PRODUCTION)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_mode_without_a_secret_key_names_the_variable():
    env = {**PRODUCTION, "DJANGO_SECRET_KEY": ""}
    result = manage("check", env=env)
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY is required" in result.stderr


def test_debug_is_off_unless_asked_for():
    script = "from django.conf import settings; print(settings.DEBUG)"
    result = manage("shell", "--no-imports", "-c", script, env={**PRODUCTION, "DJANGO_DEBUG": ""})
    assert result.stdout.strip().endswith("False"), result.stderr
    result = manage("shell", "--no-imports", "-c", script, env={"DJANGO_DEBUG": "1"})
    assert result.stdout.strip().endswith("True"), result.stderr


def test_a_bad_boolean_setting_fails_loudly():
    result = manage("check", env={**PRODUCTION, "DJANGO_DEBUG": "maybe"})
    assert result.returncode != 0
    assert "DJANGO_DEBUG must be 1 or 0" in result.stderr


def test_no_migrations_are_missing():
    result = manage("makemigrations", "--check", "--dry-run", env={"DJANGO_DEBUG": "1"})
    assert result.returncode == 0, result.stdout + result.stderr


EMAIL_SETTINGS = (
    "from django.conf import settings as s; print(s.EMAIL_HOST, s.EMAIL_PORT, s.EMAIL_HOST_USER,"
    " s.EMAIL_HOST_PASSWORD, s.EMAIL_USE_TLS, s.EMAIL_USE_SSL, s.DEFAULT_FROM_EMAIL,"
    " s.PASSWORD_RESET_BY_EMAIL)"
)


def email_settings(**env):
    clean = {"EMAIL_URL": "", "EMAIL_HOST": "", "DEFAULT_FROM_EMAIL": ""}
    result = manage(
        "shell", "--no-imports", "-c", EMAIL_SETTINGS, env={**PRODUCTION, **clean, **env}
    )
    return result.stdout.strip().splitlines()[-1] if result.returncode == 0 else result.stderr


def test_email_comes_from_one_url_or_from_its_parts():
    # No server: no password reset by email.
    assert email_settings() == "25   False False  False"
    from_url = email_settings(
        EMAIL_URL="smtp+tls://curators%40example.org:p%40ss@mail.example.org",
        DEFAULT_FROM_EMAIL="trials@example.org",
    )
    assert from_url == (
        "mail.example.org 587 curators@example.org p@ss True False trials@example.org True"
    )
    assert email_settings(EMAIL_URL="smtps://mail.example.org", DEFAULT_FROM_EMAIL="a@b.org") == (
        "mail.example.org 465   False True a@b.org True"
    )
    from_parts = email_settings(
        EMAIL_HOST="mail.example.org",
        EMAIL_PORT="2525",
        EMAIL_USE_TLS="1",
        DEFAULT_FROM_EMAIL="trials@example.org",
    )
    assert from_parts == "mail.example.org 2525   True False trials@example.org True"


def test_bad_email_settings_fail_loudly():
    assert "EMAIL_URL must look like smtp+tls://" in email_settings(
        EMAIL_URL="http://mail.example.org", DEFAULT_FROM_EMAIL="a@b.org"
    )
    assert "DEFAULT_FROM_EMAIL is required when email is configured" in email_settings(
        EMAIL_URL="smtp://mail.example.org"
    )


def test_alerts_are_offered_with_a_mail_server_and_the_sites_address():
    def alerts(**env):
        clean = {"EMAIL_URL": "", "EMAIL_HOST": "", "DEFAULT_FROM_EMAIL": "", "SITE_URL": ""}
        code = "from django.conf import settings as s; print(s.ALERTS_BY_EMAIL, s.SITE_URL)"
        result = manage("shell", "--no-imports", "-c", code, env={**PRODUCTION, **clean, **env})
        return result.stdout.strip().splitlines()[-1]

    mail = {"EMAIL_URL": "smtp://mail.example.org", "DEFAULT_FROM_EMAIL": "a@example.org"}
    assert alerts() == "False"
    assert alerts(**mail) == "False"  # no address for the links in the emails
    site = "https://trials.example.org/"
    assert alerts(**mail, SITE_URL=site) == "True https://trials.example.org"
    assert alerts(DJANGO_DEBUG="1") == "True http://127.0.0.1:8000"
