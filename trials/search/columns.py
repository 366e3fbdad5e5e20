"""Each trial keeps its searchable text in four columns, grouped by how much a match there should
count (titles and IDs most), and what the result cards show of its sites. Rebuilt from the trial
and its rows by refresh_search_fields() (imports, curators' saves) and by the synthetic trials'
generator, both through derived_columns().
"""

import re

from django.contrib.postgres.search import SearchVector
from django.db import connection
from django.db.models import F, Q, TextField, Value
from django.db.models.functions import Lower

from ..models import DrugApproval, Intervention, OutcomeMeasure, SearchTerm, Trial
from ..models.translation import TRANSLATED
from .variants import BRITISH_STEMS, american

CONFIG = "english"
SPANISH = "spanish"
SPANISH_COLUMNS = ("plain_title_es", "plain_summary_es", "plain_eligibility_es")
WORD = re.compile(r"[^\W_]{4,}")  # words worth remembering as terms for spelling suggestions


def is_postgresql():
    return connection.vendor == "postgresql"


def trial_drugs(intervention_names, titles, known_drugs):
    """The drugs a trial is about: its interventions' names, then each known drug (the drug
    approvals') that its titles name as a whole word, since a registry study may list no
    intervention. The trial's page shows these drugs' approvals; search finds the trial by them."""
    return [*intervention_names, *(drug for drug in known_drugs if names_word(titles, drug))]


def names_word(text, word):
    """Whether `word` stands in `text` as a whole word (or words), whatever the case."""
    return re.search(rf"(?<!\w){re.escape(word)}(?!\w)", text, re.IGNORECASE) is not None


def drug_aliases(names, approvals):
    """Every other name any record gives for these intervention names, and brand names from the
    drug approvals ((drug, brand name) pairs), so that "Blincyto" finds a trial whose record only
    says "Blinatumomab"."""
    lowered = {name.lower() for name in names}
    aliases = set()
    # The database narrows to these names first: reading every intervention of the catalogue
    # into Python made each curator's save take over 30 s at 50,000 trials (bench/LOAD.md).
    # SQLite's lower() folds only ASCII, so exact spellings are asked for too; the rule itself
    # stays Python's lower() below.
    candidates = Intervention.objects.annotate(lower_name=Lower("name")).filter(
        Q(lower_name__in=lowered) | Q(name__in=names)
    )
    for name, other_names in candidates.values_list("name", "other_names"):
        if name.lower() in lowered:
            aliases.update(other_names)
    for drug, brand in approvals:
        if drug.lower() in lowered and brand:
            aliases.add(brand)
    return sorted(aliases)


def derived_columns(
    trial,
    *,
    interventions,
    known_drugs,
    aliases_of,
    secondary_ids,
    collaborators,
    officials,
    sites,
    outcome_titles=(),
):
    """The columns rebuilt from a trial and its rows (models.trial.DERIVED_COLUMNS), as a dict.

    `trial`: the trial's fields by name (a missing one counts as empty); `interventions`: dicts
    with name, other_names and type; `known_drugs`: the drugs approvals name; `aliases_of`: names
    -> their other names; `officials`: (name, affiliation) pairs; `sites`: dicts with facility,
    city, state and country; `outcome_titles`: its posted results' outcome measures' titles."""
    text = trial.get
    titles = f"{text('brief_title', '')} {text('official_title', '')}"
    names = trial_drugs([i["name"] for i in interventions], titles, known_drugs)
    other_names = [n for i in interventions for n in i["other_names"]]
    places = {
        part for site in sites for part in (site["facility"], site["city"], site["state"]) if part
    }
    columns = {
        "search_primary": join(
            text("brief_title"),
            text("official_title"),
            text("acronym"),
            *translations(text, "plain_title"),
            text("nct_id"),
            text("org_study_id"),
            *text("nct_id_aliases", ()),
            *secondary_ids,
        ),
        "search_secondary": join(
            *text("conditions", ()),
            *text("keywords", ()),
            *names,
            *other_names,
            *aliases_of(names),
        ),
        "search_tertiary": join(
            text("brief_summary"),
            *translations(text, "plain_summary"),
            text("lead_sponsor_name"),
            *collaborators,
            *[f"{name} {affiliation}" for name, affiliation in officials],
            text("responsible_party_investigator_name"),
            text("responsible_party_investigator_affiliation"),
            # What a trial measured and posted results for ("Overall Survival"): a family may
            # search for that.
            *outcome_titles,
        ),
        "search_other": join(text("detailed_description"), *sorted(places)),
        "site_count": len(sites),
        "site_countries": sorted({site["country"] for site in sites if site["country"]}),
        "intervention_types": sorted({i["type"] for i in interventions if i["type"]}),
    }
    return columns


