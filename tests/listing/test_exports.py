"""Search results as CSV and JSON: the list's trials, filters and order, up to the limit.

On the bundled real trials; the same behaviour on made-up trials: test_exports_made_up.py."""

import csv
import datetime
import io
import json
import re
import xml.etree.ElementTree as ET

import pytest
from django.db import connection  # noqa: F401 (read by a skip condition)

from tests.conftest import BUNDLED
from trials.cache import catalogue_changed
from trials.listing import exports
from trials.models import Trial

pytestmark = pytest.mark.django_db


def listed(client, **params):
    content = client.get("/trials/", params).content.decode()
    return re.findall(r'<span class="nct-id">(NCT\d{8})</span>', content)


def csv_rows(client, **params):
    response = client.get("/trials/export.csv", params)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="blinatumomab-trials-')
    return list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))


def json_export(client, **params):
    response = client.get("/trials/export.json", params)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    return json.loads(response.content)


@pytest.mark.parametrize(
    "params",
    [
        {},
        {"q": "leukemia"},
        {"status": "TERMINATED"},
        {"country": "united states"},
        {"near": "Milwaukee", "radius": "500", "sort": "distance"},
    ],
)
def test_an_export_holds_the_trials_of_the_list_in_its_order(client, bundled_trials, params):
    shown = listed(client, **params)
    assert [row["nct_id"] for row in csv_rows(client, **params)] == shown
    assert [trial["nct_id"] for trial in json_export(client, **params)["trials"]] == shown


def test_each_row_says_what_the_record_says(client, bundled_trials):
    row = next(r for r in csv_rows(client) if r["nct_id"] == "NCT02013167")
    trial = Trial.objects.get(nct_id="NCT02013167")
    assert row["title"] == trial.title
    assert row["status"] == "Stopped early" and row["open_to_enrolment"] == "no"
    assert row["registry_status"] == "TERMINATED"
    assert row["phases"] == "PHASE3"
    assert row["conditions"] == "; ".join(trial.conditions)
    assert row["site_countries"] == "; ".join(trial.site_countries)
    assert row["site_count"] == "117"
    assert row["lead_sponsor"] == "Amgen"
    assert row["minimum_age"] == "18 Years"
    assert row["url"] == "http://testserver/trials/NCT02013167/"
    found = next(t for t in json_export(client)["trials"] if t["nct_id"] == "NCT02013167")
    assert found["phases"] == ["PHASE3"] and found["site_count"] == 117
    assert found["open_to_enrolment"] is False


def test_each_row_says_whether_and_when_results_were_posted_and_what_they_measured_first(
    client, bundled_trials
):
    """Read from the records themselves: TOWER's resultsSection (the bundled JSON) and BLAST's
    <clinical_results> (the legacy XML)."""
    tower = json.loads((BUNDLED / "NCT02013167.json").read_bytes())
    tower_primary = [
        outcome["title"]
        for outcome in tower["resultsSection"]["outcomeMeasuresModule"]["outcomeMeasures"]
        if outcome["type"] == "PRIMARY"
    ]
    tower_posted = tower["protocolSection"]["statusModule"]["resultsFirstPostDateStruct"]["date"]
    blast = ET.parse(BUNDLED / "NCT01207388.xml").getroot()
    blast_primary = [
        outcome.findtext("title").strip()
        for outcome in blast.iterfind("clinical_results/outcome_list/outcome")
        if outcome.findtext("type") == "Primary"
    ]
    blast_posted = datetime.datetime.strptime(blast.findtext("results_first_posted"), "%B %d, %Y")
    rows = {row["nct_id"]: row for row in csv_rows(client)}
    assert rows["NCT02013167"]["primary_outcomes"] == "; ".join(tower_primary) == "Overall Survival"
    assert rows["NCT02013167"]["results_posted_on"] == tower_posted
    assert rows["NCT01207388"]["primary_outcomes"] == "; ".join(blast_primary)
    assert rows["NCT01207388"]["results_posted_on"] == blast_posted.date().isoformat()
    assert rows["NCT01207388"]["has_results"] == "yes"
    assert rows["NCT06607419"]["has_results"] == "no"
    assert rows["NCT06607419"]["results_posted_on"] == rows["NCT06607419"]["primary_outcomes"] == ""
    trials = {t["nct_id"]: t for t in json_export(client)["trials"]}
    assert trials["NCT01207388"]["primary_outcomes"] == blast_primary
    assert trials["NCT06607419"]["primary_outcomes"] == []
    assert trials["NCT02013167"]["has_results"] is True


