"""A parent on a phone answers the pre-screener with the keyboard and gets a ranked, explained
list; the trial page's quick check; axe finds nothing serious on either (Chromium)."""

from pathlib import Path

import pytest

from tests.prescreen.table import confirm_from_table
from tests.test_browser import (  # noqa: F401  (the browser and the site, as the other tests)
    CHROMIUM,
    DESKTOP,
    PHONE,
    SCREENSHOTS,
    axe,
    browser,
    no_sideways_scroll,
    serious_violations,
    site,
)
from trials.models import Trial

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        not Path(CHROMIUM).exists(), reason=f"no Chromium at {CHROMIUM}: apt-get install chromium"
    ),
]

AALL1331 = "NCT02101853"


@pytest.fixture
def confirmed_site(site):  # noqa: F811
    for trial in Trial.objects.all():
        confirm_from_table(trial)
    return site


def tab_to(page, selector, limit=60):
    """Tabs until the element `selector` names has the focus, as a keyboard user does."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("(s) => document.activeElement.matches(s)", selector):
            return
    raise AssertionError(f"{selector} never took the focus")


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_a_parent_answers_with_the_keyboard_and_gets_a_ranked_explained_list(
    browser,  # noqa: F811
    confirmed_site,
    viewport,
):
    name = "phone" if viewport is PHONE else "desktop"
    SCREENSHOTS.mkdir(exist_ok=True)
    page = browser.new_page(viewport=viewport)
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(f"{confirmed_site}/")
    with page.expect_navigation():
        page.get_by_role("link", name="Could I join?", exact=True).click()
    assert page.locator("h1").inner_text() == "Could I join a trial?"
    assert "Only the trial team can decide who can join." in page.locator("#main").inner_text()

    tab_to(page, "#id_age")
    page.keyboard.type("10")
    page.keyboard.press("Tab")  # the diagnosis: "I don't know" holds the focus, as checked
    page.keyboard.press("ArrowDown")  # ... and from the last choice round to the first, B-ALL
    page.keyboard.press("Tab")  # Ph status: left at "I don't know"
    page.keyboard.press("Tab")  # where things stand
    page.keyboard.press("ArrowUp")  # not responding
    page.keyboard.press("ArrowUp")  # come back, not sure how many times
    page.keyboard.press("Tab")  # earlier blinatumomab
    page.keyboard.press("ArrowUp")  # no
    page.keyboard.press("Tab")  # transplant: "I don't know"
    page.keyboard.press("Tab")  # CNS disease
    page.keyboard.press("ArrowUp")  # no
    page.keyboard.press("Tab")
    page.keyboard.type("Milwaukee")
    page.keyboard.press("Enter")
    page.wait_for_selector("#results")

    for answer in ("age=10", "diagnosis=b_all", "situation=relapsed", "had_blinatumomab=no"):
        assert answer in page.url  # in the address: shareable and printable
    verdicts = page.locator(".result").evaluate_all(
        "items => items.map(li => li.className.replace('result result-', ''))"
    )
    assert len(verdicts) == 7
    order = ["may_fit", "ask_care_team", "probably_not"]
    assert verdicts == sorted(verdicts, key=order.index)
    results = page.locator("#results").inner_text()
    assert "The trial takes people aged 18 years and over; you said 10." in results
    assert "The record says:" in results and "Nearest site:" in results
    assert no_sideways_scroll(page)
    page.screenshot(path=SCREENSHOTS / f"could-i-join-{name}.png", full_page=True)
    assert errors == []
    page.close()


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_the_quick_check_on_a_trial_page(browser, confirmed_site, viewport):  # noqa: F811
    name = "phone" if viewport is PHONE else "desktop"
    page = browser.new_page(viewport=viewport)
    page.goto(f"{confirmed_site}/trials/{AALL1331}/")
    box = page.locator("#quick-check")
    assert "After a first relapse" in box.inner_text()  # the checklist
    tab_to(page, ".quick-questions summary")
    page.keyboard.press("Enter")  # unfolds the questions
    tab_to(page, "#quick-age")
    page.keyboard.type("10")
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")  # earlier blinatumomab
    page.keyboard.press("ArrowUp")
    page.keyboard.press("ArrowUp")  # yes
    tab_to(page, ".quick-check button[type=submit]")
    page.keyboard.press("Enter")
    page.wait_for_selector(".quick-result")
    result = page.locator(".quick-result").inner_text()
    assert "Probably does not fit" in result
    assert "Earlier blinatumomab" in result
    assert no_sideways_scroll(page)
    page.locator("#quick-check").screenshot(path=SCREENSHOTS / f"quick-check-{name}.png")
    page.close()


def test_axe_finds_nothing_serious_on_the_pre_screener_or_the_quick_check(
    browser,  # noqa: F811
    confirmed_site,
):
    page = browser.new_page(viewport=PHONE, bypass_csp=True)
    page.goto(f"{confirmed_site}/could-i-join/?age=10&diagnosis=b_all&situation=relapsed")
    assert serious_violations(axe(page)) == []
    page.goto(f"{confirmed_site}/trials/{AALL1331}/?age=10&had_blinatumomab=yes")
    assert serious_violations(axe(page, "#quick-check")) == []
    page.close()
