""" "Email this trial to my doctor" carries what a doctor needs: the title, the status, the nearest
site with its contact (when a place was given), who can join, and the page (made-up trials)."""

import html
import re
from urllib.parse import unquote

import pytest

from tests.factories import contact, trial
from trials.places.distance import distance_km
from trials.places.gazetteer import resolve_place

pytestmark = pytest.mark.django_db

MILWAUKEE = {
    "city": "Milwaukee",
    "country": "United States",
    "latitude": 43.04,
    "longitude": -87.91,
    "facility": "Made-up Milwaukee clinic",
}
PARIS = {
    "city": "Paris",
    "country": "France",
    "latitude": 48.86,
    "longitude": 2.35,
    "facility": "Made-up Paris clinic",
}


def email_body(client, url, **params):
    page = client.get(url, params).content.decode()
    href = html.unescape(re.search(r'href="(mailto:[^"]+)">Email this trial', page).group(1))
    return unquote(href.split("body=", 1)[1])


def test_the_email_names_the_nearest_site_and_its_contact(client):
    made = trial(
        brief_title="Made-up trial of a made-up drug",
        overall_status="RECRUITING",
        plain_eligibility="Made-up words on who can join.",
        sites=[PARIS, MILWAUKEE],
    )
    contact(made, site=made.sites.get(city="Milwaukee"), name="Made-up nurse", phone="555-0100")
    body = email_body(client, made.get_absolute_url(), near="Milwaukee")
    assert f"Made-up trial of a made-up drug ({made.nct_id})" in body
    assert "Status: Recruiting" in body
    assert "Nearest site to Milwaukee, Wisconsin: Made-up Milwaukee clinic, Milwaukee" in body
    assert "Contact there: Made-up nurse, 555-0100" in body
    assert "Who can join, in short: Made-up words on who can join." in body
    assert f"http://testserver/trials/{made.nct_id}/" in body
    assert "&" not in body.split("\n")[0]  # plain text, nothing escaped into it


def test_without_a_place_no_site_is_named(client):
    made = trial(overall_status="COMPLETED", minimum_age="18 Years", sites=[PARIS])
    body = email_body(client, made.get_absolute_url())
    assert "Nearest site" not in body and "Made-up Paris clinic" not in body
    assert "Who can join, in short: ages 18 years and over" in body


def test_the_email_says_the_distance_in_the_visitors_unit(client):
    made = trial(overall_status="RECRUITING", sites=[PARIS, MILWAUKEE])
    chicago = resolve_place("Chicago")
    km = distance_km(chicago.latitude, chicago.longitude, 43.04, -87.91)
    # Chicago is in the United States: miles (the international mile, 1.609344 km).
    body = email_body(client, made.get_absolute_url(), near="Chicago")
    assert (
        f"Made-up Milwaukee clinic, Milwaukee, United States (about {km / 1.609344:.0f} mi" in body
    )
    body = email_body(client, made.get_absolute_url(), near="Chicago", units="km")
    assert f"Made-up Milwaukee clinic, Milwaukee, United States (about {km:.0f} km away)" in body
    lyon = resolve_place("Lyon")
    km = distance_km(lyon.latitude, lyon.longitude, 48.86, 2.35)
    body = email_body(client, made.get_absolute_url(), near="Lyon")
    assert f"Made-up Paris clinic, Paris, France (about {km:.0f} km away)" in body
