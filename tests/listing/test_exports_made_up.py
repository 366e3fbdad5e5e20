"""Search results as CSV and JSON, on trials made for each test (tests/factories.py): the list's
trials, filters and order, the rows, the limit, and a spreadsheet's safety, whatever the bundled
records say. tests/listing/test_exports.py checks the same on the bundled real trials."""

import re
from datetime import date

import pytest
from django.db import connection  # noqa: F401 (read by a skip condition)

from tests.factories import trial
from tests.listing.test_exports import csv_rows, json_export, listed
from trials.cache import catalogue_changed
from trials.listing import exports
from trials.models import Trial

pytestmark = pytest.mark.django_db

MILWAUKEE = {
    "city": "Milwaukee",
    "state": "Wisconsin",
    "country": "United States",
    "latitude": 43.0389,
    "longitude": -87.9065,
}
CHICAGO = {"city": "Chicago", "country": "United States", "latitude": 41.85, "longitude": -87.65}
HEFEI = {"city": "Hefei", "country": "China", "latitude": 31.8639, "longitude": 117.2808}


@pytest.fixture
def made_up_trials(db):
    """Five published made-up trials and a draft, each a different answer to the list's filters."""
    leukemia = ["Made-up leukemia of the test suite"]
    made = [
        trial(overall_status="RECRUITING", conditions=leukemia, sites=[MILWAUKEE]),
        trial(overall_status="TERMINATED", conditions=["Made-up lymphoma"], sites=[CHICAGO]),
        trial(overall_status="TERMINATED", conditions=leukemia, sites=[HEFEI]),
        trial(
            overall_status="COMPLETED", conditions=leukemia, last_update_post_date=date(2024, 1, 2)
        ),
        trial(overall_status="NOT_YET_RECRUITING", last_update_post_date=date(2025, 3, 4)),
    ]
    trial(overall_status="RECRUITING", conditions=leukemia, sites=[MILWAUKEE], publish=False)
    return made


@pytest.mark.parametrize(
    ("params", "found"),
    [
        ({}, 5),
        ({"q": "leukemia"}, 3),
        ({"status": "TERMINATED"}, 2),
        ({"country": "united states"}, 2),
        ({"near": "Milwaukee", "radius": "500", "sort": "distance"}, 2),
    ],
)
def test_an_export_holds_the_trials_of_the_list_in_its_order(client, made_up_trials, params, found):
    shown = listed(client, **params)
    assert len(shown) == found
    assert [row["nct_id"] for row in csv_rows(client, **params)] == shown
    assert [trial["nct_id"] for trial in json_export(client, **params)["trials"]] == shown


def test_an_export_near_a_place_is_nearest_first(client, made_up_trials):
    milwaukee, chicago = made_up_trials[0].nct_id, made_up_trials[1].nct_id
    params = {"near": "Milwaukee", "radius": "500", "sort": "distance"}
    assert [row["nct_id"] for row in csv_rows(client, **params)] == [milwaukee, chicago]


def test_each_row_says_what_the_record_says(client):
    made = trial(
        brief_title="Made-up trial of the export",
        overall_status="TERMINATED",
        phases=["PHASE3"],
        conditions=["Made-up condition A", "Made-up condition B"],
        lead_sponsor_name="Made-up Sponsor Ltd",
        minimum_age="18 Years",
        start_date=date(2014, 1, 3),
        last_update_post_date=date(2024, 3, 5),
        sites=[
            {"city": "Springfield", "country": "Made-up Land"},
            {"city": "Shelbyville", "country": "Made-up Land"},
            {"city": "Ogdenville", "country": "Other Made-up Land"},
        ],
    )
    made.refresh_from_db()
    row = next(r for r in csv_rows(client) if r["nct_id"] == made.nct_id)
    # The status's words are left to tests/listing/test_exports.py.
    assert row["title"] == "Made-up trial of the export"
    assert row["open_to_enrolment"] == "no"
    assert row["phases"] == "PHASE3"
    assert row["conditions"] == "Made-up condition A; Made-up condition B"
    assert row["site_countries"] == "; ".join(made.site_countries)
    assert set(made.site_countries) == {"Made-up Land", "Other Made-up Land"}
    assert row["site_count"] == "3"
    assert row["lead_sponsor"] == "Made-up Sponsor Ltd"
    assert row["minimum_age"] == "18 Years"
    assert row["start_date"] == "2014-01-03"
    assert row["last_update_posted"] == "2024-03-05"
    assert row["url"] == f"http://testserver/trials/{made.nct_id}/"
    found = next(t for t in json_export(client)["trials"] if t["nct_id"] == made.nct_id)
    assert found["phases"] == ["PHASE3"] and found["site_count"] == 3
    assert found["open_to_enrolment"] is False
    assert found["conditions"] == ["Made-up condition A", "Made-up condition B"]


def test_the_json_export_says_where_it_comes_from_and_that_it_is_not_advice(client, made_up_trials):
    found = json_export(client, status=["RECRUITING", "NOPE"], sort="sideways")
    assert "not medical advice" in found["note"]
    assert found["search"].startswith("http://testserver/trials/?status=RECRUITING")
    assert found["count"] == len(found["trials"]) == 1
    assert found["trials"][0]["nct_id"] == made_up_trials[0].nct_id
    assert found["more_than_limit"] is False
    assert any("NOPE" in note for note in found["ignored"])
    assert any("sideways" in note for note in found["ignored"])


