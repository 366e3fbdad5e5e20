"""The curators' trial page and data quality page in headless Chromium, signed in as a curator
(Curators group, not a superuser): what comes first on screen, what is folded, and screenshots
to look at (test-artifacts/), at phone (390 px) and desktop widths."""

# ruff: noqa: F811  (the fixtures imported below are arguments of the tests)
import pytest

from tests.test_browser import (  # noqa: F401  (fixtures)
    DESKTOP,
    PHONE,
    SCREENSHOTS,
    block_outside,
    browser,
    live_curator,
    pytestmark,
    sign_in,
    site,
)
from trials.models import Trial

BIG = "NCT02013167"  # TOWER, 117 sites


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_the_trial_page_puts_what_curators_correct_first_and_stays_short(
    browser, site, live_curator, viewport
):
    name = "phone" if viewport is PHONE else "desktop"
    SCREENSHOTS.mkdir(exist_ok=True)
    page = browser.new_page(viewport=viewport)
    page.route("**/*", block_outside(site))
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    sign_in(page, site, live_curator)
    trial = Trial.objects.get(nct_id=BIG)
    page.goto(f"{site}/admin/trials/trial/{trial.pk}/change/")
    page.screenshot(path=SCREENSHOTS / f"admin-trial-form-{name}.png")
    page.screenshot(path=SCREENSHOTS / f"admin-trial-form-full-{name}.png", full_page=True)
    rows = page.locator("fieldset", has=page.locator("ul.row-screens"))
    rows.screenshot(path=SCREENSHOTS / f"admin-trial-form-rows-{name}.png")

    def top(selector):
        return page.locator(selector).bounding_box()["y"]

    # The curator's fields come before the registry's, and the page is short: it was about
    # 40,000 px tall with 117 sites inline.
    assert top("#id_publication_state") < top("#id_plain_title") < top("#id_overall_status")
    assert top("#id_overall_status") < top("#id_brief_title")
    height = page.evaluate("document.documentElement.scrollHeight")
    assert height < (9000 if viewport is PHONE else 6000), height
    assert page.locator("input, select, textarea").count() < 250
    # Folded sections open on a click, with no script of ours (the policy allows none inline).
    design = page.locator("summary", has_text="Design")
    assert not page.locator("#id_study_type").is_visible()
    design.click()
    assert page.locator("#id_study_type").is_visible()
    # A link to a field in a folded section (as the quality page makes) opens it.
    page.goto(f"{site}/admin/trials/trial/{trial.pk}/change/#id_eligibility_criteria")
    assert page.locator("#id_eligibility_criteria").is_visible()
    # The sites are on their own screen, 50 a page, with search.
    page.goto(f"{site}/admin/trials/trial/{trial.pk}/change/")
    page.get_by_role("link", name="edit sites").click()
    page.wait_for_url("**/admin/trials/site/**")
    assert page.locator("h1").inner_text() == f"Sites of {BIG}"
    assert page.locator("#result_list tbody tr").count() == 50
    page.screenshot(path=SCREENSHOTS / f"admin-trial-sites-{name}.png")
    page.fill("#searchbar", "Duarte")
    page.press("#searchbar", "Enter")
    page.wait_for_url("**q=Duarte**")
    page.locator("#result_list").wait_for()
    assert page.locator("#result_list tbody tr").count() == 1
    assert errors == []
    page.close()


def test_the_quality_page_at_desktop_width(browser, site, live_curator):
    page = browser.new_page(viewport=DESKTOP)
    page.route("**/*", block_outside(site))
    sign_in(page, site, live_curator)
    page.goto(f"{site}/admin/trials/trial/quality/")
    headings = page.locator(".quality-group > h2").all_inner_texts()
    assert [h.split(" (")[0] for h in headings] == [
        "What can mislead families",
        "What is incomplete",
        "Housekeeping",
    ]
    first = page.locator(".quality-section h3").first.inner_text()
    assert first.startswith("Closed trials whose sites still say they are recruiting")
    page.screenshot(path=SCREENSHOTS / "admin-quality-desktop.png")
    page.screenshot(path=SCREENSHOTS / "admin-quality-full-desktop.png", full_page=True)
    # A line's link opens the place to fix it.
    page.locator("#problem-unlocated_sites a", has_text="its coordinates").first.click()
    page.wait_for_url("**/admin/trials/site/*/change/#id_latitude")
    page.locator("#id_latitude").wait_for()
    assert page.locator("#id_latitude").is_visible()
    page.close()
