""" "What the trial found" on TOWER's page in headless Chromium: at phone and desktop widths
(screenshots kept in test-artifacts/ and looked at), free of serious accessibility faults, and
printed with its tables (the charts, which repeat them, are left out)."""

import importlib

import pytest
from django.apps import apps as django_apps

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

TOWER = "/trials/NCT02013167/"


@pytest.fixture
def findings_site(site):  # noqa: F811
    # Live-server tests empty every table first: the results glossary's data migration runs again.
    importlib.import_module("trials.migrations.0017_results_glossary").add_terms(django_apps, None)
    return site


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_towers_findings_at_phone_and_desktop_widths(browser, findings_site, viewport):  # noqa: F811
    name = "phone" if viewport is PHONE else "desktop"
    SCREENSHOTS.mkdir(exist_ok=True)
    page = browser.new_page(viewport=viewport)
    page.route("**/*", block_outside(findings_site))
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(f"{findings_site}{TOWER}")
    page.locator('.on-this-page a[href="#found"]').click()
    found = page.locator("#found")
    assert found.is_visible()
    assert "a median of 7.7 months" in found.locator(".generated").inner_text()
    chart = found.locator("svg.chart").first
    assert chart.is_visible()
    box = chart.bounding_box()
    assert box["width"] <= viewport["width"] and box["height"] > 50
    assert found.locator("table.numbers").first.is_visible()
    assert no_sideways_scroll(page)
    # A glossary word in the analysis opens its explanation.
    found.locator(".analysis button.term").first.click()
    assert page.locator("[popover]:popover-open").count() == 1
    page.keyboard.press("Escape")
    found.screenshot(path=SCREENSHOTS / f"findings-{name}.png")
    assert errors == []
    page.close()


def test_towers_page_with_its_findings_has_no_serious_accessibility_violations(
    browser,  # noqa: F811
    findings_site,
):
    page = browser.new_page(viewport=PHONE, bypass_csp=True)
    page.route("**/*", block_outside(findings_site))
    page.goto(f"{findings_site}{TOWER}")
    result = axe(page, "#found")
    assert serious_violations(result) == []
    assert result["passes"]  # axe did look at the section
    page.close()


def test_printed_the_findings_keep_their_tables_not_their_charts(browser, findings_site):  # noqa: F811
    page = browser.new_page(viewport=DESKTOP)
    page.route("**/*", block_outside(findings_site))
    page.goto(f"{findings_site}{TOWER}")
    page.emulate_media(media="print")
    found = page.locator("#found")
    assert found.is_visible()
    assert not found.locator("svg.chart").first.is_visible()
    tables = found.locator("table.numbers")
    assert tables.count() >= 3  # the outcome's numbers, serious adverse events, who took part
    for index in range(tables.count()):
        assert tables.nth(index).is_visible()
    # Nothing is cut off at the side: the tables are not in a scrolling box on paper.
    assert page.evaluate(
        "[...document.querySelectorAll('#found .table-scroll')]"
        ".every(box => box.scrollWidth <= box.clientWidth + 1)"
    )
    found.screenshot(path=SCREENSHOTS / "findings-print.png")
    page.close()
