"""The first seven bundled trials: what their sources state is in the database and on the page."""

import html
import re
from pathlib import Path

import pytest

from tests.conftest import ROOT
from trials.models import Contact, DrugApproval, Trial

pytestmark = pytest.mark.django_db

SEEDS = ROOT.parent / "shared" / "seeds"


def seed_text(prefix):
    matches = sorted(SEEDS.glob(f"{prefix}_*.txt"))
    if not matches:
        pytest.skip(f"the seed pages are not beside this clone ({SEEDS})")
    return Path(matches[0]).read_text()


def test_tower_has_all_117_sites_in_the_order_of_its_page(bundled_trials):
    trial = Trial.objects.get(nct_id="NCT02013167")
    page = seed_text("002")
    # Each site on the page is "Research Site" then "City, State, Country".
    stated = re.findall(r"^Research Site\n\n(.+)\n\nSite Status", page, re.MULTILINE)
    assert len(stated) == 117
    ours = [
        ", ".join([site.city, site.state, site.country]) for site in trial.sites.order_by("order")
    ]
    assert ours == stated
    assert trial.sites.filter(status="").count() == 117  # the page gives no per-site status
    assert trial.sites.values("country").distinct().count() == 21


def test_tower_has_its_12_references_and_identifiers(bundled_trials):
    trial = Trial.objects.get(nct_id="NCT02013167")
    page = seed_text("002")
    stated_pmids = re.findall(r"^PMID: (\d+)", page, re.MULTILINE)
    assert list(trial.publications.values_list("pmid", flat=True)) == stated_pmids
    assert len(stated_pmids) == 12
    assert trial.publications.filter(reference_type="DERIVED").count() == 4
    assert trial.publications.get(pmid="28249141").doi == "10.1056/NEJMoa1609783"
    assert trial.secondary_ids.get().identifier == "2013-000536-10"
    assert trial.secondary_ids.get().type == "EUDRACT_NUMBER"
    assert trial.org_study_id == "00103311"
    blinatumomab = trial.interventions.get(name="Blinatumomab")
    assert blinatumomab.other_names == ["Blincyto®", "AMG 103", "MT103"]
    assert (trial.overall_status, trial.enrollment_count, str(trial.start_date)) == (
        "TERMINATED",
        405,
        "2014-01-03",
    )
    assert trial.links.get().url == "http://www.amgentrials.com"


def test_the_patient_facing_trial_keeps_its_timeline_approvals_and_notes(bundled_trials):
    trial = Trial.objects.get(nct_id="NCT02101853")
    assert trial.status_note == "Not currently recruiting at 203 trial locations"
    # The page gives no registry status; the registry's XML (June 2020), merged in, does.
    assert trial.overall_status == "ACTIVE_NOT_RECRUITING"
    assert [step.stage for step in trial.timeline.all()] == [
        "Screening",
        "Induction Block 1",
        "Randomization and Treatment",
        "Continuation and Maintenance",
        "Follow-up",
    ]
    assert trial.timeline.get(stage="Follow-up").duration == "Up to 10 years"
    assert {(a.jurisdiction, a.brand_name) for a in DrugApproval.objects.all()} == {
        ("European Union", "Blincyto"),
        ("United States", "Blincyto"),
    }
    assert trial.arms.get(label="Arm D (LR blinatumomab)").stated_intervention_count == 15
    assert trial.officials.get().name == "Patrick A Brown"
    assert trial.notes.filter(kind="HIGHLIGHT").count() == 5
    assert trial.plain_summary.startswith("This trial is for a blood cancer called B-cell")


def test_the_chinese_trial_keeps_contacts_it_cannot_place(bundled_trials):
    trial = Trial.objects.get(nct_id="NCT06607419")
    assert trial.phases == ["PHASE2", "PHASE3"]
    assert [s.status for s in trial.sites.all()] == [
        "NOT_YET_RECRUITING",
        "NOT_YET_RECRUITING",
        "RECRUITING",
        "RECRUITING",
    ]
    assert trial.contacts.filter(kind=Contact.Kind.CENTRAL).count() == 2
    unplaced = trial.contacts.filter(kind=Contact.Kind.SITE, site=None)
    assert unplaced.count() == 5
    assert unplaced.get(name="Wenting Hu, MD").role == "backup"
    assert trial.collaborators.count() == 11
    assert trial.lead_sponsor_name == "Shanghai Jiao Tong University School of Medicine"
    assert trial.publications.count() == 20
    assert trial.related_trials.get().nct_id == "NCT06438796"


