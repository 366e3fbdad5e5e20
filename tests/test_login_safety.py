"""Admin logins: repeated failures are slowed, then locked for a cool-off per username and
address; the lock lifts by itself; sessions expire; the admin's address is configurable."""

import datetime

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.sessions.models import Session
from django.db.models import F
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from portal.security import client_ip
from tests.test_settings import PRODUCTION, manage

PASSWORD = "a-long-curator-passphrase"
HOME = "10.0.0.1"
ELSEWHERE = "203.0.113.7"


def sign_in(client, password, *, address=HOME, username="carla"):
    return client.post(
        reverse("admin:login"),
        {"username": username, "password": password, "next": reverse("admin:index")},
        REMOTE_ADDR=address,
    )


def wait(seconds):
    """Let time pass for the login records (the database's clock is not ours to move)."""
    AccessAttempt.objects.update(
        attempt_time=F("attempt_time") - datetime.timedelta(seconds=seconds)
    )


def signed_in(response):
    return response.status_code == 302 and response["Location"] == reverse("admin:index")


def page_text(response):
    return response.content.decode()


@pytest.mark.django_db
def test_failed_logins_are_slowed_then_locked_and_the_lock_lifts(client, curator):
    slow_after = settings.LOGIN_SLOW_AFTER
    for _ in range(slow_after):
        response = sign_in(client, "wrong")
        assert response.status_code == 200 and "Please enter the correct" in page_text(response)
    # Slowed: the next try is refused unread, even with the right password, until it has waited.
    response = sign_in(client, PASSWORD)
    assert response.status_code == 200 and not signed_in(response)
    assert "Wait" in page_text(response) and "seconds, then try again" in page_text(response)
    assert AccessAttempt.objects.get().failures_since_start == slow_after  # not counted

    # Waiting between tries, the failures go on until the lock.
    for _ in range(settings.AXES_FAILURE_LIMIT - slow_after - 1):
        wait(settings.LOGIN_SLOW_SECONDS + 1)
        assert sign_in(client, "wrong").status_code == 200
    wait(settings.LOGIN_SLOW_SECONDS + 1)
    locked = sign_in(client, "wrong")
    assert locked.status_code == 429
    assert "Sign-in locked for a while" in page_text(locked)
    assert "unlocks by itself" in page_text(locked)
    # Locked: the right password does not help, even after the slow-down's wait.
    wait(settings.LOGIN_SLOW_SECONDS + 1)
    assert sign_in(client, PASSWORD).status_code == 429

    # The lock lifts when the cool-off has passed.
    wait(settings.AXES_COOLOFF_TIME.total_seconds() + 1)
    assert signed_in(sign_in(client, PASSWORD))
    assert not AccessAttempt.objects.exists()  # a success starts the count again


@pytest.mark.django_db
def test_failures_elsewhere_do_not_lock_a_curator_out(client, curator):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        wait(settings.LOGIN_SLOW_SECONDS + 1)
        sign_in(client, "wrong", address=ELSEWHERE)
    wait(settings.LOGIN_SLOW_SECONDS + 1)
    assert sign_in(client, "wrong", address=ELSEWHERE).status_code == 429
    assert signed_in(sign_in(client, PASSWORD, address=HOME))


@pytest.mark.django_db
def test_failures_during_a_lock_do_not_prolong_it(client, curator):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        wait(settings.LOGIN_SLOW_SECONDS + 1)
        sign_in(client, "wrong")
    locked_at = AccessAttempt.objects.get().attempt_time
    wait(60)
    assert sign_in(client, "wrong").status_code == 429
    assert AccessAttempt.objects.get().attempt_time == locked_at - datetime.timedelta(seconds=60)


@pytest.mark.django_db
def test_an_administrator_lifts_a_lock_with_one_command(client, curator):
    from io import StringIO

    from django.core.management import call_command

    for _ in range(settings.AXES_FAILURE_LIMIT):
        wait(settings.LOGIN_SLOW_SECONDS + 1)
        sign_in(client, "wrong")
    call_command("axes_reset_username", "carla", stdout=StringIO())
    assert signed_in(sign_in(client, PASSWORD))


def test_the_address_is_read_through_trusted_proxies_only(settings):
    request = RequestFactory().get(
        "/", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="6.6.6.6, 198.51.100.4"
    )
    settings.TRUSTED_PROXY_COUNT = 0
    assert client_ip(request) == "127.0.0.1"
    settings.TRUSTED_PROXY_COUNT = 1
    assert client_ip(request) == "198.51.100.4"  # the entry our proxy added, not a forged one


@pytest.mark.django_db
def test_sessions_end_after_a_while_without_activity(client, curator):
    assert settings.SESSION_COOKIE_AGE == 120 * 60 and settings.SESSION_SAVE_EVERY_REQUEST
    assert settings.SESSION_EXPIRE_AT_BROWSER_CLOSE
    client.force_login(curator)
    assert client.get(reverse("admin:index")).status_code == 200
    Session.objects.update(expire_date=timezone.now() - datetime.timedelta(seconds=1))
    response = client.get(reverse("admin:index"))
    assert response.status_code == 302 and reverse("admin:login") in response["Location"]


def test_the_admin_address_is_configurable():
    script = "from django.urls import reverse; print(reverse('admin:index'))"
    moved = manage(
        "shell",
        "--no-imports",
        "-c",
        script,
        env={**PRODUCTION, "DJANGO_ADMIN_URL": "staff/curation/"},
    )
    assert moved.stdout.strip().endswith("/staff/curation/"), moved.stderr
    bad = manage("check", env={**PRODUCTION, "DJANGO_ADMIN_URL": "/admin"})
    assert bad.returncode != 0 and "DJANGO_ADMIN_URL must be a path" in bad.stderr