def translations(text, name):
    """A curated field in English and as curators translated it (reviewed or not: it finds the
    trial, the page shows it only once reviewed). A dict without the languages gives the field."""
    return [text(name), *(text(f"{name}_{code}") for code in ("es", "zh_hans"))]


TRIAL_TEXT = [
    "brief_title",
    "official_title",
    "acronym",
    "plain_title",
    "nct_id",
    "org_study_id",
    "nct_id_aliases",
    "conditions",
    "keywords",
    "brief_summary",
    "plain_summary",
    "lead_sponsor_name",
    "responsible_party_investigator_name",
    "responsible_party_investigator_affiliation",
    "detailed_description",
]


def refresh_search_fields(trial, *, also=()):
    """Rebuild a trial's searchable text and what the result cards show of its sites, and write
    them with the trial's fields named in `also`, in one statement that moves its version on.
    An update, not a save: these columns are no change of their own (the history leaves them
    out), and a save would read the version first and need a second statement for the vector."""
    approvals = list(DrugApproval.objects.values_list("drug", "brand_name"))
    columns = derived_columns(
        {**{name: getattr(trial, name) for name in TRIAL_TEXT}, **curated_text(trial)},
        interventions=list(trial.interventions.values("name", "other_names", "type")),
        known_drugs=[drug for drug, _ in approvals],
        aliases_of=lambda names: drug_aliases(names, approvals),
        secondary_ids=trial.secondary_ids.values_list("identifier", flat=True),
        collaborators=trial.collaborators.values_list("name", flat=True),
        officials=[(official.name, official.affiliation) for official in trial.officials.all()],
        sites=list(trial.sites.values("facility", "city", "state", "country")),
        # Asked only of a trial with results, so the others' saves take no extra query.
        outcome_titles=OutcomeMeasure.objects.filter(results__trial=trial).values_list(
            "title", flat=True
        )
        if trial.has_results
        else (),
    )
    for name, value in columns.items():
        setattr(trial, name, value)
    values = {**columns, **{name: getattr(trial, name) for name in also}}
    if is_postgresql():
        values["search_vector"] = weighted_vector(columns)
    Trial.objects.filter(pk=trial.pk).update(**values, version=F("version") + 1)
    trial.version += 1  # at least the stored one: Trial.save takes the larger of the two
    remember_terms(trial.search_primary, trial.search_secondary)


def curated_text(trial):
    """The curated fields searched, by column: plain_title is its English whatever the language
    of the request (modeltranslation reads the request's language), then each translation."""
    names = [name for name in TRIAL_TEXT if name in TRANSLATED["trial"]]
    return {
        **{name: getattr(trial, f"{name}_en") for name in names},
        **{
            f"{name}_{code}": getattr(trial, f"{name}_{code}")
            for name in names
            for code in ("es", "zh_hans")
        },
    }


def weighted_vector(columns=None):
    """The search vector of the four search columns, from `columns` (their new values, for the
    statement that writes them: its SET reads the row as it was) or else from the stored row."""

    def column(name):
        return Value(columns[name], output_field=TextField()) if columns else name

    return (
        SearchVector(column("search_primary"), weight="A", config=CONFIG)
        + SearchVector(column("search_secondary"), weight="B", config=CONFIG)
        + SearchVector(column("search_tertiary"), weight="C", config=CONFIG)
        + SearchVector(column("search_other"), weight="D", config=CONFIG)
        # The curators' Spanish, stemmed as Spanish: "recaídas" finds "recaída".
        + SearchVector(*SPANISH_COLUMNS, weight="C", config=SPANISH)
    )


def join(*parts):
    """The parts, one a line, and after them, in American spelling, each line that has a British
    word: whole lines, so that phrases match too ("acute lymphoblastic leukaemia" is found by the
    phrase "acute lymphoblastic leukemia" that a search for "ALL" asks for)."""
    text = "\n".join(part for part in parts if part)
    lowered = text.lower()
    if not any(stem in lowered for stem in BRITISH_STEMS):
        return text  # most texts: a substring test per stem is far quicker than the pattern
    variants = [american(line) for line in text.split("\n") if american(line) != line.lower()]
    return "\n".join([text, *variants]) if variants else text


def remember_terms(*texts):
    """Words from titles, conditions and interventions: the vocabulary a misspelled query is
    corrected against."""
    words = {word.lower() for text in texts for word in WORD.findall(text)}
    SearchTerm.objects.bulk_create(
        [SearchTerm(word=word) for word in words if len(word) <= 60], ignore_conflicts=True
    )
