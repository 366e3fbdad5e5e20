"""Curators' accounts: `create_curator` takes a password from the environment, a pipe or a
prompt, checks it, and says what it made; a forgotten password is reset by email through the
admin's own flow, followed here end to end through a real SMTP server (aiosmtpd)."""

import importlib
import io
import os
import re
import subprocess
import sys
from io import StringIO

import pytest
from django.contrib.auth.models import User
from django.core.management import CommandError, call_command
from django.urls import clear_url_caches

from tests.conftest import ROOT
from tests.mail import smtp_server
from trials.accounts import make_curator

pytestmark = pytest.mark.django_db

GOOD = "a-long-curator-passphrase"


class Pipe(io.StringIO):
    """Standard input that is not a terminal: `echo ... | manage.py create_curator`."""

    def isatty(self):
        return False


class Terminal(io.StringIO):
    def isatty(self):
        return True


def create(*args, stdin="", tty=False, monkeypatch):
    monkeypatch.setattr(sys, "stdin", (Terminal if tty else Pipe)(stdin))
    out = StringIO()
    call_command("create_curator", *args, stdout=out)
    return out.getvalue()


def can_sign_in(client, username, password):
    response = client.post(
        "/admin/login/?next=/admin/", {"username": username, "password": password}
    )
    return response.status_code == 302 and response["Location"] == "/admin/"


def test_a_password_piped_in_makes_an_account_that_signs_in(client, monkeypatch):
    monkeypatch.delenv("CURATOR_PASSWORD", raising=False)
    said = create(
        "alice", "--email", "alice@example.org", stdin=GOOD + "\n", monkeypatch=monkeypatch
    )
    assert "Created curator alice in the group Curators." in said
    assert "alice can sign in, with the password given." in said
    alice = User.objects.get(username="alice")
    assert alice.is_staff and not alice.is_superuser and alice.email == "alice@example.org"
    assert list(alice.groups.values_list("name", flat=True)) == ["Curators"]
    assert can_sign_in(client, "alice", GOOD)


def test_a_password_from_the_environment(client, monkeypatch):
    monkeypatch.setenv("CURATOR_PASSWORD", GOOD)
    said = create("bea", stdin="ignored-when-the-environment-says\n", monkeypatch=monkeypatch)
    assert "bea can sign in" in said
    assert can_sign_in(client, "bea", GOOD)


def test_a_password_typed_twice_at_a_prompt(client, monkeypatch):
    monkeypatch.delenv("CURATOR_PASSWORD", raising=False)
    typed = iter(["first-try-passphrase", "first-try-typo", GOOD, GOOD])
    monkeypatch.setattr("getpass.getpass", lambda prompt: next(typed))
    err = StringIO()
    monkeypatch.setattr(sys, "stdin", Terminal(""))
    call_command("create_curator", "cleo", stdout=StringIO(), stderr=err)
    assert "The passwords differ; try again." in err.getvalue()
    assert can_sign_in(client, "cleo", GOOD)


@pytest.mark.parametrize(
    ("password", "reason"),
    [
        ("short", "This password is too short."),
        ("password123", "This password is too common."),
        ("83749283749283", "This password is entirely numeric."),
    ],
)
def test_a_weak_password_is_refused_and_nothing_is_made(password, reason, monkeypatch):
    monkeypatch.delenv("CURATOR_PASSWORD", raising=False)
    with pytest.raises(CommandError, match=rf"Password refused: .*{reason}"):
        create("dora", stdin=password + "\n", monkeypatch=monkeypatch)
    assert not User.objects.filter(username="dora").exists()


def test_an_empty_pipe_is_refused_rather_than_an_account_that_cannot_sign_in(monkeypatch):
    monkeypatch.delenv("CURATOR_PASSWORD", raising=False)
    with pytest.raises(CommandError, match="No password on standard input"):
        create("erin", stdin="", monkeypatch=monkeypatch)
    assert not User.objects.filter(username="erin").exists()


def test_no_password_only_when_asked(client, monkeypatch):
    monkeypatch.delenv("CURATOR_PASSWORD", raising=False)
    said = create("fay", "--no-password", monkeypatch=monkeypatch)
    assert "Created curator fay in the group Curators." in said
    assert "fay cannot sign in yet: set a password with `manage.py changepassword fay`." in said
    assert not User.objects.get(username="fay").has_usable_password()
    # Run again with a password: the existing account gets it, and can sign in.
    said = create("fay", stdin=GOOD + "\n", monkeypatch=monkeypatch)
    assert "fay already had an account; it is in Curators." in said
    assert can_sign_in(client, "fay", GOOD)
    # And without one it keeps its own.
    said = create("fay", "--no-password", monkeypatch=monkeypatch)
    assert "fay can sign in, with their own password." in said
    assert User.objects.filter(username="fay").count() == 1


