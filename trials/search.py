"""Text search over trials, on PostgreSQL at its best and on SQLite in plain form.

Each trial keeps its searchable text in four columns, grouped by how much a match there should
count (titles and IDs most). PostgreSQL builds a weighted, stemmed search vector from them (GIN
indexed) and answers websearch syntax with ranking, highlighted excerpts and a trigram spelling
fallback. SQLite requires every word to appear somewhere in the same columns. The page looks the
same on both.
"""

import re
import unicodedata
from dataclasses import dataclass, field

from django.contrib.postgres.search import (
    SearchHeadline,
    SearchQuery,
    SearchRank,
    SearchVector,
)
from django.db import connection
from django.db.models import F, Q
from django.utils.html import escape
from django.utils.safestring import mark_safe

from .models import DrugApproval, Intervention, SearchTerm, Trial

CONFIG = "english"
MAX_QUERY_LENGTH = 200
# Markers ts_headline puts around matches; the text is escaped before they become <mark>.
START, STOP = "\x02", "\x03"


def is_postgresql():
    return connection.vendor == "postgresql"


# Keeping the search columns up to date


def drug_aliases(names):
    """Every other name any record gives for these intervention names, and brand names from the
    drug approvals, so that "Blincyto" finds a trial whose record only says "Blinatumomab"."""
    lowered = {name.lower() for name in names}
    aliases = set()
    for name, other_names in Intervention.objects.values_list("name", "other_names"):
        if name.lower() in lowered:
            aliases.update(other_names)
    for drug, brand in DrugApproval.objects.values_list("drug", "brand_name"):
        if drug.lower() in lowered and brand:
            aliases.add(brand)
    return sorted(aliases)


def refresh_search_fields(trial):
    """Rebuild a trial's searchable text and what the result cards show of its sites."""
    interventions = list(trial.interventions.all())
    titles = f"{trial.brief_title} {trial.official_title}".lower()
    # Drugs named in the titles count too: a registry study may list no intervention.
    named_drugs = [
        d for d in DrugApproval.objects.values_list("drug", flat=True) if d.lower() in titles
    ]
    names = [i.name for i in interventions] + named_drugs
    other_names = [n for i in interventions for n in i.other_names]
    sites = list(trial.sites.all())
    trial.search_primary = join(
        trial.brief_title,
        trial.official_title,
        trial.acronym,
        trial.plain_title,
        trial.nct_id,
        trial.org_study_id,
        *trial.nct_id_aliases,
        *trial.secondary_ids.values_list("identifier", flat=True),
    )
    trial.search_secondary = join(
        *trial.conditions,
        *trial.keywords,
        *names,
        *other_names,
        *drug_aliases(names),
    )
    trial.search_tertiary = join(
        trial.brief_summary,
        trial.plain_summary,
        trial.lead_sponsor_name,
        *trial.collaborators.values_list("name", flat=True),
        *[f"{official.name} {official.affiliation}" for official in trial.officials.all()],
        trial.responsible_party_investigator_name,
        trial.responsible_party_investigator_affiliation,
    )
    places = {part for site in sites for part in (site.facility, site.city, site.state) if part}
    trial.search_other = join(trial.detailed_description, *sorted(places))
    trial.site_count = len(sites)
    trial.site_countries = sorted({site.country for site in sites if site.country})
    trial.intervention_types = sorted({i.type for i in interventions if i.type})
    trial.save(
        update_fields=[
            "intervention_types",
            "search_primary",
            "search_secondary",
            "search_tertiary",
            "search_other",
            "site_count",
            "site_countries",
        ]
    )
    if is_postgresql():
        Trial.objects.filter(pk=trial.pk).update(search_vector=weighted_vector())
    remember_terms(trial.search_primary, trial.search_secondary)


def weighted_vector():
    return (
        SearchVector("search_primary", weight="A", config=CONFIG)
        + SearchVector("search_secondary", weight="B", config=CONFIG)
        + SearchVector("search_tertiary", weight="C", config=CONFIG)
        + SearchVector("search_other", weight="D", config=CONFIG)
    )


def join(*parts):
    text = "\n".join(part for part in parts if part)
    variants = sorted(
        {american(word) for word in WORD.findall(text) if american(word) != word.lower()}
    )
    return "\n".join([text, *variants]) if variants else text


# British and American medical spellings find each other: the index holds the American form of
# every British word beside it, and queries are read in American spelling.
BRITISH_STEMS = {
    "leukaem": "leukem",
    "anaem": "anem",
    "haem": "hem",
    "aemia": "emia",
    "oedem": "edem",
    "oesophag": "esophag",
    "oestr": "estr",
    "paediatr": "pediatr",
    "paed": "ped",
    "tumour": "tumor",
    "foet": "fet",
    "randomis": "randomiz",
    "centre": "center",
    "behaviour": "behavior",
    "gynaec": "gynec",
    "ischaem": "ischem",
    "orthopaed": "orthoped",
}
BRITISH = re.compile("|".join(sorted(BRITISH_STEMS, key=len, reverse=True)), re.IGNORECASE)


def american(word):
    return BRITISH.sub(lambda match: BRITISH_STEMS[match.group(0).lower()], word.lower())


WORD = re.compile(r"[^\W_]{4,}")  # words worth indexing as spelling variants and terms


