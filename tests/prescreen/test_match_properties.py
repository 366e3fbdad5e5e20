"""What must hold whatever the trial and the answers: "I don't know" never rules a trial out,
and neither does what a trial does not state. Trials made up here (synthetic facts, every
vocabulary value, fractional age limits) besides the bundled ones."""

from dataclasses import replace
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from trials.models.attributes import Diagnosis, DiseaseSetting, PhStatus, PriorRule, PriorTreatment
from trials.prescreen.answers import DONT_KNOW, Answers, Situation
from trials.prescreen.match import RANK, Fit, TrialFacts, match

# Pure and fast: many more examples than the suite's profile gives a test that reads a database.
MANY = settings(max_examples=max(400, settings.default.max_examples))

YES_NO = ["yes", "no", DONT_KNOW]
answers = st.builds(
    Answers,
    age=st.none() | st.integers(min_value=0, max_value=120),
    diagnosis=st.sampled_from([*Diagnosis.values, DONT_KNOW]),
    ph_status=st.sampled_from([*PhStatus.values, DONT_KNOW]),
    situation=st.sampled_from([*Situation.values, DONT_KNOW]),
    had_blinatumomab=st.sampled_from(YES_NO),
    had_transplant=st.sampled_from(YES_NO),
    cns_disease=st.sampled_from(YES_NO),
)
# Age limits in years, to the registry's thousandth: "6 Months" is 0.5, "18 Years" admits up to 19.
limits = st.none() | st.decimals(min_value=0, max_value=100, places=3)
facts = st.builds(
    TrialFacts,
    minimum_age_years=limits,
    maximum_age_years_exclusive=limits,
    diagnoses=st.frozensets(st.sampled_from(Diagnosis.values)),
    disease_settings=st.frozensets(st.sampled_from(DiseaseSetting.values)),
    ph_statuses=st.frozensets(st.sampled_from(PhStatus.values)),
    prior_rules=st.dictionaries(
        st.sampled_from(PriorTreatment.values), st.sampled_from(PriorRule.values)
    ),
    confirmed=st.booleans(),
)
QUESTIONS = {
    "age": None,
    "diagnosis": DONT_KNOW,
    "ph_status": DONT_KNOW,
    "situation": DONT_KNOW,
    "had_blinatumomab": DONT_KNOW,
    "had_transplant": DONT_KNOW,
    "cns_disease": DONT_KNOW,
}
CLEARED = {
    "minimum_age_years": None,
    "maximum_age_years_exclusive": None,
    "diagnoses": frozenset(),
    "disease_settings": frozenset(),
    "ph_statuses": frozenset(),
}


def rank(verdict):
    return RANK[verdict.fit]


@MANY
@given(answers, facts)
def test_answering_i_dont_know_never_rules_a_trial_out(person, trial):
    before = match(person, trial)
    for question, dont_know in QUESTIONS.items():
        after = match(replace(person, **{question: dont_know}), trial)
        # At worst a question for the care team; "probably not" only if it was already.
        assert rank(after) <= max(rank(before), RANK[Fit.ASK_CARE_TEAM]), question
        if after.fit == Fit.PROBABLY_NOT:
            assert before.fit == Fit.PROBABLY_NOT, question


@MANY
@given(facts)
def test_knowing_nothing_never_rules_a_trial_out(trial):
    assert match(Answers(), trial).fit != Fit.PROBABLY_NOT


@MANY
@given(answers, facts)
def test_clearing_an_attribute_never_makes_the_verdict_worse(person, trial):
    before = match(person, trial)
    for name, empty in CLEARED.items():
        assert rank(match(person, replace(trial, **{name: empty}))) <= rank(before), name
    for treatment in trial.prior_rules:
        rules = {t: r for t, r in trial.prior_rules.items() if t != treatment}
        assert rank(match(person, replace(trial, prior_rules=rules))) <= rank(before), treatment


@MANY
@given(answers)
def test_a_trial_that_states_nothing_may_fit_anyone(person):
    assert match(person, TrialFacts()).fit == Fit.MAY_FIT


@MANY
@given(answers, facts)
def test_every_verdict_short_of_may_fit_says_why(person, trial):
    verdict = match(person, trial)
    if verdict.fit != Fit.MAY_FIT:
        assert any(reason.fit == verdict.fit for reason in verdict.reasons)
    for reason in verdict.reasons:
        assert str(reason.text)


def test_an_age_at_a_fractional_limit_is_a_question_not_a_no():
    # A made-up trial for children up to 18 months (synthetic): a one-year-old may be 12 or 23
    # months old, so the age alone cannot say.
    trial = TrialFacts(maximum_age_years_exclusive=Decimal("1.5"), maximum_age="18 Months")
    assert match(Answers(age=1), trial).fit == Fit.ASK_CARE_TEAM
    assert match(Answers(age=0), trial).fit == Fit.MAY_FIT
    assert match(Answers(age=2), trial).fit == Fit.PROBABLY_NOT
