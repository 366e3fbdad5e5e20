"""The import's suggestions for the curated attributes (trials/registry/attributes.py), rule by
rule, on the real bundled records; and data/attributes.json applied as confirmed."""

import json
from io import StringIO

import pytest
from django.core.management import call_command

from tests.conftest import BUNDLED, BUNDLED_IDS, FIRST_SEVEN, ROOT
from trials.models import AttributeState, PriorRule, PriorTreatmentRule, Trial
from trials.registry.attributes import apply_curated, suggest, write_suggestions
from trials.registry.importer import import_paths, reapply_stored_record

pytestmark = pytest.mark.django_db


def imported(nct_id):
    """The bundled trial, imported alone; its suggestions are written by the import."""
    report = import_paths(list(BUNDLED.glob(f"{nct_id}.*")))
    assert not report.failed, report.failed
    return Trial.objects.get(nct_id=nct_id)


def rules(trial):
    return dict(trial.prior_treatment_rules.values_list("treatment", "rule"))


# Diagnosis


def test_the_disease_is_read_from_conditions_and_titles():
    assert imported("NCT01207388").diagnoses == ["b_all"]
    lymphoma = imported("NCT02568553")  # "Relapsed Non-Hodgkin Lymphoma"
    assert lymphoma.diagnoses == ["b_lymphoma"]
    assert "Non-Hodgkin Lymphoma" in lymphoma.attributes_evidence["diagnoses"]


# Disease setting


def test_a_title_saying_newly_diagnosed_suggests_newly_diagnosed_only():
    trial = imported("NCT02003222")
    assert trial.disease_settings == ["newly_diagnosed"]
    assert "Newly Diagnosed" in trial.attributes_evidence["disease_settings"]


def test_relapsed_or_refractory_suggests_any_relapse_and_refractory():
    assert imported("NCT01466179").disease_settings == [
        "first_relapse",
        "later_relapse",
        "refractory",
    ]


def test_a_first_relapse_trial_is_not_suggested_for_later_relapses():
    # "High-Risk (HR) First Relapse B-precursor ALL": a first relapse, and no other.
    assert imported("NCT02393859").disease_settings == ["first_relapse"]


def test_minimal_residual_disease_in_the_title_suggests_mrd():
    assert imported("NCT01207388").disease_settings == ["mrd_positive"]


# Ph status


def test_the_ph_status_is_read_from_the_record_words():
    assert imported("NCT02003222").ph_statuses == ["negative"]  # "BCR-ABL-Negative"
    assert imported("NCT02744768").ph_statuses == ["positive"]  # "Philadelphia Positive"
    assert set(imported("NCT02143414").ph_statuses) == {"positive", "negative", "ph_like"}


def test_a_record_silent_on_ph_leaves_it_not_stated():
    trial = imported("NCT01207388")
    assert trial.ph_statuses == []
    assert "ph_statuses" not in trial.attributes_evidence


# Population, from the age limits


@pytest.mark.parametrize(
    "nct_id, populations",
    [
        ("NCT01471782", ["children", "aya"]),  # up to 17 years
        ("NCT02143414", ["older_adults"]),  # 65 and over
        ("NCT02101853", ["children", "aya", "adults"]),  # 1 to 30 years
        ("NCT01207388", ["aya", "adults", "older_adults"]),  # 18 and over
    ],
)
def test_each_population_whose_ages_overlap_the_limits(nct_id, populations):
    trial = imported(nct_id)
    assert trial.populations == populations
    assert trial.attributes_evidence["populations"].startswith(trial.minimum_age or "")


# Blinatumomab's role and route


def test_blinatumomab_against_chemotherapy_is_blinatumomab_alone():
    # A randomised trial of blinatumomab versus chemotherapy: the chemotherapy is the other arm.
    roles = imported("NCT02013167").blinatumomab_roles
    assert "alone" in roles and "with_chemotherapy" not in roles


def test_the_drugs_beside_blinatumomab_say_its_role():
    assert "with_tki" in imported("NCT02744768").blinatumomab_roles  # dasatinib
    assert "with_other" in imported("NCT02568553").blinatumomab_roles  # lenalidomide
    assert "with_chemotherapy" in imported("NCT02003222").blinatumomab_roles


def test_blinatumomab_then_a_transplant_is_a_bridge():
    trial = imported("NCT02101853")  # "Blinatumomab Block 2 ..., and then undergo allogeneic HSCT"
    assert "bridge_to_transplant" in trial.blinatumomab_roles
    assert "HSCT" in trial.attributes_evidence["blinatumomab_roles"]


def test_maintenance_in_the_title_is_maintenance():
    assert "maintenance" in imported("NCT02807883").blinatumomab_roles


def test_the_route_is_read_beside_blinatumomab_only():
    assert imported("NCT01207388").blinatumomab_routes == ["continuous_infusion"]
    assert imported("NCT02961881").blinatumomab_routes == ["subcutaneous"]
    # Filgrastim is "Given SC" here; blinatumomab is "Given IV".
    assert imported("NCT03518112").blinatumomab_routes == ["continuous_infusion"]


# Earlier treatments, from the eligibility criteria


def test_an_exclusion_of_earlier_blinatumomab_is_excluded_with_its_words():
    trial = imported("NCT01207388")
    rule = trial.prior_treatment_rules.get(treatment="blinatumomab")
    assert rule.rule == PriorRule.EXCLUDED
    assert rule.evidence == "Previous treatment with blinatumomab"
    assert rules(trial)["transplant"] == PriorRule.EXCLUDED


