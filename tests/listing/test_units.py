"""Kilometres or miles on the list: the switch, and the unit chosen carried by every link the
list offers (made-up trials near Milwaukee; the rule itself in tests/places/test_units.py)."""

import html
import re

import pytest

from tests.factories import trial
from tests.search.test_search import count_queries, listed

pytestmark = pytest.mark.django_db

MILWAUKEE = {
    "city": "Milwaukee",
    "country": "United States",
    "latitude": 43.04,
    "longitude": -87.91,
}
# 134 km (83 mi) from Milwaukee: inside 100 mi, outside 100 km.
CHICAGO = {"city": "Chicago", "country": "United States", "latitude": 41.85, "longitude": -87.65}


def page(client, params, **headers):
    response = client.get("/trials/", params, **headers)
    assert response.status_code == 200
    return html.unescape(response.content.decode())


def links(text, css_class):
    block = re.search(rf'class="{css_class}[^"]*"[^>]*>(.*?)</(?:p|ul|nav)>', text, re.S)
    return dict(
        (label.strip(), href)
        for href, label in re.findall(r'<a href="([^"]*)"[^>]*>([^<]*)', block[1])
    )


def test_the_switch_shows_the_same_trials_in_the_other_unit(client):
    here = trial(sites=[MILWAUKEE], overall_status="RECRUITING").nct_id
    there = trial(sites=[CHICAGO], overall_status="RECRUITING").nct_id
    in_miles = page(client, {"near": "Milwaukee"})
    assert "2 trials with a site within 100 mi of Milwaukee" in in_miles
    assert '<strong aria-current="true">miles</strong>' in in_miles
    switch = links(in_miles, "unit-switch")
    # 100 mi is 161 km: the link keeps the area searched, and says it in kilometres.
    assert switch["kilometres"] == "?near=Milwaukee&units=km&radius=161"
    in_km = page(client, {"near": "Milwaukee", "units": "km", "radius": "161"})
    assert "2 trials with a site within 161 km of Milwaukee" in in_km
    assert sorted(listed(client, near="Milwaukee", units="km", radius="161")) == sorted(
        [here, there]
    )
    assert links(in_km, "unit-switch")["miles"] == "?near=Milwaukee&units=mi&radius=100"
    # The unit chosen stays in the form, so a new search keeps it.
    assert '<input type="hidden" name="units" value="km">' in in_km
    assert "Within (kilometres)" in in_km and "Within (miles)" in in_miles


def test_the_chosen_unit_is_carried_by_chips_pages_and_trial_links(client, settings):
    settings.TRIALS_PAGE_SIZE = 2
    for _ in range(3):
        trial(sites=[MILWAUKEE], overall_status="RECRUITING", phases=["PHASE2"])
    text = page(client, {"near": "Milwaukee", "units": "km", "phase": "PHASE2"})
    chips = links(text, "chips")
    assert "units=km" in chips["Phase: Phase 2"]
    assert "Near: Milwaukee, Wisconsin, within 100 km" in chips
    assert chips["Clear all"] == "/trials/?units=km"  # the choices go, the unit stays
    assert "units=km" in links(text, "pagination")["Next page"]
    trial_link = re.search(r'<h3><a href="(/trials/NCT\d+/[^"]*)"', text)[1]
    assert trial_link.endswith("?near=Milwaukee&units=km")
    detail = html.unescape(client.get(trial_link).content.decode())
    assert re.search(r'class="distance">\d+ km away', detail)
    assert "mi away" not in detail
    # Without a choice the trial page guesses as the list did, from the place: no units= needed.
    text = page(client, {"near": "Milwaukee"})
    assert re.search(r'<h3><a href="/trials/NCT\d+/\?near=Milwaukee"', text)


def test_without_a_place_an_american_browser_reads_miles(client):
    trial(sites=[MILWAUKEE], overall_status="RECRUITING")
    assert "Within (miles)" in page(client, {}, HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert "Within (kilometres)" in page(client, {}, HTTP_ACCEPT_LANGUAGE="de-DE,en;q=0.5")
    home = html.unescape(client.get("/", HTTP_ACCEPT_LANGUAGE="en-US").content.decode())
    assert "Within (miles)" in home
    for path in ("/", "/trials/"):
        assert "Accept-Language" in client.get(path)["Vary"]
    # A place in the United States reads miles, whatever the browser's language.
    assert "within 100 mi of Milwaukee" in page(
        client, {"near": "Milwaukee"}, HTTP_ACCEPT_LANGUAGE="de-DE"
    )


def test_a_unit_we_do_not_know_is_ignored_with_a_note(client):
    trial(sites=[MILWAUKEE], overall_status="RECRUITING")
    text = page(client, {"near": "Milwaukee", "units": "furlongs"})
    assert "within 100 mi of Milwaukee" in text
    assert "Distances in: the value given was ignored" in text


def test_the_unit_costs_no_query(client):
    trial(sites=[MILWAUKEE], overall_status="RECRUITING")
    trial(sites=[CHICAGO], overall_status="COMPLETED")
    in_miles = count_queries(client, {"near": "Milwaukee"})
    assert count_queries(client, {"near": "Milwaukee", "units": "km", "radius": "161"}) == in_miles
    # A dead end (nothing near Munich) says its distances in either unit at the same cost.
    in_km = count_queries(client, {"near": "Munich"})
    assert count_queries(client, {"near": "Munich", "units": "mi", "radius": "62"}) == in_km
