"""data/attributes.json: the curated attributes of every bundled trial, each resting on its record.

The vocabularies are written here as literals (the stored values of trials/models/attributes.py),
so this file checks the data on its own: a value misspelt, a quote that is not in the trial's own
record, a population its age limits rule out, all fail here before an import would.
"""

import json
import re
import xml.etree.ElementTree as ET

import pytest

from tests.conftest import BUNDLED, BUNDLED_IDS, ROOT

ATTRIBUTES = ROOT / "data" / "attributes.json"

VOCABULARIES = {
    "diagnoses": {"b_all", "b_lymphoma", "other"},
    "disease_settings": {
        "newly_diagnosed",
        "mrd_positive",
        "first_relapse",
        "later_relapse",
        "refractory",
    },
    "ph_statuses": {"positive", "negative", "ph_like"},
    "populations": {"children", "aya", "adults", "older_adults"},
    "blinatumomab_roles": {
        "alone",
        "with_chemotherapy",
        "with_tki",
        "with_other",
        "bridge_to_transplant",
        "maintenance",
    },
    "blinatumomab_routes": {"continuous_infusion", "subcutaneous"},
}
PRIOR_TREATMENTS = {"blinatumomab", "transplant", "car_t", "inotuzumab", "cns_disease"}
# "not_stated" is never written: a treatment left out is not stated.
PRIOR_RULES = {"required", "allowed", "excluded"}
KEYS = set(VOCABULARIES) | {"prior_treatments", "evidence", "confirmed_by", "confirmed_on"}

# Age ranges of the populations in years, [from, to): children under 18, AYA 15 to 39...
POPULATION_AGES = {
    "children": (0, 18),
    "aya": (15, 40),
    "adults": (18, 65),
    "older_adults": (65, 200),
}


def curated():
    return json.loads(ATTRIBUTES.read_text(encoding="utf-8"))


def record_path(nct_id):
    return next(BUNDLED.glob(f"{nct_id}.*"))


def strings(value):
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from strings(item)


def normalised(text):
    return " ".join(text.split()).casefold()


def record_text(nct_id):
    """Every word of the record as parsed (XML text, JSON strings), whitespace-normalised."""
    path = record_path(nct_id)
    if path.suffix == ".xml":
        words = ET.parse(path).getroot().itertext()
    else:
        words = strings(json.loads(path.read_text(encoding="utf-8")))
    return normalised(" ".join(words))


def age_limits(nct_id):
    """(minimum, maximum) in years from the record, None where it gives no limit."""
    path = record_path(nct_id)
    if path.suffix == ".xml":
        root = ET.parse(path).getroot()
        stated = [root.findtext(f"eligibility/{tag}", "") for tag in ("minimum_age", "maximum_age")]
    else:
        module = json.loads(path.read_text(encoding="utf-8"))["protocolSection"]
        eligibility = module.get("eligibilityModule", {})
        stated = [eligibility.get("minimumAge", ""), eligibility.get("maximumAge", "")]
    return tuple(years(text) for text in stated)


def years(text):
    if text.strip() in ("", "N/A"):
        return None
    match = re.fullmatch(r"(\d+) (Year|Month|Week|Day)s?", text.strip())
    assert match, f"an age limit this test cannot read: {text!r}"
    per_year = {"Year": 1, "Month": 12, "Week": 52, "Day": 365}[match.group(2)]
    return int(match.group(1)) / per_year


def test_every_bundled_trial_has_an_entry_and_nothing_else_does():
    assert sorted(curated()) == BUNDLED_IDS


@pytest.mark.parametrize("nct_id", BUNDLED_IDS)
def test_every_value_belongs_to_its_vocabulary(nct_id):
    entry = curated()[nct_id]
    assert set(entry) == KEYS
    for name, vocabulary in VOCABULARIES.items():
        values = entry[name]
        assert isinstance(values, list)
        assert set(values) <= vocabulary, name
        assert len(values) == len(set(values)), f"{name} repeats a value"
    assert set(entry["prior_treatments"]) <= PRIOR_TREATMENTS
    assert set(entry["prior_treatments"].values()) <= PRIOR_RULES
    assert entry["confirmed_by"] == "bundled review"
    assert entry["confirmed_on"] == "2026-11-30"


@pytest.mark.parametrize("nct_id", BUNDLED_IDS)
def test_every_value_and_rule_has_evidence_and_no_evidence_is_left_over(nct_id):
    entry = curated()[nct_id]
    stated = {name for name in VOCABULARIES if entry[name]} | set(entry["prior_treatments"])
    assert set(entry["evidence"]) == stated
    assert all(quote.strip() for quote in entry["evidence"].values())


@pytest.mark.parametrize("nct_id", BUNDLED_IDS)
def test_every_quote_is_the_trials_own_words(nct_id):
    text = record_text(nct_id)
    for name, evidence in curated()[nct_id]["evidence"].items():
        # Words from two places in the record are joined by " … ": each part is quoted.
        for quote in evidence.split(" … "):
            assert normalised(quote) in text, f"{nct_id} {name}: {quote!r} is not in the record"


@pytest.mark.parametrize("nct_id", BUNDLED_IDS)
def test_every_population_overlaps_the_trials_age_limits(nct_id):
    lowest, highest = age_limits(nct_id)
    lowest = lowest or 0
    highest = 200 if highest is None else highest
    for population in curated()[nct_id]["populations"]:
        start, end = POPULATION_AGES[population]
        # A maximum age is inclusive ("up to 17 years" takes a 17-year-old).
        assert start <= highest and lowest < end, f"{nct_id}: {population} outside its ages"


def test_a_quote_from_another_record_would_fail():
    """The check above can fail: BLAST's own exclusion is not in AALL1331's record."""
    assert normalised("Eligibility for treatment with tyrosine-kinase inhibitors") in record_text(
        "NCT01207388"
    )
    assert normalised("Eligibility for treatment with tyrosine-kinase inhibitors") not in (
        record_text("NCT02101853")
    )
