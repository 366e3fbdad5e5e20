"""The Atom feeds of what changed (trials/feeds.py): a search's, on the list page's own filter,
and a trial's."""

import json
import xml.etree.ElementTree as ET

import pytest

from tests.changes.records import TRIAL, bundled_study, changed_everywhere, reimport
from tests.conftest import FIRST_SEVEN_IDS
from trials.models import ChangeKind, PublicationState, Trial, TrialChange

ATOM = "{http://www.w3.org/2005/Atom}"


def entries(response):
    """(id, title, summary, updated, link) of each entry of an Atom feed."""
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    feed = ET.fromstring(response.content)
    return [
        {
            "id": entry.findtext(f"{ATOM}id"),
            "title": entry.findtext(f"{ATOM}title"),
            "summary": entry.findtext(f"{ATOM}summary"),
            "updated": entry.findtext(f"{ATOM}updated"),
            "link": entry.find(f"{ATOM}link").get("href"),
        }
        for entry in feed.iter(f"{ATOM}entry")
    ]


def nct_ids(found):
    return {entry["title"].split(":")[0] for entry in found}


@pytest.fixture
def changed(bundled_trials, tmp_path):
    reimport(tmp_path, changed_everywhere(bundled_study()), posted="2026-02-10")


def test_a_search_feed_lists_the_new_trials_and_their_changes(client, changed):
    found = entries(client.get("/trials/feed/"))
    assert nct_ids(found) == set(FIRST_SEVEN_IDS)  # each new here: first listed
    summaries = [entry["summary"] for entry in found if entry["title"].startswith(TRIAL)]
    assert "The eligibility criteria (who can join) changed." in summaries
    assert any(s.startswith("A site started taking patients: Anhui") for s in summaries)
    assert any(s.startswith("A site was added: Synthetic Test Hospital") for s in summaries)
    assert any(s.startswith("The trial's status changed from") for s in summaries)
    # Dates moved and sites dropped are on the trial's own feed, not a search's.
    assert not any("moved from" in s or "no longer listed" in s for s in summaries)
    assert all(entry["link"].endswith(f"/trials/{TRIAL}/#changes") for entry in found[:1])


def test_the_feed_finds_the_same_trials_as_the_page_and_the_export(client, changed):
    for query in ({"status": "RECRUITING"}, {"q": "children"}, {"phase": "PHASE2"}, {}):
        exported = client.get("/trials/export.json", query).json()["trials"]
        in_export = {row["nct_id"] for row in exported}
        page = client.get("/trials/", query).content.decode()
        assert all(f"/trials/{nct_id}/" in page for nct_id in in_export)
        assert nct_ids(entries(client.get("/trials/feed/", query))) == in_export, query


def test_entry_ids_are_stable_and_the_same_in_every_language(client, changed):
    first = [entry["id"] for entry in entries(client.get("/trials/feed/"))]
    again = [entry["id"] for entry in entries(client.get("/trials/feed/"))]
    spanish = [entry["id"] for entry in entries(client.get("/es/trials/feed/"))]
    assert first == again == spanish
    assert len(set(first)) == len(first)
    assert all(entry_id.startswith("tag:testserver,2026:trial-change-") for entry_id in first)


def test_entries_are_dated_when_we_saw_the_change_latest_first(client, changed):
    found = entries(client.get(f"/trials/{TRIAL}/feed/"))
    updated = [entry["updated"] for entry in found]
    assert updated == sorted(updated, reverse=True)
    seen = TrialChange.objects.filter(trial__nct_id=TRIAL).latest_first().first().seen_at
    assert updated[0] == seen.isoformat()


def test_a_trials_feed_has_every_change_of_it(client, changed):
    found = entries(client.get(f"/trials/{TRIAL}/feed/"))
    assert len(found) == TrialChange.objects.filter(trial__nct_id=TRIAL).count() == 11
    assert nct_ids(found) == {TRIAL}
    summaries = " ".join(entry["summary"] for entry in found)
    assert "The end date moved from 31 May 2030 to 31 January 2031." in summaries
    assert "First listed here on" in summaries


def test_a_feed_is_in_the_language_of_its_address(client, changed):
    response = client.get(f"/zh-hans/trials/{TRIAL}/feed/")
    feed = ET.fromstring(response.content)
    assert feed.get("{http://www.w3.org/XML/1998/namespace}lang") == "zh-hans"
    summaries = " ".join(entry["summary"] for entry in entries(response))
    assert "eligibility criteria" not in summaries


def test_a_drafts_or_unknown_trials_feed_is_not_found(client, changed):
    Trial.objects.filter(nct_id=TRIAL).update(publication_state=PublicationState.DRAFT)
    assert client.get(f"/trials/{TRIAL}/feed/").status_code == 404
    assert client.get("/trials/NCT99999999/feed/").status_code == 404
    # Nor is it in a search's feed.
    assert TRIAL not in nct_ids(entries(client.get("/trials/feed/")))


@pytest.mark.parametrize(
    "query",
    [
        "status=NOPE&phase=PHASE9",
        "age=-4&radius=abc&near=%00",
        "q=" + "x" * 6000,
        "start_after=2026-99-99&updated_since=yesterday&sort=DROP+TABLE",
        "page=999&country=%3Cscript%3E",
    ],
)
def test_a_hostile_query_string_gets_a_feed_not_an_error(client, changed, query):
    response = client.get(f"/trials/feed/?{query}")
    assert response.status_code == 200
    entries(response)


def test_the_results_page_links_its_feed_for_readers_and_people(client, changed):
    page = client.get("/trials/", {"status": "RECRUITING", "page": "1"}).content.decode()
    assert (
        '<link rel="alternate" type="application/atom+xml" title="What changed in this search '
        '(Atom feed)" href="/trials/feed/?status=RECRUITING">'
    ) in page
    assert '<a href="/trials/feed/?status=RECRUITING">Follow this search (feed)</a>' in page


def test_kinds_a_search_feed_leaves_out_stay_on_the_trials_feed(client, changed):
    left_out = TrialChange.objects.filter(
        trial__nct_id=TRIAL, kind__in=[ChangeKind.DATES, ChangeKind.SITE_REMOVED]
    ).count()
    search = [e for e in entries(client.get("/trials/feed/")) if e["title"].startswith(TRIAL)]
    trial = entries(client.get(f"/trials/{TRIAL}/feed/"))
    assert len(trial) - len(search) == left_out == 3
    assert json.dumps(search)  # plain data, as a reader gets it
