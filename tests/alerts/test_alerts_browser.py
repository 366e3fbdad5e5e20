"""A parent follows a search and a trial in Chromium at phone width, confirms by the emailed
links (read from a real SMTP server), gets a digest after a re-import opens a site, and
unsubscribes in one click; axe finds no serious problem on any of these pages."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from tests.changes.records import TRIAL, bundled_study, reimport, sites
from tests.mail import smtp_server
from tests.test_browser import (  # noqa: F401 (fixtures)
    PHONE,
    axe,
    browser,
    pytestmark,
    serious_violations,
    site,
)
from trials.alerts import outbox
from trials.alerts.digests import build_digests
from trials.models import Follow, Subscriber

ADDRESS = "parent@example.org"  # synthetic
SHOTS = "/tmp/alerts"


@pytest.fixture
def live_mail(settings, site):  # noqa: F811
    with smtp_server() as (inbox, port):
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
        settings.DEFAULT_FROM_EMAIL = "trials@example.org"
        settings.ALERTS_BY_EMAIL = True
        settings.SITE_URL = site
        yield inbox


def text_of(message):
    for piece in message.walk():
        if piece.get_content_type() == "text/plain":
            return piece.get_payload(decode=True).decode()
    raise AssertionError("no text part")


def checked_by_axe(page, name):
    page.screenshot(path=f"{SHOTS}/{name}.png", full_page=True)
    assert serious_violations(axe(page)) == [], name


def follow_with_the_keyboard(page):
    """Tab to the follow box's email field, type, pick Daily with the arrow keys, submit."""
    page.locator("#follow-email").focus()
    page.keyboard.type(ADDRESS)
    page.keyboard.press("Tab")  # the radio group, at its checked radio (Weekly)
    page.keyboard.press("ArrowUp")  # Daily
    page.keyboard.press("Tab")  # the button (the honeypot is hidden and out of the tab order)
    with page.expect_navigation():
        page.keyboard.press("Enter")


def test_a_parent_follows_confirms_gets_a_digest_and_unsubscribes(
    browser,  # noqa: F811
    site,  # noqa: F811
    live_mail,
    tmp_path,
):
    import os

    os.makedirs(SHOTS, exist_ok=True)
    page = browser.new_page(viewport=PHONE, bypass_csp=True)

    page.goto(f"{site}/trials/?q=leukemia")
    box = page.locator(".follow-box")
    assert "Email me when trials matching this search open or change" in box.inner_text()
    box.screenshot(path=f"{SHOTS}/list-box.png")
    checked_by_axe(page, "list")
    follow_with_the_keyboard(page)
    assert page.locator("h1").inner_text() == "Check your email"
    checked_by_axe(page, "sent")

    page.goto(f"{site}/trials/{TRIAL}/")
    assert "Email me when this trial changes" in page.locator(".follow-box").inner_text()
    checked_by_axe(page, "trial")
    follow_with_the_keyboard(page)
    assert page.locator("h1").inner_text() == "Check your email"

    assert len(live_mail.messages) == 2
    assert Follow.objects.filter(confirmed_at=None).count() == 2
    for message in live_mail.messages:
        confirm = re.search(r"(http://\S+/alerts/confirm/\S+/)", text_of(message))[1]
        page.goto(confirm)
        checked_by_axe(page, "confirm")
        with page.expect_navigation():
            page.get_by_role("button", name="Yes, send me these emails").click()
        assert "Thank you: your email updates are on." in page.inner_text("main")
    checked_by_axe(page, "manage")
    assert Follow.objects.filter(confirmed_at=None).count() == 0
    assert set(Follow.objects.values_list("frequency", flat=True)) == {"daily"}
    live_mail.messages.clear()

    # The registry's newer record: a site that was not yet recruiting opens (made up for the test).
    study = bundled_study()
    sites(study)[0]["status"] = "RECRUITING"
    reimport(tmp_path, study)
    a_day_later = timezone.now() + timedelta(days=1)
    assert build_digests(now=a_day_later) == 1
    outbox.deliver_due(now=a_day_later)
    [digest] = live_mail.messages
    text = text_of(digest)
    assert "A site started taking patients: " in text and "(now “Recruiting”)" in text

    unsubscribe = re.search(r"Unsubscribe and delete my address: (http://\S+/)", text)[1]
    page.goto(unsubscribe)
    checked_by_axe(page, "unsubscribe")
    with page.expect_navigation():
        page.get_by_role("button", name="Unsubscribe and delete my address").click()
    assert page.locator("h1").inner_text() == "You are unsubscribed"
    assert not Subscriber.objects.exists() and not Follow.objects.exists()
    page.close()
