"""The API's page (/api/v1/docs/) in Chromium, at a phone's width and a desktop's: it reads
without sideways scrolling, passes axe, runs no script, and is walked with the keyboard alone."""

import pytest

from tests.test_browser import (  # noqa: F401 (fixtures)
    CHROMIUM,
    DESKTOP,
    PHONE,
    SCREENSHOTS,
    axe,
    browser,
    no_sideways_scroll,
    pytestmark,
    serious_violations,
    site,
)


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_the_api_page_reads_on_a_phone_and_a_desktop(browser, site, viewport):  # noqa: F811
    name = "phone" if viewport is PHONE else "desktop"
    page = browser.new_page(viewport=viewport, bypass_csp=True)
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(f"{site}/api/v1/docs/")
    assert page.locator("h1").inner_text() == "Open data: the API"
    assert page.locator("h2", has_text="GET /api/v1/trials/{nct_id}/").count() == 1
    assert no_sideways_scroll(page)
    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=SCREENSHOTS / f"api-docs-{name}.png", full_page=True)
    assert serious_violations(axe(page)) == []
    assert errors == []
    # The schema's link is reached by the keyboard, and followed.
    for _ in range(30):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.getAttribute('href')") == "/api/v1/schema/":
            break
    else:
        raise AssertionError("the schema's link was not reached with Tab")
    page.keyboard.press("Enter")
    page.wait_for_url("**/api/v1/schema/")
    assert '"openapi"' in page.content()
    page.close()
