"""The import's suggestions for a trial's curated attributes (trials/models/attributes.py).

Simple rules, one per attribute, read the record's own words: the titles, conditions and keywords
say the disease, its setting and the Ph status; the age limits say the populations; the arms and
interventions that name blinatumomab say its role and route; the eligibility criteria say, line by
line, whether an earlier treatment is required, allowed or excluded. Each value comes with the
words it rests on (the evidence a curator reads before confirming). What the record does not say
stays empty: "not stated". A curator confirms or corrects the suggestions in the admin; a
confirmed trial's values are never overwritten by an import.

`data/attributes.json` holds the confirmed values of the bundled trials, read from their records
by our curators; `apply_curated` writes them as confirmed.
"""

import datetime
import json
import re
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Subquery

from .. import models as m
from ..models.attributes import (
    POPULATION_AGES,
    AttributeState,
    BlinatumomabRole,
    BlinatumomabRoute,
    Diagnosis,
    DiseaseSetting,
    PhStatus,
    PriorRule,
    PriorTreatment,
)
from .writer import history_model


def words(pattern):
    return re.compile(pattern, re.IGNORECASE)


# What the titles, conditions and keywords say: each value and the words that say it.
DIAGNOSIS_WORDS = {
    Diagnosis.B_ALL: words(
        r"\bB[- ]?(cell |lineage |precursor )?(acute )?lymphoblastic leuk\w+"
        r"|\bB[- ]precursor ALL\b|\bB-ALL\b|precursor[- ]B\w*[- ]acute lymphoblastic"
        r"|acute lymphoblastic leuk\w+|acute lymphoid leuk\w+|\bALL\b"
    ),
    Diagnosis.B_LYMPHOMA: words(
        r"non[- ]hodgkin'?s? lymphoma|\bB[- ]cell (non[- ]hodgkin )?lymphoma|large B[- ]cell"
        r"|\bDLBCL\b|follicular lymphoma|burkitt\w* lymphoma|mantle[- ]cell lymphoma"
        r"|\bB[- ](cell )?lymphoblastic lymphoma|\bNHL\b|lymphoma, B[- ]cell"
    ),
}
SETTING_WORDS = {
    DiseaseSetting.NEWLY_DIAGNOSED: words(
        r"newly[- ]diagnosed|front[- ]?line|first[- ]line|de novo|previously untreated"
    ),
    DiseaseSetting.MRD_POSITIVE: words(
        r"(minimal|measurable) residual disease|\bMRD[- ]?(positive|\+)|\bMRD\b(?! response)"
    ),
    DiseaseSetting.FIRST_RELAPSE: words(r"first relapse|relapsed|recurrent|\brelapse\b"),
    DiseaseSetting.LATER_RELAPSE: words(
        r"second (or (later|greater|subsequent) )?relapse|later relapse|relapsed|recurrent"
        r"|(?<!first )\brelapse\b"
    ),
    DiseaseSetting.REFRACTORY: words(r"refractory"),
}
# Told apart from "relapsed" alone, which says any relapse: a first relapse is not a later one.
ONLY_FIRST_RELAPSE = words(r"first relapse")
PH_WORDS = {
    PhStatus.POSITIVE: words(
        r"philadelphia[- ]chromosome[- ]positive|philadelphia[- ]positive|\bPh\+|\bPh[- ]positive"
        r"|BCR[- ]ABL1?[- ](fusion )?positive|t\(9;22\)"
    ),
    PhStatus.NEGATIVE: words(
        r"philadelphia[- ]chromosome[- ]negative|philadelphia[- ]negative|\bPh[- ]negative"
        r"|\bPh[−-](?![- ]?like)(?=[\s,;)]|$)|BCR[- ]ABL1?[- ]negative"
    ),
    PhStatus.PH_LIKE: words(r"\bPh[- ]like|philadelphia[- ](chromosome[- ])?like"),
}

