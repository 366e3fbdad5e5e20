"""What all trials share: the spelling vocabulary, the glossary and the drug approvals."""

from django.db import models
from simple_history.models import HistoricalRecords


class SearchTerm(models.Model):
    """A word from trial titles, conditions and interventions: what a misspelled search is
    corrected against (PostgreSQL trigram similarity, indexed in migration 0002)."""

    word = models.CharField(max_length=60, unique=True)

    class Meta:
        ordering = ["word"]

    def __str__(self):
        return self.word


class GlossaryTerm(models.Model):
    """A word patients meet on trial pages, explained in plain language where it first appears."""

    term = models.CharField(max_length=100, unique=True, help_text='As shown, e.g. "Phase".')
    also_matches = models.JSONField(
        default=list,
        blank=True,
        help_text='Other forms that get the same explanation, e.g. ["phases", "Phase 2"].',
    )
    definition = models.TextField(help_text="One or two plain sentences; no medical advice.")

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
    indications = models.TextField(blank=True, help_text="What it is approved for, where known.")
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
