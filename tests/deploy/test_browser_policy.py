"""The Content-Security-Policy in a real browser, against the production deployment.

A policy too strict breaks the map, the glossary or the admin; one too loose is no policy. Chromium
reports each violation as a `securitypolicyviolation` event and a console error: none may occur.
"""

import base64
from pathlib import Path

import pytest

from tests.deploy.conftest import CURATOR
from tests.test_browser import CHROMIUM, browser  # noqa: F401 (the fixture)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="no Chromium: apt-get install chromium"),
]

# A 1x1 PNG: the map's tiles, answered here (the tile server is not reachable from tests).
TILE = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII="
)
RECORD_VIOLATIONS = """
window.__violations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__violations.push(event.violatedDirective + " " + event.blockedURI);
});
"""


@pytest.fixture
def page(browser, deployment):  # noqa: F811 (the browser fixture)
    url, *_ = deployment
    # As behind the TLS proxy the README deploys behind.
    context = browser.new_context(extra_http_headers={"X-Forwarded-Proto": "https"})
    context.add_init_script(RECORD_VIOLATIONS)
    context.route(
        "https://tile.openstreetmap.org/**",
        lambda route: route.fulfill(status=200, content_type="image/png", body=TILE),
    )
    page = context.new_page()
    page.problems = []
    page.on("console", lambda m: m.type == "error" and page.problems.append(m.text))
    page.on("pageerror", lambda error: page.problems.append(str(error)))
    page.on(
        "response",
        lambda r: r.status >= 400 and page.problems.append(f"{r.status} {r.url}"),
    )
    page.base_url = url
    yield page
    context.close()


def no_violations(page):
    return page.evaluate("window.__violations") + page.problems


def test_public_pages_keep_to_the_policy(page):
    page.goto(f"{page.base_url}/")
    assert no_violations(page) == []
    page.goto(f"{page.base_url}/trials/?q=blinatumomab&near=Milwaukee")
    assert page.locator(".trial-card").count() > 0
    assert no_violations(page) == []

    page.goto(f"{page.base_url}/trials/NCT02013167/")
    # The map drew its markers and asked for tiles (from the tile host the policy allows).
    page.locator(".leaflet-marker-icon").first.wait_for()
    page.locator(".leaflet-tile-loaded").first.wait_for()
    # A glossary word opens its explanation.
    term = page.locator("button.term").first
    term.click()
    popover = page.locator(f"#{term.get_attribute('popovertarget')}")
    assert popover.is_visible()
    assert no_violations(page) == []


def test_the_admin_trial_form_keeps_to_the_policy(page):
    page.goto(f"{page.base_url}/admin/login/")
    page.fill("#id_username", CURATOR[0])
    page.fill("#id_password", CURATOR[1])
    page.click("input[type=submit]")
    page.goto(f"{page.base_url}/admin/trials/trial/?q=NCT02013167")
    page.click("text=NCT02013167")
    page.locator("#trial_form").wait_for()
    assert "NCT02013167" in page.title() or page.locator("#id_nct_id").count()
    assert no_violations(page) == []
    # Folded sections open without a script; the 117 sites are on their own screen.
    page.locator("summary", has_text="Design").click()
    assert page.locator("#id_study_type").is_visible()
    page.get_by_role("link", name="edit sites").click()
    page.wait_for_url("**/admin/trials/site/**")
    assert page.locator("h1").inner_text() == "Sites of NCT02013167"
    assert no_violations(page) == []
    page.goto(f"{page.base_url}/admin/trials/trial/quality/")
    assert page.locator(".quality-group").count() == 3
    assert no_violations(page) == []
    download = page.request.get(f"{page.base_url}/admin/trials/trial/quality/export.csv")
    assert download.status == 200 and download.headers["content-type"].startswith("text/csv")
    page.goto(f"{page.base_url}/admin/trials/glossaryterm/")
    assert no_violations(page) == []
