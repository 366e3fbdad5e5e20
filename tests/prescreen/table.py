"""The per-trial table the pre-screener's tests check against: the curated attributes of the
bundled trials (data/attributes.json, each value quoted from the trial's own record) and the age
limits of their records, read with the importer's own reader. No database."""

import json
from functools import cache

from tests.conftest import BUNDLED, ROOT
from trials.prescreen.match import TrialFacts
from trials.registry.record import map_study
from trials.registry.sources import read_file

ATTRIBUTES = ROOT / "data" / "attributes.json"


@cache
def curated():
    """{NCT ID: its confirmed attributes}; a bundled trial not in it has none confirmed."""
    if not ATTRIBUTES.exists():
        return {}
    return json.loads(ATTRIBUTES.read_text(encoding="utf-8"))


@cache
def age_limits(nct_id):
    """(minimum age text, maximum age text, lowest age in years, age at which too old) as the
    importer reads them from the bundled record."""
    (record,) = read_file(next(BUNDLED.glob(f"{nct_id}.*")))
    fields = map_study(record.study).fields
    return (
        fields["minimum_age"],
        fields["maximum_age"],
        fields["minimum_age_years"],
        fields["maximum_age_years_exclusive"],
    )


def table_facts(nct_id):
    """TrialFacts straight from the table, as facts_for() should read them from the database."""
    low_text, high_text, low, high = age_limits(nct_id)
    row = curated().get(nct_id)
    common = {
        "minimum_age_years": low,
        "maximum_age_years_exclusive": high,
        "minimum_age": low_text,
        "maximum_age": high_text,
    }
    if row is None:
        return TrialFacts(**common, confirmed=False)
    return TrialFacts(
        **common,
        diagnoses=frozenset(row["diagnoses"]),
        disease_settings=frozenset(row["disease_settings"]),
        ph_statuses=frozenset(row["ph_statuses"]),
        prior_rules=dict(row["prior_treatments"]),
        evidence=dict(row["evidence"]),
        confirmed=True,
    )


def confirm_from_table(trial):
    """Gives an imported trial its attributes from the table, confirmed, as a curator's review
    (and the import of data/attributes.json) leaves it."""
    from trials.models import PriorTreatmentRule

    row = curated()[trial.nct_id]
    for name in (
        "diagnoses",
        "disease_settings",
        "ph_statuses",
        "populations",
        "blinatumomab_roles",
        "blinatumomab_routes",
    ):
        setattr(trial, name, row[name])
    trial.attributes_state = "confirmed"
    trial.attributes_confirmed_by = row["confirmed_by"]
    rules = row["prior_treatments"]
    trial.attributes_evidence = {
        name: words for name, words in row["evidence"].items() if name not in rules
    }
    trial.save()
    trial.prior_treatment_rules.all().delete()
    for treatment, rule in row["prior_treatments"].items():
        PriorTreatmentRule.objects.create(
            trial=trial, treatment=treatment, rule=rule, evidence=row["evidence"].get(treatment, "")
        )
