"""Chosen filters as chips above the results, each removable on its own; "Any" for single-choice
facets; the age field in the search box (made-up trials, tests/factories.py)."""

import html
import re

import pytest

from tests.factories import trial
from tests.search.test_search import listed, page_text

pytestmark = pytest.mark.django_db


def chips(page):
    block = re.search(r'<ul class="chips"[^>]*>(.*?)</ul>', page, re.S)
    if not block:
        return {}
    found = re.findall(r'<a href="\?([^"]*)" aria-label="Remove ([^"]*)">', block.group(1))
    return {html.unescape(label): html.unescape(href) for href, label in found}


def test_each_choice_is_a_chip_that_removes_only_itself(client):
    recruiting = trial(brief_title="Leukemia A", overall_status="RECRUITING", phases=["PHASE2"])
    closed = trial(brief_title="Leukemia B", overall_status="COMPLETED", phases=["PHASE2"])
    page = page_text(client, q="leukemia", status=["RECRUITING", "COMPLETED"], phase="PHASE2")
    found = chips(page)
    assert set(found) == {
        "Search: “leukemia”",
        "Status: Recruiting",
        "Status: Completed",
        "Phase: Phase 2",
    }
    # Removing one status keeps the other, the text and the phase.
    without_completed = dict(p.split("=") for p in found["Status: Completed"].split("&"))
    assert without_completed == {"q": "leukemia", "status": "RECRUITING", "phase": "PHASE2"}
    assert listed(client, **without_completed) == [recruiting.nct_id]
    assert closed.nct_id in listed(
        client, **dict(p.split("=") for p in found["Status: Recruiting"].split("&"))
    )


def test_an_ignored_value_is_no_chip(client):
    trial(overall_status="RECRUITING")
    assert chips(page_text(client, status="NOPE", age="old")) == {}


def test_single_choice_facets_offer_any(client):
    trial(sites=[{"city": "Milwaukee", "country": "United States"}])
    page = page_text(client)
    assert '<input type="radio" name="country" value="" checked> Any' in page
    page = page_text(client, country="United States")
    assert '<input type="radio" name="country" value=""> Any' in page
    assert "Country: United States" in chips(page)


def test_the_age_field_is_in_the_search_box_and_the_filter_panel_closed(client):
    trial(minimum_age="18 Years")
    page = page_text(client, age="30", phase="PHASE2")
    box = re.search(r'<div class="search-box">(.*?)</div>', page, re.S).group(1)
    assert 'name="age" id="id_age" value="30"' in box
    assert page.count('name="age"') == 1
    assert '<details class="filters">' in page  # closed, even with filters chosen
    assert 'href="#results-heading">Skip to results</a>' in page
