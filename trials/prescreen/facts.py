"""A trial's facts for the matching (match.TrialFacts), read from its fields and its rules."""

from ..models.attributes import AttributeState
from .match import TrialFacts


def facts_for(trial):
    """The age limits always (they are the registry's); the curated attributes once a curator
    confirmed them: a suggestion of the import may be wrong, and must not turn a family away.
    Reads trial.prior_treatment_rules.all(): prefetched for a list (TrialQuerySet.for_prescreen)."""
    confirmed = trial.attributes_state == AttributeState.CONFIRMED
    rules = list(trial.prior_treatment_rules.all()) if confirmed else []
    evidence = dict(trial.attributes_evidence or {}) if confirmed else {}
    evidence.update({rule.treatment: rule.evidence for rule in rules if rule.evidence})
    return TrialFacts(
        minimum_age_years=trial.minimum_age_years,
        maximum_age_years_exclusive=trial.maximum_age_years_exclusive,
        minimum_age=trial.minimum_age,
        maximum_age=trial.maximum_age,
        age_range=str(trial.age_range),
        diagnoses=frozenset(trial.diagnoses if confirmed else ()),
        disease_settings=frozenset(trial.disease_settings if confirmed else ()),
        ph_statuses=frozenset(trial.ph_statuses if confirmed else ()),
        prior_rules={rule.treatment: rule.rule for rule in rules},
        evidence=evidence,
        confirmed=confirmed,
    )
