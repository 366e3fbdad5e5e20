"""Small trials built in code, with only the fields a test cares about.

Search, filter and page tests use these rather than the bundled records, so that editing a bundled
record cannot break a test about something else. The bundled records stay the input of import and
fidelity tests (tests/registry/). Made-up trials take NCT IDs in the NCT9... range, far from any
real one, like the synthetic trials; they are not marked synthetic, so that they can be published.

    first = trial(brief_title="Blinatumomab for B-ALL", phases=["PHASE2"])
    trial(sites=[{"city": "Milwaukee", "country": "United States"}], overall_status="RECRUITING")
"""

from itertools import count

from trials.models import (
    Arm,
    Contact,
    GlossaryTerm,
    Intervention,
    Publication,
    PublicationState,
    Site,
    Trial,
)
from trials.parsing import age_bounds
from trials.search.columns import refresh_search_fields

_numbers = count(99_000_001)


def trial(*, sites=(), interventions=(), arms=(), publish=True, **fields):
    """A trial with these fields (the rest empty), its rows, and its search columns built as an
    import builds them. `sites` and `interventions`: dicts of their fields; `arms`: dicts of an
    arm's fields, with `interventions` naming interventions of this trial. Published unless
    `publish` is false."""
    fields.setdefault("nct_id", f"NCT{next(_numbers)}")
    fields.setdefault("brief_title", f"Made-up trial {fields['nct_id']}")
    fields.setdefault(
        "publication_state", PublicationState.PUBLISHED if publish else PublicationState.DRAFT
    )
    low, high = age_bounds(fields.get("minimum_age", ""), fields.get("maximum_age", ""))
    fields.setdefault("minimum_age_years", low)
    fields.setdefault("maximum_age_years_exclusive", high)
    made = Trial.objects.create(**fields)
    for order, values in enumerate(sites):
        site(made, order=order, **values)
    by_name = {}
    for order, values in enumerate(interventions):
        made_intervention = intervention(made, order=order, **values)
        by_name[made_intervention.name] = made_intervention
    for order, values in enumerate(arms):
        arm(made, order=order, **{"interventions": [], **values}, by_name=by_name)
    refresh_search_fields(made)
    return made


def site(trial, **fields):
    """A site of the trial; `latitude` and `longitude` only where the test needs a place."""
    fields.setdefault("facility", "A made-up hospital")
    return Site.objects.create(trial=trial, **fields)


def intervention(trial, **fields):
    fields.setdefault("type", "DRUG")
    fields.setdefault("name", "Blinatumomab")
    return Intervention.objects.create(trial=trial, **fields)


def arm(trial, *, interventions=(), by_name=None, **fields):
    """An arm of the trial, given the names of the trial's interventions it gives."""
    fields.setdefault("label", "Experimental")
    made = Arm.objects.create(trial=trial, **fields)
    by_name = by_name or {i.name: i for i in trial.interventions.all()}
    made.interventions.set([by_name[name] for name in interventions])
    return made


# Rows the trial page shows beside the trial's own fields (tests/pages/*_made_up.py).


def contact(trial, **fields):
    """A contact of the trial: a central one, or with `site` a contact of that site."""
    fields.setdefault("kind", Contact.Kind.SITE if fields.get("site") else Contact.Kind.CENTRAL)
    fields.setdefault("name", "A made-up contact")
    return Contact.objects.create(trial=trial, **fields)


def publication(trial, **fields):
    fields.setdefault("citation", "A made-up paper about a made-up trial. J Examples. 2000.")
    return Publication.objects.create(trial=trial, **fields)


def glossary_term(term, definition, **fields):
    """A word the trial pages explain at its first use; `also_matches`: its other forms."""
    return GlossaryTerm.objects.create(term=term, definition=definition, **fields)
