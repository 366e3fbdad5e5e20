"""Searching in Spanish and Chinese: the words families type, read as the English words they
mean, so that "leucemia linfoblástica aguda", "LLA" or "急性淋巴细胞白血病" find what "acute
lymphoblastic leukemia" finds, and "niños" or "儿童" become the children's age filter as "children"
does. The words are curators' (SearchTerm with a language, trials/models/reference.py).

Words in Latin script match as whole words, accents optional ("linfoblastica"); a term written
in capitals only in capitals ("LLA", as "ALL" in English). Chinese has no spaces between words,
so a Chinese term is found inside longer text ("儿童急性淋巴细胞白血病" is two terms).
"""

import re
import unicodedata
from dataclasses import dataclass

from django.conf import settings

from ..cache import cached
from ..models import SearchTerm

OTHER_LANGUAGES = [code for code, _name in settings.LANGUAGES if code != "en"]


@dataclass(frozen=True)
class Term:
    word: str
    means: str  # empty: a word that only joins others, left out


def other_language_terms():
    """The search terms in other languages than English, kept with the catalogue's cache."""
    return cached(
        "search-terms",
        (),
        lambda: tuple(
            Term(word, means)
            # Named languages, not "not English": the index on language finds the few dozen
            # rows, where `language <> 'en'` read every word of the catalogue (half a million
            # at registry scale, about 30 to 60 ms of every text search without the cache).
            for word, means in SearchTerm.objects.filter(language__in=OTHER_LANGUAGES)
            .order_by("language", "word")
            .values_list("word", "means")
        ),
    )


def fold(text):
    """Lower case without accents, one character for one: positions stay those of the text."""
    return "".join(
        unicodedata.normalize("NFD", char)[0].lower() if len(char.lower()) == 1 else char
        for char in text
    )


def is_spaced(word):
    """Whether a term is written in a script that puts spaces between words (not Chinese)."""
    return not any("\u2e80" <= char <= "\u9fff" or "\uf900" <= char <= "\ufaff" for char in word)


def pattern(term):
    word = term.word if term.word.isupper() else fold(term.word)
    if not is_spaced(word):
        return re.compile(re.escape(word))
    return re.compile(rf"(?<![\w+-]){re.escape(word)}(?![\w+])")


def find_terms(text, terms):
    """[(start, end, term)] of the terms in the text, longest first, none overlapping."""
    folded = fold(text)
    found, taken = [], [False] * len(text)
    for term in sorted(terms, key=lambda term: len(term.word), reverse=True):
        haystack = text if term.word.isupper() else folded
        for match in pattern(term).finditer(haystack):
            start, end = match.span()
            if not any(taken[start:end]):
                taken[start:end] = [True] * (end - start)
                found.append((start, end, term))
    return sorted(found, key=lambda item: item[0])


def to_english(text, terms):
    """The text with each term in it replaced by the English it means (or left out)."""
    parts, position = [], 0
    for start, end, term in find_terms(text, terms):
        parts += [text[position:start], f" {term.means} "]
        position = end
    parts.append(text[position:])
    return " ".join("".join(parts).split())