# What the arms and interventions that give blinatumomab say of how it is used and given.
BLINATUMOMAB = words(r"blinatumomab|\bblina\b|\bMT103\b|\bAMG ?103\b|blincyto")
TKI = words(r"\b(dasatinib|imatinib|ponatinib|nilotinib|bosutinib|olverembatinib)\b")
OTHER_DRUG = words(
    r"\b(pembrolizumab|nivolumab|ipilimumab|lenalidomide|inotuzumab|ibrutinib|rituximab"
    r"|venetoclax|navitoclax|bortezomib|atezolizumab)\b"
)
CHEMOTHERAPY = words(
    r"chemotherap\w+|\b(cyclophosphamide|cytarabine|methotrexate|vincristine|daunorubicin"
    r"|doxorubicin|idarubicin|etoposide|asparaginase|pegaspargase|mercaptopurine|thioguanine"
    r"|ifosfamide|mitoxantrone|clofarabine|fludarabine|nelarabine|hyper-?CVAD|POMP|"
    r"mini-?hyper-?CVD)\b"
)
BRIDGE = words(
    r"\bbridg\w*|(then|subsequently) (undergo|proceed)\w*[^.;]{0,30}(transplant\w*|HSCT|SCT|HCT)"
    r"|(before|prior to|followed by)[^.;]{0,30}(transplant\w*|HSCT|\bSCT\b|\bHCT\b)"
)
MAINTENANCE = words(r"maintenance|consolidation")
CONTINUOUS = words(
    r"continuous(ly)?[- ](intravenous|IV)\w*( infusion)?|\bc?IVI?\b continuously|\bCIVI?\b"
    r"|\bcIV\b|continuous infusion|IV (continuously|nonstop)|intravenous(ly)?( infusion)?|\bIV\b"
)
UNDER_THE_SKIN = words(r"subcutaneous\w*|\bSC\b|\bSQ\b|under the skin")

# What the eligibility criteria say of earlier treatments, line by line. A drug counts where the
# line speaks of having had it ("prior blinatumomab", "treated with inotuzumab"), not of the
# study's own treatment ("two weeks prior to blinatumomab"); CNS disease is leukemia there, not
# any illness of the brain ("CNS pathology such as epilepsy").
EARLIER = (
    r"(\bprior\b(?! to)|previous\w*|earlier|received|treated with|treatment with|exposure to"
    r"|history of)[^.;]{0,50}"
)
# A transplant also counts "within 100 days", "after" or "post" one.
EARLIER_TRANSPLANT = (
    r"(\bprior\b(?! to)|previous\w*|earlier|received|history of|within|after|following"
    r"|post[- ]?|undergone)[^.;]{0,50}"
)
PRIOR_WORDS = {
    PriorTreatment.BLINATUMOMAB: words(
        EARLIER + r"(blinatumomab|\bBiTE\b|anti-?CD19|CD19[- ]direct)"
    ),
    PriorTreatment.TRANSPLANT: words(
        EARLIER_TRANSPLANT + r"(transplant\w*|\bHSCT\b|\balloHSCT\b|\ballo-?SCT\b|\bSCT\b|\bHCT\b)"
    ),
    PriorTreatment.CAR_T: words(EARLIER + r"((?-i:\bCAR[- ]?T\b)|chimeric antigen receptor)"),
    PriorTreatment.INOTUZUMAB: words(EARLIER + r"inotuzumab"),
    PriorTreatment.CNS_DISEASE: words(
        r"(\bCNS\b|central nervous system)\)?[^.;]{0,30}(involvement|disease|leuk\w*|relapse"
        r"|status|\b[123]\b)|\bCNS ?[123]\b|leptomeningeal|meningeal (leuk\w+|disease)"
        r"|in the (\bCNS\b|central nervous system|CSF|cerebrospinal)"
    ),
}
NOT_PERMITTED = words(r"\bnot (be )?(allowed|permitted|eligible)\b")
NOT = words(r"\b(no|not|never|without|must not|ineligible|excluded)\b")
PERMITTED = words(r"\b(allowed|permitted|eligible|may have|regardless)\b")
HEADING = words(r"^(inclusion|exclusion) criteria:?")


@dataclass
class Suggestion:
    """The values the record suggests: attribute -> list, treatment -> rule, name -> evidence."""

    lists: dict = field(default_factory=dict)
    priors: dict = field(default_factory=dict)
    evidence: dict = field(default_factory=dict)

    def add(self, name, value, said):
        values = self.lists.setdefault(name, [])
        if value not in values:
            values.append(value)
            self.evidence.setdefault(name, [])
            if said not in self.evidence[name]:
                self.evidence[name].append(said)


def suggest(trial):
    """What the trial's record says of each attribute (a Suggestion); reads its arms and
    interventions, so the trial must be saved."""
    found = Suggestion()
    described = [trial.brief_title, trial.official_title, *trial.conditions, *trial.keywords]
    for name, table in (
        ("diagnoses", DIAGNOSIS_WORDS),
        ("disease_settings", SETTING_WORDS),
        ("ph_statuses", PH_WORDS),
    ):
        for value, pattern in table.items():
            said = first_match(pattern, described)
            if said:
                found.add(name, value, said)
    drop_later_relapse_if_only_first(found, described)
    suggest_populations(trial, found)
    suggest_blinatumomab(trial, found)
    suggest_priors(trial.eligibility_criteria, found)
    for name, said in found.evidence.items():
        found.evidence[name] = "; ".join(said)
    return found


