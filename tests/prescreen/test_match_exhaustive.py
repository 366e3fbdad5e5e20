"""The matching checked against the trials' own criteria, every combination of answers.

For each bundled trial, every combination of answers (ages around its limits and "I don't know";
every choice of every other question) is matched and compared with an oracle written here, apart
from trials/prescreen/match.py and without calling it: tables of how an answer meets what a trial
takes, read the way a curator would read them. The per-trial table is data/attributes.json (the
confirmed attributes, quoted from each record) and the record's age limits (prescreen/table.py).
"""

import itertools
import math

import pytest

from tests.conftest import BUNDLED_IDS
from tests.prescreen.table import age_limits, curated, table_facts
from trials.prescreen.answers import Answers
from trials.prescreen.match import match

MAY, ASK, NOT = "may_fit", "ask_care_team", "probably_not"
ORDER = [MAY, ASK, NOT]
DONT_KNOW = "unknown"


def worst(verdicts):
    return max(verdicts, key=ORDER.index, default=MAY)


def best(verdicts):
    return min(verdicts, key=ORDER.index)


def uncertain(possible):
    """An answer that could be any of several: fits when every one fits, never rules out
    (the person does not know), else a question for the care team."""
    return MAY if all(v == MAY for v in possible) else ASK


# How a person's answer (row) meets a trial that takes only this (column).
DIAGNOSIS = {
    "b_all": {"b_all": MAY, "b_lymphoma": NOT, "other": NOT},
    "b_lymphoma": {"b_all": NOT, "b_lymphoma": MAY, "other": NOT},
    # "Another disease" on both sides need not be the same disease.
    "other": {"b_all": NOT, "b_lymphoma": NOT, "other": ASK},
}
PH = {
    "positive": {"positive": MAY, "negative": NOT, "ph_like": NOT},
    # Ph-like leukemia is Ph-negative on the usual test: between the two, ask.
    "negative": {"positive": NOT, "negative": MAY, "ph_like": ASK},
    "ph_like": {"positive": NOT, "negative": ASK, "ph_like": MAY},
}
N, M, F, L, R = "newly_diagnosed", "mrd_positive", "first_relapse", "later_relapse", "refractory"
SETTING = {
    N: {N: MAY, M: NOT, F: NOT, L: NOT, R: NOT},
    # A remission with MRD may follow a first treatment or a relapse.
    M: {N: ASK, M: MAY, F: ASK, L: ASK, R: NOT},
    # A relapse may also not respond to treatment, and the other way round.
    F: {N: NOT, M: NOT, F: MAY, L: NOT, R: ASK},
    L: {N: NOT, M: NOT, F: NOT, L: MAY, R: ASK},
    R: {N: NOT, M: NOT, F: ASK, L: ASK, R: MAY},
}
# "It has come back, not sure how many times": a first or a later relapse.
SITUATION_ANSWERS = {N: [N], M: [M], F: [F], L: [L], R: [R], "relapsed": [F, L]}
PRIOR = {
    "required": {"yes": MAY, "no": NOT},
    "excluded": {"yes": NOT, "no": MAY},
    "allowed": {"yes": MAY, "no": MAY},
}
ASKED = {"blinatumomab": "had_blinatumomab", "transplant": "had_transplant", "cns_disease": "cns"}


def meets(table, answer, takes):
    """A known answer against what a trial takes: fits if any of it fits the answer."""
    return best(table[answer][value] for value in takes)


