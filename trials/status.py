"""What a registry status and a registry date mean to a family, said once for the whole portal.

The result card, the trial page, the map's popups, the exports and the list's status filter all
read their words here, so no page can say "Recruiting" where another says the trial has ended.
Three rules live here:

- Status words: one set of words per registry status (STATUS_WORDS), reviewed as a whole, and
  whether a site's own status agrees with its trial's (site_status).
- Dates at their certainty: an estimated date says so, and one in the past says the registry has
  not confirmed it since (date_words).
- Staleness: a trial that still reads as open or under way while its record is old, or its end
  has passed, says so and asks the family to confirm before travelling (staleness,
  stale_condition for the curators' data quality page).

"Today" is always passed in: the model's properties and the quality page pass
timezone.localdate(), so tests can set it.
"""

import datetime
from collections.abc import Mapping
from dataclasses import dataclass

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.functional import lazy
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext

from .parsing import format_partial_date
from .vocabularies import DatePrecision, DateType, Status


class Standing(models.TextChoices):
    """Where a status leaves a family: may they still join?"""

    OPEN = "open", gettext_lazy("Open")
    CLOSED = "closed", gettext_lazy("Closed")
    UNCERTAIN = "uncertain", gettext_lazy("Not known")


@dataclass(frozen=True)
class StatusWords:
    badge: str  # a few words: the card's badge, a site's status, the map, the exports, the filter
    line: str  # the trial page's headline: what the status means for a family
    standing: str  # a Standing
    # It describes the present ("recruiting", "under way"), so it goes out of date when the
    # record does; a final status ("completed", "stopped early") does not.
    current: bool


class InActiveLanguage(Mapping):
    """Status words read in the language active when they are looked up: the table is written
    once, and every reader gets plain strings."""

    def __init__(self, words):
        self.words = words

    def __getitem__(self, status):
        words = self.words[status]
        return StatusWords(str(words.badge), str(words.line), words.standing, words.current)

    def __iter__(self):
        return iter(self.words)

    def __len__(self):
        return len(self.words)


STATUS_WORDS = InActiveLanguage(
    {
        Status.RECRUITING: StatusWords(
            gettext_lazy("Recruiting"),
            gettext_lazy("Recruiting: you may be able to join"),
            Standing.OPEN,
            True,
        ),
        Status.NOT_YET_RECRUITING: StatusWords(
            gettext_lazy("Not yet recruiting"),
            gettext_lazy("Not yet recruiting: the trial plans to take people soon"),
            Standing.OPEN,
            True,
        ),
        Status.ENROLLING_BY_INVITATION: StatusWords(
            gettext_lazy("By invitation only"),
            gettext_lazy("By invitation only: only people the trial team invites can join"),
            Standing.OPEN,
            True,
        ),
        Status.ACTIVE_NOT_RECRUITING: StatusWords(
            gettext_lazy("Under way, not taking new people"),
            gettext_lazy(
                "Under way, not taking new people: those already in the trial are still being "
                "treated or followed"
            ),
            Standing.CLOSED,
            True,
        ),
        Status.SUSPENDED: StatusWords(
            gettext_lazy("Paused"),
            gettext_lazy("Paused: the trial is not taking people for now"),
            Standing.CLOSED,
            True,
        ),
        Status.TERMINATED: StatusWords(
            gettext_lazy("Stopped early"),
            gettext_lazy("Stopped early: the trial ended before its planned end"),
            Standing.CLOSED,
            False,
        ),
        Status.COMPLETED: StatusWords(
            gettext_lazy("Completed"),
            gettext_lazy("Completed: the trial has ended"),
            Standing.CLOSED,
            False,
        ),
        Status.WITHDRAWN: StatusWords(
            gettext_lazy("Withdrawn"),
            gettext_lazy("Withdrawn: the trial stopped before anyone took part"),
            Standing.CLOSED,
            False,
        ),
        # Expanded access: a programme, not a trial, that gives the treatment outside trials.
        Status.AVAILABLE: StatusWords(
            gettext_lazy("Available"),
            gettext_lazy("Available: doctors can ask for the treatment through this programme"),
            Standing.OPEN,
            True,
        ),
        Status.NO_LONGER_AVAILABLE: StatusWords(
            gettext_lazy("No longer available"),
            gettext_lazy("No longer available: the programme has closed"),
            Standing.CLOSED,
            False,
        ),
        Status.TEMPORARILY_NOT_AVAILABLE: StatusWords(
            gettext_lazy("Not available for now"),
            gettext_lazy("Not available for now: the programme is paused"),
            Standing.CLOSED,
            True,
        ),
        Status.APPROVED_FOR_MARKETING: StatusWords(
            gettext_lazy("Approved for use"),
            gettext_lazy(
                "Approved for use: the treatment is approved, so the programme no longer gives "
                "it; ask your care team"
            ),
            Standing.CLOSED,
            False,
        ),
        Status.WITHHELD: StatusWords(
            gettext_lazy("Status withheld"),
            gettext_lazy("Status withheld: the registry does not show this programme's status"),
            Standing.UNCERTAIN,
            False,
        ),
        # The registry's own flag: the record's status has not been confirmed for two years.
        Status.UNKNOWN: StatusWords(
            gettext_lazy("Status unknown"),
            gettext_lazy(
                "Status unknown: the registry has not had this trial's status confirmed for over "
                "two years"
            ),
            Standing.UNCERTAIN,
            False,
        ),
    }
)
# The statuses that say a trial (or programme) is over or shut to new people.
CLOSED_STATUSES = tuple(s for s, w in STATUS_WORDS.items() if w.standing == Standing.CLOSED)
# The statuses that may go out of date with the record (see StatusWords.current).
CURRENT_STATUSES = tuple(s for s, w in STATUS_WORDS.items() if w.current)
# The statuses where the registry gives a reason for stopping (whyStopped).
STOPPED_STATUSES = (Status.SUSPENDED, Status.TERMINATED, Status.WITHDRAWN)


