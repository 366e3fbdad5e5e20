"""The widget (/embed/): the list's trials for the same parameters, a page any site may frame
while every other page refuses to be framed; its code offered on the results page."""

import html
import re

import pytest

from tests.listing.test_exports import listed

pytestmark = pytest.mark.django_db


def embedded(client, **params):
    response = client.get("/embed/", params)
    assert response.status_code == 200
    return re.findall(r'<span class="nct-id">(NCT\d{8})</span>', response.content.decode())


@pytest.mark.parametrize(
    "params",
    [{}, {"q": "leukemia"}, {"status": "TERMINATED"}, {"near": "Milwaukee", "radius": "500"}],
)
def test_the_widget_shows_the_trials_of_the_list_in_its_order(client, bundled_trials, params):
    assert embedded(client, **params) == listed(client, **params)


def test_any_site_may_frame_the_widget_and_no_other_page(client, bundled_trials):
    widget = client.get("/embed/", {"q": "leukemia"})
    assert "frame-ancestors *" in widget["Content-Security-Policy"]
    assert "X-Frame-Options" not in widget
    for url in ("/", "/trials/", "/trials/NCT02013167/", "/es/trials/", "/trials/export.csv"):
        response = client.get(url)
        assert "frame-ancestors 'none'" in response["Content-Security-Policy"], url
        assert response["X-Frame-Options"] == "DENY", url


def test_a_304_of_the_widget_keeps_the_framing_the_browser_has(client, bundled_trials):
    """A 304's headers update the kept copy: a site-wide frame-ancestors 'none' on it would stop
    the widget at its next revalidation."""
    etag = client.get("/embed/")["ETag"]
    again = client.get("/embed/", headers={"If-None-Match": etag})
    assert again.status_code == 304
    assert "Content-Security-Policy" not in again and "X-Frame-Options" not in again


def test_the_widget_links_open_the_portal_in_a_new_tab(client, bundled_trials):
    content = client.get("/embed/", {"status": "TERMINATED"}).content.decode()
    links = re.findall(r"<a [^>]*>", content)
    assert links and all('target="_blank" rel="noopener"' in link for link in links)
    assert 'href="/trials/NCT02013167/"' in content
    assert "<header" not in content and "language-switch" not in content
    assert '<meta name="robots" content="noindex">' in content


def test_the_widget_says_what_it_ignored_and_never_fails(client, bundled_trials):
    response = client.get("/embed/", {"age": "old", "status": "NOPE", "page": "x", "sort": "?"})
    assert response.status_code == 200
    assert 'class="notes"' in response.content.decode()


def test_the_widget_speaks_the_page_language(client, bundled_trials):
    content = client.get("/es/embed/", {"status": "TERMINATED"}).content.decode()
    assert '<html lang="es">' in content
    assert "ensayos encontrados" in content or "ensayo encontrado" in content


def test_the_results_page_offers_the_code_of_its_search(client, bundled_trials):
    content = client.get("/trials/", {"q": "leukemia", "page": "1", "sort": "newest"}).content
    content = content.decode()
    code = re.search(r'<textarea id="embed-code"[^>]*readonly>(.*?)</textarea>', content, re.S)
    assert code, "no widget code"
    # What the visitor sees (and copies) is the HTML to paste, its "&" written "&amp;".
    assert html.unescape(code.group(1)).strip() == (
        '<iframe src="http://testserver/embed/?q=leukemia&amp;sort=newest" '
        'title="Blinatumomab clinical trials" width="100%" height="600" loading="lazy"></iframe>'
    )


def test_the_widget_costs_a_fixed_number_of_queries(
    client, bundled_trials, django_assert_num_queries
):
    """The trials and their count (kept in the cache once counted), however many are shown."""
    with django_assert_num_queries(2):
        client.get("/embed/", {"status": "TERMINATED"})
    with django_assert_num_queries(1):
        client.get("/embed/", {"status": "TERMINATED"}, headers={"Accept": "text/html"})
    with django_assert_num_queries(2):
        client.get("/embed/")
