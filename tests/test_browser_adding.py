"""A curator adds trials from ClinicalTrials.gov and withdraws one, in headless Chromium at phone
(390 px) and desktop widths; the withdrawn trial's address as a visitor sees it. Screenshots to
look at go to test-artifacts/. The registry is a local stand-in (tests/registry/test_importer.py).
"""

import json

import pytest

from tests.conftest import BUNDLED
from tests.registry.test_importer import registry_server
from tests.test_browser import (  # noqa: F401  (fixtures)
    DESKTOP,
    PHONE,
    SCREENSHOTS,
    browser,
    live_curator,
    no_sideways_scroll,
    pytestmark,
    sign_in,
    site,
)
from trials.models import Trial

NEW, STORED, UNKNOWN = "NCT04556084", "NCT02013167", "NCT09999999"  # the last one synthetic


def signed_in(browser, site, curator, viewport):  # noqa: F811
    # The curator comes from tests/test_browser.py's live_curator, which makes the Curators group
    # again without running its migration's code against the live app registry (that code
    # switches the trials app's permissions off for every later flush).
    page = browser.new_page(viewport=viewport)
    page.problems = []
    page.on("pageerror", lambda error: page.problems.append(str(error)))
    page.on("console", lambda m: m.type == "error" and page.problems.append(m.text))
    # What failed to load, by address (the admin names no icon: Chromium's own guess is left out).
    page.on(
        "response",
        lambda r: (
            r.status >= 400
            and not r.url.endswith("/favicon.ico")
            and page.problems.append(f"{r.status} {r.url}")
        ),
    )
    sign_in(page, site, curator)
    page.locator("#curating").wait_for()
    return page


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_a_curator_adds_trials_and_withdraws_one(browser, site, live_curator, viewport, settings):  # noqa: F811
    name = "phone" if viewport is PHONE else "desktop"
    SCREENSHOTS.mkdir(exist_ok=True)
    Trial.objects.filter(nct_id=NEW).delete()
    changed = json.loads((BUNDLED / f"{STORED}.json").read_text())
    changed["protocolSection"]["designModule"]["enrollmentInfo"]["count"] = 406
    changed["protocolSection"]["statusModule"]["lastUpdatePostDateStruct"]["date"] = "2030-01-01"
    registry = {NEW: json.loads((BUNDLED / f"{NEW}.json").read_text()), STORED: changed}
    page = signed_in(browser, site, live_curator, viewport)
    with registry_server(registry) as (url, _):
        settings.CTGOV_API_URL = url
        page.click("#curating >> text=Add from ClinicalTrials.gov")
        page.fill("#id_nct_ids", f"{NEW}, {STORED}\n{UNKNOWN}")
        page.screenshot(path=SCREENSHOTS / f"add-from-registry-form-{name}.png", full_page=True)
        page.click("text=Read and show")
        page.locator("#confirm-form").wait_for()
    records = page.locator(".record")
    assert records.count() == 3
    assert "A new trial." in records.nth(0).inner_text()
    assert "Enrollment count" in records.nth(1).inner_text()
    assert f"ClinicalTrials.gov has no study {UNKNOWN}." in records.nth(2).inner_text()
    page.screenshot(path=SCREENSHOTS / f"add-from-registry-preview-{name}.png", full_page=True)
    assert no_sideways_scroll(page)
    page.click("text=Import the ticked records")
    page.locator("text=Added (1), as drafts").wait_for()
    page.screenshot(path=SCREENSHOTS / f"add-from-registry-done-{name}.png", full_page=True)
    assert Trial.objects.get(nct_id=NEW).publication_state == "DRAFT"
    assert Trial.objects.get(nct_id=STORED).enrollment_count == 406

    # Withdraw the stored trial from its page, with a reason.
    page.click(f"text={STORED}: ")
    page.click("text=Withdraw from the site")
    page.click("input[type=submit][value='Withdraw 1 trial']")  # no reason: the browser asks
    assert Trial.objects.get(nct_id=STORED).publication_state == "PUBLISHED"
    page.fill("#id_reason", "The sponsor asked us to stop listing it while the record is fixed.")
    page.screenshot(path=SCREENSHOTS / f"withdraw-confirm-{name}.png", full_page=True)
    page.click("input[type=submit][value='Withdraw 1 trial']")
    page.locator("text=1 trial(s) withdrawn").wait_for()
    assert Trial.objects.get(nct_id=STORED).publication_state == "WITHDRAWN"
    assert [p for p in page.problems if "favicon.ico" not in p and "Failed to load" not in p] == []
    page.close()

    # A visitor with the old address.
    visitor = browser.new_page(viewport=viewport)
    answer = visitor.goto(f"{site}/trials/{STORED}/")
    assert answer.status == 410
    assert visitor.locator("h1").inner_text() == "This trial is no longer listed here"
    assert visitor.locator(f"a[href='https://clinicaltrials.gov/study/{STORED}']").is_visible()
    assert visitor.locator("input[name=q]").is_visible()
    assert no_sideways_scroll(visitor)
    visitor.screenshot(path=SCREENSHOTS / f"trial-no-longer-listed-{name}.png", full_page=True)
    visitor.close()
