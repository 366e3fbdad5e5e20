"""What changed in a trial, in the ways that matter to families: one row per change an import (or
a curator) made, with the day the registry posted it and the moment the portal saw it.

Each row names what changed and how (structured: the kind, the subject, the old and new values),
never a sentence: the trial page, the feeds and the digests put it in words, in the reader's
language, from a template per kind (templates/trials/changes/). The registry's own update date and
the curation history (django-simple-history) stay the record of every field; these rows are only
the family-facing summary of it, written by trials/changes.py at each import.
"""

import datetime

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .trial import Trial


class ChangeKind(models.TextChoices):
    FIRST_LISTED = "first_listed", _("First listed here")
    STATUS = "status", _("Enrolment status changed")
    SITE_ADDED = "site_added", _("Site added")
    SITE_OPENED = "site_opened", _("Site opened")
    SITE_CLOSED = "site_closed", _("Site closed")
    SITE_STATUS = "site_status", _("Site status changed")
    SITE_REMOVED = "site_removed", _("Site removed")
    ELIGIBILITY = "eligibility", _("Eligibility criteria changed")
    AGES = "ages", _("Age limits changed")
    DATES = "dates", _("Dates moved")
    RESULTS_POSTED = "results_posted", _("Results posted")
    CORRECTION = "correction", _("Corrected by our curators")
    WITHDRAWN = "withdrawn", _("No longer listed here")


class TrialChangeQuerySet(models.QuerySet):
    def since(self, day):
        """Changes the portal saw on or after `day` (a date), from the start of that day in the
        site's time zone; compared on the column itself so the seen_at indexes serve it."""
        # The registry began in 2000: an earlier day means every change (and never overflows).
        day = max(day, datetime.date(2000, 1, 1))
        start = timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))
        return self.filter(seen_at__gte=start)

    def for_families(self):
        """Changes of trials the public pages show (published, never synthetic), and the
        withdrawal of a trial that was: a follower of a withdrawn trial is told why it went."""
        return self.filter(
            models.Q(trial__in=Trial.objects.published())
            | models.Q(kind=ChangeKind.WITHDRAWN, trial__is_synthetic=False)
        )

    def of_kinds(self, kinds):
        return self.filter(kind__in=kinds)

    def latest_first(self):
        """Latest first; the changes one import brought, in the order it recorded them (the
        trial's status before its sites)."""
        return self.order_by("-seen_at", "pk")


class TrialChange(models.Model):
    """One change of a trial that matters to families, as the portal saw it."""

    trial = models.ForeignKey(Trial, on_delete=models.CASCADE, related_name="changes")
    kind = models.CharField(max_length=20, choices=ChangeKind.choices)
    subject = models.CharField(
        max_length=500,
        blank=True,
        help_text="What changed, where it is not the whole trial: a site's name and place, "
        "or the field a curator corrected.",
    )
    old_value = models.TextField(
        blank=True, help_text="The value before (a registry code, a date, an age); empty if none."
    )
    new_value = models.TextField(
        blank=True, help_text="The value after (a registry code, a date, an age); empty if none."
    )
    registry_posted_on = models.DateField(
        "Posted by the registry",
        null=True,
        blank=True,
        help_text="The registry's last-update posted date of the record that brought the change; "
        "empty for a curator's change.",
    )
    seen_at = models.DateTimeField(
        "Seen here", default=timezone.now, help_text="When the portal saw the change."
    )

    objects = TrialChangeQuerySet.as_manager()

    class Meta:
        ordering = ["-seen_at", "pk"]
        indexes = [
            # The trial page's "What changed" and a trial's feed: one trial's, latest first.
            models.Index(fields=["trial", "seen_at"], name="change_trial_seen_idx"),
            # A search's feed and the alert digests: every change since a moment.
            models.Index(fields=["seen_at"], name="change_seen_idx"),
        ]

    def __str__(self):
        what = (
            f"{self.get_kind_display()}: {self.subject}"
            if self.subject
            else self.get_kind_display()
        )
        return f"{self.trial.nct_id}: {what} ({self.seen_at:%Y-%m-%d})"

    @property
    def seen_on(self):
        """The day the portal saw it, in the site's time zone."""
        return timezone.localdate(self.seen_at)
