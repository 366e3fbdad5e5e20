"""Text search over trials, on PostgreSQL at its best and on SQLite in plain form.

PostgreSQL reads the weighted, stemmed search vector built from the search columns (GIN indexed)
and answers websearch syntax with ranking and highlighted excerpts. SQLite requires every word to
appear somewhere in the same columns. The page looks the same on both.
"""

import operator
import re
import unicodedata
from dataclasses import dataclass, field
from functools import reduce

from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchRank
from django.db.models import BooleanField, F, FloatField, Func, Q
from django.db.models.functions import Cast
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from ..models.trial import SEARCH_COLUMNS
from .columns import CONFIG, SPANISH, is_postgresql
from .languages import other_language_terms, to_english
from .medical import read_query
from .variants import BRITISH, BRITISH_STEMS

MAX_QUERY_LENGTH = 200
# Markers ts_headline puts around matches; the text is escaped before they become <mark>.
START, STOP = "\x02", "\x03"


@dataclass
class Query:
    text: str = ""  # the words searched as typed (websearch syntax on PostgreSQL)
    terms: list = field(default_factory=list)  # words and "quoted phrases" every trial must have
    excluded: list = field(default_factory=list)  # -words no trial may have
    notes: list = field(default_factory=list)
    concepts: tuple = ()  # medical concepts named (search/medical.py): each must be found
    typed: str = ""  # the whole query after clean-up, concepts and age words included

    def __bool__(self):
        return bool(self.terms or self.excluded or self.concepts)


def clean_query(raw):
    """The q parameter as typed -> a Query; never fails. Overlong input is cut with a note."""
    text = unicodedata.normalize("NFC", raw or "").replace("\x00", "")
    # Spanish and Chinese words as the English they mean: they find what their English finds.
    text = to_english(text, other_language_terms()) if text.strip() else text
    text = BRITISH.sub(lambda match: BRITISH_STEMS[match.group(0).lower()], " ".join(text.split()))
    notes = []
    if len(text) > MAX_QUERY_LENGTH:
        text = text[:MAX_QUERY_LENGTH].rsplit(" ", 1)[0]
        notes.append(
            _("Your search was long, so only its first %(count)s characters were used.")
            % {"count": MAX_QUERY_LENGTH}
        )
    reading = read_query(text)
    terms, excluded = [], []
    for phrase, word in re.findall(r'"([^"]*)"|(\S+)', reading.rest):
        if phrase.strip():
            terms.append(phrase.strip())
        elif word.lower() == "or":
            continue  # SQLite has no "or"; PostgreSQL reads the raw text itself
        elif word.startswith("-") and len(word) > 1:
            excluded.append(word[1:])
        elif word.strip('"'):
            terms.append(word.strip('"'))
    return Query(
        text=reading.rest,
        terms=terms,
        excluded=excluded,
        notes=notes,
        concepts=reading.concepts,
        typed=text,
    )


def postgresql_query(query):
    """The words as typed (websearch syntax) and, for each concept, any of its phrases."""
    parts = []
    if query.terms or query.excluded:
        words = SearchQuery(query.text, search_type="websearch", config=CONFIG)
        if not query.excluded:  # words left in Spanish: stemmed as Spanish too (columns.SPANISH)
            words |= SearchQuery(query.text, search_type="websearch", config=SPANISH)
        parts.append(words)
    for concept in query.concepts:
        phrases = [SearchQuery(p, search_type="phrase", config=CONFIG) for p in concept.phrases]
        parts.append(reduce(operator.or_, phrases))
    return reduce(operator.and_, parts)


class Matches(Func):
    """search_vector @@ query, in two steps that find the same trials.

    A phrase ("acute lymphoblastic leukemia") needs its words in order, which the GIN index does
    not know: every candidate's search vector is reread to check, even a trial that the other
    filters then drop (at 500,000 trials about 6,000 rereads per statement of a list page). So
    the index is asked first for the same words in any order, which it answers alone, and the
    words' order is checked last (trial_text_matches, migration 0025, is declared costly for the
    planner to put it after the other conditions), for the trials that pass everything else.
    A query that excludes words ("-word", "!" in its text) is asked of the index as it is, since
    dropping the order inside an exclusion would exclude more."""

    output_field = BooleanField()

    def as_sql(self, compiler, connection, **extra):
        vector, vector_params = compiler.compile(self.source_expressions[0])
        query, query_params = compiler.compile(self.source_expressions[1])
        any_order = (
            f"CASE WHEN strpos(({query})::text, '!') > 0 THEN {query} "
            f"ELSE regexp_replace(({query})::text, '<(\\d+|-)>', '&', 'g')::tsquery END"
        )
        sql = f"({vector} @@ {any_order} AND trial_text_matches({vector}, {query}))"
        params = (*vector_params, *query_params * 3, *vector_params, *query_params)
        return sql, params


def search(trials, query):
    """Trials matching the query, annotated for ranking (rank) on PostgreSQL."""
    if not query:
        return trials
    if is_postgresql():
        search_query = postgresql_query(query)
        return trials.filter(Matches(F("search_vector"), search_query)).annotate(
            # As double precision, not ts_rank's real: a real reaches Python rounded to its
            # shortest text, which no longer equals the stored value, and the API's cursor
            # (trials/api/cursor.py) must find the last trial's rank again exactly.
            rank=Cast(SearchRank(F("search_vector"), search_query), FloatField())
        )
    return trials.filter(sqlite_condition(query))


def sqlite_condition(query):
    condition = Q()
    for term in query.terms:
        condition &= any_column(word_pattern(term))
    for term in query.excluded:
        condition &= ~any_column(word_pattern(term))
    for concept in query.concepts:
        condition &= any_column("|".join(phrase_pattern(p) for p in concept.phrases))
    return condition


def word_pattern(term):
    """A typed word on SQLite, which has no stemming: found where a word starts with it
    ("relapse" finds "relapsed"), but a short one only as a whole word ("all" is not in "small")."""
    start = rf"(?<![^\W_]){re.escape(term)}"
    return start if len(term) > 3 else start + r"(?![^\W_])"


def phrase_pattern(phrase):
    """A concept's phrase on SQLite: its words whole, with any spaces or hyphens between them."""
    words = r"[\s-]+".join(re.escape(word) for word in re.split(r"[\s-]+", phrase))
    return rf"(?<![^\W_]){words}(?![^\W_])"


def any_column(pattern):
    found = Q()
    for column in SEARCH_COLUMNS:
        found |= Q(**{f"{column}__iregex": pattern})
    return found


def with_headline(trials, query):
    """On PostgreSQL, annotate each trial with an excerpt of its summary, matches marked."""
    if not query or not is_postgresql():
        return trials
    return trials.annotate(
        headline=SearchHeadline(
            "brief_summary",
            postgresql_query(query),
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
        phrases = [phrase for concept in query.concepts for phrase in concept.phrases]
        headline = python_headline(
            trial.plain_summary_en or trial.brief_summary, query.terms + phrases
        )
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