def test_disagreeing_seed_pages_keep_the_newer_statement_with_a_note(bundled_trials):
    trial = Trial.objects.get(nct_id="NCT04556084")
    assert trial.overall_status == "TERMINATED"  # seed 002 (2024) over seed 004 (2022)
    assert trial.brief_title == "Blinatumomab Bridging Therapy for BALL"
    assert "Recruiting" in trial.curation_note and "seed page 002" in trial.curation_note
    site = trial.sites.get()
    assert (site.city, site.zip, site.status) == ("Milwaukee", "53226", "RECRUITING")
    assert site.contacts.get().email == "mmburke@mcw.edu"
    assert (str(trial.primary_completion_date), trial.primary_completion_date_precision) == (
        "2023-10-01",
        "MONTH",
    )


def test_the_observational_registry_trial(bundled_trials):
    trial = Trial.objects.get(nct_id="NCT07117136")
    assert (trial.study_type, trial.enrollment_count, trial.minimum_age) == (
        "OBSERVATIONAL",
        200,
        "18 Years",
    )
    assert (
        trial.outcomes.get(kind="PRIMARY").time_frame
        == "5 years or e.g., 1 year after closure of study"
    )


@pytest.mark.parametrize(
    ("nct_id", "facts"),
    [
        (
            "NCT02013167",
            [
                "TOWER",
                "Terminated",
                "Phase 3",
                "405 participants",
                "117 sites",
                "Duarte, California",
                "2013-000536-10",
                "PubMed 32289160",
                "Blincyto®",
            ],
        ),
        (
            "NCT02101853",
            [
                "Patrick A Brown",
                "Not currently recruiting at 203 trial locations",
                "Induction Block 1",
                "approved in the European Union as Blincyto",
                "No Placebo Group",
                "Mattison, RJ.",
            ],
        ),
        (
            "NCT06607419",
            [
                "Tests whether the treatment works",
                "Compares the treatment with the usual treatment",
                "1 month to 18 years",
                "Fujian Children&#x27;s Hospital",
                "86-18930830638",
                "Hongjun Liu, MD",
                "CBC-ALL2024-1",
                "NCT06438796",
            ],
        ),
        (
            "NCT07117136",
            [
                "Medical College of Wisconsin",
                "Observational",
                "200 participants",
                "Overall Survival",
            ],
        ),
        (
            "NCT04556084",
            [
                "akemic@chw.org",
                "Milwaukee",
                "Blina Part 1",
                "Michael Burke, MD",
                "28 mcg/day",
                "Was expected to end in October 2024; the registry has not said since",
            ],
        ),
        (
            "NCT01207388",
            [
                "BLAST",
                "Amgen Research (Munich) GmbH",
                "75 sites",
                "November 2010",
                "MT103-203",
                "Ralf Bargou, MD",
                "Graz",
            ],
        ),
        (
            "NCT03643276",
            [
                "AIEOP-BFM ALL 2017",
                "Martin Schrappe",
                "a.moericke@pediatrics.uni-kiel.de",
                "Deutsche Krebshilfe",
                "PubMed 41671463",
                "up to 17 years",
            ],
        ),
    ],
)
def test_the_trial_page_shows_what_the_source_states(client, bundled_trials, nct_id, facts):
    page = client.get(f"/trials/{nct_id}/").content.decode()
    # A trial of many sites lists them a country at a time (trial_page.MANY_SITES): its
    # countries' pages too, one click away.
    for query in re.findall(r'href="\?(country=[^"#]*)#where"', page):
        page += client.get(f"/trials/{nct_id}/?{html.unescape(query)}").content.decode()
    for fact in facts:
        assert fact in page, fact
