"""Whether a trial may fit a person: a pure function of their answers and the trial's facts.

The rules, each written once here and tested exhaustively (tests/prescreen/):
- "I don't know" never rules a trial out, and neither does what a trial does not state (an empty
  list, no rule, no age limit).
- A known answer that contradicts what the trial states: "probably does not fit", with the reason
  and the trial's own words.
- Everything the trial states is answered and fits: "may fit". Anything else (an answer not known,
  or known but not enough to tell): "ask your care team", saying what to ask.
Only the trial team can decide; the verdict is a start for that conversation.
"""

from dataclasses import dataclass, field
from decimal import Decimal

from django.db import models
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy
from django.utils.translation import gettext_lazy as _

from ..models.attributes import Diagnosis, DiseaseSetting, PhStatus, PriorRule, PriorTreatment
from .answers import DONT_KNOW, NO, YES, Answers, Situation


class Fit(models.TextChoices):
    MAY_FIT = "may_fit", gettext_lazy("May fit")
    ASK_CARE_TEAM = "ask_care_team", gettext_lazy("Ask your care team")
    PROBABLY_NOT = "probably_not", gettext_lazy("Probably does not fit")


# Better first: the order of the results and of a verdict's reasons.
RANK = {Fit.MAY_FIT: 0, Fit.ASK_CARE_TEAM: 1, Fit.PROBABLY_NOT: 2}

# The earlier treatments the questions ask about, by question; the trial's rules on the others
# (CAR-T, inotuzumab) are shown beside the verdict but cannot change it.
ASKED_TREATMENTS = {
    PriorTreatment.BLINATUMOMAB: "had_blinatumomab",
    PriorTreatment.TRANSPLANT: "had_transplant",
    PriorTreatment.CNS_DISEASE: "cns_disease",
}
RELAPSES = {DiseaseSetting.FIRST_RELAPSE, DiseaseSetting.LATER_RELAPSE}


@dataclass(frozen=True)
class TrialFacts:
    """What the matching reads of a trial: its age limits in years (the registry's texts for the
    reasons) and its confirmed attributes; prior_rules maps a PriorTreatment to a PriorRule,
    evidence an attribute or treatment name to the record's words it rests on."""

    minimum_age_years: Decimal | None = None
    maximum_age_years_exclusive: Decimal | None = None
    minimum_age: str = ""
    maximum_age: str = ""
    age_range: str = ""  # in words, in the page's language: "18 years and over"
    diagnoses: frozenset = frozenset()
    disease_settings: frozenset = frozenset()
    ph_statuses: frozenset = frozenset()
    prior_rules: dict = field(default_factory=dict)
    evidence: dict = field(default_factory=dict)
    # Whether a curator confirmed the attributes: suggestions are not read (they may be wrong).
    confirmed: bool = True


# How a reason is marked, in words as well as in colour.
MARKS = {
    Fit.MAY_FIT: gettext_lazy("Fits:"),
    Fit.ASK_CARE_TEAM: gettext_lazy("Ask:"),
    Fit.PROBABLY_NOT: gettext_lazy("Does not match:"),
}


@dataclass(frozen=True)
class Reason:
    fit: str
    text: str  # plain words, in the page's language
    evidence: str = ""  # the record's own words it rests on (English, as the registry writes)

    @property
    def mark(self):
        return MARKS[self.fit]


@dataclass(frozen=True)
class Verdict:
    fit: str
    reasons: tuple  # of Reason, the weightiest first
    also_ask: tuple = ()  # rules on what the questions do not ask, shown but not counted

    @property
    def rank(self):
        return RANK[self.fit]

    @property
    def deciding(self):
        """The reasons of the verdict's own weight: what decided it, shown first."""
        return [reason for reason in self.reasons if reason.fit == self.fit]

    @property
    def others(self):
        return [reason for reason in self.reasons if reason.fit != self.fit]

    @property
    def label(self):
        return Fit(self.fit).label