def status_words(status, status_note=""):
    """The words for a registry status. No status: what the source said instead, if anything. A
    value the registry added after our vocabulary is shown as given, and its standing unknown.
    The words are in the active language."""
    if status in STATUS_WORDS:
        return STATUS_WORDS[status]
    if status:
        text = status.replace("_", " ").capitalize()
        return StatusWords(text, text, Standing.UNCERTAIN, False)
    return StatusWords(
        status_note or _("Status not stated"),
        status_note or _("The source does not say whether the trial is recruiting"),
        Standing.UNCERTAIN,
        False,
    )


def badge(status):
    return status_words(status).badge


# For tables made when a module loads (the list's status filter): the badge is said in the
# language active when it is shown (a named function: cached facets pickle it).
lazy_badge = lazy(badge, str)


def headline(status, *, status_note="", why_stopped="", as_of="", as_html=False):
    """The trial page's status line, with the registry's reason when it gives one. With `as_of`
    (see as_of()), the status is the registry's word of that month, not a fact of today.
    `as_html`: the reason is the registry's English, marked lang="en" for the page (the email and
    the link preview take the text)."""
    if as_of:
        badge = status_words(status, status_note).badge
        # Translators: a status badge and "as of <month>", e.g. "Recruiting as of July 2020".
        return _("%(status)s %(as_of)s, the registry's last word: it may have changed since") % {
            "status": badge,
            "as_of": as_of,
        }
    line = status_words(status, status_note).line
    if not (why_stopped and status in STOPPED_STATUSES):
        return line
    reason = why_stopped.strip().rstrip(".")
    if as_html:
        line, reason = format_html("{}", line), format_html('<span lang="en">{}</span>', reason)
    text = _("%(status)s. The reason given: %(reason)s") % {"status": line, "reason": reason}
    return mark_safe(text) if as_html else text  # noqa: S308 (both parts escaped above)


def dated(badge, as_of):
    """A status badge dated by as_of(): "Recruiting as of July 2020"; the badge alone without."""
    if not as_of:
        return badge
    # Translators: a status badge and "as of <month>", e.g. "Recruiting as of July 2020".
    return pgettext("a status and its date", "%(status)s %(as_of)s") % {
        "status": badge,
        "as_of": as_of,
    }


@dataclass(frozen=True)
class SiteStatus:
    words: str
    standing: str  # a Standing, or "disagrees"