def remember_terms(*texts):
    """Words from titles, conditions and interventions: the vocabulary a misspelled query is
    corrected against."""
    words = {word.lower() for text in texts for word in WORD.findall(text)}
    SearchTerm.objects.bulk_create(
        [SearchTerm(word=word) for word in words if len(word) <= 60], ignore_conflicts=True
    )


# Reading a query


@dataclass
class Query:
    text: str = ""
    terms: list = field(default_factory=list)  # words and "quoted phrases" every trial must have
    excluded: list = field(default_factory=list)  # -words no trial may have
    notes: list = field(default_factory=list)

    def __bool__(self):
        return bool(self.terms or self.excluded)


def clean_query(raw):
    """The q parameter as typed -> a Query; never fails. Overlong input is cut with a note."""
    text = unicodedata.normalize("NFC", raw or "").replace("\x00", "")
    text = BRITISH.sub(lambda match: BRITISH_STEMS[match.group(0).lower()], " ".join(text.split()))
    notes = []
    if len(text) > MAX_QUERY_LENGTH:
        text = text[:MAX_QUERY_LENGTH].rsplit(" ", 1)[0]
        notes.append(
            f"Your search was long, so only its first {MAX_QUERY_LENGTH} characters were used."
        )
    terms, excluded = [], []
    for phrase, word in re.findall(r'"([^"]*)"|(\S+)', text):
        if phrase.strip():
            terms.append(phrase.strip())
        elif word.lower() == "or":
            continue  # SQLite has no "or"; PostgreSQL reads the raw text itself
        elif word.startswith("-") and len(word) > 1:
            excluded.append(word[1:])
        elif word.strip('"'):
            terms.append(word.strip('"'))
    return Query(text=text, terms=terms, excluded=excluded, notes=notes)


# Searching


def search(trials, query):
    """Trials matching the query, annotated for ranking (rank) on PostgreSQL."""
    if not query:
        return trials
    if is_postgresql():
        search_query = SearchQuery(query.text, search_type="websearch", config=CONFIG)
        return trials.filter(search_vector=search_query).annotate(
            rank=SearchRank(F("search_vector"), search_query)
        )
    return trials.filter(sqlite_condition(query))


SEARCH_COLUMNS = ("search_primary", "search_secondary", "search_tertiary", "search_other")


def sqlite_condition(query):
    condition = Q()
    for term in query.terms:
        condition &= any_column(term)
    for term in query.excluded:
        condition &= ~any_column(term)
    return condition


def any_column(term):
    found = Q()
    for column in SEARCH_COLUMNS:
        found |= Q(**{f"{column}__icontains": term})
    return found


def suggest_spelling(query, trials):
    """A corrected query when the words as typed find nothing (PostgreSQL, trigram similarity):
    "blinatumumab leukaemia" -> "blinatumomab leukemia". None when nothing better is known."""
    if not is_postgresql() or not query.terms:
        return None
    from django.contrib.postgres.search import TrigramSimilarity

    corrected, changed = [], False
    # One query for the words we know, whatever their number; a query more for each we do not.
    words = {term.lower() for term in query.terms}
    known_words = set(SearchTerm.objects.filter(word__in=words).values_list("word", flat=True))
    for term in query.terms:
        known = term.lower() in known_words or " " in term
        if known:
            corrected.append(term)
            continue
        best = (
            SearchTerm.objects.annotate(similarity=TrigramSimilarity("word", term.lower()))
            .filter(similarity__gte=0.4)
            .order_by("-similarity", "word")
            .values_list("word", flat=True)
            .first()
        )
        changed |= best is not None
        corrected.append(best or term)
    if not changed:
        return None
    text = " ".join(corrected + [f"-{word}" for word in query.excluded])
    suggestion = Query(text=text, terms=corrected, excluded=query.excluded)
    return suggestion if search(trials, suggestion).exists() else None


# Excerpts


def with_headline(trials, query):
    """On PostgreSQL, annotate each trial with an excerpt of its summary, matches marked."""
    if not query or not is_postgresql():
        return trials
    search_query = SearchQuery(query.text, search_type="websearch", config=CONFIG)
    return trials.annotate(
        headline=SearchHeadline(
            "brief_summary",
            search_query,
            config=CONFIG,
            start_sel=START,
            stop_sel=STOP,
            max_words=35,
            min_words=15,
            highlight_all=False,
        )
    )


def excerpt(trial, query):
    """A short, escaped excerpt of the trial's summary with the query's words in <mark>."""
    if not query:
        return ""
    headline = getattr(trial, "headline", None)
    if headline is None:
        headline = python_headline(trial.plain_summary or trial.brief_summary, query.terms)
    if START not in headline:
        return ""
    marked = escape(headline).replace(START, "<mark>").replace(STOP, "</mark>")
    return mark_safe(marked)  # noqa: S308 (escaped above; only our markers become tags)


def python_headline(text, terms, width=220):
    """What ts_headline does, plainly: a window of text around the first match, matches marked."""
    if not text or not terms:
        return ""
    pattern = re.compile("|".join(re.escape(term) for term in terms), re.IGNORECASE)
    first = pattern.search(text)
    if not first:
        return ""
    start = max(0, first.start() - width // 3)
    window = text[start : start + width]
    window = ("…" if start else "") + window + ("…" if start + width < len(text) else "")
    return pattern.sub(lambda match: f"{START}{match.group(0)}{STOP}", window)