def match(answers: Answers, facts: TrialFacts) -> Verdict:
    reasons = [
        reason
        for reason in (
            age_reason(answers.age, facts),
            diagnosis_reason(answers.diagnosis, facts),
            ph_reason(answers.ph_status, facts),
            situation_reason(answers.situation, facts),
            *(
                prior_reason(treatment, getattr(answers, question), facts)
                for treatment, question in ASKED_TREATMENTS.items()
            ),
            unconfirmed_reason(facts),
        )
        if reason is not None
    ]
    reasons.sort(key=lambda reason: -RANK[reason.fit])
    fit = reasons[0].fit if reasons else Fit.MAY_FIT
    return Verdict(fit=Fit(fit), reasons=tuple(reasons), also_ask=tuple(other_rules(facts)))


class Words:
    """A sentence of ours with its values, put into words only when shown: translating is most
    of a match's cost, and the exhaustive tests match a million times without showing one."""

    def __init__(self, sentence, values):
        self.sentence, self.values = sentence, values

    def __str__(self):
        return str(self.sentence) % {name: str(value) for name, value in self.values.items()}

    def __eq__(self, other):
        return str(self) == str(other)

    __hash__ = None


class Listed:
    """Vocabulary values as a list in words: "Newly diagnosed, After a first relapse"."""

    def __init__(self, values, vocabulary):
        self.values, self.vocabulary = values, vocabulary

    def __str__(self):
        return ", ".join(str(self.vocabulary(value).label) for value in sorted(self.values))


def listed(values, vocabulary):
    return Listed(values, vocabulary)


def age_limits_text(facts):
    """The registry's age limits as it writes them, for the evidence."""
    parts = []
    if facts.minimum_age:
        parts.append(f"Minimum age: {facts.minimum_age}")
    if facts.maximum_age:
        parts.append(f"Maximum age: {facts.maximum_age}")
    return "; ".join(parts)


def age_reason(age, facts):
    low, high = facts.minimum_age_years, facts.maximum_age_years_exclusive
    if low is None and high is None:
        return None
    evidence = age_limits_text(facts)
    ages = {"ages": facts.age_range, "age": age}
    if age is None:
        return Reason(
            Fit.ASK_CARE_TEAM,
            Words(_("The trial takes people aged %(ages)s: ask whether the age fits."), ages),
            evidence,
        )
    # A person who is 17 is somewhere from 17 to just under 18.
    youngest, oldest = Decimal(age), Decimal(age + 1)
    if (low is not None and oldest <= low) or (high is not None and youngest >= high):
        return Reason(
            Fit.PROBABLY_NOT,
            Words(_("The trial takes people aged %(ages)s; you said %(age)s."), ages),
            evidence,
        )
    if (low is None or low <= youngest) and (high is None or oldest <= high):
        return Reason(
            Fit.MAY_FIT,
            Words(_("The age fits: the trial takes people aged %(ages)s."), ages),
            evidence,
        )
    return Reason(
        Fit.ASK_CARE_TEAM,
        Words(
            _(
                "The trial takes people aged %(ages)s, and %(age)s is at the edge of that: ask "
                "whether the age on the day of joining fits."
            ),
            ages,
        ),
        evidence,
    )


def diagnosis_reason(answer, facts):
    if not facts.diagnoses:
        return None
    evidence = facts.evidence.get("diagnoses", "")
    words = {"diseases": listed(facts.diagnoses, Diagnosis)}
    if answer == DONT_KNOW:
        return Reason(
            Fit.ASK_CARE_TEAM,
            Words(
                _("The trial is for: %(diseases)s. Ask whether the diagnosis is one of these."),
                words,
            ),
            evidence,
        )
    if answer == Diagnosis.OTHER and answer in facts.diagnoses:
        # "Another disease" on both sides need not be the same disease.
        return Reason(
            Fit.ASK_CARE_TEAM,
            Words(_("The trial is for: %(diseases)s. Ask whether it takes this diagnosis."), words),
            evidence,
        )
    if answer in facts.diagnoses:
        return Reason(Fit.MAY_FIT, Words(_("The trial is for: %(diseases)s."), words), evidence)
    return Reason(
        Fit.PROBABLY_NOT,
        Words(
            _("The trial is for: %(diseases)s; you said: %(answer)s."),
            {**words, "answer": Diagnosis(answer).label},
        ),
        evidence,
    )


