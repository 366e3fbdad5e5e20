"""No dead ends: a list with no open trial says so plainly and offers searches that find some.

Made-up trials (tests/factories.py) with sites in Milwaukee and Chicago; every way out offered is
followed, and must list trials.
"""

import html
import re

import pytest

from tests.factories import trial
from tests.search.test_search import listed, page_text

pytestmark = pytest.mark.django_db

MILWAUKEE = {
    "city": "Milwaukee",
    "country": "United States",
    "latitude": 43.0389,
    "longitude": -87.9065,
}
MUNICH = {"city": "Munich", "country": "Germany", "latitude": 48.1374, "longitude": 11.5755}
VIENNA = {"city": "Vienna", "country": "Austria", "latitude": 48.2082, "longitude": 16.3738}
CHICAGO = {
    "city": "Chicago",
    "country": "United States",
    "latitude": 41.8781,
    "longitude": -87.6298,
}


@pytest.fixture
def trials():
    return {
        "closed_near": trial(
            brief_title="Leukemia study that has finished",
            overall_status="COMPLETED",
            phases=["PHASE2"],
            sites=[{**MILWAUKEE, "status": "COMPLETED"}],
        ).nct_id,
        "open_far": trial(
            brief_title="Leukemia study taking people",
            overall_status="RECRUITING",
            phases=["PHASE2"],
            sites=[{**CHICAGO, "status": "RECRUITING"}],
        ).nct_id,
    }


def ways(page):
    """[(label, href)] of the ways out offered on a page."""
    block = re.search(r'<ul class="ways-out">(.*?)</ul>', page, re.S)
    if not block:
        return []
    return [
        (html.unescape(label), html.unescape(href))
        for href, label in re.findall(r'<a href="\?([^"]*)">([^<]*)</a>', block.group(1))
    ]


def test_every_way_out_leads_to_trials(client, trials):
    searches = [
        {"q": "leukemia", "near": "Milwaukee", "radius": "50"},
        {"q": "leukemia nosuchword"},
        {"q": "leukemia", "phase": "PHASE3", "status": "RECRUITING"},
        {"status": "RECRUITING", "near": "Milwaukee", "radius": "20"},
    ]
    for params in searches:
        offered = ways(page_text(client, **params))
        assert offered, params
        for label, query in offered:
            response = client.get(f"/trials/?{query}")
            assert re.findall(r'class="nct-id">(NCT\d{8})<', response.content.decode()), label


def test_closed_only_results_say_so_and_where_the_nearest_open_trial_is(client, trials):
    # Milwaukee is in the United States: its radius is read, and distances said, in miles.
    page = html.unescape(page_text(client, q="leukemia", near="Milwaukee", radius="50"))
    assert "The one trial found within 50 mi of Milwaukee, Wisconsin is not open" in page
    # Chicago is about 130 km (81 mi) from Milwaukee.
    assert "The nearest open trial matching your other choices is 81 mi away, in Chicago" in page
    offered = dict(ways(page))
    assert "Search within 250 mi" in offered
    assert "Search anywhere" in offered
    assert "Search without “leukemia”" not in offered  # it finds only the closed trial
    assert trials["open_far"] in listed(
        client, **dict(p.split("=") for p in offered["Search within 250 mi"].split("&"))
    )


def test_the_unit_chosen_is_kept_in_the_dead_end_and_its_ways_out(client, trials):
    page = html.unescape(page_text(client, q="leukemia", near="Milwaukee", radius="50", units="km"))
    assert "The one trial found within 50 km of Milwaukee, Wisconsin is not open" in page
    assert "The nearest open trial matching your other choices is 131 km away" in page
    offered = dict(ways(page))
    assert "units=km" in offered["Search within 250 km"]
    assert trials["open_far"] in listed(
        client, **dict(p.split("=") for p in offered["Search within 250 km"].split("&"))
    )


def test_a_place_outside_the_united_states_reads_kilometres(client):
    trial(
        brief_title="Leukemia study that has finished",
        overall_status="COMPLETED",
        sites=[{**MUNICH, "status": "COMPLETED"}],
    )
    trial(
        brief_title="Leukemia study taking people",
        overall_status="RECRUITING",
        sites=[{**VIENNA, "status": "RECRUITING"}],
    )
    # Even for an American browser: the place says where the family looks.
    response = client.get(
        "/trials/", {"q": "leukemia", "near": "Munich"}, HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9"
    )
    page = html.unescape(response.content.decode())
    assert "The one trial found within 100 km of Munich" in page
    assert "The nearest open trial matching your other choices is 356 km away, in Vienna" in page
    assert "Search within 500 km" in dict(ways(page))  # 250 km does not reach Vienna


def test_an_empty_result_offers_to_drop_each_word_and_each_filter(client, trials):
    page = html.unescape(page_text(client, q="leukemia nosuchword"))
    assert "No trial matches all of your choices." in page
    labels = [label for label, _ in ways(page)]
    assert "Search without “nosuchword”" in labels
    # Ways that would still find nothing are not offered.
    assert "Search without “leukemia”" not in labels
    page = html.unescape(page_text(client, q="leukemia", phase="PHASE3"))
    assert [label for label, _ in ways(page)] == ["Remove the filter “Phase”"]


def test_open_only_filter_offers_closed_trials_too(client, trials):
    trial(brief_title="Lymphoma study that has finished", overall_status="COMPLETED")
    page = html.unescape(page_text(client, q="lymphoma", status="RECRUITING"))
    labels = dict(ways(page))
    assert "Show closed trials too" in labels


def test_a_list_with_an_open_trial_says_nothing_of_the_kind(client, trials):
    page = page_text(client, q="leukemia")
    assert "dead-end" not in page


def test_the_ways_out_are_counted_once_per_catalogue_version(client, trials):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from trials.cache import catalogue_changed

    def asked():
        with CaptureQueriesContext(connection) as queries:
            page = html.unescape(page_text(client, q="leukemia nosuchword"))
        counted = any('"found0"' in query["sql"] for query in queries.captured_queries)
        return ways(page), counted

    first, counted = asked()
    assert first and counted
    again, counted = asked()
    assert again == first and not counted  # kept: no FilterSets built, no counting
    catalogue_changed()
    after, counted = asked()
    assert after == first and counted  # a change to the catalogue counts them afresh
