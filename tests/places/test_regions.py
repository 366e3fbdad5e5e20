"""States and countries typed as the place: the whole region, not its middle (made-up trials)."""

import html
import re

import pytest

from tests.factories import trial
from tests.search.test_search import listed, page_text
from trials.places.gazetteer import resolve_region

pytestmark = pytest.mark.django_db

HOUSTON = {
    "city": "Houston",
    "state": "Texas",
    "country": "United States",
    "latitude": 29.76,
    "longitude": -95.37,
}
EL_PASO = {
    "city": "El Paso",
    "state": "TX",
    "country": "United States",
    "latitude": 31.76,
    "longitude": -106.49,
}
TULSA = {
    "city": "Tulsa",
    "state": "Oklahoma",
    "country": "United States",
    "latitude": 36.15,
    "longitude": -95.99,
}
MUNICH = {"city": "Munich", "country": "Germany", "latitude": 48.14, "longitude": 11.58}
VIENNA = {"city": "Vienna", "country": "Austria", "latitude": 48.21, "longitude": 16.37}


@pytest.mark.parametrize(
    ("typed", "name", "kind"),
    [
        ("Texas", "Texas", "state"),
        ("texas", "Texas", "state"),
        ("TX", "Texas", "state"),
        ("Germany", "Germany", "country"),
        ("USA", "United States", "country"),
        ("Ontario", "Ontario", "state"),
    ],
)
def test_states_and_countries_are_regions(typed, name, kind):
    region = resolve_region(typed)
    assert (region.name, region.kind) == (name, kind)


@pytest.mark.parametrize("typed", ["Milwaukee", "New York", "tx", "de", "in", "53226", ""])
def test_cities_codes_in_lower_case_and_words_are_not(typed):
    assert resolve_region(typed) is None


def test_a_state_lists_trials_with_a_site_anywhere_in_it(client):
    houston = trial(sites=[HOUSTON], overall_status="RECRUITING").nct_id
    el_paso = trial(sites=[EL_PASO], overall_status="RECRUITING").nct_id  # 1,000 km from Houston
    tulsa = trial(sites=[TULSA], overall_status="RECRUITING").nct_id  # nearer Texas's middle
    assert sorted(listed(client, near="Texas")) == sorted([houston, el_paso])
    assert tulsa not in listed(client, near="Texas")
    page = html.unescape(page_text(client, near="Texas"))
    assert "2 trials with a site in Texas" in page
    assert "Sites in Texas" in page and "El Paso" in page
    assert "We could not find the place" not in page


def test_a_country_lists_trials_with_a_site_in_it(client):
    munich = trial(sites=[MUNICH], overall_status="RECRUITING").nct_id
    trial(sites=[VIENNA], overall_status="RECRUITING")
    assert listed(client, near="Germany") == [munich]
    assert "Near: whole of Germany" in html.unescape(page_text(client, near="Germany"))


def test_a_radius_given_with_a_region_is_said_not_to_apply(client):
    houston = trial(sites=[HOUSTON], overall_status="RECRUITING").nct_id
    el_paso = trial(sites=[EL_PASO], overall_status="RECRUITING").nct_id
    # The whole state, whatever the radius: and the page says so rather than ignore it silently.
    assert sorted(listed(client, near="Texas", radius=50)) == sorted([houston, el_paso])
    page = html.unescape(page_text(client, near="Texas", radius=50))
    assert "Near: whole of Texas" in page
    assert "Texas is searched as a whole (every site in it), so the distance of 50 mi" in page
    page = html.unescape(page_text(client, near="Germany", radius=50))
    assert "Germany is searched as a whole (every site in it), so the distance of 50 km" in page
    assert "does not apply" not in html.unescape(page_text(client, near="Texas"))


def test_a_region_outside_the_united_states_is_named_with_its_country(client):
    toronto = {"city": "Toronto", "state": "Ontario", "country": "Canada"}
    trial(sites=[{**toronto, "latitude": 43.65, "longitude": -79.38}], overall_status="RECRUITING")
    page = html.unescape(page_text(client, near="Ontario"))
    assert "Near: whole of Ontario, Canada" in page
    assert "1 trial with a site in Ontario, Canada" in page
    assert resolve_region("Texas").full_name == "Texas"  # a U.S. state needs no country
    assert resolve_region("Germany").full_name == "Germany"


@pytest.mark.parametrize(
    "typed, name",
    [
        ("Alemania", "Germany"),
        ("España", "Spain"),
        ("espana", "Spain"),
        ("Estados Unidos", "United States"),
        ("德国", "Germany"),
        ("中国", "China"),
        ("日本", "Japan"),
    ],
)
def test_countries_in_spanish_and_chinese_are_regions(typed, name):
    region = resolve_region(typed)
    assert region is not None and region.kind == "country" and region.name == name, typed


def test_a_city_in_spanish_spelling_is_found():
    from trials.places.gazetteer import resolve_place

    munich = resolve_place("Múnich")
    assert munich is not None and munich.country == "Germany"
    assert abs(munich.latitude - 48.14) < 0.2


@pytest.mark.parametrize(
    "typed, name, latitude",
    [("北京", "Beijing", 39.9), ("北京市", "Beijing", 39.9), ("上海", "Shanghai", 31.2)],
)
def test_a_city_in_chinese_is_found(typed, name, latitude):
    from trials.places.gazetteer import resolve_place

    place = resolve_place(typed)
    assert place is not None and place.name == name and place.country == "China", typed
    assert abs(place.latitude - latitude) < 0.2


def test_near_a_chinese_city_in_chinese_finds_the_trial_with_a_site_there(client):
    shanghai = {"city": "Shanghai", "country": "China", "latitude": 31.22, "longitude": 121.46}
    there = trial(sites=[shanghai], overall_status="RECRUITING")
    trial(sites=[{"city": "Munich", "country": "Germany"}], overall_status="RECRUITING")
    response = client.get("/zh-hans/trials/", {"near": "上海"})
    found = re.findall(r'<span class="nct-id">(NCT\d{8})</span>', response.content.decode())
    assert found == [there.nct_id]
