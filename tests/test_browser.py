"""End to end in headless Chromium (Debian's package; Playwright's own browser download is not
used). Skipped, with the reason shown, where no Chromium is installed; .ci/run installs it."""

import os
import shutil
from pathlib import Path

import pytest

from tests.conftest import BUNDLED, ROOT
from trials.importer import import_paths

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
SCREENSHOTS = ROOT / "test-artifacts"

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        not Path(CHROMIUM).exists(), reason=f"no Chromium at {CHROMIUM}: apt-get install chromium"
    ),
]

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}


@pytest.fixture(scope="module")
def browser():
    # Playwright runs an event loop in this thread; the ORM calls here happen outside it.
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture
def site(live_server, transactional_db):
    report = import_paths([BUNDLED], publish=True)
    assert not report.failed
    return live_server.url


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_a_visitor_goes_from_the_home_page_to_a_trial(browser, site, viewport):
    page = browser.new_page(viewport=viewport)
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(f"{site}/")
    assert page.locator("h1").inner_text() == "Blinatumomab clinical trials"
    assert "7 trials" in page.locator(".lead").inner_text()
    SCREENSHOTS.mkdir(exist_ok=True)
    name = "phone" if viewport is PHONE else "desktop"
    page.screenshot(path=SCREENSHOTS / f"home-{name}.png", full_page=True)

    page.get_by_role("link", name="See all trials").click()
    page.get_by_role(
        "link", name="Blinatumomab Versus Standard of Care Chemotherapy", exact=False
    ).click()
    assert page.url.endswith("/trials/NCT02013167/")
    assert "117 sites" in page.locator("#main").inner_text()
    # Nothing overflows sideways on a phone.
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0
    page.screenshot(path=SCREENSHOTS / f"trial-{name}.png")
    assert errors == []
    page.close()
