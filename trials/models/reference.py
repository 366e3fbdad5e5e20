"""What all trials share: the spelling vocabulary, the glossary and the drug approvals."""

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords


class SearchTerm(models.Model):
    """A word searches know. In English: a word from trial titles, conditions and interventions,
    what a misspelled search is corrected against (PostgreSQL trigram similarity, indexed in
    migration 0002). In another language: a word families type, read as the English words it
    `means` (trials/search/languages.py), so that it finds the same trials."""

    word = models.CharField(
        max_length=60,
        unique=True,
        help_text="As families type it. Accents are optional when they search: "
        '"linfoblástica" also finds "linfoblastica". Chinese is found inside longer text.',
    )
    language = models.CharField(max_length=10, choices=settings.LANGUAGES, default="en")
    means = models.CharField(
        max_length=200,
        blank=True,
        help_text='The English words it finds the same trials as, e.g. "acute lymphoblastic '
        'leukemia" for "leucemia linfoblástica aguda", or "children" for "niños" (an age word '
        'becomes the age filter, as in English). Empty: a word that only joins others ("de", '
        '"的"), left out of a search. English words have none: they are the spelling vocabulary.',
    )
    source = models.CharField(
        max_length=300,
        blank=True,
        help_text="Where the translation comes from: a health agency's or a drug label's page.",
    )

    class Meta:
        ordering = ["language", "word"]
        indexes = [
            # The search terms in other languages, read (and cached) for every text search.
            models.Index(fields=["language"], name="searchterm_language"),
        ]

    def __str__(self):
        return f"{self.word} ({self.means})" if self.means else self.word


class GlossaryTerm(models.Model):
    """A word patients meet on trial pages, explained in plain language where it first appears."""

    term = models.CharField(max_length=100, unique=True, help_text='As shown, e.g. "Phase".')
    also_matches = models.JSONField(
        default=list,
        blank=True,
        help_text='Other forms that get the same explanation, e.g. ["phases", "Phase 2"].',
    )
    # default "": and so each language's column (trials/translation.py), never NULL.
    definition = models.TextField(
        default="", help_text="One or two plain sentences; no medical advice."
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["term"]

    def __str__(self):
        return self.term


class DrugApproval(models.Model):
    """Where a drug is approved, and under which brand name: shown on the pages of its trials."""

    drug = models.CharField(
        max_length=200, help_text='The drug\'s generic name, e.g. "Blinatumomab".'
    )
    jurisdiction = models.CharField(
        max_length=200, help_text='e.g. "European Union", "United States".'
    )
    brand_name = models.CharField(max_length=200, blank=True)
    indications = models.TextField(
        blank=True, default="", help_text="What it is approved for, where known."
    )
    source = models.TextField(blank=True, help_text="Where this fact comes from.")

    history = HistoricalRecords()

    class Meta:
        ordering = ["drug", "jurisdiction"]
        constraints = [
            models.UniqueConstraint(
                fields=["drug", "jurisdiction"], name="one_approval_per_jurisdiction"
            ),
        ]

    def __str__(self):
        return f"{self.drug} in {self.jurisdiction}"
