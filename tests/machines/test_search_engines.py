"""For search engines: sitemap.xml of the published trial pages in every language with lastmod,
robots.txt, and a canonical link on every public page."""

import re
import xml.etree.ElementTree as ET

import pytest

from tests import factories
from tests.conftest import FIRST_SEVEN_IDS
from trials.models import PublicationState, Trial

pytestmark = pytest.mark.django_db

NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9", "x": "http://www.w3.org/1999/xhtml"}


def sitemap(client):
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/xml")
    root = ET.fromstring(response.content)
    return {
        url.findtext("s:loc", namespaces=NS): {
            "lastmod": url.findtext("s:lastmod", namespaces=NS),
            "alternates": {
                link.get("hreflang"): link.get("href") for link in url.findall("x:link", NS)
            },
        }
        for url in root.findall("s:url", NS)
    }


def test_the_sitemap_lists_every_published_trial_in_every_language_with_lastmod(
    client, bundled_trials
):
    urls = sitemap(client)
    for trial in Trial.objects.filter(nct_id__in=FIRST_SEVEN_IDS):
        english = f"http://testserver/trials/{trial.nct_id}/"
        for address in (
            english,
            f"http://testserver/es/trials/{trial.nct_id}/",
            f"http://testserver/zh-hans/trials/{trial.nct_id}/",
        ):
            entry = urls[address]
            assert entry["lastmod"] == trial.updated_at.date().isoformat()
            assert entry["alternates"] == {
                "en": english,
                "es": f"http://testserver/es/trials/{trial.nct_id}/",
                "zh-hans": f"http://testserver/zh-hans/trials/{trial.nct_id}/",
                "x-default": english,
            }
    assert "http://testserver/" in urls and "http://testserver/es/trials/" in urls
    trial_pages = [url for url in urls if re.search(r"/trials/NCT\d{8}/$", url)]
    assert len(trial_pages) == 3 * len(FIRST_SEVEN_IDS)


def test_the_sitemap_leaves_out_drafts_withdrawn_and_synthetic_trials(client, bundled_trials):
    draft = factories.trial(publish=False)
    withdrawn = factories.trial(publication_state=PublicationState.WITHDRAWN)
    Trial.objects.filter(nct_id="NCT02013167").update(publication_state=PublicationState.WITHDRAWN)
    synthetic = factories.trial(publish=False, is_synthetic=True)
    listed = " ".join(sitemap(client))
    for trial_id in (draft.nct_id, withdrawn.nct_id, "NCT02013167", synthetic.nct_id):
        assert trial_id not in listed
    assert "NCT01207388" in listed


def test_robots_keeps_crawlers_from_the_admin_exports_api_and_widget_and_names_the_sitemap(
    client, settings
):
    response = client.get("/robots.txt")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    lines = response.content.decode().splitlines()
    rules = [line for line in lines if line and not line.startswith("#")]
    assert rules[0] == "User-agent: *"
    disallowed = {line.split(": ", 1)[1] for line in rules if line.startswith("Disallow:")}
    for path in (f"/{settings.ADMIN_URL}", "/api/", "/trials/export.", "/es/trials/export."):
        assert path in disallowed
    for path in ("/embed/", "/zh-hans/embed/", "/report/"):
        assert path in disallowed
    # The pages and the feeds are for crawlers.
    assert not any(path in ("/", "/trials/") or "feed" in path for path in disallowed)
    assert "Sitemap: http://testserver/sitemap.xml" in lines


def canonical(client, url):
    content = client.get(url).content.decode()
    links = re.findall(r'<link rel="canonical" href="([^"]+)">', content)
    assert len(links) == 1, links
    return links[0].replace("&amp;", "&")


def test_each_public_page_names_its_canonical_address(client, bundled_trials):
    assert canonical(client, "/") == "http://testserver/"
    assert canonical(client, "/accessibility/") == "http://testserver/accessibility/"
    # A trial's page without the place or unit that only order its sites.
    assert (
        canonical(client, "/trials/NCT02013167/?near=Milwaukee&units=km")
        == "http://testserver/trials/NCT02013167/"
    )
    assert (
        canonical(client, "/es/trials/NCT02013167/") == "http://testserver/es/trials/NCT02013167/"
    )


def test_the_list_canonical_keeps_the_filters_and_drops_paging_order_and_noise(
    client, bundled_trials
):
    assert canonical(client, "/trials/") == "http://testserver/trials/"
    assert (
        canonical(
            client,
            "/trials/?status=RECRUITING&page=2&sort=newest&units=mi&utm_source=x&q=leukemia&city=",
        )
        == "http://testserver/trials/?q=leukemia&status=RECRUITING"
    )
    # The same filters in another order have the same canonical address.
    assert canonical(client, "/trials/?status=RECRUITING&q=leukemia") == canonical(
        client, "/trials/?q=leukemia&status=RECRUITING"
    )
    # The widget names the list it copies.
    assert (
        canonical(client, "/embed/?q=leukemia&sort=newest")
        == "http://testserver/trials/?q=leukemia"
    )


def test_error_pages_name_no_canonical_address(client, db):
    content = client.get("/trials/NCT99999999/").content.decode()
    assert 'rel="canonical"' not in content


def test_the_sitemap_costs_one_query_however_many_trials(
    client, bundled_trials, django_assert_num_queries
):
    with django_assert_num_queries(1):
        assert client.get("/sitemap.xml").status_code == 200
