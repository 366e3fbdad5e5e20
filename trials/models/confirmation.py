"""Sites confirmed by our staff: a curator asked a site (by phone, by email, or read its own page)
whether it recruits, and recorded the answer. The registry's status of a site can be months old;
a family should see when a person last checked it.

Every confirmation is kept: the latest one per site is what the pages show, the earlier ones are
its history (and an edit of one is in its own history, as for every row). Confirmations belong to
a site, which imports update in place (by its registry_key), so an import never removes or
changes them; only a site the registry drops takes its own along.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from ..parsing import format_partial_date
from ..vocabularies import OPEN_STATUSES, DatePrecision
from .quality import CONFIRMATION_LASTS, confirmed_since
from .rows import Site


class SiteConfirmationQuerySet(models.QuerySet):
    def latest_per_site(self):
        """Each site's latest confirmation only: none later, nor on the same day and recorded
        after it."""
        later = SiteConfirmation.objects.filter(site=OuterRef("site")).filter(
            Q(confirmed_on__gt=OuterRef("confirmed_on"))
            | Q(confirmed_on=OuterRef("confirmed_on"), pk__gt=OuterRef("pk"))
        )
        return self.filter(~Exists(later))

    def current(self):
        """Confirmations recent enough to count (quality.CONFIRMATION_LASTS)."""
        return self.filter(confirmed_on__gte=confirmed_since())

    def recruiting_trial_ids(self):
        """The ids of trials with a site whose latest confirmation, recent enough, says it is
        recruiting. Read over the (few) confirmations, not looked up trial by trial, since the
        list's facet counts it over every published trial."""
        latest = self.latest_per_site().current()
        recruiting = latest.filter(answer=SiteConfirmation.Answer.RECRUITING)
        return recruiting.values("site__trial_id")


def confirmed_open():
    """ "Confirmed open" on the public list and in the admin: a trial open to enrolment (by the
    registry's status) with a site that told our staff it recruits, in the last 90 days. A closed
    trial never counts, whatever a site said: the registry's status of the whole trial is the one
    a family must not be misled about. The status is read from the trial itself, so that the
    list's facet counts stay on the trials' covering index (tests/listing/test_query_plans.py)."""
    return Q(
        overall_status__in=OPEN_STATUSES,
        pk__in=SiteConfirmation.objects.recruiting_trial_ids(),
    )


def not_in_the_future(day):
    if day > timezone.localdate():
        raise ValidationError("A confirmation cannot be dated after today.")


class SiteConfirmation(models.Model):
    """What a site told our staff about its recruitment, on a given day."""

    class Answer(models.TextChoices):
        RECRUITING = "RECRUITING", _("Confirmed recruiting")
        NOT_RECRUITING = "NOT_RECRUITING", _("Confirmed not recruiting")
        NO_ANSWER = "NO_ANSWER", _("No answer")

    class Method(models.TextChoices):
        PHONE = "PHONE", _("by phone")
        EMAIL = "EMAIL", _("by email")
        SITE_PAGE = "SITE_PAGE", _("on the site's own web page")

    # What families read beside the registry's status of the site, for each answer.
    SENTENCES = {
        Answer.RECRUITING: _("Recruiting, confirmed by our staff on %(day)s (%(how)s)."),
        Answer.NOT_RECRUITING: _("Not recruiting, confirmed by our staff on %(day)s (%(how)s)."),
        Answer.NO_ANSWER: _(
            "Not confirmed: our staff asked on %(day)s (%(how)s) and had no answer."
        ),
    }

    site = models.ForeignKey(Site, on_delete=models.CASCADE, related_name="confirmations")
    answer = models.CharField(
        max_length=20,
        choices=Answer.choices,
        help_text="What the site said. “No answer” records that we asked and heard nothing.",
    )
    confirmed_on = models.DateField(
        "Date",
        default=timezone.localdate,
        validators=[not_in_the_future],
        help_text="The day the site answered (or the day we asked, for “No answer”).",
    )
    method = models.CharField(
        "How",
        max_length=20,
        choices=Method.choices,
        help_text="How we asked: shown to families beside the date.",
    )
    public_note = models.CharField(
        max_length=300,
        blank=True,
        help_text="Shown to families under the site, e.g. “Ask for the research nurse.” "
        "Plain words; nothing internal.",
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    objects = SiteConfirmationQuerySet.as_manager()
    # A new answer is a new row; an edit of one (a typo, a wrong day) is kept here, with who.
    history = HistoricalRecords()

    class Meta:
        # Latest first: a site's page and the trial page read the first as the current one.
        ordering = ["site", "-confirmed_on", "-pk"]
        indexes = [
            # The list's "confirmed open" filter and the quality page: recent confirmations.
            models.Index(fields=["confirmed_on", "answer"], name="confirmation_recent_idx"),
        ]

    def __str__(self):
        return f"{self.get_answer_display()} on {self.confirmed_on:%Y-%m-%d}"

    @property
    def is_current(self):
        """Recent enough to count (the list's "confirmed open" uses the same window)."""
        return self.confirmed_on >= confirmed_since()

    @property
    def lasts_days(self):
        return CONFIRMATION_LASTS.days

    @property
    def sentence(self):
        """What families read, e.g. "Recruiting, confirmed by our staff on 3 November 2026 (by
        phone)." """
        day = format_partial_date(self.confirmed_on, DatePrecision.DAY)
        return self.SENTENCES[self.answer] % {"day": day, "how": self.get_method_display()}
