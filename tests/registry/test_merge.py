"""Merged records (trials/registry/merge.py, data/trials/README.md "Merged records"): TOWER and
AALL1331 each have a registry XML of 2017/2020 and a newer page's transcription."""

import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from tests.conftest import BUNDLED, ROOT, SHARED_DATA
from trials import models as m
from trials.registry.importer import import_paths
from trials.registry.merge import merge_plan, merge_studies, merged_text

MERGE = ROOT / "data" / "merge"
PLANS = sorted(p for p in MERGE.glob("NCT*.json") if not p.name.endswith(".page.json"))


def test_each_bundled_merged_record_is_exactly_its_plans_merge():
    """No hand edit of a merged file: running the merge again gives the same bytes."""
    assert [p.stem for p in PLANS] == ["NCT02013167", "NCT02101853"]
    for plan in PLANS:
        study, _ = merge_plan(plan)
        assert merged_text(study) == (BUNDLED / f"{plan.stem}.json").read_text(encoding="utf-8")
    out = StringIO()
    call_command("merge_records", *map(str, PLANS), "--check", stdout=out)
    # 21 since the legacy XML's results (resultsSection, which the newer page lacks) are kept too.
    assert "NCT02013167.json: 21 fields from the older record" in out.getvalue()


def test_the_merge_command_refuses_a_plan_it_cannot_read_and_writes_nothing(tmp_path):
    plan = tmp_path / "NCT02013167.json"
    plan.write_text(json.dumps({"older": "missing.xml", "newer": "also-missing.json"}))
    with pytest.raises(CommandError, match="missing.xml: no such file"):
        call_command("merge_records", str(plan), "--out", str(tmp_path), stdout=StringIO())
    assert not (tmp_path / "NCT02013167.json.json").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["NCT02013167.json"]


@pytest.mark.skipif(not SHARED_DATA.exists(), reason="../shared/data not beside")
def test_the_registry_copies_are_the_shared_files_unedited():
    legacy = SHARED_DATA / "ctgov-legacy-xml"
    copies = [*BUNDLED.glob("*.xml"), *MERGE.glob("*.xml")]
    assert sorted(p.name for p in copies) == sorted(p.name for p in legacy.glob("*.xml"))
    for copy in copies:
        assert copy.read_bytes() == (legacy / copy.name).read_bytes(), copy.name
        assert b"\r\n" in copy.read_bytes()  # CRLF kept, as exported


def study(**status):
    return {"protocolSection": {"statusModule": status}}


def test_the_newer_wins_where_it_says_something_and_the_older_fills_the_rest():
    older = {
        "protocolSection": {
            "statusModule": {"overallStatus": "RECRUITING", "whyStopped": "Funding"},
            "identificationModule": {"officialTitle": "Only in the older"},
        }
    }
    newer = {"protocolSection": {"statusModule": {"overallStatus": "TERMINATED"}}}
    merged, provenance = merge_studies(older, newer)
    assert merged["protocolSection"] == {
        "statusModule": {"overallStatus": "TERMINATED", "whyStopped": "Funding"},
        "identificationModule": {"officialTitle": "Only in the older"},
    }
    assert provenance["protocolSection.statusModule.overallStatus"] == "newer"
    assert provenance["protocolSection.statusModule.whyStopped"] == "older"


def test_a_date_or_count_and_its_type_are_one_fact():
    older = study(
        startDateStruct={"date": "2014-01", "type": "ESTIMATED"},
        completionDateStruct={"date": "2017-03-14", "type": "ACTUAL"},
    )
    newer = study(
        startDateStruct={"date": "2014-01-03"}, completionDateStruct={"date": "2017-03-14"}
    )
    merged, _ = merge_studies(older, newer)
    dates = merged["protocolSection"]["statusModule"]
    # A newer date is not given the older one's "estimated"; the same date keeps its "actual".
    assert dates["startDateStruct"] == {"date": "2014-01-03"}
    assert dates["completionDateStruct"] == {"date": "2017-03-14", "type": "ACTUAL"}


