"""The curated attributes as filters on the list (with counts, chips and plain words) and as
columns of the exports. Made-up trials (tests/factories.py) carry the attributes each test needs;
the bundled trials show that the filters read what the import suggested from their records."""

import csv
import io
import re

import pytest

from tests.factories import trial
from tests.search.test_search import listed, page_text
from trials.listing.filters import TrialFilter
from trials.models import PriorRule, PriorTreatmentRule, Trial

pytestmark = pytest.mark.django_db


def facet_counts(page, name):
    """{value: count} of one facet's options on the page."""
    found = re.findall(
        rf'name="{name}" value="([a-z_]+)"[^>]*> [^<]+ <span class="count">\((\d+)\)</span>', page
    )
    return {value: int(count) for value, count in found}


@pytest.fixture
def made_up(db):
    """Four made-up trials: what their lists say, and one that says nothing (not stated)."""
    return {
        "relapse": trial(
            diagnoses=["b_all"],
            disease_settings=["first_relapse", "later_relapse"],
            ph_statuses=["negative"],
            populations=["children"],
            blinatumomab_roles=["alone"],
            blinatumomab_routes=["continuous_infusion"],
        ),
        "new": trial(
            diagnoses=["b_all"],
            disease_settings=["newly_diagnosed"],
            ph_statuses=["positive"],
            populations=["adults", "older_adults"],
            blinatumomab_roles=["with_tki"],
            blinatumomab_routes=["subcutaneous"],
        ),
        "lymphoma": trial(diagnoses=["b_lymphoma"], disease_settings=["refractory"]),
        "silent": trial(),
    }


def test_who_may_join_filters_keep_the_trials_that_do_not_say(client, made_up):
    # "Not stated" never rules a family out: the silent trial stays in.
    ids = {name: t.nct_id for name, t in made_up.items()}
    assert set(listed(client, setting="first_relapse")) == {ids["relapse"], ids["silent"]}
    assert set(listed(client, ph="positive")) == {ids["new"], ids["lymphoma"], ids["silent"]}
    assert set(listed(client, diagnosis="b_lymphoma")) == {ids["lymphoma"], ids["silent"]}
    assert set(listed(client, population="children")) == {
        ids["relapse"],
        ids["lymphoma"],
        ids["silent"],
    }


def test_how_blinatumomab_is_given_matches_only_what_the_trial_says(client, made_up):
    assert listed(client, route="subcutaneous") == [made_up["new"].nct_id]
    assert listed(client, role="with_tki") == [made_up["new"].nct_id]


def test_open_to_people_with_leaves_out_only_the_trials_that_exclude_it(client, made_up):
    PriorTreatmentRule.objects.create(
        trial=made_up["relapse"], treatment="blinatumomab", rule=PriorRule.EXCLUDED
    )
    PriorTreatmentRule.objects.create(
        trial=made_up["new"], treatment="blinatumomab", rule=PriorRule.ALLOWED
    )
    PriorTreatmentRule.objects.create(
        trial=made_up["lymphoma"], treatment="transplant", rule=PriorRule.EXCLUDED
    )
    everyone = {t.nct_id for t in made_up.values()}
    assert set(listed(client, had="blinatumomab")) == everyone - {made_up["relapse"].nct_id}
    # Someone who had both: a trial excluding either is left out.
    assert set(listed(client, had=["blinatumomab", "transplant"])) == {
        made_up["new"].nct_id,
        made_up["silent"].nct_id,
    }


def test_the_facets_count_as_the_filters_filter_in_plain_words(client, made_up):
    page = page_text(client)
    assert facet_counts(page, "setting") == {
        "newly_diagnosed": 2,
        "mrd_positive": 1,  # only the trial that does not say
        "first_relapse": 2,
        "later_relapse": 2,
        "refractory": 2,
    }
    assert facet_counts(page, "route") == {"continuous_infusion": 1, "subcutaneous": 1}
    assert "Where the disease stands" in page and "After a first relapse" in page
    assert "How blinatumomab is given" in page and "Given under the skin" in page
    # Each count is the length of the list the option gives.
    for value, count in facet_counts(page, "setting").items():
        assert len(listed(client, setting=value)) == count


def test_a_chosen_attribute_is_a_chip_and_counts_under_the_other_filters(client, made_up):
    page = page_text(client, ph="negative", route="continuous_infusion")
    assert "Philadelphia chromosome: Philadelphia chromosome negative (Ph−)" in page
    assert "How blinatumomab is given: Given as a continuous drip into a vein" in page
    # Under route=continuous_infusion only the relapse trial is left: the Ph facet counts it.
    assert facet_counts(page, "ph") == {"negative": 1}


def test_an_unknown_attribute_value_is_ignored_with_a_note(client, made_up):
    response = client.get("/trials/", {"setting": ["first_relapse", "<script>"], "had": "x"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "is not a value we know, so it was ignored" in page
    assert len(re.findall(r'class="nct-id"', page)) == 2  # the first_relapse filter still holds


def test_the_bundled_trials_filter_by_what_their_records_suggest(client, bundled_trials):
    # TOWER (NCT02013167) is for relapsed or refractory ALL; BLAST (NCT01207388) for MRD.
    relapsed = listed(client, setting="refractory")
    assert "NCT02013167" in relapsed and "NCT01207388" not in relapsed
    mrd = listed(client, setting="mrd_positive")
    assert "NCT01207388" in mrd and "NCT02013167" not in mrd


def test_the_exports_carry_the_attributes(client, made_up):
    PriorTreatmentRule.objects.create(
        trial=made_up["relapse"], treatment="cns_disease", rule=PriorRule.EXCLUDED
    )
    rows = client.get("/trials/export.json", {"setting": "first_relapse"}).json()["trials"]
    row = next(r for r in rows if r["nct_id"] == made_up["relapse"].nct_id)
    assert row["disease_settings"] == ["first_relapse", "later_relapse"]
    assert row["blinatumomab_routes"] == ["continuous_infusion"]
    assert row["earlier_treatments"] == ["cns_disease: excluded"]
    assert row["attributes_confirmed"] is False
    text = client.get("/trials/export.csv", {"route": "subcutaneous"}).content.decode("utf-8-sig")
    (found,) = list(csv.DictReader(io.StringIO(text)))
    assert found["ph_statuses"] == "positive" and found["populations"] == "adults; older_adults"


@pytest.mark.parametrize("name", ["diagnosis", "setting", "ph", "population", "role", "route"])
def test_each_attribute_filter_agrees_with_the_stored_lists(bundled_trials, name):
    """The SQL of each filter against the same rule read in Python, on the bundled trials."""
    filtered = TrialFilter({}, queryset=Trial.objects.published())
    flt = filtered.filters[name]
    for value, _ in flt.extra["choices"]:
        found = set(flt.filter(Trial.objects.published(), [value]).values_list("nct_id", flat=True))
        stored = Trial.objects.published().values_list("nct_id", flt.field_name)
        may_join = name not in ("role", "route")
        expected = {n for n, values in stored if value in values or (may_join and not values)}
        assert found == expected, value