def test_earlier_treatments_the_criteria_permit_are_allowed():
    found = rules(imported("NCT02879695"))
    assert found["blinatumomab"] == PriorRule.ALLOWED  # "... will be allowed on the study"
    assert found["car_t"] == PriorRule.ALLOWED
    assert found["cns_disease"] == PriorRule.EXCLUDED  # "active CNS leukemia are excluded"


def test_the_study_drug_named_in_criteria_is_not_an_earlier_treatment():
    # "... within 2 weeks prior to blinatumomab treatment" speaks of the study's own treatment.
    assert "blinatumomab" not in rules(imported("NCT02393859"))


def test_what_the_criteria_do_not_mention_stays_not_stated():
    assert set(rules(imported("NCT02744768"))) == {"cns_disease"}


# Suggestions, states and confirmation


def test_an_import_leaves_the_attributes_suggested():
    trial = imported("NCT01207388")
    assert trial.attributes_state == AttributeState.SUGGESTED
    assert trial.attributes_confirmed_by == "" and trial.attributes_confirmed_on is None


def test_suggestions_never_overwrite_a_confirmed_trial():
    trial = imported("NCT01207388")
    trial.disease_settings = ["first_relapse"]
    trial.attributes_state = AttributeState.CONFIRMED
    trial.save()
    PriorTreatmentRule.objects.filter(trial=trial).update(rule=PriorRule.ALLOWED)
    assert write_suggestions(trial, created=False) == []
    reapply_stored_record(trial, reason="The record read again")  # the whole import, as a refresh
    trial.refresh_from_db()
    assert trial.disease_settings == ["first_relapse"]
    assert trial.attributes_state == AttributeState.CONFIRMED
    assert set(rules(trial).values()) == {PriorRule.ALLOWED}


def test_suggesting_reads_the_same_record_the_same_way():
    trial = imported("NCT02101853")
    again = suggest(trial)
    assert again.lists["disease_settings"] == trial.disease_settings
    assert again.lists["blinatumomab_roles"] == trial.blinatumomab_roles


# data/attributes.json

CURATED = {
    # Copied from the curators' data/attributes.json for the tests that need only two trials.
    "NCT01207388": {
        "diagnoses": ["b_all"],
        "disease_settings": ["mrd_positive"],
        "ph_statuses": [],
        "populations": ["aya", "adults", "older_adults"],
        "blinatumomab_roles": ["alone"],
        "blinatumomab_routes": ["continuous_infusion"],
        "prior_treatments": {"blinatumomab": "excluded", "transplant": "excluded"},
        "evidence": {"blinatumomab": "Previous treatment with blinatumomab"},
        "confirmed_by": "bundled review",
        "confirmed_on": "2026-11-30",
    },
    "NCT99999999": {"confirmed_on": "2026-11-30"},  # not imported here: skipped
}


def test_the_curated_file_confirms_the_trials_it_names(tmp_path):
    import_paths(FIRST_SEVEN)
    path = tmp_path / "attributes.json"
    path.write_text(json.dumps(CURATED))
    assert apply_curated(path) == ["NCT01207388"]
    trial = Trial.objects.get(nct_id="NCT01207388")
    assert trial.attributes_state == AttributeState.CONFIRMED
    assert trial.attributes_confirmed_by == "bundled review"
    assert str(trial.attributes_confirmed_on) == "2026-11-30"
    assert rules(trial) == {"blinatumomab": "excluded", "transplant": "excluded"}
    assert trial.prior_treatment_rules.get(treatment="blinatumomab").evidence.startswith("Previous")
    assert Trial.objects.get(nct_id="NCT02013167").attributes_state == AttributeState.SUGGESTED


def test_the_curated_file_leaves_a_curators_confirmation_alone(tmp_path):
    trial = imported("NCT01207388")
    trial.attributes_state = AttributeState.CONFIRMED
    trial.attributes_confirmed_by = "maria"
    trial.disease_settings = ["refractory"]
    trial.save()
    path = tmp_path / "attributes.json"
    path.write_text(json.dumps(CURATED))
    assert apply_curated(path) == []
    trial.refresh_from_db()
    assert trial.attributes_confirmed_by == "maria" and trial.disease_settings == ["refractory"]


def test_every_bundled_trial_ends_confirmed_after_an_import(whole_catalogue):
    # As `make import` does: the import suggests, then data/attributes.json confirms.
    apply_curated(ROOT / "data" / "attributes.json")
    states = dict(Trial.objects.values_list("nct_id", "attributes_state"))
    assert sorted(states) == BUNDLED_IDS
    unconfirmed = [nct_id for nct_id, state in states.items() if state != AttributeState.CONFIRMED]
    assert unconfirmed == []
    assert not Trial.objects.filter(diagnoses=[]).exists()  # each says at least its disease


def test_import_trials_confirms_the_curated_file_after_importing(tmp_path):
    path = tmp_path / "attributes.json"
    path.write_text(json.dumps(CURATED))
    out = StringIO()
    call_command(
        "import_trials", str(BUNDLED / "NCT01207388.xml"), "--attributes", path, stdout=out
    )
    assert "Confirmed attributes of 1 trial(s)." in out.getvalue()
    trial = Trial.objects.get(nct_id="NCT01207388")
    assert trial.attributes_state == AttributeState.CONFIRMED


def test_a_dry_run_confirms_nothing(tmp_path):
    path = tmp_path / "attributes.json"
    path.write_text(json.dumps(CURATED))
    out = StringIO()
    call_command(
        "import_trials",
        str(BUNDLED / "NCT01207388.xml"),
        "--attributes",
        path,
        "--dry-run",
        stdout=out,
    )
    assert "Confirmed attributes" not in out.getvalue()
    assert not Trial.objects.exists()
