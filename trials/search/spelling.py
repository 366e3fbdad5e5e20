"""Misspelled searches: "blinatumumab" shows the results for "blinatumomab" (PostgreSQL)."""

import re

from django.contrib.postgres.search import TrigramSimilarity

from ..models import SearchTerm
from .columns import is_postgresql
from .query import clean_query, search

# Words this short are too often everyday words or abbreviations to guess at ("all" once became
# "allo"); the medical vocabulary (search/medical.py) is never corrected, as it is not in `terms`.
SHORTEST_GUESS = 4


def suggest_spelling(query, trials):
    """A corrected query when the words as typed find nothing (PostgreSQL, trigram similarity):
    "blinatumumab leukaemia" -> "blinatumomab leukemia". None when nothing better is known."""
    if not is_postgresql() or not query.terms:
        return None
    corrected, changed = [], False
    # One query for the words we know, whatever their number; a query more for each we do not.
    words = {term.lower() for term in query.terms}
    known_words = set(SearchTerm.objects.filter(word__in=words).values_list("word", flat=True))
    for term in query.terms:
        known = term.lower() in known_words or " " in term or len(term) < SHORTEST_GUESS
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
    # The whole query again with each guessed word in place, so concepts and age words stay.
    text = query.typed
    for term, guess in zip(query.terms, corrected, strict=True):
        if guess != term:
            text = re.sub(rf"(?<![^\W_]){re.escape(term)}(?![^\W_])", guess, text, count=1)
    suggestion = clean_query(text)
    return suggestion if search(trials, suggestion).exists() else None
