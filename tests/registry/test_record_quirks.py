"""What real registry exports say that once tripped the importer. Each record here is a real one
(NCT01207388 as legacy XML, NCT03643276 as API v2 JSON) with one value changed to the quirk,
so these trials are synthetic variants: imported in tests only, never shown."""

import json

import pytest

from tests.conftest import BUNDLED, SHARED_DATA
from trials import models as m
from trials.registry.importer import import_paths
from trials.registry.warnings import in_words

pytestmark = pytest.mark.django_db

XML = (BUNDLED / "NCT01207388.xml").read_text()


def import_xml(tmp_path, text):
    path = tmp_path / "record.xml"
    path.write_text(text)
    report = import_paths([path], publish=True)
    assert not report.failed, report.failed
    return m.Trial.objects.get(nct_id="NCT01207388"), report


@pytest.mark.parametrize("written", ["N/A", "n/a", "NA"])
def test_a_phase_of_n_a_is_not_applicable_not_two_phases(tmp_path, written):
    trial, report = import_xml(
        tmp_path, XML.replace("<phase>Phase 2</phase>", f"<phase>{written}</phase>")
    )
    assert trial.phases == ["NA"]
    assert not [w for _, w in report.warnings if "phase" in w.lower()]
    assert m.Trial.objects.in_phase("NA").count() == 1
    assert m.Trial.objects.in_phase("N").count() == 0


def test_two_phases_are_still_two(tmp_path):
    trial, _ = import_xml(
        tmp_path, XML.replace("<phase>Phase 2</phase>", "<phase>Phase 1/Phase 2</phase>")
    )
    assert trial.phases == ["PHASE1", "PHASE2"]


def test_a_withheld_study_type_of_n_a_is_left_empty_not_invented(tmp_path):
    text = XML.replace("<study_type>Interventional</study_type>", "<study_type>N/A</study_type>")
    assert text != XML
    trial, report = import_xml(tmp_path, text)
    assert trial.study_type == ""
    assert not [w for _, w in report.warnings if "N/A" in w or "N_A" in w]


def test_a_pubmed_id_that_is_not_a_number_keeps_the_trial_and_makes_no_link(tmp_path, client):
    study = json.loads((BUNDLED / "NCT03643276.json").read_text())
    references = (
        study["protocolSection"].setdefault("referencesModule", {}).setdefault("references", [])
    )
    references.append({"pmid": "PMC1234567", "type": "BACKGROUND", "citation": "A paper."})
    path = tmp_path / "record.json"
    path.write_text(json.dumps(study))
    report = import_paths([path], publish=True)
    assert not report.failed
    assert any("is not a PubMed number ('PMC1234567')" in w for _, w in report.warnings)
    paper = m.Publication.objects.get(citation="A paper.")
    assert paper.pmid == "PMC1234567" and paper.pubmed_url == ""
    page = client.get("/trials/NCT03643276/").content.decode()
    assert "pubmed.ncbi.nlm.nih.gov/PMC1234567" not in page
    assert "reference number as the registry gives it: PMC1234567" in page


@pytest.mark.skipif(
    not (SHARED_DATA / "ctgov-legacy-xml").exists(), reason="../shared/data not beside"
)
def test_every_real_record_at_hand_imports_without_failure_or_warning():
    """The 35 legacy XML exports (2018 to 2020) and the API v2 records of ../shared/data, then the
    bundled records (newer where they overlap, so nothing is refused as older)."""
    report = import_paths(
        [SHARED_DATA / "ctgov-legacy-xml", SHARED_DATA / "ctgov-v2", BUNDLED], publish=True
    )
    assert report.failed == []
    assert report.warnings == []
    assert m.Trial.objects.count() >= 35


def test_a_value_longer_than_its_column_is_shortened_with_a_warning_not_refused(tmp_path):
    """Found by `make fuzz` on PostgreSQL, which refuses an over-long value where SQLite stores
    it: an unknown sex of 11 characters made the import raise instead of keeping the trial."""
    text = XML.replace("<gender>All</gender>", "<gender>99999-01-01</gender>")
    text = text.replace("<city>", "<city>" + "Very long city name " * 20, 1)
    trial, report = import_xml(tmp_path, text)
    assert len(trial.sex) == 10 and trial.sex.endswith("…")  # legacy XML writes it as 99999_01_01
    city_limit = m.Site._meta.get_field("city").max_length
    assert {len(site.city) for site in trial.sites.all()} <= set(range(city_limit + 1))
    warnings = [w for _, w in report.warnings if "characters, more than" in w]
    assert any(w.startswith("trial.sex: 11 characters, more than the 10") for w in warnings)
    assert any(w.startswith("sites[0].city:") for w in warnings)
    assert "99999-01-01" in trial.source_record  # the stored record keeps the whole value
    # Imported whole: a second import changes nothing.
    assert import_paths([tmp_path / "record.xml"], publish=True).unchanged == ["NCT01207388"]


def test_an_over_long_value_in_the_results_is_shortened_too(tmp_path):
    """The same rule for the posted results (a group's title is a short column there)."""
    study = json.loads((BUNDLED / "NCT02013167.json").read_text())
    outcome = study["resultsSection"]["outcomeMeasuresModule"]["outcomeMeasures"][0]
    outcome["paramType"] = "A_PARAMETER_TYPE_" * 6
    path = tmp_path / "NCT02013167.json"
    path.write_text(json.dumps(study))
    report = import_paths([path], publish=True)
    assert not report.failed, report.failed
    stored = m.OutcomeMeasure.objects.get(results__trial__nct_id="NCT02013167", position=0)
    limit = m.OutcomeMeasure._meta.get_field("param_type").max_length
    assert len(stored.param_type) == limit and stored.param_type.endswith("…")
    warning = next(w for _, w in report.warnings if "characters, more than" in w)
    assert in_words(warning).text.startswith("A value in the posted results (param type) is 102")