def test_an_export_stops_at_the_limit_and_the_page_says_so(client, made_up_trials, monkeypatch):
    monkeypatch.setattr(exports, "EXPORT_LIMIT", 3)
    assert [row["nct_id"] for row in csv_rows(client)] == listed(client)[:3]
    found = json_export(client)
    assert found["limit"] == 3 and found["count"] == 3 and found["more_than_limit"] is True
    page = client.get("/trials/").content.decode()
    assert "(the first 3)" in page


def test_an_export_at_the_limit_is_not_more_than_it(client, made_up_trials, monkeypatch):
    monkeypatch.setattr(exports, "EXPORT_LIMIT", 5)
    found = json_export(client)
    assert found["count"] == 5 and found["more_than_limit"] is False
    assert "(the first 5)" not in client.get("/trials/").content.decode()


def test_the_results_page_links_to_its_exports_with_its_filters(client, made_up_trials):
    page = client.get("/trials/", {"status": "TERMINATED", "page": "1"}).content.decode()
    assert 'href="/trials/export.csv?status=TERMINATED"' in page
    assert 'href="/trials/export.json?status=TERMINATED"' in page


@pytest.mark.parametrize("start", ["=", "+", "-", "@", "\t"])
def test_a_cell_a_spreadsheet_would_run_is_kept_as_text(client, start):
    made = trial(plain_title=f'{start}HYPERLINK("http://x")', lead_sponsor_name=f"{start}1+1")
    row = next(r for r in csv_rows(client) if r["nct_id"] == made.nct_id)
    assert row["title"] == f'\'{start}HYPERLINK("http://x")'
    assert row["lead_sponsor"] == f"'{start}1+1"
    # The JSON is not read by a spreadsheet: it keeps the text as it is.
    found = next(t for t in json_export(client)["trials"] if t["nct_id"] == made.nct_id)
    assert found["title"] == f'{start}HYPERLINK("http://x")'


def test_the_csv_opens_in_a_spreadsheet_with_its_accents(client):
    made = trial(brief_title="Made-up étude in Côte d'Ivoire")
    content = client.get("/trials/export.csv").content
    assert content.startswith("\ufeff".encode())  # how Excel knows the text is UTF-8
    assert "Made-up étude in Côte d'Ivoire" in content.decode("utf-8")
    row = next(r for r in csv_rows(client) if r["nct_id"] == made.nct_id)
    assert row["title"] == "Made-up étude in Côte d'Ivoire"


def test_bad_parameters_are_ignored_as_on_the_list(client, made_up_trials):
    assert len(csv_rows(client, age="old", sort="nonsense", page="x")) == 5
    assert client.get("/trials/export.xml").status_code == 404


def test_an_export_costs_two_queries_whatever_its_size(client, django_assert_num_queries):
    # The trials, and their earlier-treatment rules (curated attributes), each in one query.
    for number in range(3):
        trial(overall_status="TERMINATED", sites=[{"country": f"Made-up Land {number}"}])
    with django_assert_num_queries(2):
        assert len(csv_rows(client, status="TERMINATED")) == 3
    for number in range(40):
        trial(
            overall_status="TERMINATED" if number % 2 else "RECRUITING",
            sites=[{"country": "Made-up Land"}, {"country": f"Made-up Land {number}"}],
            interventions=[{"name": "Made-up drug"}],
        )
    catalogue_changed()  # as an import does
    with django_assert_num_queries(2):
        assert len(csv_rows(client, status="TERMINATED")) == 23
    with django_assert_num_queries(0):  # the same file again: kept until the catalogue changes
        assert len(csv_rows(client, status="TERMINATED")) == 23
    with django_assert_num_queries(2):
        assert json_export(client)["count"] == 43


@pytest.mark.skipif(
    "connection.vendor != 'postgresql'", reason="spelling suggestions (run with DATABASE_URL)"
)
def test_the_export_link_carries_the_corrected_spelling(client):
    made = trial(brief_title="Made-up trial of blinatumomab in the test suite")
    page = client.get("/trials/", {"q": "blinatumumab"}).content.decode()
    assert "Showing results for" in page
    link = re.search(r'href="(/trials/export\.csv\?[^"]*)"', page).group(1)
    assert "q=blinatumomab" in link
    assert [row["nct_id"] for row in csv_rows(client, q="blinatumomab")] == [made.nct_id]


def test_a_withdrawn_trial_leaves_the_export(client, made_up_trials):
    gone = made_up_trials[1].nct_id
    assert gone in [row["nct_id"] for row in csv_rows(client)]
    Trial.objects.filter(nct_id=gone).update(publication_state="WITHDRAWN")
    # The file is kept like the list's counts, until whatever changes the catalogue says so
    # (withdrawing in the admin does: tests/admin/test_withdraw.py).
    assert gone in [row["nct_id"] for row in csv_rows(client)]
    catalogue_changed()
    assert gone not in [row["nct_id"] for row in csv_rows(client)]