DISAGREES = "disagrees"
# %(status)s: the site's status badge, in lower case ("recruiting").
TRIAL_NOT_OPEN = {
    Standing.CLOSED: gettext_lazy(
        "The trial is closed; the registry still lists this site as %(status)s"
    ),
    Standing.UNCERTAIN: gettext_lazy(
        "The trial's own status is not confirmed; the registry still lists this site as %(status)s"
    ),
}


def site_status(trial_status, site_status_value, *, status_note="", as_of=""):
    """A site's own status, shown only where it agrees with its trial's. A site that says it is
    open in a trial that is not reads as the disagreement it is: families most often phone a site
    that is not recruiting. An open site of an old record is dated like its trial (as_of())."""
    if not site_status_value:
        return None
    site = status_words(site_status_value)
    trial = status_words(trial_status, status_note)
    if site.standing == Standing.OPEN and trial.standing != Standing.OPEN:
        return SiteStatus(
            TRIAL_NOT_OPEN[trial.standing] % {"status": str(site.badge).lower()}, DISAGREES
        )
    if as_of and site.standing == Standing.OPEN:
        return SiteStatus(dated(site.badge, as_of), Standing.UNCERTAIN)
    return SiteStatus(site.badge, site.standing)


# Said above a trial's contacts and sites when the trial is not open: the contacts are still
# there (for questions), and must not read as an invitation to enrol.
CONTACT_NOTES = {
    Standing.CLOSED: gettext_lazy(
        "This trial is not taking new people, whatever a site's own status says. "
        "The contacts below can answer questions about it."
    ),
    Standing.UNCERTAIN: gettext_lazy(
        "This trial's status is not confirmed: ask the contacts below whether it "
        "is taking people before you travel."
    ),
}


# Dates at their certainty


def passed_before(precision, today):
    """A date of this precision has passed when it is before the returned day: "October 2024"
    (kept as 1 October, precision MONTH) is past only once October is over."""
    if precision == DatePrecision.YEAR:
        return datetime.date(today.year, 1, 1)
    if precision == DatePrecision.MONTH:
        return today.replace(day=1)
    return today


def has_passed(day, precision, today):
    return day is not None and day < passed_before(precision, today)


def passed_condition(field, today):
    """has_passed() as a query condition on a date field and its precision."""
    precision = f"{field}_precision"
    return (
        Q(**{precision: DatePrecision.YEAR, f"{field}__lt": passed_before("YEAR", today)})
        | Q(**{precision: DatePrecision.MONTH, f"{field}__lt": passed_before("MONTH", today)})
        | (
            ~Q(**{f"{precision}__in": [DatePrecision.YEAR, DatePrecision.MONTH]})
            & Q(**{f"{field}__lt": today})
        )
    )


# (a date the registry calls actual, an estimate still ahead, an estimate now past), the first
# and last as (on a day, in a month or year): languages word the two apart ("on 5 May", "in May").
DATE_PHRASES = {
    "start_date": (
        (gettext_lazy("Started on %(date)s"), gettext_lazy("Started in %(date)s")),
        gettext_lazy("Expected to start around %(date)s"),
        (
            gettext_lazy("Was expected to start on %(date)s; the registry has not said since"),
            gettext_lazy("Was expected to start in %(date)s; the registry has not said since"),
        ),
    ),
    "primary_completion_date": (
        (
            gettext_lazy("Main results collected on %(date)s"),
            gettext_lazy("Main results collected in %(date)s"),
        ),
        gettext_lazy("Main results expected around %(date)s"),
        (
            gettext_lazy("Main results were expected on %(date)s; the registry has not said since"),
            gettext_lazy("Main results were expected in %(date)s; the registry has not said since"),
        ),
    ),
    "completion_date": (
        (gettext_lazy("Ended on %(date)s"), gettext_lazy("Ended in %(date)s")),
        gettext_lazy("Expected to end around %(date)s"),
        (
            gettext_lazy("Was expected to end on %(date)s; the registry has not said since"),
            gettext_lazy("Was expected to end in %(date)s; the registry has not said since"),
        ),
    ),
}


