"""How hard the curated plain-language text is to read: a reading grade for each field, against
the target families need (grade 8 or lower).

The grade is the Flesch-Kincaid grade level from textstat (syllables counted with the CMU
pronouncing dictionary, bundled): about the years of school a reader needs. It is a rough
measure: short words and short sentences lower it, and it cannot tell whether the text is true or
clear. The admin shows it beside each field (live, through a small JSON endpoint, and after a
save), warns on a save above the target, and the data quality page lists the fields above it."""

from dataclasses import dataclass

import textstat
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from .models import Trial

TARGET_GRADE = 8  # "grade 8 or lower": what health-literacy guidance asks of patient texts

# The curated fields families read in plain words (the trial page, the result cards).
PLAIN_FIELDS = (
    "plain_title",
    "plain_summary",
    "plain_eligibility",
    "participation_involves",
    "status_note",
    "public_note",
)


@dataclass(frozen=True)
class Reading:
    grade: float
    words: int
    sentences: int

    @property
    def meets_target(self):
        return self.grade <= TARGET_GRADE

    def as_dict(self):
        return {
            "grade": self.grade,
            "words": self.words,
            "sentences": self.sentences,
            "target": TARGET_GRADE,
            "meets_target": self.meets_target,
            "summary": self.summary(),
        }

    def summary(self):
        if self.meets_target:
            verdict = _("meets the target (%(target)s or lower)") % {"target": TARGET_GRADE}
        else:
            verdict = _(
                "above the target (%(target)s or lower); try shorter sentences and simpler words"
            ) % {"target": TARGET_GRADE}
        words = ngettext("%(count)s word", "%(count)s words", self.words) % {"count": self.words}
        sentences = ngettext("%(count)s sentence", "%(count)s sentences", self.sentences) % {
            "count": self.sentences
        }
        return _("Reading grade %(grade)s: %(verdict)s. %(words)s, %(sentences)s.") % {
            "grade": f"{self.grade:g}",
            "verdict": verdict,
            "words": words,
            "sentences": sentences,
        }


def reading(text):
    """The reading grade of a text, or None for an empty one (nothing to read)."""
    text = (text or "").strip()
    words = textstat.lexicon_count(text)
    if not words:
        return None
    # A grade below 0 (very short words) says nothing more than 0 does.
    grade = max(0.0, round(textstat.flesch_kincaid_grade(text), 1))
    return Reading(grade=grade, words=words, sentences=max(1, textstat.sentence_count(text)))


def label(name):
    return capfirst(Trial._meta.get_field(name).verbose_name)


def above_target(trial):
    """[(field name, Reading)] of this trial's plain-language fields above the target."""
    found = []
    for name in PLAIN_FIELDS:
        measured = reading(getattr(trial, name))
        if measured is not None and not measured.meets_target:
            found.append((name, measured))
    return found
