"""A visitor's report of a problem with a page: wrong or out-of-date information, or a barrier
to using it. No account is needed; curators read the reports in the admin and mark them handled.

The sender's address is not stored: it is only counted, hashed, in the cache, to limit how many
reports one address may send (trials/feedback.py)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .trial import Trial


class ProblemReport(models.Model):
    class Kind(models.TextChoices):
        WRONG = "WRONG", _("Something on the page is wrong or out of date")
        BARRIER = "BARRIER", _("I could not use the page (for example with a screen reader)")
        OTHER = "OTHER", _("Something else")

    trial = models.ForeignKey(
        Trial,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="problem_reports",
        help_text="The trial whose page the report is about; empty for other pages.",
    )
    page = models.CharField(
        max_length=300, blank=True, help_text="The address of the page, on this site."
    )
    kind = models.CharField(_("What kind of problem"), max_length=10, choices=Kind.choices)
    message = models.TextField(_("What is wrong"), max_length=2000)
    email = models.EmailField(
        _("Your email (optional)"),
        max_length=254,
        blank=True,
        help_text=_("Only if you would like an answer. We use it for nothing else."),
    )
    received_at = models.DateTimeField(auto_now_add=True)
    handled = models.BooleanField(
        default=False, help_text="Tick when the page is fixed, or the sender has been answered."
    )
    handled_at = models.DateTimeField(null=True, blank=True, editable=False)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )

    class Meta:
        ordering = ["handled", "-received_at"]  # what still needs a curator first
        indexes = [
            # The admin's list: reports not yet handled, newest first.
            models.Index(fields=["handled", "-received_at"], name="problem_report_queue_idx"),
        ]

    def __str__(self):
        about = self.trial.nct_id if self.trial_id else (self.page or "the site")
        return f"{self.get_kind_display()} ({about})"
