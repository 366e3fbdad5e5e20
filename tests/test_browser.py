"""End to end in headless Chromium (Debian's package; Playwright's own browser download is not
used). Skipped, with the reason shown, where no Chromium is installed; .ci/run installs it."""

import importlib
import os
import shutil
from io import StringIO
from pathlib import Path

import pytest
from django.apps import apps as django_apps

from tests.conftest import FIRST_SEVEN, ROOT
from trials.registry.importer import import_paths

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
    report = import_paths(FIRST_SEVEN, publish=True)
    assert not report.failed
    # Live-server tests empty every table first, so the glossary's data migration runs again.
    glossary = importlib.import_module("trials.migrations.0004_starting_glossary")
    glossary.add_terms(django_apps, None)
    return live_server.url


@pytest.fixture
def live_curator(site):
    """A curator (Curators group, not a superuser) who can sign in to the live server: (username,
    password)."""
    make_live_curators("cleo")
    return "cleo", CURATOR_PASSWORD


CURATOR_PASSWORD = "a-long-curator-passphrase"


def make_live_curators(*names):
    """Curators who can sign in to the live server, each with CURATOR_PASSWORD."""
    from django.contrib.auth.models import Group, Permission, User
    from django.core.management import call_command

    # Live-server tests empty every table first: the Curators group of migrations 0007 and 0012
    # is made again from their lists (the permissions themselves are made after every flush).
    group = importlib.import_module("trials.migrations.0007_curators_group")
    new = importlib.import_module("trials.migrations.0012_site_confirmations_and_problem_reports")
    attributes = importlib.import_module("trials.migrations.0019_trial_attributes")
    codenames = (
        [
            group.codename(action, model)
            for model, actions in group.PERMISSIONS.items()
            for action in actions
        ]
        + new.CURATOR_PERMISSIONS
        + attributes.CURATOR_PERMISSIONS
    )
    curators, _ = Group.objects.get_or_create(name="Curators")
    curators.permissions.set(Permission.objects.filter(codename__in=codenames))
    for name in names:
        call_command("create_curator", name, "--no-password", stdout=StringIO())
        curator = User.objects.get(username=name)
        curator.set_password(CURATOR_PASSWORD)
        curator.save()


def sign_in(page, site, curator):
    page.goto(f"{site}/admin/login/")
    page.fill("#id_username", curator[0])
    page.fill("#id_password", curator[1])
    follow(page, page.locator("input[type=submit]"))


def follow(page, link):
    """Click a link or button and wait until the page it leads to has loaded: page.url changes as
    soon as the new page starts arriving, before its body is there to be counted or read."""
    with page.expect_navigation():
        link.click()


def no_sideways_scroll(page):
    return page.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 0


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_a_visitor_searches_filters_pages_and_reaches_a_trial(browser, site, viewport, settings):
    settings.TRIALS_PAGE_SIZE = 2  # seven trials make four pages to walk through
    name = "phone" if viewport is PHONE else "desktop"
    SCREENSHOTS.mkdir(exist_ok=True)
    page = browser.new_page(viewport=viewport)
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))

    page.goto(f"{site}/")
    assert page.locator("h1").inner_text() == "Blinatumomab clinical trials"
    assert "2 trials open to enrolment" in page.locator(".counts").inner_text()
    page.screenshot(path=SCREENSHOTS / f"home-{name}.png", full_page=True)

    # Search from the home page, without JavaScript doing anything special.
    page.get_by_label("Search trials").fill("leukemia")
    follow(page, page.get_by_role("button", name="Search"))
    assert "q=leukemia" in page.url
    assert page.locator(".results-count").inner_text().startswith("7 trials")

    # Filter: phase 3, through the facet checkbox and its count. On a phone the filters are
    # folded away until asked for; beside the results they are always open.
    if viewport is PHONE:
        page.locator(".filters summary").click()
    page.get_by_role("checkbox", name="Phase 3 (4)").check()
    follow(page, page.get_by_role("button", name="Apply filters").first)
    assert page.locator(".results-count").inner_text().startswith("4 trials")
    assert no_sideways_scroll(page)
    page.screenshot(path=SCREENSHOTS / f"results-{name}.png", full_page=True)

    # Page on: the filters stay.
    follow(page, page.get_by_role("link", name="Next page"))
    assert "page=2" in page.url and "phase=PHASE3" in page.url and "q=leukemia" in page.url
    assert "Page 2 of 2" in page.locator(".pagination").inner_text()

    # And reach a trial.
    follow(page, page.locator(".trial-card h3 a").first)
    assert "/trials/NCT" in page.url
    assert page.locator("h1").count() == 1
    assert "Talk with your care team" in page.locator("#main").inner_text()
    assert no_sideways_scroll(page)
    page.screenshot(path=SCREENSHOTS / f"trial-{name}.png")
    assert errors == []
    page.close()


