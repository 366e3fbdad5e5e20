"""The words families type for this disease and its treatment, and what trial records say instead.

Data, reviewed as a whole: each concept lists what a visitor may type (matched as whole terms,
an abbreviation only in capitals where its lower case is an everyday word: "ALL", not "all") and
the phrases records use for it. A search for a concept finds a trial that says any of its phrases,
and the spelling fallback never "corrects" these words into others (once "ALL" became "allo").

Age words are not searched as text: "child" or "adults" become the age-group filter, which the
page shows and lets the visitor remove (AGE_WORDS).

Words in other languages ("LLA", "niños", "白血病") are curators' search terms, each read as the
English it means (search/languages.py) before these words are.
"""

import re
from dataclasses import dataclass

from .languages import find_terms


@dataclass(frozen=True)
class Concept:
    name: str  # what the page says it searched for
    typed: tuple  # what a visitor types, any case
    typed_in_capitals: tuple = ()  # abbreviations that are everyday words in lower case
    # What records say; each found as a phrase of whole words. Never a bare "Ph+" or "Ph-": the
    # full-text index keeps neither sign, so they would find "Ph" of either kind.
    phrases: tuple = ()


CONCEPTS = (
    Concept(
        "acute lymphoblastic leukemia",
        typed=(
            "acute lymphoblastic leukemia",
            "acute lymphoblastic leukaemia",
            "acute lymphocytic leukemia",
            "acute lymphocytic leukaemia",
            "lymphoblastic leukemia",
            "lymphoblastic leukaemia",
            "B-ALL",
            "BCP-ALL",
            "pre-B ALL",
            "B-cell ALL",
        ),
        typed_in_capitals=("ALL",),
        phrases=(
            "acute lymphoblastic leukemia",
            "acute lymphocytic leukemia",
            "lymphoblastic leukemia",
            "B-ALL",
            "BCP-ALL",
        ),
    ),
    Concept(
        "leukemia",
        typed=("leukemia", "leukaemia", "leukemias", "leukaemias"),
        phrases=("leukemia",),
    ),
    Concept(
        "Philadelphia chromosome-positive",
        typed=(
            "Ph+",
            "Ph-positive",
            "Ph positive",
            "Philadelphia positive",
            "Philadelphia chromosome positive",
            "Philadelphia chromosome-positive",
            "Philadelphia-positive",
            "BCR-ABL positive",
            "BCR-ABL1 positive",
        ),
        phrases=(
            "Philadelphia chromosome positive",
            "Philadelphia positive",
            "Ph-positive",
            "BCR-ABL positive",
            "BCR-ABL1 positive",
        ),
    ),
    Concept(
        "Philadelphia chromosome-negative",
        typed=(
            "Ph-",
            "Ph-negative",
            "Ph negative",
            "Philadelphia negative",
            "Philadelphia chromosome negative",
            "Philadelphia chromosome-negative",
            "Philadelphia-negative",
            "BCR-ABL negative",
            "BCR-ABL1 negative",
        ),
        phrases=(
            "Philadelphia chromosome negative",
            "Philadelphia negative",
            "Ph-negative",
            "BCR-ABL negative",
            "BCR-ABL1 negative",
        ),
    ),
    Concept(
        "Ph-like",
        typed=("Ph-like", "Philadelphia-like", "Philadelphia chromosome-like", "BCR-ABL1-like"),
        phrases=("Ph-like", "Philadelphia-like", "Philadelphia chromosome-like", "BCR-ABL1-like"),
    ),
    Concept(
        "minimal residual disease (MRD)",
        typed=("MRD", "minimal residual disease", "measurable residual disease"),
        phrases=("minimal residual disease", "measurable residual disease", "MRD"),
    ),
    Concept(
        "complete remission",
        typed=("complete remission", "complete response"),
        typed_in_capitals=("CR", "CR1", "CR2"),
        phrases=("complete remission", "complete response", "CR", "CR1", "CR2"),
    ),
    Concept(
        "stem cell transplant",
        typed=(
            "HSCT",
            "alloHSCT",
            "allo-HSCT",
            "stem cell transplant",
            "stem cell transplantation",
            "bone marrow transplant",
            "bone marrow transplantation",
        ),
        typed_in_capitals=("SCT", "BMT"),
        phrases=(
            "stem cell transplant",
            "hematopoietic cell transplant",
            "bone marrow transplant",
            "HSCT",
            "allogeneic transplant",
        ),
    ),
    Concept(
        "CAR-T cell therapy",
        typed=("CAR-T", "CAR T", "CAR-T cell", "CAR T-cell", "chimeric antigen receptor"),
        typed_in_capitals=("CART",),
        phrases=("CAR-T", "CAR T", "chimeric antigen receptor"),
    ),
    Concept(
        "relapsed or refractory",
        typed=(
            "relapsed/refractory",
            "relapsed or refractory",
            "relapsed-refractory",
            "R/R",
            "r/r",
            "rel/ref",
        ),
        phrases=("relapsed", "refractory", "relapse"),
    ),
    Concept(
        "adolescents and young adults (AYA)",
        typed=("AYA", "adolescent and young adult", "adolescents and young adults"),
        phrases=("adolescent and young adult", "adolescents and young adults", "AYA"),
    ),
)

