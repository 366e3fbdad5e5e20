"""A trial's structured criteria as a checklist, in plain words, for its page."""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from ..models.attributes import LIST_ATTRIBUTES, AttributeState, PriorRule, PriorTreatment

# What each list attribute is, as a family would ask it.
HEADINGS = {
    "diagnoses": _("Diagnosis"),
    "disease_settings": _("Where the disease stands"),
    "ph_statuses": _("Philadelphia chromosome (Ph)"),
    "populations": _("Age groups"),
    "blinatumomab_roles": _("How blinatumomab is used"),
    "blinatumomab_routes": _("How blinatumomab is given"),
}


@dataclass(frozen=True)
class Item:
    heading: str
    values: tuple  # plain words; empty: the record does not say
    evidence: str = ""  # the record's own words (English)


def checklist(trial):
    """[Item] for a trial whose attributes a curator confirmed, else None: a suggestion of the
    import is not shown to families as the trial's criteria."""
    if trial.attributes_state != AttributeState.CONFIRMED:
        return None
    evidence = trial.attributes_evidence or {}
    items = [
        Item(
            heading=HEADINGS[name],
            values=tuple(vocabulary(value).label for value in getattr(trial, name)),
            evidence=evidence.get(name, ""),
        )
        for name, vocabulary in LIST_ATTRIBUTES.items()
    ]
    rules = {rule.treatment: rule for rule in trial.prior_treatment_rules.all()}
    for treatment in PriorTreatment:
        rule = rules.get(treatment)
        stated = rule is not None and rule.rule != PriorRule.NOT_STATED
        items.append(
            Item(
                heading=treatment.label,
                values=(PriorRule(rule.rule).label,) if stated else (),
                evidence=(rule.evidence or evidence.get(treatment, "")) if rule else "",
            )
        )
    return items
