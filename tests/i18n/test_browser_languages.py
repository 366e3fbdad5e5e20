"""The Spanish and Chinese pages in headless Chromium on a phone: axe-core finds nothing serious,
nothing scrolls sideways, and the language switcher works with the keyboard alone."""

import pytest

from tests.test_browser import (  # noqa: F401
    PHONE,
    SCREENSHOTS,
    axe,
    block_outside,
    browser,
    no_sideways_scroll,
    serious_violations,
    site,
)

pytestmark = pytest.mark.browser

PAGES = {
    "home": "/",
    "list": "/trials/?q=leukemia&phase=PHASE3",
    "near": "/trials/?near=Milwaukee&radius=50",
    "dead-end": "/trials/?status=TERMINATED&q=all",
}


@pytest.mark.parametrize("language", ["es", "zh-hans"])
@pytest.mark.parametrize("name", PAGES)
def test_the_translated_pages_on_a_phone_pass_axe_and_fit(browser, site, language, name):  # noqa: F811
    page = browser.new_page(viewport=PHONE, bypass_csp=True)
    page.route("**/*", block_outside(site))
    page.goto(f"{site}/{language}{PAGES[name]}")
    tag = {"es": "es", "zh-hans": "zh-Hans"}[language]
    assert page.locator("html").get_attribute("lang") == tag
    assert serious_violations(axe(page)) == []
    assert no_sideways_scroll(page)
    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=SCREENSHOTS / f"{language}-{name}-phone.png", full_page=True)
    page.close()


def test_the_language_switcher_works_by_keyboard_and_keeps_the_search(browser, site):  # noqa: F811
    page = browser.new_page(viewport=PHONE)
    page.route("**/*", block_outside(site))
    page.goto(f"{site}/trials/?q=leukemia&phase=PHASE3")
    # Tab to the Spanish button (named in Spanish, marked as Spanish) and press Enter.
    for _ in range(12):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.textContent.trim()") == "Español":
            break
    else:
        pytest.fail("the keyboard does not reach the language buttons")
    assert page.evaluate("document.activeElement.getAttribute('lang')") == "es"
    page.keyboard.press("Enter")
    page.wait_for_url(f"{site}/es/trials/?q=leukemia&phase=PHASE3")
    assert page.locator("h1").inner_text() == "Buscar un ensayo de blinatumomab"
    current = page.locator(".language-switch [aria-current]")
    assert current.inner_text() == "Español"
    # The choice sticks: the start page opens in Spanish from now on.
    page.goto(f"{site}/")
    assert page.url == f"{site}/es/"
    # And back to English, with the keyboard too: Space works as well as Enter.
    page.locator(".language-switch button[lang=en]").focus()
    page.keyboard.press("Space")
    page.wait_for_url(f"{site}/")
    assert page.locator("html").get_attribute("lang") == "en"
    page.close()


def test_a_chinese_browser_arriving_at_the_start_gets_chinese(browser, site):  # noqa: F811
    context = browser.new_context(viewport=PHONE, locale="zh-CN")
    page = context.new_page()
    page.route("**/*", block_outside(site))
    page.goto(f"{site}/")
    assert page.url == f"{site}/zh-hans/"
    assert page.locator("h1").inner_text() == "贝林妥欧单抗临床试验"
    # A deep link keeps its language.
    page.goto(f"{site}/trials/")
    assert page.locator("html").get_attribute("lang") == "en"
    context.close()