def test_near_me_lists_the_nearest_trial_first(browser, site):
    page = browser.new_page(viewport=DESKTOP)
    page.goto(f"{site}/")
    page.get_by_label("Where are you?").fill("Milwaukee")
    follow(page, page.get_by_role("button", name="Search"))
    first = page.locator(".trial-card").first.inner_text()
    # Both Milwaukee trials are closed, so the nearest site comes first (TOWER's, at the city
    # centre); its card says the trial takes nobody new.
    # Milwaukee is in the United States: miles.
    assert "NCT02013167" in first and "2 within 100 mi" in first
    assert "the trial is not taking new people" in first
    page.screenshot(path=SCREENSHOTS / "near-milwaukee.png", full_page=True)
    page.close()


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_distances_switch_between_miles_and_kilometres(browser, site, viewport):
    name = "phone" if viewport is PHONE else "desktop"
    SCREENSHOTS.mkdir(exist_ok=True)
    page = browser.new_page(viewport=viewport, locale="de-DE")
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(f"{site}/trials/?near=Milwaukee")
    # A German browser, a U.S. place: the place decides.
    heading = page.locator(".results-count").inner_text()
    assert "within 100 mi of Milwaukee" in heading
    assert "Within (miles)" in page.locator(".search-box").inner_text()
    page.screenshot(path=SCREENSHOTS / f"units-miles-{name}.png", full_page=True)
    follow(page, page.locator(".unit-switch").get_by_role("link", name="kilometres"))
    assert "units=km" in page.url
    assert "within 161 km of Milwaukee" in page.locator(".results-count").inner_text()
    assert "2 within 161 km" in page.locator(".trial-card").first.inner_text()
    assert no_sideways_scroll(page)
    page.screenshot(path=SCREENSHOTS / f"units-km-{name}.png", full_page=True)
    # A new place typed keeps the unit chosen.
    page.get_by_label("Where are you?").fill("53226")
    follow(page, page.get_by_role("button", name="Search"))
    assert (
        "units=km" in page.url and "km of Milwaukee" in page.locator(".results-count").inner_text()
    )
    # The trial's page lists its sites with distances in the same unit, and switches too.
    follow(page, page.locator(".trial-card h3 a").first)
    assert "units=km" in page.url
    assert " km away" in page.locator("#site-list").inner_text()
    follow(page, page.locator(".unit-switch").get_by_role("link", name="miles"))
    assert " mi away" in page.locator("#site-list").inner_text()
    assert no_sideways_scroll(page)
    page.screenshot(path=SCREENSHOTS / f"units-trial-{name}.png")
    # A state: the whole of it, and a radius said not to apply.
    page.goto(f"{site}/trials/?near=Texas&radius=50")
    assert "whole of Texas" in page.locator(".chips").inner_text()
    assert "the distance of 50 mi does not apply" in page.locator(".notes").inner_text()
    page.screenshot(path=SCREENSHOTS / f"units-region-{name}.png", full_page=True)
    assert errors == []
    page.close()


def test_on_a_phone_a_closed_trial_and_a_stale_one_say_so(browser, site):
    """The terminated Milwaukee trial's site the registry still lists as recruiting, and an open
    trial last updated in 2024, as a parent reads them at 390 px."""
    page = browser.new_page(viewport=PHONE)
    page.goto(f"{site}/trials/NCT04556084/")
    assert page.locator(".status-line").inner_text().startswith("Stopped early")
    disagrees = page.locator(".site-disagrees")
    disagrees.scroll_into_view_if_needed()
    assert disagrees.is_visible()
    assert "still lists this site as recruiting" in disagrees.inner_text()
    assert page.locator(".sites .badge-open").count() == 0
    page.screenshot(path=SCREENSHOTS / "phone-closed-trial-site.png")
    page.goto(f"{site}/trials/NCT06607419/")
    stale = page.locator(".stale-note")
    assert stale.is_visible() and "confirm with the site" in stale.inner_text()
    page.screenshot(path=SCREENSHOTS / "phone-stale-open-trial.png")
    page.close()


AXE = ROOT / "static" / "vendor" / "axe-core" / "axe.min.js"


@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/trials/",
        "/trials/?q=leukemia&near=Milwaukee",
        "/trials/NCT02013167/",
        "/trials/NCT02101853/",
        "/accessibility/",
        "/trials/NCT04556084/report/",
    ],
)
def test_no_serious_accessibility_violations(browser, site, path):
    """axe-core (vendored from npm) finds nothing serious or critical (WCAG 2.2 AA rules)."""
    # The site's Content-Security-Policy forbids injected scripts, axe's too: bypassed for the
    # test tool only (tests/deploy checks the policy itself in the browser).
    page = browser.new_page(viewport=DESKTOP, bypass_csp=True)
    page.route("**/*", block_outside(site))  # no map tiles from the internet in tests
    page.goto(f"{site}{path}")
    assert serious_violations(axe(page)) == []
    page.close()


WCAG = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


def axe(page, within="document"):
    """axe-core's findings by the WCAG 2.2 AA rules, on the page or the element `within` selects.
    The page must be opened with bypass_csp: the site's policy forbids axe's injected script."""
    page.add_script_tag(path=str(AXE))
    return page.evaluate(
        """async ([within, tags]) => await axe.run(
            within === "document" ? document : within, {runOnly: {type: "tag", values: tags}}
        )""",
        [within, WCAG],
    )


def serious_violations(result):
    return [
        f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']][:3]}"
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]


def block_outside(site):
    def handle(route):
        if route.request.url.startswith(site):
            route.continue_()
        else:
            route.abort()

    return handle


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_the_trial_page_at_phone_and_desktop_widths(browser, site, viewport):
    name = "phone" if viewport is PHONE else "desktop"
    page = browser.new_page(viewport=viewport)
    page.route("**/*", block_outside(site))
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(f"{site}/trials/NCT02013167/?near=Boston")
    assert page.locator("h1").count() == 1
    assert page.locator("#site-map").is_visible()  # the script drew the map
    assert no_sideways_scroll(page)
    # A glossary term opens its explanation.
    page.locator("button.term").first.click()
    assert page.locator("[popover]:popover-open").count() == 1
    page.screenshot(path=SCREENSHOTS / f"trial-full-{name}.png", full_page=True)
    page.emulate_media(media="print")
    page.screenshot(path=SCREENSHOTS / f"trial-print-{name}.png", full_page=True)
    assert errors == []
    page.close()
