"""The indexes the list pages rely on at registry scale (issue 6) are the ones PostgreSQL uses.

An index that no longer matches its query (the open-first expression changed in the code but
not in migration 0010, a column read by the facets but left out of the covering index) costs
nothing at the test's size and seconds at 500,000 trials; these tests catch it at any size. The
planner is told to avoid sorting and reading the table wherever it can (at this size it would
not care), so it takes an index exactly when one fits.
"""

import pytest
from django.db import connection, transaction
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext

from trials.listing.filters import TrialFilter
from trials.listing.sorting import sort_trials
from trials.models import Trial

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        "connection.vendor != 'postgresql'", reason="PostgreSQL plans (run with DATABASE_URL)"
    ),
]


def plan(queryset):
    return plan_sql(*queryset.query.sql_with_params())


def plan_sql(sql, params=()):
    with transaction.atomic(), connection.cursor() as cursor:  # SET LOCAL lasts the transaction
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_sort = off")
        cursor.execute("SET LOCAL enable_bitmapscan = off")
        cursor.execute(f"EXPLAIN {sql}", params)
        return "\n".join(row[0] for row in cursor.fetchall())


def trial_filter(**params):
    request = RequestFactory().get("/trials/", params)
    return TrialFilter(request.GET, queryset=Trial.objects.published())


@pytest.mark.parametrize(
    "sort, index",
    [
        ("open", "trial_open_first_idx"),
        ("updated", "trial_updated_sort_idx"),
        ("start", "trial_start_sort_idx"),
        ("enrollment", "trial_enrollment_sort_idx"),
    ],
)
def test_each_sort_of_the_list_is_read_off_its_index(bundled_trials, sort, index):
    found = plan(sort_trials(trial_filter(), sort)[:20])
    assert index in found, found
    assert "Sort" not in found, found


def test_the_default_sort_stays_on_its_index_under_filters(bundled_trials):
    found = plan(sort_trials(trial_filter(status="RECRUITING", age="30"), "open")[400:420])
    assert "trial_open_first_idx" in found, found
    assert "Sort" not in found, found


@pytest.mark.django_db(transaction=True)  # VACUUM runs outside a transaction
@pytest.mark.parametrize(
    "params",
    [{}, {"status": "RECRUITING", "age": "30", "phase": "PHASE2", "sex": "FEMALE"}],
)
def test_the_facet_counts_read_trials_from_the_covering_index_alone(bundled_trials, params):
    with connection.cursor() as cursor:
        # Marks the table's pages all-visible, as autovacuum does on a live database: only
        # then can an index answer alone (PostgreSQL's index-only scan).
        cursor.execute("VACUUM ANALYZE trials_trial")
    filtered = trial_filter(**params)
    filtered.is_valid()
    with CaptureQueriesContext(connection) as queries:
        filtered.facets()
    for query in queries:
        found = plan_sql(query["sql"])
        reads = [line for line in found.splitlines() if " on trials_trial" in line]
        assert reads, found
        for line in reads:
            assert "Index Only Scan using trial_public_columns_idx" in line, found


BOSTON = (42.35843, -71.05977)


def test_near_reads_the_sites_in_reach_from_the_location_index_alone(bundled_trials):
    # The sites' trial and status are kept in the index beside the coordinates: the sites in the
    # box around the place are read from the index, never from the table.
    for queryset in (
        Trial.objects.published().within(*BOSTON, 100),
        Trial.objects.published().nearest_first(*BOSTON, 100),
    ):
        found = plan(queryset)
        assert "Index Only Scan using site_location_idx" in found, found
        assert "Seq Scan on trials_site" not in found, found


def plan_analyzed(queryset):
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (ANALYZE, COSTS OFF) {sql}", params)
        return "\n".join(row[0] for row in cursor.fetchall())


def test_a_phrase_is_checked_in_order_only_for_the_trials_that_pass_the_other_filters(
    bundled_trials,
):
    # "acute lymphoblastic leukemia" is a phrase (its words in order). The text's index is asked
    # for its words in any order, which it answers without rereading a trial's search vector;
    # the order is checked last, after the status and age (search/query.py, Matches). (At this
    # size the planner may read the table another way; the conditions are the same.)
    filtered = trial_filter(q="relapsed acute lymphoblastic leukemia", status="COMPLETED", age="30")
    found = plan_analyzed(filtered.qs)
    lines = found.splitlines()
    conditions = " ".join(line for line in lines if "Cond:" in line or "Filter:" in line)
    any_order = "search_vector @@ '( ''relaps'' | ''relaps'' ) & ( ''acut'' & ''lymphoblast''"
    assert any_order in conditions, found
    # The only words in order are those of the last check.
    assert conditions.index("<->") > conditions.index("trial_text_matches"), found
    filter_line = next(line for line in found.splitlines() if "Filter:" in line)
    for other in ("overall_status", "minimum_age_years", "maximum_age_years_exclusive"):
        assert filter_line.index(other) < filter_line.index("trial_text_matches"), found