def ph_reason(answer, facts):
    if not facts.ph_statuses:
        return None
    evidence = facts.evidence.get("ph_statuses", "")
    words = {"statuses": listed(facts.ph_statuses, PhStatus)}
    # A trial that takes every Ph status needs no answer.
    if answer in facts.ph_statuses or facts.ph_statuses == set(PhStatus):
        return Reason(
            Fit.MAY_FIT,
            Words(_("The trial is for this kind of leukemia: %(statuses)s."), words),
            evidence,
        )
    if answer == DONT_KNOW:
        return Reason(
            Fit.ASK_CARE_TEAM,
            Words(
                _("The trial is for this kind of leukemia: %(statuses)s. Ask about the Ph status."),
                words,
            ),
            evidence,
        )
    # Ph-like leukemia is Ph-negative on the usual test, found by further tests: a trial for the
    # one may or may not take the other.
    if answer == PhStatus.PH_LIKE and PhStatus.NEGATIVE in facts.ph_statuses:
        return Reason(
            Fit.ASK_CARE_TEAM,
            Words(
                _(
                    "The trial is for this kind of leukemia: %(statuses)s. Ph-like leukemia is "
                    "Ph-negative on the usual test: ask whether the trial takes it."
                ),
                words,
            ),
            evidence,
        )
    if answer == PhStatus.NEGATIVE and PhStatus.PH_LIKE in facts.ph_statuses:
        return Reason(
            Fit.ASK_CARE_TEAM,
            Words(
                _(
                    "The trial is for this kind of leukemia: %(statuses)s. Ph-like leukemia is "
                    "found by further tests of Ph-negative leukemia: ask whether they were done."
                ),
                words,
            ),
            evidence,
        )
    return Reason(
        Fit.PROBABLY_NOT,
        Words(
            _("The trial is for this kind of leukemia: %(statuses)s; you said: %(answer)s."),
            {**words, "answer": PhStatus(answer).label},
        ),
        evidence,
    )


def situation_reason(answer, facts):
    settings = facts.disease_settings
    if not settings:
        return None
    evidence = facts.evidence.get("disease_settings", "")
    words = {"settings": listed(settings, DiseaseSetting)}
    if answer == DONT_KNOW and settings == set(DiseaseSetting):  # every answer fits
        return Reason(
            Fit.MAY_FIT,
            Words(_("The trial is for people whose disease is: %(settings)s."), words),
            evidence,
        )
    if answer == DONT_KNOW:
        return Reason(
            Fit.ASK_CARE_TEAM,
            Words(
                _("The trial is for people whose disease is: %(settings)s. Ask which fits."), words
            ),
            evidence,
        )
    fits = SITUATION_FITS[answer] & settings
    if fits == SITUATION_FITS[answer]:
        return Reason(
            Fit.MAY_FIT,
            Words(_("The trial is for people whose disease is: %(settings)s."), words),
            evidence,
        )
    if fits:  # "relapsed", and the trial takes only a first or only a later relapse
        return Reason(
            Fit.ASK_CARE_TEAM,
            Words(
                _(
                    "The trial is for people whose disease is: %(settings)s. Ask whether the "
                    "number of relapses fits."
                ),
                words,
            ),
            evidence,
        )
    if SITUATION_MAY_FIT[answer] & settings:
        return Reason(
            Fit.ASK_CARE_TEAM,
            Words(
                _(
                    "The trial is for people whose disease is: %(settings)s; you said: %(answer)s. "
                    "That may fit too: ask the care team."
                ),
                {**words, "answer": Situation(answer).label},
            ),
            evidence,
        )
    return Reason(
        Fit.PROBABLY_NOT,
        Words(
            _("The trial is for people whose disease is: %(settings)s; you said: %(answer)s."),
            {**words, "answer": Situation(answer).label},
        ),
        evidence,
    )