def test_items_are_matched_and_what_only_one_lists_is_kept():
    older = {"conditionsModule": {"conditions": ["B-ALL", "Leukemia"]}}
    newer = {"conditionsModule": {"conditions": ["leukemia", "Relapsed ALL"]}}
    merged, _ = merge_studies(older, newer)
    assert merged["conditionsModule"]["conditions"] == ["leukemia", "Relapsed ALL", "B-ALL"]
    older = {"references": [{"pmid": "1", "citation": "Gökbuget"}, {"pmid": "2", "citation": "B"}]}
    newer = {"references": [{"pmid": "1", "citation": "Gokbuget"}, {"pmid": "3", "citation": "C"}]}
    merged, _ = merge_studies(older, newer)
    assert merged["references"] == [
        {"pmid": "1", "citation": "Gokbuget"},
        {"pmid": "3", "citation": "C"},
        {"pmid": "2", "citation": "B"},
    ]
    # The sites are one field: the registry renamed its places, so they cannot be matched.
    older = {"locations": [{"city": "Wien"}, {"city": "Praha 2"}]}
    newer = {"locations": [{"city": "Vienna"}]}
    assert merge_studies(older, newer)[0] == {"locations": [{"city": "Vienna"}]}


def test_criteria_are_merged_section_by_section():
    older = {"eligibilityCriteria": "* Ph-negative ALL\n\nExclusion Criteria\n\n* Old point"}
    newer = {"eligibilityCriteria": "Exclusion Criteria:\n\n* New point"}
    merged, provenance = merge_studies(older, newer)
    assert merged["eligibilityCriteria"] == (
        "Inclusion Criteria:\n\n* Ph-negative ALL\n\nExclusion Criteria:\n\n* New point"
    )
    assert provenance["eligibilityCriteria:inclusion"] == "older"
    assert provenance["eligibilityCriteria:exclusion"] == "newer"


def test_a_field_the_plan_keeps_from_the_older_record_is_kept_whole():
    older = {"identificationModule": {"briefTitle": "The registry's title"}}
    newer = {"identificationModule": {"briefTitle": "A page's heading"}}
    merged, provenance = merge_studies(older, newer, keep_older={"identificationModule.briefTitle"})
    assert merged["identificationModule"]["briefTitle"] == "The registry's title"
    assert provenance["identificationModule.briefTitle"] == "older, kept"


@pytest.mark.django_db
def test_tower_keeps_the_pages_newer_facts_and_the_registrys_results_and_outcomes():
    report = import_paths([BUNDLED / "NCT02013167.json"], publish=True)
    assert report.failed == [] and report.warnings == []
    tower = m.Trial.objects.get(nct_id="NCT02013167")
    assert tower.acronym == "TOWER"  # the page's
    assert str(tower.last_update_post_date) == "2024-03-05"  # the page's, newer
    assert tower.official_title.startswith("A Phase 3, Randomized, Open Label Study")  # the XML's
    assert tower.outcomes.count() == 12  # the XML's; the page gives none
    assert str(tower.results_first_post_date) == "2017-08-09"  # the XML's
    assert tower.sites.count() == 117
    assert tower.publications.filter(origin=m.Publication.Origin.REGISTRY).count() == 12
    criteria = tower.eligibility_criteria
    assert "Subjects with Philadelphia negative B-precursor ALL" in criteria  # XML: inclusion
    # The page's newer exclusion list, without the XML's extra point.
    assert "Known exclusion criteria to investigator choice" not in criteria
    assert "Isolated extramedullary disease" in criteria


@pytest.mark.django_db
def test_aall1331_is_the_registrys_record_with_the_pages_own_additions():
    report = import_paths([BUNDLED / "NCT02101853.json"], publish=True)
    assert report.failed == [] and report.warnings == []
    trial = m.Trial.objects.get(nct_id="NCT02101853")
    assert trial.overall_status == "ACTIVE_NOT_RECRUITING"  # the XML's: the page gives none
    assert str(trial.last_update_post_date) == "2020-06-18"
    assert trial.status_note == "Not currently recruiting at 203 trial locations"  # the page's
    assert trial.sites.count() == 186
    assert trial.brief_title.startswith("Blinatumomab in Treating Younger Patients")  # kept
    assert trial.org_study_id == "NCI-2014-00631"
    assert "First relapse of B-ALL" in trial.eligibility_criteria  # the registry's, whole
    assert trial.interventions.count() == 20  # the XML's 19 and the page's blinatumomab
    assert trial.notes.exists() and trial.timeline.exists()  # the page's own
    assert set(trial.conditions) == {
        "Acute Lymphoblastic Leukemia",
        "Relapsed B-cell Acute Lymphoblastic Leukemia",
        "Recurrent B Acute Lymphoblastic Leukemia",
    }