def test_the_json_export_says_where_it_comes_from_and_that_it_is_not_advice(client, bundled_trials):
    found = json_export(client, status=["RECRUITING", "NOPE"], sort="sideways")
    assert "not medical advice" in found["note"]
    assert found["search"].startswith("http://testserver/trials/?status=RECRUITING")
    assert found["count"] == len(found["trials"]) == 1
    assert found["more_than_limit"] is False
    assert any("NOPE" in note for note in found["ignored"])
    assert any("sideways" in note for note in found["ignored"])


def test_an_export_stops_at_the_limit_and_the_page_says_so(client, bundled_trials, monkeypatch):
    monkeypatch.setattr(exports, "EXPORT_LIMIT", 3)
    assert len(csv_rows(client)) == 3
    found = json_export(client)
    assert found["limit"] == 3 and found["count"] == 3 and found["more_than_limit"] is True
    page = client.get("/trials/").content.decode()
    assert "(the first 3)" in page


def test_the_results_page_links_to_its_exports_with_its_filters(client, bundled_trials):
    page = client.get("/trials/", {"status": "TERMINATED", "page": "1"}).content.decode()
    assert 'href="/trials/export.csv?status=TERMINATED"' in page
    assert 'href="/trials/export.json?status=TERMINATED"' in page


@pytest.mark.parametrize("start", ["=", "+", "-", "@", "\t"])
def test_a_cell_a_spreadsheet_would_run_is_kept_as_text(client, bundled_trials, start):
    Trial.objects.filter(nct_id="NCT02013167").update(plain_title=f'{start}HYPERLINK("http://x")')
    row = next(r for r in csv_rows(client) if r["nct_id"] == "NCT02013167")
    assert row["title"] == f'\'{start}HYPERLINK("http://x")'


def test_the_csv_opens_in_a_spreadsheet_with_its_accents(client, bundled_trials):
    content = client.get("/trials/export.csv").content
    assert content.startswith("\ufeff".encode())  # how Excel knows the text is UTF-8
    Trial.objects.filter(nct_id="NCT02013167").update(plain_title="Côte d'Ivoire étude")
    catalogue_changed()  # as a curator's edit does
    assert "Côte d'Ivoire étude" in client.get("/trials/export.csv").content.decode()


def test_bad_parameters_are_ignored_as_on_the_list(client, bundled_trials):
    assert len(csv_rows(client, age="old", sort="nonsense", page="x")) == 7
    assert client.get("/trials/export.xml").status_code == 404


def test_an_export_costs_a_few_queries_whatever_its_size(
    client, bundled_trials, django_assert_num_queries
):
    """One query for the trials, one for their earlier-treatment rules (curated attributes), and
    one more for their primary outcomes when any of them has posted results (TOWER and BLAST
    among the bundled)."""
    with django_assert_num_queries(2):
        client.get("/trials/export.csv", {"status": "RECRUITING"})
    with django_assert_num_queries(3):
        client.get("/trials/export.csv", {"status": "TERMINATED"})
    with django_assert_num_queries(3):
        client.get("/trials/export.json")
    with django_assert_num_queries(1):  # no trial: nothing more to read
        client.get("/trials/export.csv", {"status": "WITHDRAWN"})


@pytest.mark.skipif(
    "connection.vendor != 'postgresql'", reason="spelling suggestions (run with DATABASE_URL)"
)
def test_the_export_link_carries_the_corrected_spelling(client, bundled_trials):
    page = client.get("/trials/", {"q": "blinatumumab"}).content.decode()
    assert "Showing results for" in page
    link = re.search(r'href="(/trials/export\.csv\?[^"]*)"', page).group(1)
    assert "q=blinatumomab" in link
    assert len(csv_rows(client, q="blinatumomab")) > 0