# The disease settings an answer is, all of which a trial must take for "may fit" ("relapsed"
# without knowing how often is either relapse) ...
SITUATION_FITS = {
    Situation.NEWLY_DIAGNOSED: {DiseaseSetting.NEWLY_DIAGNOSED},
    Situation.MRD_POSITIVE: {DiseaseSetting.MRD_POSITIVE},
    Situation.FIRST_RELAPSE: {DiseaseSetting.FIRST_RELAPSE},
    Situation.LATER_RELAPSE: {DiseaseSetting.LATER_RELAPSE},
    Situation.RELAPSED: RELAPSES,
    Situation.REFRACTORY: {DiseaseSetting.REFRACTORY},
}
# ... and those that may also describe the same person, so that a trial taking only them is a
# question for the care team, not a "no": a relapse may also not respond to treatment, and a
# remission with MRD follows a first treatment or a relapse.
SITUATION_MAY_FIT = {
    Situation.NEWLY_DIAGNOSED: set(),
    Situation.MRD_POSITIVE: {DiseaseSetting.NEWLY_DIAGNOSED, *RELAPSES},
    Situation.FIRST_RELAPSE: {DiseaseSetting.REFRACTORY},
    Situation.LATER_RELAPSE: {DiseaseSetting.REFRACTORY},
    Situation.RELAPSED: {DiseaseSetting.REFRACTORY},
    Situation.REFRACTORY: RELAPSES,
}


# (rule, answer) -> (fit, sentence): what a rule on an earlier treatment says of an answer.
PRIOR_SENTENCES = {
    (PriorRule.REQUIRED, YES): (
        Fit.MAY_FIT,
        gettext_lazy("The trial is for people who have had this: %(thing)s."),
    ),
    (PriorRule.REQUIRED, NO): (
        Fit.PROBABLY_NOT,
        gettext_lazy("The trial is only for people who have had this: %(thing)s."),
    ),
    (PriorRule.REQUIRED, DONT_KNOW): (
        Fit.ASK_CARE_TEAM,
        gettext_lazy("The trial is only for people who have had this: %(thing)s. Ask about it."),
    ),
    (PriorRule.EXCLUDED, YES): (
        Fit.PROBABLY_NOT,
        gettext_lazy("The trial does not take people who have had this: %(thing)s."),
    ),
    (PriorRule.EXCLUDED, NO): (
        Fit.MAY_FIT,
        gettext_lazy("You said no, and the trial does not take people who have had: %(thing)s."),
    ),
    (PriorRule.EXCLUDED, DONT_KNOW): (
        Fit.ASK_CARE_TEAM,
        gettext_lazy(
            "The trial does not take people who have had this: %(thing)s. Ask whether it applies."
        ),
    ),
    (PriorRule.ALLOWED, YES): (
        Fit.MAY_FIT,
        gettext_lazy("The trial allows this: %(thing)s."),
    ),
}


def prior_reason(treatment, answer, facts):
    rule = facts.prior_rules.get(treatment, PriorRule.NOT_STATED)
    found = PRIOR_SENTENCES.get((rule, answer))
    if found is None:  # not stated; or allowed, whatever the answer
        return None
    fit, sentence = found
    return Reason(
        fit,
        Words(sentence, {"thing": PriorTreatment(treatment).label}),
        facts.evidence.get(treatment, ""),
    )


def unconfirmed_reason(facts):
    if facts.confirmed:
        return None
    return Reason(
        Fit.ASK_CARE_TEAM,
        _(
            "Our curators have not yet checked this trial's criteria, so we cannot say more: "
            "ask the care team or the trial team."
        ),
    )


def other_rules(facts):
    """The trial's rules on earlier treatments the questions do not ask about."""
    for treatment in PriorTreatment:
        rule = facts.prior_rules.get(treatment, PriorRule.NOT_STATED)
        if treatment in ASKED_TREATMENTS or rule in (PriorRule.NOT_STATED, PriorRule.ALLOWED):
            continue
        yield Reason(
            Fit.ASK_CARE_TEAM,
            format_lazy("{}: {}", PriorTreatment(treatment).label, PriorRule(rule).label),
            facts.evidence.get(treatment, ""),
        )
