"""Hand-written cases on real trials, read from their own criteria, and the facts the matching
reads from the database (facts_for) against the table."""

from dataclasses import replace

import pytest

from tests.conftest import FIRST_SEVEN_IDS
from tests.prescreen.table import table_facts
from trials.models import Trial
from trials.prescreen.answers import Answers
from trials.prescreen.facts import facts_for
from trials.prescreen.match import Fit, match

TOWER = "NCT02013167"  # adults 18 and over, Ph-negative B-ALL after relapse or not responding
AALL1331 = "NCT02101853"  # ages 1 to 30, B-ALL in first relapse, no earlier blinatumomab
BLAST = "NCT01207388"  # adults in remission with MRD, no earlier blinatumomab or transplant


def verdict(confirmed_trials, nct_id, **answers):
    trial = Trial.objects.prefetch_related("prior_treatment_rules").get(nct_id=nct_id)
    return match(Answers(**answers), facts_for(trial))


@pytest.mark.parametrize("nct_id", FIRST_SEVEN_IDS)
def test_facts_read_from_the_database_are_the_tables(confirmed_trials, nct_id):
    trial = Trial.objects.prefetch_related("prior_treatment_rules").get(nct_id=nct_id)
    from_database = facts_for(trial)
    assert replace(from_database, age_range="") == table_facts(nct_id)


def test_an_adult_only_trial_probably_does_not_fit_a_ten_year_old(confirmed_trials):
    result = verdict(confirmed_trials, TOWER, age=10, diagnosis="b_all", situation="relapsed")
    assert result.fit == Fit.PROBABLY_NOT
    (age,) = [reason for reason in result.reasons if reason.fit == Fit.PROBABLY_NOT]
    assert "18 years and over" in str(age.text)
    assert age.evidence == "Minimum age: 18 Years"


def test_an_adult_in_first_relapse_who_answers_everything_may_fit_tower(confirmed_trials):
    result = verdict(
        confirmed_trials,
        TOWER,
        age=45,
        diagnosis="b_all",
        ph_status="negative",
        situation="first_relapse",
        had_blinatumomab="no",
        had_transplant="yes",  # allowed by TOWER
        cns_disease="no",
    )
    assert result.fit == Fit.MAY_FIT
    assert all(reason.fit == Fit.MAY_FIT for reason in result.reasons)


def test_ph_positive_leukemia_probably_does_not_fit_a_trial_for_ph_negative(confirmed_trials):
    result = verdict(confirmed_trials, TOWER, age=45, ph_status="positive")
    assert result.fit == Fit.PROBABLY_NOT
    (ph,) = [reason for reason in result.reasons if reason.fit == Fit.PROBABLY_NOT]
    assert "Ph−" in str(ph.text) and ph.evidence


def test_a_relapse_not_counted_is_a_question_for_a_first_relapse_trial(confirmed_trials):
    result = verdict(
        confirmed_trials, AALL1331, age=10, diagnosis="b_all", ph_status="negative",
        situation="relapsed", had_blinatumomab="no", had_transplant="no", cns_disease="no",
    )  # fmt: skip
    assert result.fit == Fit.ASK_CARE_TEAM
    (ask,) = [reason for reason in result.reasons if reason.fit == Fit.ASK_CARE_TEAM]
    assert "After a first relapse" in str(ask.text)
    assert "number of relapses" in str(ask.text)


def test_earlier_blinatumomab_probably_rules_out_a_trial_that_excludes_it(confirmed_trials):
    result = verdict(confirmed_trials, AALL1331, age=10, had_blinatumomab="yes")
    assert result.fit == Fit.PROBABLY_NOT
    (no,) = [reason for reason in result.reasons if reason.fit == Fit.PROBABLY_NOT]
    assert "Earlier blinatumomab" in str(no.text) and no.evidence


def test_not_knowing_the_history_asks_about_each_rule_of_blast(confirmed_trials):
    result = verdict(confirmed_trials, BLAST, age=30, diagnosis="b_all", situation="mrd_positive")
    assert result.fit == Fit.ASK_CARE_TEAM
    asked = " ".join(str(r.text) for r in result.reasons if r.fit == Fit.ASK_CARE_TEAM)
    for thing in ("Earlier blinatumomab", "An earlier stem cell transplant", "CNS disease"):
        assert thing in asked


def test_suggested_attributes_are_not_read_until_a_curator_confirms_them(confirmed_trials):
    trial = Trial.objects.get(nct_id=TOWER)
    trial.attributes_state = "suggested"
    trial.save()
    result = verdict(confirmed_trials, TOWER, age=45, ph_status="positive")
    # The Ph rule is not read: only the age, and a word that the criteria are not yet checked.
    assert result.fit == Fit.ASK_CARE_TEAM
    assert not any("Ph" in str(reason.text) for reason in result.reasons)
