"""The search page, /trials/: every parameter, on SQLite and on PostgreSQL."""

import re
from types import SimpleNamespace

import pytest
from django.db import connection

from trials.listing.filters import TrialFilter
from trials.models import Trial

pytestmark = pytest.mark.django_db

on_postgresql = pytest.mark.skipif(
    "connection.vendor != 'postgresql'",
    reason="PostgreSQL full-text search (run with DATABASE_URL)",
)


def listed(client, **params):
    response = client.get("/trials/", params)
    assert response.status_code == 200
    return re.findall(r'<span class="nct-id">(NCT\d{8})</span>', response.content.decode())


def page_text(client, **params):
    response = client.get("/trials/", params)
    assert response.status_code == 200
    return response.content.decode()


# Filters: tests/search/test_filters.py (made-up trials), tests/registry/test_bundled_listing.py
# (the bundled trials)


def test_country_and_intervention_facets_agree_with_the_sites_and_interventions(bundled_trials):
    # The facets read lists kept on each trial: they must say what the rows themselves say.
    from django.db.models import Count

    from trials.models import Intervention, Site

    Trial.objects.filter(nct_id="NCT06607419").update(publication_state="WITHDRAWN")  # China
    published = Trial.objects.published()
    assert dict(published.site_country_counts()) == dict(
        Site.objects.filter(trial__in=published)
        .exclude(country="")
        .values_list("country")
        .annotate(n=Count("trial", distinct=True))
    )
    assert "China" not in dict(published.site_country_counts())
    filtered = TrialFilter({}, queryset=published)
    shown = next(f for f in filtered.facets() if f["name"] == "intervention_type")
    from_rows = dict(
        Intervention.objects.filter(trial__in=published)
        .values_list("type")
        .annotate(n=Count("trial", distinct=True))
    )
    assert {value: n for value, _, n, _ in shown["options"]} == from_rows


def test_the_migration_fills_the_intervention_types_of_existing_trials(bundled_trials):
    import importlib

    from django.apps import apps

    migration = importlib.import_module("trials.migrations.0010_indexes_for_lists_at_scale")
    expected = dict(Trial.objects.values_list("nct_id", "intervention_types"))
    assert expected["NCT02013167"] == ["DRUG"]
    Trial.objects.update(intervention_types=[])
    # What RunPython hands the function, minus DDL (SQLite's schema editor refuses to open
    # inside the test's transaction): the connection, and a way to run a statement.
    editor = SimpleNamespace(connection=connection, execute=connection.cursor().execute)
    migration.fill_intervention_types(apps, editor)
    assert dict(Trial.objects.values_list("nct_id", "intervention_types")) == expected


# Near


def test_results_can_sort_by_distance_and_the_default_is_stated(client, bundled_trials):
    page = page_text(client, near="Chicago", radius=1000, sort="distance")
    assert "Sorted by: Distance." in page
    assert listed(client, near="Chicago", radius=1000, sort="distance")[0] in {
        "NCT02013167",
        "NCT04556084",
    }
    assert "Sorted by: Open to enrolment first, then last updated." in page_text(client)


def test_a_place_we_cannot_find_says_so(client, bundled_trials):
    page = page_text(client, near="Qwxzplk")
    assert "We could not find the place “Qwxzplk”" in page
    assert len(listed(client, near="Qwxzplk")) == 7


def test_sites_without_coordinates_get_approximate_ones_at_import(bundled_trials):
    tower = Trial.objects.get(nct_id="NCT02013167")
    located = tower.sites.exclude(latitude=None)
    assert located.count() == 116
    assert all(site.coordinates_approximate for site in located)
    # The gazetteer does not know this small place: better no point than a wrong one.
    assert tower.sites.get(latitude=None).city == "Tel Litwinsky"


# Text


@pytest.mark.parametrize("name", ["Blincyto", "AMG 103", "MT103", "blinatumomab"])
def test_brand_and_code_names_find_the_drug(client, bundled_trials, name):
    found = listed(client, q=name)
    assert {"NCT02013167", "NCT06607419", "NCT07117136", "NCT04556084"} <= set(found)


def test_search_covers_ids_sponsors_and_cities(client, bundled_trials):
    assert listed(client, q="NCT02013167") == ["NCT02013167"]
    assert listed(client, q="2013-000536-10") == ["NCT02013167"]
    assert listed(client, q="TOWER") == ["NCT02013167"]
    assert listed(client, q="Deutsche Krebshilfe") == ["NCT03643276"]
    assert "NCT01207388" in listed(client, q="Würzburg")


def test_excerpts_are_highlighted_and_escaped(client, bundled_trials):
    page = page_text(client, q="blinatumomab")  # in plain and registry summaries alike
    assert "<mark>" in page
    page = page_text(client, q='<script>alert("x")</script>')
    assert "<script>alert" not in page
    assert "&lt;script&gt;" in page


