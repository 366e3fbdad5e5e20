"""Public words are public words: every public page of the bundled catalogue names its sources as
a visitor knows them, never by the project's own names, and never shows a curator's note."""

import re

import pytest

from tests.conftest import FIRST_SEVEN_IDS
from trials.models import Trial

pytestmark = pytest.mark.django_db

INTERNAL = re.compile(r"\b(seed|fixture|transcribed|synthetic)", re.IGNORECASE)


def public_pages(client):
    """(address, text) of every public page of the catalogue: home, each page of the list, each
    trial page, the exports."""
    addresses = ["/", "/trials/export.csv", "/trials/export.json"]
    page = 1
    while True:
        response = client.get("/trials/", {"page": page})
        addresses.append(f"/trials/?page={page}")
        if f"page={page + 1}" not in response.content.decode():
            break
        page += 1
    addresses += [f"/trials/{nct_id}/" for nct_id in FIRST_SEVEN_IDS]
    for address in addresses:
        response = client.get(address)
        assert response.status_code == 200, address
        yield address, response.content.decode("utf-8-sig")


def test_no_public_page_uses_internal_words(client, bundled_trials):
    found = {
        address: sorted({m.group(0) for m in INTERNAL.finditer(text)})
        for address, text in public_pages(client)
    }
    assert {address: words for address, words in found.items() if words} == {}


def test_no_public_page_shows_a_curators_note(client, bundled_trials):
    notes = {t.nct_id: t.curation_note for t in Trial.objects.exclude(curation_note="")}
    assert notes  # the bundled records carry curators' notes: the test means something
    for address, text in public_pages(client):
        for nct_id, note in notes.items():
            assert note[:60] not in text, (address, nct_id)


def test_the_bundled_public_notes_are_short_and_plain(bundled_trials):
    notes = [t.public_note for t in Trial.objects.exclude(public_note="")]
    assert len(notes) == 5
    for note in notes:
        assert len(note) <= 400 and not INTERNAL.search(note), note
        # Plain: short sentences, no registry codes.
        assert all(len(s.split()) <= 25 for s in note.split(". ")), note
        assert not re.search(r"\b[A-Z_]{6,}\b", note), note


def test_the_milwaukee_trial_names_its_sources_as_a_visitor_knows_them(client, bundled_trials):
    text = client.get("/trials/NCT04556084/").content.decode()
    assert "NCT04556084 on ClinicalTrials.gov</a>. Copied by hand from this trial" in text
    assert "a registry-aggregator page updated in March 2024" in text
    assert "The 2022 registry page listed this trial as recruiting." in text