def test_make_curator_checks_the_password_against_the_account():
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError, match="too similar to the username"):
        make_curator(username="gracehopper", password="gracehopper1")
    assert not User.objects.filter(username="gracehopper").exists()


@pytest.mark.skipif("postgres" in os.environ.get("DATABASE_URL", ""), reason="a SQLite file")
def test_echo_a_password_into_the_real_command(tmp_path):
    """The issue as reported, in real processes: `echo pw | manage.py create_curator alice`."""
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "DJANGO_DEBUG": "1",
    }
    env.pop("CURATOR_PASSWORD", None)
    manage = [sys.executable, str(ROOT / "manage.py")]
    subprocess.run([*manage, "migrate", "-v0"], env=env, check=True, cwd=ROOT)
    made = subprocess.run(
        [*manage, "create_curator", "alice"],
        input=GOOD + "\n",
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    assert "alice can sign in, with the password given." in made.stdout
    check = (
        "from django.contrib.auth.models import User; "
        "print(User.objects.get(username='alice').check_password('%s'))"
    )
    signed_in = subprocess.run(
        [*manage, "shell", "--no-imports", "-c", check % GOOD],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    assert signed_in.stdout.strip() == "True"


# A forgotten password, reset by email


def reload_urls():
    import portal.urls

    importlib.reload(portal.urls)
    clear_url_caches()


@pytest.fixture
def mail_server(settings):
    with smtp_server() as (inbox, port):
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
        settings.DEFAULT_FROM_EMAIL = "trials@example.org"
        settings.PASSWORD_RESET_BY_EMAIL = True
        reload_urls()  # the reset views exist only with a mail server (portal/urls.py)
        yield inbox
    settings.PASSWORD_RESET_BY_EMAIL = False
    reload_urls()


def test_a_curator_resets_a_forgotten_password_by_email(client, mail_server):
    make_curator(username="hana", email="hana@example.org", password=GOOD)
    login = client.get("/admin/login/").content.decode()
    assert "Forgotten your login credentials?" in login
    assert 'href="/admin/password_reset/"' in login

    form = client.get("/admin/password_reset/")
    assert "Blinatumomab trials: curators&#x27; workspace" in form.content.decode()
    response = client.post("/admin/password_reset/", {"email": "hana@example.org"})
    assert response.status_code == 302 and response["Location"] == "/admin/password_reset/done/"
    assert len(mail_server.messages) == 1
    message = mail_server.messages[0]
    assert message["To"] == "hana@example.org" and message["From"] == "trials@example.org"
    link = re.search(r"http://testserver(/admin/reset/\S+/\S+/)", message.get_payload())[1]

    # The link opens the form for a new password (Django moves the token into the session).
    set_password = client.get(link, follow=True)
    assert "Enter new password" in set_password.content.decode()
    form_url = set_password.redirect_chain[-1][0]
    weak = client.post(form_url, {"new_password1": "short", "new_password2": "short"})
    assert weak.status_code == 200 and "This password is too short" in weak.content.decode()
    new = "another-long-curator-passphrase"
    done = client.post(form_url, {"new_password1": new, "new_password2": new})
    assert done.status_code == 302 and done["Location"] == "/admin/reset/done/"
    complete = client.get("/admin/reset/done/").content.decode()
    assert "Your password has been set" in complete
    assert '<a href="/admin/login/">Log in</a>' in complete

    assert not can_sign_in(client, "hana", GOOD)
    assert can_sign_in(client, "hana", new)
    # The link is spent.
    client.logout()
    assert "invalid" in client.get(link, follow=True).content.decode()


def test_an_unknown_address_gets_the_same_answer_and_no_mail(client, mail_server):
    response = client.post("/admin/password_reset/", {"email": "nobody@example.org"})
    assert response["Location"] == "/admin/password_reset/done/"
    # Nor does an account made without a password: an administrator gives it its first one.
    make_curator(username="ines", email="ines@example.org")
    response = client.post("/admin/password_reset/", {"email": "ines@example.org"})
    assert response["Location"] == "/admin/password_reset/done/"
    assert mail_server.messages == []


def test_without_a_mail_server_no_reset_is_offered(client, settings):
    assert not settings.PASSWORD_RESET_BY_EMAIL
    assert "Forgotten your" not in client.get("/admin/login/").content.decode()
    # The admin's own catch-all: to its login page, with no reset form on the way.
    response = client.get("/admin/password_reset/")
    assert response["Location"] == "/admin/login/?next=/admin/password_reset/"
