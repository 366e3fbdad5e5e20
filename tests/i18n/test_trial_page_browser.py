"""TOWER's page in Spanish and Simplified Chinese on a phone, in headless Chromium: it fits the
screen, the map draws, the registry's English is marked, and axe-core finds nothing serious."""

import pytest

from tests.test_browser import (  # noqa: F401 (fixtures)
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


@pytest.mark.parametrize("language", ["es", "zh-hans"])
def test_towers_page_in_the_language_on_a_phone(browser, site, language):  # noqa: F811
    page = browser.new_page(viewport=PHONE, bypass_csp=True)  # CSP bypassed for axe alone
    page.route("**/*", block_outside(site))
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(f"{site}/{language}/trials/NCT02013167/?near=Madrid")
    assert page.locator("html").get_attribute("lang").lower() == language
    assert page.locator(".registry-language").count() == 1
    assert page.locator('h1[lang="en"]').count() == 1  # no reviewed translation of its title
    assert page.locator("#site-map").is_visible()
    assert no_sideways_scroll(page)
    page.screenshot(path=SCREENSHOTS / f"trial-{language}-phone.png", full_page=True)
    assert serious_violations(axe(page)) == []
    assert errors == []
    page.close()