# Age words -> the registry's age groups (the age_group filter): CHILD is birth to 17.
AGE_WORDS = {
    "CHILD": (
        "child",
        "children",
        "childhood",
        "kid",
        "kids",
        "pediatric",
        "paediatric",
        "infant",
        "infants",
        "baby",
        "toddler",
        "teen",
        "teens",
        "teenager",
        "teenagers",
    ),
    "ADULT": ("adult", "adults"),
    "OLDER_ADULT": ("older adult", "older adults", "elderly", "senior", "seniors"),
}


@dataclass(frozen=True)
class Reading:
    """What a typed query says: the concepts it names and the words left to search as typed."""

    concepts: tuple
    rest: str


def term_pattern(term, *, exact_case):
    # Whole terms: not inside a longer word ("ALL" is not in "allogeneic" or "small").
    return re.compile(rf"(?<![\w+-]){re.escape(term)}(?![\w+])", 0 if exact_case else re.I)


def _typed_patterns():
    patterns = []
    for concept in CONCEPTS:
        patterns += [(term_pattern(t, exact_case=False), t, concept) for t in concept.typed]
        patterns += [
            (term_pattern(t, exact_case=True), t, concept) for t in concept.typed_in_capitals
        ]
    # Longest first: "acute lymphoblastic leukemia" before "leukemia".
    return sorted(patterns, key=lambda item: len(item[1]), reverse=True)


TYPED = _typed_patterns()
AGES = sorted(
    (
        (term_pattern(word, exact_case=False), word, group)
        for group, words in AGE_WORDS.items()
        for word in words
    ),
    key=lambda item: len(item[1]),
    reverse=True,
)


# Typed alone, in any case, these can only mean the disease ("all" is otherwise an everyday word;
# "lla" is Spanish's "LLA", a search term that otherwise counts only in capitals).
ALONE = {"all": "ALL", "lla": "ALL"}


def read_query(text):
    """Split typed text into the concepts it names and the rest."""
    text = ALONE.get(text.strip().lower(), text)
    concepts = []
    for pattern, _, concept in TYPED:
        text, found = pattern.subn(" ", text)
        if found and concept not in concepts:
            concepts.append(concept)
    return Reading(concepts=tuple(concepts), rest=" ".join(text.split()))


def split_age_words(text, terms=()):
    """(the text without its age words, the age groups they name, the words as typed).
    `terms`: search terms in other languages (search/languages.py), whose age words count too."""
    typed, groups, words = text.lower(), [], []
    for start, end, term in reversed(find_terms(text, terms)):  # from the end: places hold
        group = next((g for pattern, _, g in AGES if pattern.fullmatch(term.means)), None)
        if group:
            words.append(text[start:end])
            text = f"{text[:start]} {text[end:]}"
            if group not in groups:
                groups.append(group)
    # A concept's own words stay with it: "adolescents and young adults" is AYA, not "adults".
    concepts = []

    def hold(match):
        concepts.append(match.group(0))
        return f" \x00{len(concepts) - 1}\x00 "

    for pattern, _, _ in TYPED:
        text = pattern.sub(hold, text)
    for pattern, _, group in AGES:
        words += pattern.findall(text)
        text, found = pattern.subn(" ", text)
        if found and group not in groups:
            groups.append(group)
    words.sort(key=lambda word: typed.find(word.lower()))  # in the order typed
    for i, concept in enumerate(concepts):  # the concepts' words back in their places
        text = text.replace(f"\x00{i}\x00", concept)
    return " ".join(text.split()), groups, words