@on_postgresql
def test_postgresql_stems_and_ranks(client, bundled_trials):
    assert "NCT02101853" in listed(client, q="relapse")  # the record says "relapsed"
    ranked = listed(client, q="TOWER blinatumomab")
    assert ranked == ["NCT02013167"]


@on_postgresql
def test_postgresql_reads_websearch_syntax(client, bundled_trials):
    assert listed(client, q='"minimal residual disease" -pediatric')
    with_or = set(listed(client, q="Shanghai or Milwaukee"))
    assert {"NCT06607419", "NCT04556084"} <= with_or
    assert "NCT06607419" not in listed(client, q="leukemia -Shanghai")


@on_postgresql
def test_postgresql_corrects_a_misspelling(client, bundled_trials):
    page = page_text(client, q="blinatumumab")
    assert "Showing results for <strong>blinatumomab</strong>" in page
    assert len(listed(client, q="blinatumumab")) == 7


def test_british_and_american_spellings_find_each_other(client, bundled_trials):
    british = set(listed(client, q="leukaemia"))
    assert british == set(listed(client, q="leukemia"))
    assert {"NCT07117136", "NCT02013167", "NCT06607419"} <= british  # spelled either way


def test_sqlite_and_postgresql_show_the_same_page_for_a_plain_word(client, bundled_trials):
    assert set(listed(client, q="Wisconsin")) == {
        "NCT07117136",
        "NCT04556084",
        "NCT02013167",
        "NCT02101853",  # AALL1331's sites in Wisconsin
    }


# Sorting and paging


def test_an_unknown_sort_falls_back_to_the_default_with_a_note(client, bundled_trials):
    page = page_text(client, sort="price")
    assert "Sorting by &#x27;price&#x27; is not possible here" in page


def test_pages_keep_every_filter(client, bundled_trials, settings):
    settings.TRIALS_PAGE_SIZE = 2
    page = page_text(client, phase="PHASE3", age="10", sort="updated")
    assert "Page 1 of 2" in page
    next_link = re.search(r'href="\?([^"]*)" rel="next"', page).group(1).replace("&amp;", "&")
    assert sorted(next_link.split("&")) == ["age=10", "page=2", "phase=PHASE3", "sort=updated"]
    assert len(listed(client, phase="PHASE3", age="10", sort="updated", page=2)) == 1


# Bad input


@pytest.mark.parametrize(
    ("params", "note"),
    [
        ({"status": ["FOO", "RECRUITING"]}, "is not a value we know"),
        ({"phase": "PHASE9"}, "is not a value we know"),
        ({"age": "ten"}, "the value given was ignored"),
        ({"age": "-4"}, "the value given was ignored"),
        ({"page": "99999"}, "There is no page"),
        ({"q": "x" * 5000}, "only its first 200 characters"),
        ({"q": "leuk\x00emia"}, "Null characters are not allowed"),
        ({"start_after": "2020-13-45"}, "the value given was ignored"),
        ({"radius": "far"}, "the value given was ignored"),
        ({"sex": "OTHER"}, "the value given was ignored"),
    ],
)
def test_bad_input_gets_a_visible_note_and_never_a_500(client, bundled_trials, params, note):
    page = page_text(client, **params)
    assert note in page


def test_a_bad_status_keeps_the_good_one_beside_it(client, bundled_trials):
    assert listed(client, status=["FOO", "RECRUITING"]) == ["NCT06607419"]


def test_nothing_from_the_query_reaches_the_page_unescaped(client, bundled_trials):
    attack = '"><script>alert(1)</script>'
    for name in ("q", "near", "country", "city", "sort", "page", "status", "age"):
        page = page_text(client, **{name: attack})
        assert "<script>alert(1)" not in page, name


# Cost


def test_a_results_page_costs_a_fixed_number_of_queries_set_by_the_filters_chosen(
    client, bundled_trials, django_assert_num_queries
):
    # Nothing chosen: the page, and two facet passes (the trial's own columns together, with
    # the count of matches, and countries).
    plain = count_queries(client, {})
    assert plain == 3
    # Text, age, dates and country filter every facet alike: no new pass. (Chosen so that an
    # open trial is still listed: a list without one adds its ways out, below.)
    alike = {
        "q": "leukemia",
        "age": "10",
        "country": "China",
        "start_after": "2000-01-01",
    }
    # ... but text reads the search terms in other languages (search/languages.py), with nothing
    # cached: one query, then kept with the counts until the catalogue changes.
    assert count_queries(client, alike) == plain + 1
    # Each chosen filter on the trial's own columns needs its facet counted apart: one pass more.
    own_columns = {
        "status": ["RECRUITING", "TERMINATED"],
        "phase": "PHASE3",
        "sponsor_class": "INDUSTRY",
        "has_results": "yes",
        "sex": "FEMALE",
        "intervention_type": "DRUG",
    }
    # (No trial is left: no page of results is read, and one query counts the ways out the page
    # offers instead.)
    assert count_queries(client, {**alike, **own_columns}) == plain + 1 + len(own_columns)
    assert count_queries(client, {"status": "RECRUITING", "phase": "PHASE3"}) == plain + 2
    # A list with no open trial counts the ways out it offers (listing/ways_out.py) in one query.
    stuck = {"q": "leukemia", "age": "20", "country": "United States"}
    assert count_queries(client, stuck) == plain + 1 + 1  # and the search terms, as above
    # A place adds one query, for the nearby sites the cards name, whatever the place.
    with django_assert_num_queries(plain + 1):
        client.get("/trials/", {"near": "Shanghai"})
    with django_assert_num_queries(plain + 1):
        client.get("/trials/", {"near": "Hangzhou", "radius": "500", "q": "blinatumomab"})
    # Near a place with no open trial, the page also counts its ways out and finds the nearest
    # open trial: two queries more.
    with django_assert_num_queries(plain + 3):
        client.get("/trials/", {"near": "Milwaukee"})


