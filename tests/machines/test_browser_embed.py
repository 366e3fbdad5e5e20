"""The widget in a real browser, inside an iframe of a page from another origin (a second local
HTTP server, as a hospital's site would be): it shows the trials; the results page in an iframe
is refused. Then the widget's own page at phone and desktop widths, by keyboard, and axe."""

import functools
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer

import pytest

from tests.test_browser import (  # noqa: F401 (fixtures)
    DESKTOP,
    PHONE,
    SCREENSHOTS,
    axe,
    browser,
    no_sideways_scroll,
    pytestmark,
    serious_violations,
    site,
)


@pytest.fixture
def other_origin(tmp_path, site):  # noqa: F811
    """Pages on 127.0.0.1 (the live server is on localhost: another origin): one framing the
    widget for a search, one framing the results page. One frame a page: on SQLite the live
    server's threads share one in-memory connection, and two pages asked at once can block
    each other for good."""
    for name, title, path in (
        ("index.html", "Trials", "/embed/?q=leukemia"),
        ("results.html", "Results", "/trials/?q=leukemia"),
    ):
        (tmp_path / name).write_text(
            "<!doctype html><html lang='en'><title>A hospital's page (synthetic)</title>"
            "<h1>Trials for our patients</h1>"
            f"<iframe name='framed' title='{title}' width='400' height='600' "
            f"src='{site}{path}'></iframe>"
        )
    handler = functools.partial(SimpleHTTPRequestHandler, directory=str(tmp_path))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/index.html"
    server.shutdown()
    server.server_close()


def test_another_site_shows_the_widget_and_no_other_page(browser, site, other_origin):  # noqa: F811
    page = browser.new_page(viewport=DESKTOP)
    refused = []
    page.on("console", lambda message: refused.append(message.text))
    page.goto(other_origin)
    widget = page.frame(name="framed")
    widget.wait_for_selector(".embed-list li")
    assert "localhost" in widget.url and "127.0.0.1" in page.url
    shown = widget.locator(".nct-id").all_inner_texts()
    assert shown and all(nct_id.startswith("NCT") for nct_id in shown)
    assert "trial" in widget.locator("h1").inner_text()
    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=SCREENSHOTS / "embed-in-another-site.png", full_page=True)
    # A link in the widget opens the portal in a new tab, not inside the frame.
    with page.context.expect_page() as opened:
        widget.locator(".embed-list a").first.click()
    opened.value.wait_for_load_state()
    assert "/trials/NCT" in opened.value.url
    opened.value.close()
    # The results page refuses the frame: the browser shows its error page, not ours.
    page.goto(other_origin.replace("index.html", "results.html"))
    page.wait_for_timeout(500)
    framed = page.frame(name="framed")
    assert framed is None or framed.locator(".search-page").count() == 0
    assert any("frame-ancestors" in text for text in refused), refused
    page.close()


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_the_widget_reads_at_phone_and_desktop_widths_by_keyboard(browser, site, viewport):  # noqa: F811
    name = "phone" if viewport is PHONE else "desktop"
    page = browser.new_page(viewport=viewport, bypass_csp=True)  # for axe's script only
    page.goto(f"{site}/embed/?status=COMPLETED&status=TERMINATED")
    assert page.locator("h1").count() == 1
    assert no_sideways_scroll(page)
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.tagName") == "A"
    page.screenshot(path=SCREENSHOTS / f"embed-{name}.png", full_page=True)
    assert serious_violations(axe(page)) == []
    page.close()


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_the_results_page_offers_the_widget_code_to_copy(browser, site, viewport):  # noqa: F811
    name = "phone" if viewport is PHONE else "desktop"
    page = browser.new_page(viewport=viewport, bypass_csp=True)  # for axe's script only
    page.goto(f"{site}/trials/?q=leukemia")
    # By keyboard: the summary opens the code, which is then selectable text.
    page.locator(".embed-snippet summary").focus()
    page.keyboard.press("Enter")
    code = page.locator("#embed-code").input_value()
    assert code.startswith(f'<iframe src="{site}/embed/?q=leukemia"')
    assert page.locator(".copy-button").is_visible()  # the script showed its button
    assert no_sideways_scroll(page)
    page.locator(".embed-snippet").screenshot(path=SCREENSHOTS / f"embed-snippet-{name}.png")
    assert serious_violations(axe(page, ".embed-snippet")) == []
    page.close()