def date_words(name, day, precision, date_type, today):
    """A trial's date as sure as the registry is of it. A date the source gives no type for is
    shown as a plain date: we do not know whether it is an estimate."""
    if day is None:
        return ""
    text = format_partial_date(day, precision)
    actual, ahead, past = DATE_PHRASES[name]
    which = 0 if precision not in (DatePrecision.YEAR, DatePrecision.MONTH) else 1
    if date_type == DateType.ACTUAL:
        return actual[which] % {"date": text}
    if date_type == DateType.ESTIMATED:
        phrase = past[which] if has_passed(day, precision, today) else ahead
        return phrase % {"date": text}
    return text


# Honest staleness


def stale_after():
    return datetime.timedelta(days=settings.REGISTRY_STALE_AFTER_DAYS)


@dataclass(frozen=True)
class Dates:
    """What staleness reads of a trial: its status and dates (a model or a row of values)."""

    status: str
    last_update: datetime.date | None
    end: datetime.date | None
    end_precision: str
    end_type: str

    @classmethod
    def of(cls, row):
        get = row.get if isinstance(row, dict) else lambda name: getattr(row, name)
        return cls(
            get("overall_status"),
            get("last_update_post_date"),
            get("completion_date"),
            get("completion_date_precision"),
            get("completion_date_type"),
        )


def is_old(last_update, today):
    """A record not updated for more than REGISTRY_STALE_AFTER_DAYS (a year to the day is not)."""
    return last_update < today - stale_after()


def as_of(dates, today):
    """ "as of July 2020" when a status speaks of the present ("Recruiting") but the record that
    says so is old: the words were the registry's then, and must not read as a fact of today.
    The bundled legacy records (2018 to 2020) are such. "" otherwise."""
    if dates.status not in CURRENT_STATUSES or dates.last_update is None:
        return ""
    if not is_old(dates.last_update, today):
        return ""
    return _("as of %(month)s") % {
        "month": format_partial_date(dates.last_update, DatePrecision.MONTH)
    }


def dated_badge(dates, today, status_note=""):
    """The badge of the card, the related trials and the exports, dated by as_of() when old:
    "Recruiting as of July 2020"."""
    return dated(status_words(dates.status, status_note).badge, as_of(dates, today))


def staleness(dates, today):
    """A plain warning when a trial still reads as open or under way but its record may be out
    of date: not updated for REGISTRY_STALE_AFTER_DAYS, or its end has passed. "" otherwise."""
    reasons = stale_reasons(dates, today)
    if not reasons:
        return ""
    if status_words(dates.status).standing == Standing.OPEN:
        advice = _("Please confirm with the site that it is taking people before you travel.")
    else:
        advice = _("The trial may have moved on since: ask the trial team where it stands.")
    return _("This may be out of date: %(reasons)s. %(advice)s") % {
        "reasons": both(reasons),
        "advice": advice,
    }


def both(reasons):
    """One reason, or two joined: "the record is old and its end has passed"."""
    if len(reasons) == 1:
        return reasons[0]
    return pgettext("two reasons", "%(first)s and %(second)s") % {
        "first": reasons[0],
        "second": reasons[1],
    }


def stale_reasons(dates, today):
    """Why a trial that reads as open or under way may be out of date, in words; [] when it is
    not (or is closed)."""
    if dates.status not in CURRENT_STATUSES:
        return []
    reasons = []
    if dates.last_update is None:
        reasons.append(_("the source gives no date for its last update"))
    elif is_old(dates.last_update, today):
        when = format_partial_date(dates.last_update, DatePrecision.MONTH)
        reasons.append(_("the registry record was last updated in %(month)s") % {"month": when})
    if has_passed(dates.end, dates.end_precision, today):
        end = {"date": format_partial_date(dates.end, dates.end_precision)}
        if dates.end_type == DateType.ESTIMATED:
            reasons.append(_("its expected end, %(date)s, has passed") % end)
        else:
            reasons.append(_("its end date, %(date)s, has passed") % end)
    return reasons


def stale_condition(today):
    """staleness() as a query condition, for the curators' data quality page."""
    return Q(overall_status__in=CURRENT_STATUSES) & (
        old_record_condition(today) | passed_condition("completion_date", today)
    )


def old_record_condition(today):
    """A record with no update date or is_old(), as a query condition."""
    return Q(last_update_post_date__isnull=True) | Q(
        last_update_post_date__lt=today - stale_after()
    )
