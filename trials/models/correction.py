"""A curator's correction of a registry value, which imports keep (trials/curation.py)."""

from django.conf import settings
from django.db import models
from django.utils import timezone

from .trial import Trial


class Correction(models.Model):
    """A curator's correction of a registry value, which imports keep.

    The corrected value itself lives where it is shown (on the trial or on the row); this records
    that it is a correction, and what the registry says instead. An import leaves a corrected value
    alone, stores the registry's new value here and flags it when it changed, so curators can check
    whether the correction still holds. `field` is empty when a curator removed a registry row
    (a site that does not exist, a duplicated contact): imports then do not bring it back.
    Deleting a correction gives the field, or the row, back to the registry.
    """

    trial = models.ForeignKey(Trial, on_delete=models.CASCADE, related_name="corrections")
    part = models.CharField(
        "Part of the trial",
        max_length=30,
        help_text='"trial" for the trial\'s own fields, else the kind of row: "site", "contact"...',
    )
    registry_key = models.TextField(
        blank=True, help_text="Which row, as the registry names it; empty for the trial itself."
    )
    row_label = models.CharField(
        "Row", max_length=300, blank=True, help_text="The corrected row as curators know it."
    )
    field = models.CharField(
        max_length=60, blank=True, help_text="The corrected field; empty: the row was removed."
    )
    registry_value = models.JSONField(
        null=True, blank=True, help_text="What the registry says, as of the latest import."
    )
    registry_changed = models.BooleanField(
        "Registry changed since",
        default=False,
        help_text="The registry changed its value since the correction: does it still hold?",
    )
    in_registry = models.BooleanField(
        "Still in the registry",
        default=True,
        help_text="False when the latest import no longer has this row at all.",
    )
    corrected_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    corrected_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["trial", "part", "registry_key", "field"]
        constraints = [
            # One correction per field of a row: the importer looks them up by these four.
            models.UniqueConstraint(
                fields=["trial", "part", "registry_key", "field"], name="one_correction_per_field"
            ),
        ]

    def __str__(self):
        what = f"{self.part} {self.row_label}".strip() if self.registry_key else "trial"
        return f"{self.trial.nct_id}: {what}: {self.field or 'removed'}"

    @property
    def removes_row(self):
        return not self.field
