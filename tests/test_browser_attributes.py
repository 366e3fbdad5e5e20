"""The curated attributes' filters on the list, in headless Chromium: chosen by keyboard alone at
phone and desktop widths (screenshots kept in test-artifacts/ and looked at), shown as a chip, and
free of serious accessibility faults. The bundled trials carry what the import suggested."""

import pytest

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


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_a_family_filters_by_where_the_disease_stands_by_keyboard(
    browser,  # noqa: F811
    site,  # noqa: F811
    viewport,
):
    name = "phone" if viewport is PHONE else "desktop"
    SCREENSHOTS.mkdir(exist_ok=True)
    page = browser.new_page(viewport=viewport)
    page.route("**/*", block_outside(site))
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(f"{site}/trials/")
    if viewport is PHONE:  # the filter panel is closed on a phone: opened from the keyboard
        page.locator("details.filters > summary").focus()
        page.keyboard.press("Enter")
    panel = page.locator("details.filters")  # wide screens show it open (site.css)
    legend = panel.locator("legend", has_text="Where the disease stands")
    assert legend.is_visible()
    relapse = panel.get_by_label("After a first relapse")
    relapse.focus()
    page.keyboard.press("Space")
    assert relapse.is_checked()
    page.screenshot(path=SCREENSHOTS / f"attribute-filters-{name}.png", full_page=True)
    panel.get_by_role("button", name="Apply filters").focus()
    page.keyboard.press("Enter")
    page.wait_for_url("**setting=first_relapse**")
    chips = page.locator(".chips").inner_text()
    assert "Where the disease stands: After a first relapse" in chips
    found = page.locator(".nct-id").all_inner_texts()
    assert "NCT02013167" in found and "NCT01207388" not in found  # TOWER relapsed; BLAST MRD
    assert no_sideways_scroll(page)
    page.screenshot(path=SCREENSHOTS / f"attribute-filtered-{name}.png", full_page=True)
    assert errors == []
    page.close()


def test_the_filtered_list_has_no_serious_accessibility_faults(browser, site):  # noqa: F811
    page = browser.new_page(viewport=DESKTOP, bypass_csp=True)
    page.route("**/*", block_outside(site))
    page.goto(f"{site}/trials/?setting=first_relapse&route=continuous_infusion&had=blinatumomab")
    assert serious_violations(axe(page)) == []
    page.close()
