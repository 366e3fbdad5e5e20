""" "What changed" and the feed links in headless Chromium: at phone and desktop widths
(screenshots in test-artifacts/, looked at), by keyboard alone, free of serious accessibility
faults."""

import datetime

import pytest
from django.utils import timezone

from tests.changes.records import TRIAL, bundled_study, changed_everywhere, reimport
from tests.test_browser import (  # noqa: F401 (fixtures)
    DESKTOP,
    PHONE,
    SCREENSHOTS,
    axe,
    block_outside,
    browser,
    no_sideways_scroll,
    pytestmark,
    serious_violations,
    site,
)
from trials.models import TrialChange


@pytest.fixture
def changed_site(site, tmp_path):  # noqa: F811
    first_seen = timezone.make_aware(datetime.datetime(2026, 1, 5, 12))
    TrialChange.objects.filter(trial__nct_id=TRIAL).update(seen_at=first_seen)
    reimport(tmp_path, changed_everywhere(bundled_study()), posted="2026-02-10")
    return site


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_what_changed_at_phone_and_desktop_widths(browser, changed_site, viewport):  # noqa: F811
    name = "phone" if viewport is PHONE else "desktop"
    SCREENSHOTS.mkdir(exist_ok=True)
    page = browser.new_page(viewport=viewport)
    page.route("**/*", block_outside(changed_site))
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(f"{changed_site}/trials/{TRIAL}/#changes")
    changes = page.locator("#changes")
    assert changes.is_visible()
    # Two updates: the newer record's ten changes, then the first listing.
    updates = changes.locator("ol.changes > li")
    assert updates.count() == 2
    assert updates.first.locator("li").count() == 10
    assert updates.first.locator("li").first.inner_text().startswith("The trial's status changed")
    assert updates.last.inner_text().startswith("First listed here on 5 January 2026.")
    assert no_sideways_scroll(page)
    changes.screenshot(path=SCREENSHOTS / f"what-changed-{name}.png")
    assert errors == []
    page.close()


def test_since_and_the_feed_by_keyboard_alone(browser, changed_site):  # noqa: F811
    page = browser.new_page(viewport=PHONE)
    page.route("**/*", block_outside(changed_site))
    page.goto(f"{changed_site}/trials/{TRIAL}/?since=2026-01-06")
    changes = page.locator("#changes")
    assert "Changes we saw since 6 January 2026." in changes.inner_text()
    assert "First listed here" not in changes.inner_text()
    changes.screenshot(path=SCREENSHOTS / "what-changed-since-phone.png")
    page.get_by_role("link", name="Show every change").focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "since" not in page.url
    assert "First listed here on 5 January 2026." in page.locator("#changes").inner_text()
    # The next stop after the section's last change is its feed.
    page.get_by_role("link", name="Follow the changes to this trial (Atom feed)").focus()
    with page.expect_response(f"**/trials/{TRIAL}/feed/") as response:
        page.keyboard.press("Enter")
    assert response.value.headers["content-type"].startswith("application/atom+xml")
    page.close()


def test_the_results_page_offers_its_feed(browser, changed_site):  # noqa: F811
    page = browser.new_page(viewport=PHONE)
    page.route("**/*", block_outside(changed_site))
    page.goto(f"{changed_site}/trials/?status=RECRUITING")
    feed = page.get_by_role("link", name="Follow this search (feed)")
    assert feed.is_visible()
    assert feed.get_attribute("href") == "/trials/feed/?status=RECRUITING"
    alternate = page.locator('link[rel="alternate"][type="application/atom+xml"]')
    assert alternate.get_attribute("href") == "/trials/feed/?status=RECRUITING"
    assert no_sideways_scroll(page)
    page.locator(".feed-link").screenshot(path=SCREENSHOTS / "search-feed-link-phone.png")
    page.close()


@pytest.mark.parametrize("path", [f"/trials/{TRIAL}/?since=soon", f"/es/trials/{TRIAL}/"])
def test_what_changed_has_no_serious_accessibility_violations(browser, changed_site, path):  # noqa: F811
    page = browser.new_page(viewport=PHONE, bypass_csp=True)
    page.route("**/*", block_outside(changed_site))
    page.goto(f"{changed_site}{path}")
    result = axe(page, "#changes")
    assert serious_violations(result) == []
    assert result["passes"]
    page.close()


def test_the_results_page_with_its_feed_link_has_no_serious_accessibility_violations(
    browser,  # noqa: F811
    changed_site,
):
    page = browser.new_page(viewport=DESKTOP, bypass_csp=True)
    page.route("**/*", block_outside(changed_site))
    page.goto(f"{changed_site}/trials/?status=RECRUITING")
    assert serious_violations(axe(page)) == []
    page.close()
