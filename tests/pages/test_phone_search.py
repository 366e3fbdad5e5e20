"""The results page on a phone and with a keyboard, in headless Chromium with the bundled trials:
results come first after filtering, chips show the choices, the skip link reaches the results."""

import pytest

from tests.test_browser import (  # noqa: F401
    CHROMIUM,
    PHONE,
    SCREENSHOTS,
    browser,
    follow,
    site,
)

pytestmark = pytest.mark.browser


def test_after_filtering_on_a_phone_the_results_are_on_the_first_screen(browser, site):  # noqa: F811
    page = browser.new_page(viewport=PHONE)
    page.goto(f"{site}/trials/?q=leukemia")
    page.locator(".filters summary").click()
    page.get_by_role("checkbox", name="Phase 3 (4)").check()
    follow(page, page.get_by_role("button", name="Apply filters").first)
    assert page.locator(".results-count").inner_text().startswith("4 trials")
    # The panel closed itself; the heading of the results is on the first screen.
    assert not page.locator(".filters").evaluate("element => element.open")
    assert page.locator("#results-heading").bounding_box()["y"] < PHONE["height"]
    chips = page.locator(".chips a").all_inner_texts()
    assert any(chip.startswith("Phase: Phase 3") for chip in chips)
    # The age field is in the search box, without opening the panel.
    assert page.locator("#id_age").is_visible()
    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=SCREENSHOTS / "results-filtered-phone.png")
    # A chip removes its choice.
    follow(page, page.get_by_role("link", name="Remove Phase: Phase 3"))
    assert page.locator(".results-count").inner_text().startswith("7 trials")
    page.close()


def test_the_keyboard_reaches_the_first_result_in_a_few_presses(browser, site):  # noqa: F811
    page = browser.new_page(viewport=PHONE)
    page.goto(f"{site}/trials/?q=leukemia&phase=PHASE3")
    presses = 0
    while page.evaluate("document.activeElement.textContent.trim()") != "Skip to results":
        page.keyboard.press("Tab")
        presses += 1
        assert presses < 5, "the skip link is not among the first stops"
    page.keyboard.press("Enter")
    presses = 0  # from the results heading: the chips, the sort, then the first result
    first_result = page.locator(".trial-card h3 a").first.inner_text()
    while page.evaluate("document.activeElement.textContent.trim()") != first_result.strip():
        page.keyboard.press("Tab")
        presses += 1
        assert presses <= 7, "too many stops between the skip link and the first result"
    page.close()