def first_match(pattern, texts):
    for text in texts:
        match = pattern.search(text or "")
        if match:
            return quote(text, match)
    return ""


def quote(text, match, room=80):
    """The words around a match, as the record writes them, cut between words."""
    start, end = max(0, match.start() - room), min(len(text), match.end() + room)
    if start:
        start = text.find(" ", start, match.start()) + 1 or start
    if end < len(text):
        end = text.rfind(" ", match.end(), end) if " " in text[match.end() : end] else end
    return ("…" if start else "") + text[start:end].strip() + ("…" if end < len(text) else "")


def drop_later_relapse_if_only_first(found, described):
    # "High-risk first relapse" says a first relapse only; "relapsed" alone says any relapse.
    settings = found.lists.get("disease_settings", [])
    if DiseaseSetting.LATER_RELAPSE not in settings:
        return
    text = " ".join(t or "" for t in described)
    general = re.sub(ONLY_FIRST_RELAPSE, "", text)
    if ONLY_FIRST_RELAPSE.search(text) and not SETTING_WORDS[DiseaseSetting.LATER_RELAPSE].search(
        general
    ):
        settings.remove(DiseaseSetting.LATER_RELAPSE)


def suggest_populations(trial, found):
    """Each population whose ages overlap the trial's limits; none when it states no limit."""
    low, high = trial.minimum_age_years, trial.maximum_age_years_exclusive
    if low is None and high is None:
        return
    said = " to ".join(a for a in (trial.minimum_age, trial.maximum_age) if a) + (
        " (no upper limit)" if high is None else " (no lower limit)" if low is None else ""
    )
    for population, (start, end) in POPULATION_AGES.items():
        below = end is None or low is None or low < end
        above = start is None or high is None or high > start
        if below and above:
            found.add("populations", population, said)


def blinatumomab_texts(trial):
    """What the record says where it gives blinatumomab: its interventions' names and
    descriptions, and each arm that gives it (label, description, its other interventions)."""
    own = [
        f"{i.name}: {i.description}"
        for i in trial.interventions.all()
        if BLINATUMOMAB.search(i.name) or any(BLINATUMOMAB.search(n) for n in i.other_names)
    ]
    arms = []
    for arm in trial.arms.prefetch_related("interventions"):
        given = [i.name for i in arm.interventions.all()]
        text = f"{arm.label}: {arm.description}"
        if BLINATUMOMAB.search(text) or any(BLINATUMOMAB.search(n) for n in given):
            arms.append(f"{text} ({', '.join(given)})" if given else text)
    return own, arms


def suggest_blinatumomab(trial, found):
    own, arms = blinatumomab_texts(trial)
    given_with = arms or own
    for text in given_with:
        roles = [
            (BlinatumomabRole.WITH_TKI, TKI),
            (BlinatumomabRole.WITH_OTHER, OTHER_DRUG),
            (BlinatumomabRole.WITH_CHEMOTHERAPY, CHEMOTHERAPY),
        ]
        alone = True
        for role, pattern in roles:
            match = pattern.search(text)
            if match:
                found.add("blinatumomab_roles", role, quote(text, match))
                alone = False
        if alone and arms:
            found.add("blinatumomab_roles", BlinatumomabRole.ALONE, text[:200])
    titles = [trial.brief_title, trial.official_title]
    for role, pattern in (
        (BlinatumomabRole.BRIDGE_TO_TRANSPLANT, BRIDGE),
        (BlinatumomabRole.MAINTENANCE, MAINTENANCE),
    ):
        said = first_match(pattern, [*titles, *own, *arms])
        if said:
            found.add("blinatumomab_roles", role, said)
    # The route: from the words beside "blinatumomab" only, not another drug's route.
    beside = [
        part for text in [*own, *arms, *titles] for part in clauses_naming_blinatumomab(text or "")
    ]
    for route, pattern in (
        (BlinatumomabRoute.SUBCUTANEOUS, UNDER_THE_SKIN),
        (BlinatumomabRoute.CONTINUOUS_INFUSION, CONTINUOUS),
    ):
        said = first_match(pattern, beside)
        if said:
            found.add("blinatumomab_routes", route, said)


def clauses_naming_blinatumomab(text):
    """The clauses of a text (split at full stops and semicolons) that name blinatumomab, or the
    whole text of a blinatumomab intervention (its name says it)."""
    if BLINATUMOMAB.match(text):
        return [text]
    return [c for c in re.split(r"(?<=[.;])\s+", text) if BLINATUMOMAB.search(c)]


