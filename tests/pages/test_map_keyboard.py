"""The site map and the keyboard on the largest bundled trial (TOWER, 117 sites), in Chromium:
the map is a picture of the site list, so its markers take no keyboard stop; a link skips it, and
each site in the list can show itself on the map."""

import pytest

from tests.test_browser import DESKTOP, block_outside, browser, site  # noqa: F401

pytestmark = pytest.mark.browser

TABBABLE = """(root) => Array.from(root.querySelectorAll(
  'a[href], button, input, select, textarea, [tabindex]:not([tabindex="-1"])'
)).filter((el) => !el.disabled && !el.hidden && el.offsetParent !== null).length"""


def test_the_map_takes_almost_no_keyboard_stops(browser, site):  # noqa: F811
    page = browser.new_page(viewport=DESKTOP)
    missing = []
    page.on("response", lambda r: r.status >= 400 and missing.append(r.url))
    page.route("**/*", block_outside(site))
    page.goto(f"{site}/trials/NCT02013167/")
    page.locator(".leaflet-marker-icon").first.wait_for()
    page.wait_for_load_state("networkidle")
    assert missing == []  # the marker images among them
    markers = page.locator(".leaflet-marker-icon")
    assert markers.count() > 50
    # No marker is a tab stop; the map keeps only its zoom buttons and the tiles' credit.
    assert page.evaluate(TABBABLE, page.locator("#site-map").element_handle()) <= 4
    assert all(
        tabindex in (None, "-1")
        for tabindex in [markers.nth(i).get_attribute("tabindex") for i in range(markers.count())]
    )
    # The whole page: far fewer stops than sites, and the skip link leads past the map.
    assert page.evaluate(TABBABLE, page.locator("body").element_handle()) < 300
    skip = page.get_by_role("link", name="Skip the map")
    skip.focus()
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "site-list"


def test_a_site_in_the_list_shows_itself_on_the_map(browser, site):  # noqa: F811
    page = browser.new_page(viewport=DESKTOP)
    page.route("**/*", block_outside(site))
    page.goto(f"{site}/trials/NCT02013167/?near=Milwaukee")
    page.locator(".leaflet-marker-icon").first.wait_for()
    first_site = page.locator("li.site").first
    name = first_site.locator("strong").inner_text()
    first_site.get_by_role("button", name="Show on the map").click()
    popup = page.locator(".leaflet-popup-content")
    popup.wait_for()
    assert name in popup.inner_text()
