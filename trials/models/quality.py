"""What curators must fix in a trial, each problem defined once.

TrialQuerySet.with_problem() and with_problem_flags() read the conditions; the admin's trial list
filters by them and names them in its "Problems" column; the data quality page lists them with
their titles and how to fix them.
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass

from django.apps import apps
from django.db.models import Exists, OuterRef, Q, TextChoices
from django.utils import timezone

from ..status import CLOSED_STATUSES, stale_condition
from ..vocabularies import OPEN_STATUSES

CHECK_EVERY = datetime.timedelta(days=365)  # a trial not checked for this long needs a check
# A site's answer to our staff older than this no longer counts: the public filter "confirmed
# open" (confirmation.confirmed_open) and the "sites not confirmed" problem both read it.
CONFIRMATION_LASTS = datetime.timedelta(days=90)


def check_due_before():
    """The day before which a curator's last check is too old."""
    return timezone.localdate() - CHECK_EVERY


def confirmed_since():
    """The first day on which a site's confirmation still counts."""
    return timezone.localdate() - CONFIRMATION_LASTS


def rows_of_the_trial(model_name, condition=None):
    """Whether the trial (the outer query's row) has a row of this kind meeting the condition."""
    rows = apps.get_model("trials", model_name).objects.filter(trial=OuterRef("pk"))
    if condition is not None:
        rows = rows.filter(condition)
    return Q(Exists(rows))


def unlocated():
    """A site without coordinates: "near me" searches cannot find it."""
    return Q(latitude__isnull=True) | Q(longitude__isnull=True)


def not_checked_since(day):
    """Never checked by a curator, or last checked before `day`."""
    return Q(last_checked__isnull=True) | Q(last_checked__lt=day)


def unconfirmed():
    """A site that may be open (the registry says so, or says nothing) which has not answered our
    staff, either way, since confirmed_since()."""
    confirmations = apps.get_model("trials", "SiteConfirmation").objects
    answered = confirmations.current().exclude(answer="NO_ANSWER")
    may_be_open = Q(status__in=OPEN_STATUSES) | Q(status="")
    return may_be_open & ~Q(pk__in=answered.values("site_id"))


class Harm(TextChoices):
    """What a problem does to families: the data quality page's groups, in this order."""

    MISLEADS = "MISLEADS", "What can mislead families"
    INCOMPLETE = "INCOMPLETE", "What is incomplete"
    HOUSEKEEPING = "HOUSEKEEPING", "Housekeeping"


@dataclass(frozen=True)
class Problem:
    label: str  # the trial list's "Problems" column and filter
    title: str  # the data quality page's heading
    fix: str  # what the data quality page tells the curator to do
    condition: Callable[[], Q]  # which trials have it
    harm: Harm


# In order of harm to families, most first (the data quality page and the trial list's filter).
PROBLEMS = {
    # A family may travel to a site the registry still calls recruiting in a closed trial.
    "closed_open_sites": Problem(
        "closed, sites recruiting",
        "Closed trials whose sites still say they are recruiting",
        "Check the registry: correct the sites' statuses, or the trial's.",
        lambda: (
            Q(overall_status__in=CLOSED_STATUSES)
            & rows_of_the_trial("Site", Q(status__in=OPEN_STATUSES))
        ),
        Harm.MISLEADS,
    ),
    # ... or on the word of an old record.
    "stale": Problem(
        "open, may be out of date",
        "Open or under way, but the registry record may be out of date",
        "Refresh the trial from the registry; if the record is still old, ask the sites whether "
        "they are taking people and set the status the registry should have.",
        lambda: stale_condition(timezone.localdate()),
        Harm.MISLEADS,
    ),
    "unconfirmed_sites": Problem(
        "open, sites not confirmed",
        "Open trials with sites our staff have not confirmed in 90 days",
        "Ask each site whether it recruits (phone, email, or its own page), then record the "
        "answer on the site's page under “Confirmations by our staff”.",
        lambda: Q(overall_status__in=OPEN_STATUSES) & rows_of_the_trial("Site", unconfirmed()),
        Harm.MISLEADS,
    ),
    "no_contact": Problem(
        "open, no contact",
        "Open to enrolment, but nobody to contact",
        "Add a central contact, or a contact at a site, so patients know whom to ask.",
        # Open to enrolment, yet a patient finds nobody to ask: no central or site contact.
        lambda: Q(overall_status__in=OPEN_STATUSES) & ~rows_of_the_trial("Contact"),
        Harm.MISLEADS,
    ),
    "unlocated_sites": Problem(
        "sites without coordinates",
        "Sites without coordinates",
        "Add the site's latitude and longitude, so that “near me” searches find it.",
        lambda: rows_of_the_trial("Site", unlocated()),
        Harm.INCOMPLETE,
    ),
    "has_warnings": Problem(
        "import warnings",
        "Import warnings (values kept as the registry gave them)",
        "Read the warning; correct the value if the registry is wrong, or note it.",
        # The last import kept values it did not recognise, or could not place something.
        lambda: ~Q(import_warnings=[]),
        Harm.INCOMPLETE,
    ),
    # The filters and the pre-screener read them: a wrong suggestion can show a trial to the
    # wrong family, or hide it from the right one.
    "unconfirmed_attributes": Problem(
        "attributes not confirmed",
        "Attributes (disease, setting, Ph status, earlier treatments) not confirmed",
        "Read the suggested attributes against the record's own words, correct them, then tick "
        "“Confirm these attributes” (or use the action “Confirm the attributes of the selected "
        "trials”).",
        lambda: ~Q(attributes_state="confirmed"),
        Harm.INCOMPLETE,
    ),
    "needs_check": Problem(
        "not checked in 12 months",
        "Not checked by a curator in 12 months",
        "Check the trial against the registry, then set “Last checked” (or use the action "
        "“Mark the selected trials as checked today”).",
        lambda: not_checked_since(check_due_before()),
        Harm.HOUSEKEEPING,
    ),
}
