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
        # (A record naming no age group counts by its age limits: test below.)
        (
            {"age_group": "ADULT"},
            [{"std_ages": ["ADULT", "OLDER_ADULT"]}],
            [{"std_ages": ["CHILD"]}, {"std_ages": [], "maximum_age": "17 Years"}],
        ),
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


# Near, text and sorts (tests/registry/test_bundled_listing.py has them on the bundled trials)

MILWAUKEE = {
    "facility": "Medical College of Wisconsin",
    "city": "Milwaukee",
    "state": "Wisconsin",
    "country": "United States",
    "latitude": 43.0389,
    "longitude": -87.9065,
}
CHICAGO = {"city": "Chicago", "country": "United States", "latitude": 41.85, "longitude": -87.65}
HEFEI = {"city": "Hefei", "country": "China", "latitude": 31.8639, "longitude": 117.2808}


def test_near_a_city_lists_the_trials_in_reach_nearest_first(client):
    here = trial(sites=[MILWAUKEE, HEFEI]).nct_id
    nearby = trial(sites=[CHICAGO]).nct_id
    trial(sites=[HEFEI])
    # Chicago's site is 134 km (83 mi) from Milwaukee. Milwaukee is in the United States, so
    # the radius is read in miles (100 by default) unless kilometres are asked for.
    assert listed(client, near="Milwaukee") == [here, nearby]
    assert listed(client, near="Milwaukee", radius=83) == [here]
    assert listed(client, near="Milwaukee", radius=84) == [here, nearby]
    assert listed(client, near="Milwaukee", units="km") == [here]
    assert listed(client, near="Milwaukee", units="km", radius=133) == [here]
    assert listed(client, near="Milwaukee", units="km", radius=135) == [here, nearby]
    # The nearest site is the registry's place, marked lang="en" (<span lang="en">...</span>).
    page = page_text(client, near="Milwaukee")
    assert "2 sites, 1 within 100 mi" in page
    assert "Medical College of Wisconsin, Milwaukee, United States</span>: 0 mi" in page
    assert "with a site within 100 mi of Milwaukee" in page
    page = page_text(client, near="Milwaukee", units="km")
    assert "2 sites, 1 within 100 km" in page
    assert "with a site within 100 km of Milwaukee" in page
    assert "Medical College of Wisconsin, Milwaukee" in page


def test_near_a_postal_code_with_a_radius(client):
    here = trial(sites=[MILWAUKEE]).nct_id
    far = trial(sites=[HEFEI]).nct_id
    assert listed(client, near="53226", radius=25) == [here]
    assert listed(client, near="Hefei", radius=500) == [far]


def test_text_search_needs_every_word(client):
    shanghai = trial(brief_title="Blinatumomab after chemotherapy in Shanghai").nct_id
    trial(brief_title="Minimal residual disease in adults")
    assert listed(client, q="Shanghai minimal residual") == []
    assert listed(client, q="Shanghai Blinatumomab") == [shanghai]


@pytest.mark.parametrize(
    ("sort", "field", "low", "high"),
    [
        ("updated", "last_update_post_date", date(2020, 1, 1), date(2025, 1, 1)),
        ("start", "start_date", date(2012, 1, 1), date(2024, 1, 1)),
        ("enrollment", "enrollment_count", 40, 700),
    ],
)
def test_sorting(client, sort, field, low, high):
    trial(**{field: low})
    first = trial(**{field: high}).nct_id
    trial()  # without the value: last
    assert listed(client, sort=sort)[0] == first


def test_an_age_group_also_finds_a_record_that_names_none_by_its_age_limits(client):
    """A hand-copied record may give no registry age group: its age limits decide (a children's
    trial was once missing from "child" searches)."""
    named = trial(std_ages=["CHILD"]).nct_id
    children_by_limits = trial(minimum_age="1 Month", maximum_age="17 Years").nct_id
    adults_by_limits = trial(minimum_age="18 Years").nct_id
    adults_named = trial(
        std_ages=["ADULT"], minimum_age="1 Month"
    ).nct_id  # the record's group wins
    assert sorted(listed(client, age_group="CHILD")) == sorted([named, children_by_limits])
    assert sorted(listed(client, age_group="ADULT")) == sorted([adults_by_limits, adults_named])
    page = page_text(client)
    assert re.search(r'value="CHILD"[^>]*> Child \(under 18\) <span class="count">\(2\)', page)
    assert children_by_limits in listed(client, q="child")
