"""The bundled trials as the list's filters and facets see them: which trial each filter keeps.

These read facts of the bundled records (their ages, phases, sites, dates), so a change to a record
shows here by design; tests/search/test_filters.py checks the same filters on made-up trials."""

import re

import pytest

from tests.search.test_search import listed, page_text
from trials.models import Trial

pytestmark = pytest.mark.django_db


def test_age_lists_trials_open_at_that_age(client, bundled_trials):
    at_ten = listed(client, age=10)
    assert {"NCT06607419", "NCT04556084"} <= set(at_ten)
    assert "NCT02013167" not in at_ten
    at_forty = listed(client, age=40)
    assert "NCT02013167" in at_forty
    assert not {"NCT06607419", "NCT04556084"} & set(at_forty)
    assert "NCT06607419" in listed(client, age="0.5")  # decimals: six months old


def test_a_trial_without_a_bound_is_never_dropped_on_that_side(client, bundled_trials):
    assert "NCT03643276" in listed(client, age="0.01")  # no minimum age
    assert "NCT02013167" in listed(client, age=99)  # no maximum age


def test_phase_finds_a_two_phase_trial_under_each(client, bundled_trials):
    assert "NCT06607419" in listed(client, phase="PHASE3")
    assert "NCT06607419" in listed(client, phase="PHASE2")
    assert set(listed(client, phase=["PHASE2", "PHASE3"])) == {
        "NCT01207388",
        "NCT04556084",
        "NCT06607419",
        "NCT02013167",
        "NCT03643276",
        "NCT02101853",
    }


def test_country_lists_only_trials_with_a_site_there(client, bundled_trials):
    assert listed(client, country="China") == ["NCT06607419"]
    assert set(listed(client, country="united states")) == {
        "NCT02013167",
        "NCT02101853",  # AALL1331's 186 sites, from the registry's XML merged in
        "NCT04556084",
    }


def test_city(client, bundled_trials):
    assert set(listed(client, city="Milwaukee")) == {"NCT02013167", "NCT02101853", "NCT04556084"}


def test_status_and_the_open_to_enrolment_link(client, bundled_trials):
    assert listed(client, status="TERMINATED") == ["NCT02013167", "NCT04556084"]
    opened = listed(client, status=["RECRUITING", "NOT_YET_RECRUITING", "ENROLLING_BY_INVITATION"])
    assert sorted(opened) == ["NCT06607419", "NCT07117136"]
    page = page_text(client, q="leukemia")
    assert (
        "status=RECRUITING&amp;status=NOT_YET_RECRUITING&amp;status=ENROLLING_BY_INVITATION" in page
    )


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"study_type": "OBSERVATIONAL"}, {"NCT07117136"}),
        # The record's group where it names one (NCT03643276: CHILD only); else its age limits.
        (
            {"age_group": "ADULT"},
            {
                "NCT01207388",
                "NCT02013167",
                "NCT02101853",
                "NCT04556084",
                "NCT06607419",
                "NCT07117136",
            },
        ),
        ({"sex": "FEMALE"}, "all"),  # every bundled trial is open to all sexes or does not say
        (
            {"healthy_volunteers": "no"},
            {
                "NCT01207388",
                "NCT02013167",
                "NCT02101853",
                "NCT03643276",
                "NCT04556084",
                "NCT06607419",
            },
        ),
        ({"sponsor_class": "INDUSTRY"}, {"NCT01207388", "NCT02013167"}),
        ({"sponsor_class": "NIH"}, {"NCT02101853"}),
        (
            {"intervention_type": "DRUG"},
            {
                "NCT01207388",
                "NCT02013167",
                "NCT02101853",
                "NCT03643276",
                "NCT04556084",
                "NCT06607419",
            },
        ),
        ({"has_results": "yes"}, {"NCT01207388", "NCT02013167"}),
        ({"start_after": "2020-01-01"}, {"NCT04556084", "NCT06607419"}),
        ({"start_before": "2011-01-01"}, {"NCT01207388"}),
        ({"updated_since": "2024-09-01"}, {"NCT03643276", "NCT06607419"}),
    ],
)
def test_each_filter(client, bundled_trials, params, expected):
    found = set(listed(client, **params))
    if expected == "all":
        expected = set(Trial.objects.values_list("nct_id", flat=True))
    assert found == expected


def test_facet_counts_are_computed_under_the_other_filters(client, bundled_trials):
    page = page_text(client, country="China")
    # Under country=China only NCT06607419 is left: it counts for both of its phases...
    assert re.search(r'name="phase" value="PHASE2"[^>]*> Phase 2 <span class="count">\(1\)', page)
    assert re.search(r'name="phase" value="PHASE3"[^>]*> Phase 3 <span class="count">\(1\)', page)
    # ...while the country facet itself ignores the country filter.
    assert re.search(r'value="United States"[^>]*> United States <span class="count">\(3\)', page)
    assert re.search(r'value="China" checked> China <span class="count">\(1\)', page)


def test_facets_count_every_option_of_the_bundled_trials(client, bundled_trials):
    page = page_text(client)
    assert re.search(r'value="PHASE3"[^>]*> Phase 3 <span class="count">\(4\)', page)
    assert re.search(r'value="TERMINATED"[^>]*> Stopped early <span class="count">\(2\)', page)


# Near, text and sorts, on the bundled trials


def test_near_a_city_finds_the_milwaukee_trials_nearest_first(client, bundled_trials):
    # All three trials are closed, so the Milwaukee trial's site that the registry still lists as
    # recruiting no longer lifts it (trials/status.py): TOWER's site is nearer the city centre.
    assert listed(client, near="Milwaukee") == ["NCT02013167", "NCT04556084", "NCT02101853"]
    # A U.S. place reads miles: 100 mi reaches a second site of the big trial, 100 km does not.
    # The nearest site is the registry's place, marked lang="en" (<span lang="en">...</span>).
    page = page_text(client, near="Milwaukee")
    assert "117 sites, 2 within 100 mi" in page
    assert "Medical College of Wisconsin, Milwaukee, United States</span>: 7 mi" in page
    page = page_text(client, near="Milwaukee", units="km")
    assert "117 sites, 1 within 100 km" in page
    assert "Medical College of Wisconsin, Milwaukee, United States</span>: 11 km" in page
    assert "186 sites, 1 within 100 km" in page  # AALL1331, closed too


def test_near_a_postal_code_with_a_radius(client, bundled_trials):
    assert listed(client, near="53226", radius=25)[0] == "NCT04556084"
    far = listed(client, near="Hefei", radius=500)
    assert far == ["NCT06607419"]


def test_text_search_needs_every_word(client, bundled_trials):
    assert listed(client, q="Shanghai minimal residual") == []
    assert listed(client, q="Shanghai Blinatumomab") == ["NCT06607419"]


@pytest.mark.parametrize(
    ("sort", "first"),
    [("updated", "NCT03643276"), ("start", "NCT06607419"), ("enrollment", "NCT03643276")],
)
def test_sorting(client, bundled_trials, sort, first):
    assert listed(client, sort=sort)[0] == first