def test_the_query_count_does_not_grow_with_the_data(
    client, bundled_trials, django_assert_num_queries
):
    before = count_queries(client, {"phase": "PHASE3"})
    for number in range(30):  # synthetic trials, never published on a real site
        Trial.objects.create(
            nct_id=f"NCT9{number:07d}", phases=["PHASE3"], publication_state="PUBLISHED"
        )
    assert count_queries(client, {"phase": "PHASE3"}) == before


def count_queries(client, params):
    """Queries of one results page with nothing cached."""
    from django.core.cache import cache
    from django.test.utils import CaptureQueriesContext

    cache.clear()
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/trials/", params).status_code == 200
    return len(queries)


def test_counts_are_cached_until_the_catalogue_changes(
    client, bundled_trials, django_assert_max_num_queries
):
    from trials.cache import catalogue_changed

    cold = count_queries(client, {"phase": "PHASE3"})
    # The page of cards and the three facet passes (two for the columns, as a phase is chosen,
    # one of them with the count) are cached.
    assert cold >= 4
    with django_assert_max_num_queries(cold - 4):
        client.get("/trials/", {"phase": "PHASE3"})
    Trial.objects.filter(nct_id="NCT06607419").update(publication_state="WITHDRAWN")
    # The count and the cards are cached, and agree...
    page = page_text(client, phase="PHASE3")
    assert re.search(r"<h2[^>]*>4 trials", page) and "NCT06607419" in page
    catalogue_changed()  # ...until whatever changes the catalogue says so
    page = page_text(client, phase="PHASE3")
    assert "NCT06607419" not in page
    assert re.search(r"<h2[^>]*>3 trials", page)


@pytest.mark.parametrize(
    "params",
    [
        {},
        {"q": "leukemia", "sort": "newest"},
        {"near": "Boston", "radius": "5000", "sort": "distance"},
        {"page": "2"},
    ],
)
def test_a_results_page_asked_again_is_read_whole_from_the_cache(
    client, bundled_trials, settings, django_assert_num_queries, params
):
    settings.TRIALS_PAGE_SIZE = 3  # so that the bundled trials fill more than one page
    shown = listed(client, **params)
    assert shown
    with django_assert_num_queries(0):
        assert listed(client, **params) == shown
    # Each page its own cards.
    other_page = {**params, "page": "1" if params.get("page") else "2"}
    assert listed(client, **other_page) not in ([], shown)


def test_a_count_past_the_cap_says_so_and_pages_stop_there(
    client, bundled_trials, settings, monkeypatch
):
    from trials.listing import paging

    monkeypatch.setattr(paging, "COUNT_CAP", 4)
    settings.TRIALS_PAGE_SIZE = 2
    page = page_text(client)
    assert re.search(r"<h2[^>]*>4\+ trials", page)
    assert "Page 1 of 2" in page
    assert "There is no page &#x27;3&#x27;; showing page 2." in page_text(client, page=3)


@on_postgresql
@pytest.mark.parametrize(
    "text",
    [
        "relapsed acute lymphoblastic leukemia",  # a concept: its phrases, words in order
        '"minimal residual disease" children',
        "leukemia -relapsed",  # an exclusion: asked of the index as it is
        '-"acute lymphoblastic leukemia" blinatumomab',
        "a<->b x<2>y !leukemia",  # the query language's own operators, typed as text
        "lymphoblastic or lymphocytic",
        "the",  # stop words only
    ],
)
def test_the_search_in_two_steps_finds_exactly_what_the_operator_finds(bundled_trials, text):
    from trials.search.query import clean_query, postgresql_query, search

    query = clean_query(text)
    published = Trial.objects.published()
    by_operator = set(
        published.filter(search_vector=postgresql_query(query)).values_list("nct_id", flat=True)
    )
    assert set(search(published, query).values_list("nct_id", flat=True)) == by_operator
    if text.startswith("relapsed"):
        assert by_operator  # the comparison is not between two empty lists
