"""The Content-Security-Policy in a real browser, against the production deployment.

A policy too strict breaks the map, the glossary or the admin; one too loose is no policy. Chromium
reports each violation as a `securitypolicyviolation` event and a console error: none may occur.
"""

import base64
import json
import re
from pathlib import Path

import pytest

from tests.conftest import BUNDLED
from tests.deploy.conftest import CURATOR, FORGETFUL
from tests.test_browser import (  # noqa: F401 (the fixture)
    CHROMIUM,
    PHONE,
    SCREENSHOTS,
    browser,
    follow,
)

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
    follow(page, page.locator("input[type=submit]"))
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


def test_a_forgotten_password_is_reset_by_email_within_the_policy(page, mailbox):
    """In production (gunicorn, collected static, the CSP), through a real mail server."""
    name, old, address = FORGETFUL
    page.goto(f"{page.base_url}/admin/login/")
    page.screenshot(path=SCREENSHOTS / "admin-login-with-reset.png", full_page=True)
    follow(page, page.get_by_role("link", name="Forgotten your login credentials?"))
    page.set_viewport_size(PHONE)  # a curator away from the office
    assert page.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 0
    page.screenshot(path=SCREENSHOTS / "password-reset-form-phone.png", full_page=True)
    page.fill("#id_email", address)
    follow(page, page.locator("input[type=submit]"))
    assert "Password reset sent" in page.locator("#content").inner_text()
    page.screenshot(path=SCREENSHOTS / "password-reset-sent.png", full_page=True)
    assert no_violations(page) == []
    mail = [m for m in mailbox.messages if m["To"] == address]
    assert len(mail) == 1 and mail[0]["From"] == "trials@example.org"
    link = re.search(r"https?://\S+/admin/reset/\S+/\S+/", mail[0].get_payload())[0]
    # Sent from behind the TLS proxy: the link is https; here the server is plain http.
    page.goto(link.replace("https://", "http://"))
    page.screenshot(path=SCREENSHOTS / "password-reset-confirm.png", full_page=True)
    page.fill("#id_new_password1", "a-brand-new-passphrase")
    page.fill("#id_new_password2", "a-brand-new-passphrase")
    follow(page, page.locator("input[type=submit]"))
    assert "Your password has been set" in page.locator("#content").inner_text()
    assert no_violations(page) == []
    follow(page, page.get_by_role("link", name="Log in"))
    page.fill("#id_username", name)
    page.fill("#id_password", "a-brand-new-passphrase")
    follow(page, page.locator("input[type=submit]"))
    assert "Site administration" in page.content() or page.url.endswith("/admin/")
    assert "/login/" not in page.url
    assert no_violations(page) == []


def test_adding_from_the_registry_and_withdrawing_keep_to_the_policy(page, tmp_path):
    """In production mode (collected, hashed static files under gunicorn): the add screen's
    preview of a record file, the withdrawal's confirmation, and the withdrawn trial's 410 page."""
    nct_id = "NCT07117136"
    study = json.loads((BUNDLED / f"{nct_id}.json").read_text())
    study["protocolSection"]["designModule"]["enrollmentInfo"]["count"] = 41
    record = tmp_path / f"{nct_id}.json"
    record.write_text(json.dumps(study))
    page.goto(f"{page.base_url}/admin/login/")
    page.fill("#id_username", CURATOR[0])
    page.fill("#id_password", CURATOR[1])
    follow(page, page.locator("input[type=submit]"))
    page.click("#curating >> text=Add from ClinicalTrials.gov")
    page.set_input_files("#id_files", str(record))
    page.click("text=Read and show")
    assert "Enrollment count" in page.locator(".record").inner_text()
    assert no_violations(page) == []

    page.goto(f"{page.base_url}/admin/trials/trial/?q={nct_id}")
    page.click(f"text={nct_id}")
    page.click("text=Withdraw from the site")
    page.fill("#id_reason", "Checking the production page of a withdrawn trial.")
    page.click("input[type=submit][value='Withdraw 1 trial']")
    page.locator("text=1 trial(s) withdrawn").wait_for()
    assert no_violations(page) == []
    try:
        gone = page.goto(f"{page.base_url}/trials/{nct_id}/")
        assert gone.status == 410
        assert "no longer listed" in page.locator("h1").inner_text()
        assert page.evaluate("window.__violations") == []
        # The page's own 410 is reported twice (as a response and on the console); nothing else.
        assert [problem for problem in page.problems if "410" not in problem] == []
    finally:  # published again, for the other tests of this deployment
        page.goto(f"{page.base_url}/admin/trials/trial/?q={nct_id}")
        page.check("input[name=_selected_action]")
        page.select_option("select[name=action]", "publish")
        page.click("button[name=index]")
        page.locator("text=1 trial(s) published").wait_for()
