"""The place goes along from the list to a trial's page, whose site list then starts with the
visitor's own country (or state) and folds the others away; so does the country chosen."""

import html
import re

import pytest

from tests.factories import trial

pytestmark = pytest.mark.django_db

MILWAUKEE = {
    "city": "Milwaukee",
    "state": "Wisconsin",
    "country": "United States",
    "latitude": 43.04,
    "longitude": -87.91,
    "facility": "Made-up Milwaukee clinic",
}
HOUSTON = {
    "city": "Houston",
    "state": "Texas",
    "country": "United States",
    "latitude": 29.76,
    "longitude": -95.37,
    "facility": "Made-up Houston clinic",
}
MUNICH = {
    "city": "Munich",
    "country": "Germany",
    "latitude": 48.14,
    "longitude": 11.58,
    "facility": "Made-up Munich clinic",
}
PARIS = {
    "city": "Paris",
    "country": "France",
    "latitude": 48.86,
    "longitude": 2.35,
    "facility": "Made-up Paris clinic",
}


@pytest.fixture
def big():
    return trial(sites=[MUNICH, PARIS, HOUSTON, MILWAUKEE], overall_status="RECRUITING")


def card_link(client, **params):
    page = client.get("/trials/", params).content.decode()
    return html.unescape(re.search(r'<h3><a href="([^"]+)"', page).group(1))


def test_result_links_carry_the_place_or_the_country(client, big):
    assert card_link(client, near="Milwaukee") == f"/trials/{big.nct_id}/?near=Milwaukee"
    assert card_link(client, country="Germany") == f"/trials/{big.nct_id}/?country=Germany"
    assert card_link(client) == f"/trials/{big.nct_id}/"


def sections(page):
    """(facilities shown first, facilities folded away, the fold's summary)."""
    folded = re.search(r'<details class="more-sites">(.*?)</details>', page, re.S)
    first = page[: folded.start()] if folded else page
    return (
        re.findall(r"<strong>(Made-up [^<]+)</strong>", first),
        re.findall(r"<strong>(Made-up [^<]+)</strong>", folded.group(1)) if folded else [],
        re.search(r"<summary>([^<]+)</summary>", folded.group(1)).group(1) if folded else "",
    )


def test_near_a_city_its_country_first_and_the_rest_folded(client, big):
    page = client.get(f"/trials/{big.nct_id}/", {"near": "Milwaukee"}).content.decode()
    first, folded, summary = sections(page)
    assert first == ["Made-up Milwaukee clinic", "Made-up Houston clinic"]
    assert sorted(folded) == ["Made-up Munich clinic", "Made-up Paris clinic"]
    assert summary == "Show 2 more sites in 2 other countries"


def test_a_state_or_country_named_comes_first(client, big):
    page = client.get(f"/trials/{big.nct_id}/", {"near": "Texas"}).content.decode()
    first, _, _ = sections(page)
    assert first[0] == "Made-up Houston clinic"
    assert "those in Texas first" in page
    page = client.get(f"/trials/{big.nct_id}/", {"near": "Germany"}).content.decode()
    first, folded, _ = sections(page)
    assert first == ["Made-up Munich clinic"] and len(folded) == 3


def test_without_a_place_nothing_is_folded(client, big):
    page = client.get(f"/trials/{big.nct_id}/").content.decode()
    first, folded, _ = sections(page)
    assert len(first) == 4 and folded == []


ISTANBUL = {
    "city": "Istanbul",
    "country": "Turkey (Türkiye)",  # as the registry's API writes it
    "latitude": 41.01,
    "longitude": 28.98,
    "facility": "Made-up Istanbul clinic",
}


def test_the_country_chosen_comes_first_as_the_registry_writes_it(client):
    made = trial(sites=[MUNICH, ISTANBUL, HOUSTON, PARIS], overall_status="RECRUITING")
    link = card_link(client, country="Turkey (Türkiye)")
    assert link == f"/trials/{made.nct_id}/?country=Turkey+%28T%C3%BCrkiye%29"
    page = client.get(link).content.decode()
    first, folded, summary = sections(page)
    assert first == ["Made-up Istanbul clinic"]
    assert sorted(folded) == [
        "Made-up Houston clinic",
        "Made-up Munich clinic",
        "Made-up Paris clinic",
    ]
    assert summary == "Show 3 more sites in 3 other countries"
    assert "4 sites in 4 countries, those in Turkey (Türkiye) first." in html.unescape(page)
    # Carried as a place, this name was once read as a town in New Jersey, and the sites ordered
    # by their distance from it: no place, no distance.
    assert ", nearest to " not in page and 'class="distance"' not in page


def test_a_country_chosen_where_the_trial_has_no_site_folds_nothing(client, big):
    page = client.get(f"/trials/{big.nct_id}/", {"country": "Narnia"}).content.decode()
    first, folded, _ = sections(page)
    assert len(first) == 4 and folded == []
    assert "first." not in page.split('id="site-list"')[0].rsplit("<p", 1)[-1]