def suggest_priors(criteria, found):
    """Per earlier treatment, what the criteria's sentences say. One under "Exclusion criteria"
    excludes unless it permits; one under inclusion requires unless it permits or negates. The
    strongest wins: excluded, then required, then allowed."""
    excluding = False
    strength = {PriorRule.EXCLUDED: 3, PriorRule.REQUIRED: 2, PriorRule.ALLOWED: 1}
    for line in (criteria or "").splitlines():
        line = line.strip(" \t*-•")
        heading = HEADING.match(line)
        if heading:
            excluding = heading.group(1).lower() == "exclusion"
            line = line[heading.end() :].strip()
        for sentence in re.split(r"(?<=[.;])\s+", line):
            for treatment, pattern in PRIOR_WORDS.items():
                if pattern.search(sentence):
                    rule = prior_rule(sentence, excluding=excluding)
                    known = found.priors.get(treatment)
                    if known is None or strength[rule] > strength[known]:
                        found.priors[treatment] = rule
                        found.evidence[treatment] = [sentence[:400]]


def prior_rule(sentence, *, excluding):
    if NOT_PERMITTED.search(sentence):
        return PriorRule.EXCLUDED
    if PERMITTED.search(sentence):
        return PriorRule.ALLOWED
    if excluding or NOT.search(sentence):
        return PriorRule.EXCLUDED
    return PriorRule.REQUIRED


def write_suggestions(trial, *, created):
    """Set what the record suggests on a trial not yet confirmed (a curator's word wins over the
    record's), on the import's entry in its history and in its prior-treatment rules; returns
    the names of the trial's fields set, for the import's last write of the trial to store."""
    if trial.attributes_state == AttributeState.CONFIRMED:
        return []
    found = suggest(trial)
    for name in m.LIST_ATTRIBUTES:
        setattr(trial, name, found.lists.get(name, []))
    trial.attributes_evidence = found.evidence
    trial.attributes_state = AttributeState.SUGGESTED
    changed = [*m.LIST_ATTRIBUTES, "attributes_evidence", "attributes_state"]
    # Part of the import that wrote the record: its entry in the history carries them, rather
    # than a second entry of its own.
    entries = history_model(m.Trial).objects.filter(id=trial.pk)
    latest = entries.order_by("-history_id").values("history_id")[:1]
    entries.filter(history_id=Subquery(latest)).update(
        **{name: getattr(trial, name) for name in changed}
    )
    if not created:  # a new trial has no rules to replace
        trial.prior_treatment_rules.all().delete()
    m.PriorTreatmentRule.objects.bulk_create(
        m.PriorTreatmentRule(
            trial=trial, treatment=treatment, rule=rule, evidence=found.evidence.get(treatment, "")
        )
        for treatment, rule in found.priors.items()
    )
    return changed


# The bundled trials' confirmed values (data/attributes.json)


def apply_curated(path):
    """Write the confirmed attributes of data/attributes.json onto the trials it names that
    exist and that no curator has confirmed here; returns the NCT IDs written."""
    curated = json.loads(path.read_text(encoding="utf-8"))
    written = []
    unconfirmed = m.Trial.objects.filter(nct_id__in=curated).exclude(
        attributes_state=AttributeState.CONFIRMED
    )
    for trial in unconfirmed:
        write_confirmed(trial, curated[trial.nct_id])
        written.append(trial.nct_id)
    return written


@transaction.atomic
def write_confirmed(trial, values):
    for name, vocabulary in m.LIST_ATTRIBUTES.items():
        setattr(trial, name, [vocabulary(v).value for v in values.get(name, [])])
    trial.attributes_evidence = values.get("evidence", {})
    trial.attributes_state = AttributeState.CONFIRMED
    trial.attributes_confirmed_by = values.get("confirmed_by", "")
    trial.attributes_confirmed_on = datetime.date.fromisoformat(values["confirmed_on"])
    trial._change_reason = "Confirmed attributes from data/attributes.json"
    trial.save()
    trial.prior_treatment_rules.all().delete()
    m.PriorTreatmentRule.objects.bulk_create(
        m.PriorTreatmentRule(
            trial=trial,
            treatment=PriorTreatment(treatment).value,
            rule=PriorRule(rule).value,
            evidence=values.get("evidence", {}).get(treatment, ""),
        )
        for treatment, rule in values.get("prior_treatments", {}).items()
        if rule != PriorRule.NOT_STATED
    )
