"""A trial of many sites, seen from no place, lists its countries, each a link to its own sites
(trial_page.MANY_SITES): a family looks for theirs among a few countries rather than hundreds of
sites, and the page is no longer made of every site. The sites here are made up."""

import html
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import trial
from trials import trial_page
from trials.models import Contact

pytestmark = pytest.mark.django_db

CITIES = {
    "United States": ("Boston", "Massachusetts", 42.36, -71.06),
    "Germany": ("Munich", "", 48.14, 11.58),
    "France": ("Paris", "", 48.86, 2.35),
    "Belgium": ("Brussels", "", 50.85, 4.35),
    "Bulgaria": ("Sofia", "", 42.70, 23.32),
}


def made_up_sites(counts):
    """`counts`: {country: number of sites}; each a made-up clinic in that country's city."""
    sites = []
    for country, count in counts.items():
        city, state, latitude, longitude = CITIES[country]
        sites += [
            {
                "facility": f"Made-up {city} clinic {n}",
                "city": city,
                "state": state,
                "country": country,
                "latitude": latitude,
                "longitude": longitude,
                "status": "RECRUITING",
            }
            for n in range(count)
        ]
    return sites


def many_sites_trial(us=40, germany=15, france=5):
    made = trial(
        sites=made_up_sites({"United States": us, "Germany": germany, "France": france}),
        overall_status="RECRUITING",
    )
    munich = made.sites.filter(country="Germany").first()
    Contact.objects.create(
        trial=made, site=munich, kind=Contact.Kind.SITE, name="Made-up Munich contact"
    )
    return made


def site_list(page):
    return re.search(r'<div id="site-list" tabindex="-1">(.*?)</section>', page, re.S).group(1)


def listed_facilities(page):
    return re.findall(r'<li class="site" id="site-\d+">\s*<strong[^>]*>([^<]+)</strong>', page)


def country_links(page):
    """{country shown: (its link, what it says of its sites)} in the site list."""
    found = re.findall(
        r'<li><a href="([^"]+)">([^<]+)</a> <span class="small">([^<]+)</span></li>',
        site_list(page),
    )
    return {name: (html.unescape(href), said) for href, name, said in found}


def test_a_trial_of_many_sites_lists_its_countries_each_a_link_to_its_sites(client):
    made = many_sites_trial()
    page = client.get(f"/trials/{made.nct_id}/").content.decode()
    assert len(made_up_sites({"United States": 40, "Germany": 15, "France": 5})) > (
        trial_page.MANY_SITES
    )
    assert listed_facilities(page) == []
    assert "60 sites in 3 countries." in page
    assert "Choose a country to see its sites and whom to contact" in page
    # In the alphabetical order of the page's language, each with its number of sites.
    assert country_links(page) == {
        "France": ("?country=France#where", "5 sites"),
        "Germany": ("?country=Germany#where", "15 sites"),
        "United States": ("?country=United+States#where", "40 sites"),
    }
    # The map still shows every site, and the place form is there to order them by distance.
    points = re.search(r'<script id="site-points" type="application/json">(.*?)</script>', page)
    assert points.group(1).count('"lat"') == 60
    assert 'name="near"' in page


def test_the_countries_come_in_the_alphabetical_order_of_the_pages_language(client):
    made = trial(
        sites=made_up_sites({"United States": 50, "Belgium": 2, "Bulgaria": 2, "Germany": 2}),
        overall_status="RECRUITING",
    )
    page = client.get(f"/es/trials/{made.nct_id}/").content.decode()
    # Accents aside: "Bélgica" comes before "Bulgaria" in Spanish.
    assert list(country_links(page)) == ["Alemania", "Bélgica", "Bulgaria", "Estados Unidos"]
    assert country_links(page)["Bélgica"][1] == "2 centros"


def test_a_country_chosen_lists_its_sites_with_their_contacts_and_the_others_as_links(client):
    made = many_sites_trial()
    page = client.get(f"/trials/{made.nct_id}/", {"country": "Germany"}).content.decode()
    facilities = listed_facilities(page)
    assert len(facilities) == 15 and all("Munich" in name for name in facilities)
    assert "Made-up Munich contact" in page
    assert "Sites in other countries" in page
    assert set(country_links(page)) == {"France", "United States"}
    # The same choice in other letters: the registry writes the country's name one way.
    again = client.get(f"/trials/{made.nct_id}/", {"country": "germany"}).content.decode()
    assert listed_facilities(again) == facilities


def test_a_country_the_trial_has_no_site_in_says_so_and_lists_the_countries(client):
    made = many_sites_trial()
    response = client.get(f"/trials/{made.nct_id}/", {"country": "<b>Narnia</b>"})
    page = response.content.decode()
    assert response.status_code == 200
    assert (
        "This trial lists no site in “&lt;b&gt;Narnia&lt;/b&gt;”. Choose a country below." in page
    )
    assert listed_facilities(page) == []
    assert set(country_links(page)) == {"France", "Germany", "United States"}


def test_a_place_still_lists_every_site_nearest_first(client):
    made = many_sites_trial()
    page = client.get(f"/trials/{made.nct_id}/", {"near": "Munich"}).content.decode()
    facilities = listed_facilities(page)
    assert len(facilities) == 60 and "Munich" in facilities[0]
    assert "Show 45 more sites in 2 other countries" in page
    assert country_links(page) == {}


def test_a_trial_of_few_sites_lists_them_all(client):
    made = trial(sites=made_up_sites({"Germany": 3, "France": 2}), overall_status="RECRUITING")
    page = client.get(f"/trials/{made.nct_id}/").content.decode()
    assert len(listed_facilities(page)) == 5
    assert "5 sites in 2 countries." in page
    assert country_links(page) == {}


def test_a_trial_of_many_sites_in_one_country_lists_them_all(client):
    made = trial(sites=made_up_sites({"Germany": 60}), overall_status="RECRUITING")
    page = client.get(f"/trials/{made.nct_id}/").content.decode()
    assert len(listed_facilities(page)) == 60
    assert country_links(page) == {}


def page_queries(client, made, **params):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(f"/trials/{made.nct_id}/", params).status_code == 200
    return len(queries)


def test_the_page_of_many_sites_reads_no_more_for_more_sites(client):
    # A few sites' contacts and confirmations are read in two statements whatever their number.
    smaller, larger = many_sites_trial(), many_sites_trial(us=200, germany=60)
    assert page_queries(client, smaller) == page_queries(client, larger)
    assert page_queries(client, smaller, country="Germany") == page_queries(
        client, larger, country="Germany"
    )
