"""What the whole published catalogue adds up to, kept between changes: the landing page's counts
cost aggregates over every trial (a third of a second at 500,000 trials), so they are computed
once per change of the catalogue and kept here, in the database, where every process finds them
with or without a shared cache (trials/cache.py, stored_figures)."""

from django.db import models


class CatalogueFigures(models.Model):
    """One row: the catalogue's version, moved on by every change, and the figures last computed,
    with the version and the day they were computed for."""

    version = models.PositiveBigIntegerField(
        default=0,
        help_text="Moved on by every change to what the public pages show (catalogue_changed).",
    )
    figures_version = models.PositiveBigIntegerField(
        null=True, blank=True, help_text="The version the figures were computed for."
    )
    day = models.DateField(
        null=True, blank=True, help_text="The day the figures were computed for."
    )
    figures = models.JSONField(default=dict, blank=True, help_text="The landing page's counts.")

    class Meta:
        ordering = ["pk"]
        verbose_name_plural = "catalogue figures"

    def __str__(self):
        return f"Catalogue figures (version {self.version})"

    @property
    def current(self):
        return self.figures_version == self.version
