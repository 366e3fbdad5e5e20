"""Search results as RIS for reference managers: the list's trials, filters and order, one record
per trial, read here line by line as a reference manager reads them."""

import re

import pytest

from tests.listing.test_exports import listed
from trials.models import Trial

pytestmark = pytest.mark.django_db

LINE = re.compile(r"^([A-Z][A-Z0-9])  - (.*)$")


def ris_records(client, url="/trials/export.ris", **params):
    response = client.get(url, params)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/x-research-info-systems"
    assert response["Content-Disposition"].startswith('attachment; filename="blinatumomab-trials-')
    assert response["Content-Disposition"].endswith('.ris"')
    text = response.content.decode("utf-8")
    records, current = [], None
    for line in text.split("\r\n"):
        assert "\n" not in line and "\r" not in line
        if not line:
            assert current is None  # blank lines only between records
            continue
        match = LINE.match(line)
        assert match, line
        tag, value = match.groups()
        if tag == "TY":
            assert current is None
            current = []
        assert current is not None, line
        current.append((tag, value))
        if tag == "ER":
            records.append(current)
            current = None
    assert current is None
    return records


def values(record, tag):
    return [value for found, value in record if found == tag]


@pytest.mark.parametrize(
    "params",
    [{}, {"q": "leukemia"}, {"status": "TERMINATED"}, {"near": "Milwaukee", "sort": "distance"}],
)
def test_the_file_holds_the_trials_of_the_list_in_its_order(client, bundled_trials, params):
    records = ris_records(client, **params)
    assert [values(record, "AN")[0] for record in records] == listed(client, **params)


def test_each_record_cites_the_registry_record(client, bundled_trials):
    trial = Trial.objects.get(nct_id="NCT02013167")
    record = next(r for r in ris_records(client) if values(r, "AN") == ["NCT02013167"])
    assert record[0] == ("TY", "DBASE") and record[-1] == ("ER", "")
    assert values(record, "TI") == [trial.brief_title]
    assert values(record, "ST") == [trial.acronym]
    assert values(record, "DB") == ["ClinicalTrials.gov"]
    assert values(record, "PB") == ["Amgen"]
    assert values(record, "PY") == [str(trial.study_first_post_date.year)]
    assert values(record, "DA") == [trial.last_update_post_date.strftime("%Y/%m/%d")]
    assert values(record, "KW") == trial.conditions
    assert values(record, "AB") == [" ".join(trial.brief_summary.split())]
    assert "Overall status: TERMINATED" in values(record, "N1")
    assert "Phase: PHASE3" in values(record, "N1")
    assert values(record, "UR") == [
        "https://clinicaltrials.gov/study/NCT02013167",
        "http://testserver/trials/NCT02013167/",
    ]


def test_the_file_is_the_registry_text_in_english_in_every_language(client, bundled_trials):
    english = ris_records(client, q="leukemia")
    spanish = ris_records(client, "/es/trials/export.ris", q="leukemia")
    assert english and [values(r, "TI") for r in english] == [values(r, "TI") for r in spanish]
    assert [values(r, "N1") for r in english] == [values(r, "N1") for r in spanish]
    # The portal's page in the reader's language.
    assert values(spanish[0], "UR")[1].startswith("http://testserver/es/trials/NCT")


def test_a_search_that_finds_nothing_is_an_empty_file(client, bundled_trials):
    assert ris_records(client, q="zzzzqqqq-no-such-word") == []


def test_the_results_page_links_to_the_file_for_the_same_search(client, bundled_trials):
    content = client.get("/trials/", {"q": "leukemia", "page": "1"}).content.decode()
    assert 'href="/trials/export.ris?q=leukemia"' in content
