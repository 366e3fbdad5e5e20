"""The list's filters on trials made for each test (tests/factories.py): each filter keeps exactly
the trials it should, whatever the bundled records say. tests/registry/test_bundled_listing.py
checks the same filters against the bundled trials."""

import re
from datetime import date

import pytest

from tests.factories import trial
from tests.search.test_search import listed, page_text

pytestmark = pytest.mark.django_db


def test_age_lists_trials_open_at_that_age(client):
    child = trial(minimum_age="1 Month", maximum_age="17 Years").nct_id
    adult = trial(minimum_age="18 Years", maximum_age="65 Years").nct_id
    assert listed(client, age=10) == [child]
    assert listed(client, age=40) == [adult]
    assert listed(client, age="0.5") == [child]  # decimals: six months old


def test_a_trial_without_a_bound_is_never_dropped_on_that_side(client):
    no_minimum = trial(maximum_age="21 Years").nct_id
    no_maximum = trial(minimum_age="18 Years").nct_id
    assert listed(client, age="0.01") == [no_minimum]
    assert listed(client, age=99) == [no_maximum]


def test_phase_finds_a_two_phase_trial_under_each(client):
    both = trial(phases=["PHASE2", "PHASE3"]).nct_id
    first = trial(phases=["PHASE1"]).nct_id
    assert listed(client, phase="PHASE3") == [both]
    assert listed(client, phase="PHASE2") == [both]
    assert listed(client, phase=["PHASE2", "PHASE3"]) == [both]
    assert listed(client, phase="PHASE1") == [first]


def test_country_and_city_list_only_trials_with_a_site_there(client):
    china = trial(sites=[{"city": "Hefei", "country": "China"}]).nct_id
    us = trial(sites=[{"city": "Milwaukee", "state": "Wisconsin", "country": "United States"}])
    assert listed(client, country="China") == [china]
    assert listed(client, country="united states") == [us.nct_id]
    assert listed(client, city="Milwaukee") == [us.nct_id]


def test_status_and_the_open_to_enrolment_link(client):
    stopped = trial(overall_status="TERMINATED").nct_id
    recruiting = trial(overall_status="RECRUITING").nct_id
    assert listed(client, status="TERMINATED") == [stopped]
    opened = listed(client, status=["RECRUITING", "NOT_YET_RECRUITING", "ENROLLING_BY_INVITATION"])
    assert opened == [recruiting]
    page = page_text(client)
    assert (
        "status=RECRUITING&amp;status=NOT_YET_RECRUITING&amp;status=ENROLLING_BY_INVITATION" in page
    )


DRUG = [{"type": "DRUG", "name": "Blinatumomab"}]
EXERCISE = [{"type": "BEHAVIORAL", "name": "Exercise"}]


@pytest.mark.parametrize(
    ("params", "kept", "dropped"),
    [
        ({"study_type": "OBSERVATIONAL"}, [{"study_type": "OBSERVATIONAL"}], [{}]),
        ({"age_group": "ADULT"}, [{"std_ages": ["ADULT", "OLDER_ADULT"]}], [{"std_ages": []}]),
        ({"sex": "FEMALE"}, [{"sex": "ALL"}, {"sex": ""}, {"sex": "FEMALE"}], [{"sex": "MALE"}]),
        ({"healthy_volunteers": "no"}, [{"healthy_volunteers": False}], [{}]),
        ({"sponsor_class": "INDUSTRY"}, [{"lead_sponsor_class": "INDUSTRY"}], [{}]),
        ({"intervention_type": "DRUG"}, [{"interventions": DRUG}], [{"interventions": EXERCISE}]),
        ({"has_results": "yes"}, [{"has_results": True}], [{"has_results": False}]),
        ({"start_after": "2020-01-01"}, [{"start_date": date(2021, 3, 1)}], [{}]),
        ({"start_before": "2011-01-01"}, [{"start_date": date(2010, 5, 1)}], [{}]),
        (
            {"updated_since": "2024-09-01"},
            [{"last_update_post_date": date(2025, 1, 6)}],
            [{"last_update_post_date": date(2024, 8, 31)}],
        ),
    ],
)
def test_each_filter(client, params, kept, dropped):
    expected = {trial(**fields).nct_id for fields in kept}
    for fields in dropped:
        trial(**fields)
    assert set(listed(client, **params)) == expected


def test_facet_counts_are_computed_under_the_other_filters(client):
    trial(phases=["PHASE2", "PHASE3"], sites=[{"city": "Hefei", "country": "China"}])
    trial(phases=["PHASE3"], sites=[{"city": "Milwaukee", "country": "United States"}])
    trial(phases=["PHASE2"], sites=[{"city": "Chicago", "country": "United States"}])
    page = page_text(client, country="China")
    # Under country=China one trial is left: it counts for both of its phases...
    assert _count(page, "phase", "PHASE2") == 1
    assert _count(page, "phase", "PHASE3") == 1
    # ...while the country facet itself ignores the country filter.
    assert _count(page, "country", "United States") == 2
    assert _count(page, "country", "China") == 1


def _count(page, name, value):
    found = re.search(
        rf'name="{name}" value="{value}"[^>]*>[^<]*<span class="count">\((\d+)\)', page
    )
    assert found, (name, value)
    return int(found.group(1))