def oracle(answers, row, ages):
    """The verdict a curator reads off the table: row is the trial's entry in attributes.json
    (None: not confirmed), ages its (lowest age, age too old) in years."""
    verdicts = []
    low, high = ages
    if low is not None or high is not None:
        if answers["age"] is None:
            verdicts.append(ASK)
        else:
            # How much of the year of life the person is in lies within the limits.
            start, end = answers["age"], answers["age"] + 1
            overlap = min(end, high if high is not None else math.inf) - max(
                start, low if low is not None else -math.inf
            )
            verdicts.append(NOT if overlap <= 0 else MAY if overlap >= 1 else ASK)
    if row is None:
        return worst([*verdicts, ASK])  # not confirmed: nothing more can be said
    for table, answer, takes in (
        (DIAGNOSIS, answers["diagnosis"], row["diagnoses"]),
        (PH, answers["ph"], row["ph_statuses"]),
    ):
        if takes:
            verdicts.append(
                uncertain([meets(table, a, takes) for a in table])
                if answer == DONT_KNOW
                else meets(table, answer, takes)
            )
    takes = row["disease_settings"]
    if takes:
        situation = answers["situation"]
        possible = list(SETTING) if situation == DONT_KNOW else SITUATION_ANSWERS[situation]
        outcomes = [meets(SETTING, p, takes) for p in possible]
        if situation == DONT_KNOW:
            verdicts.append(uncertain(outcomes))
        else:
            verdicts.append(NOT if all(o == NOT for o in outcomes) else uncertain(outcomes))
    for treatment, question in ASKED.items():
        rule = row["prior_treatments"].get(treatment)
        if rule:
            answer = answers[question]
            verdicts.append(
                uncertain(PRIOR[rule].values()) if answer == DONT_KNOW else PRIOR[rule][answer]
            )
    return worst(verdicts)


def ages_to_try(low, high):
    """'I don't know', a child, a young adult, an adult, an older adult, and each side of each
    limit."""
    ages = {0, 10, 17, 18, 40, 65, 80}
    for limit in (low, high):
        if limit is not None:
            ages |= {math.floor(limit) - 1, math.floor(limit), math.ceil(limit)}
    return [None, *sorted(age for age in ages if 0 <= age <= 120)]


CHOICES = {
    "diagnosis": [*DIAGNOSIS, DONT_KNOW],
    "ph": [*PH, DONT_KNOW],
    "situation": [*SITUATION_ANSWERS, DONT_KNOW],
    "had_blinatumomab": ["yes", "no", DONT_KNOW],
    "had_transplant": ["yes", "no", DONT_KNOW],
    "cns": ["yes", "no", DONT_KNOW],
}


def every_answer(ages):
    names = list(CHOICES)
    for age in ages:
        for values in itertools.product(*CHOICES.values()):
            yield {"age": age, **dict(zip(names, values, strict=True))}


def as_answers(plain):
    return Answers(
        age=plain["age"],
        diagnosis=plain["diagnosis"],
        ph_status=plain["ph"],
        situation=plain["situation"],
        had_blinatumomab=plain["had_blinatumomab"],
        had_transplant=plain["had_transplant"],
        cns_disease=plain["cns"],
    )


@pytest.mark.parametrize("nct_id", BUNDLED_IDS)
def test_every_combination_of_answers_gets_the_verdict_its_criteria_give(nct_id):
    facts = table_facts(nct_id)
    row = curated().get(nct_id)
    ages = age_limits(nct_id)[2:]
    checked = 0
    for plain in every_answer(ages_to_try(*ages)):
        verdict = match(as_answers(plain), facts)
        expected = oracle(plain, row, ages)
        assert verdict.fit == expected, (nct_id, plain, [str(r.text) for r in verdict.reasons])
        # A verdict short of "may fit" always says why, in a reason of its own weight.
        if verdict.fit != MAY:
            assert any(reason.fit == verdict.fit and str(reason.text) for reason in verdict.reasons)
        checked += 1
    assert checked >= 8 * 4 * 4 * 7 * 27


@pytest.mark.parametrize("nct_id", sorted(curated()))
def test_each_reason_quotes_the_words_of_the_record_it_rests_on(nct_id):
    """Every reason about a curated attribute shows the record's words the curator quoted."""
    row = curated()[nct_id]
    facts = table_facts(nct_id)
    everything_unknown = match(Answers(), facts)
    quoted = set(row["evidence"].values())
    for reason in everything_unknown.reasons:
        if reason.evidence and not reason.evidence.startswith(("Minimum age", "Maximum age")):
            assert reason.evidence in quoted
    stated = [name for name in ("diagnoses", "ph_statuses", "disease_settings") if row[name]]
    stated += [t for t in ASKED if row["prior_treatments"].get(t) in ("required", "excluded")]
    with_evidence = {reason.evidence for reason in everything_unknown.reasons}
    for name in stated:
        if row["evidence"].get(name):
            assert row["evidence"][name] in with_evidence, name


def test_the_table_covers_the_bundled_trials_it_names():
    # Every trial the table names is bundled; a bundled trial missing from it is matched as
    # "not yet confirmed" (the oracle above says so too).
    assert set(curated()) <= set(BUNDLED_IDS)
