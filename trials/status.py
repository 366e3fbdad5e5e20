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
from dataclasses import dataclass

from django.conf import settings
from django.db import models
from django.db.models import Q

from .parsing import format_partial_date
from .vocabularies import DatePrecision, DateType, Status


class Standing(models.TextChoices):
    """Where a status leaves a family: may they still join?"""

    OPEN = "open", "Open"
    CLOSED = "closed", "Closed"
    UNCERTAIN = "uncertain", "Not known"


@dataclass(frozen=True)
class StatusWords:
    badge: str  # a few words: the card's badge, a site's status, the map, the exports, the filter
    line: str  # the trial page's headline: what the status means for a family
    standing: str  # a Standing
    # It describes the present ("recruiting", "under way"), so it goes out of date when the
    # record does; a final status ("completed", "stopped early") does not.
    current: bool


STATUS_WORDS = {
    Status.RECRUITING: StatusWords(
        "Recruiting", "Recruiting: you may be able to join", Standing.OPEN, True
    ),
    Status.NOT_YET_RECRUITING: StatusWords(
        "Not yet recruiting",
        "Not yet recruiting: the trial plans to take people soon",
        Standing.OPEN,
        True,
    ),
    Status.ENROLLING_BY_INVITATION: StatusWords(
        "By invitation only",
        "By invitation only: only people the trial team invites can join",
        Standing.OPEN,
        True,
    ),
    Status.ACTIVE_NOT_RECRUITING: StatusWords(
        "Under way, not taking new people",
        "Under way, not taking new people: those already in the trial are still being treated "
        "or followed",
        Standing.CLOSED,
        True,
    ),
    Status.SUSPENDED: StatusWords(
        "Paused", "Paused: the trial is not taking people for now", Standing.CLOSED, True
    ),
    Status.TERMINATED: StatusWords(
        "Stopped early",
        "Stopped early: the trial ended before its planned end",
        Standing.CLOSED,
        False,
    ),
    Status.COMPLETED: StatusWords(
        "Completed", "Completed: the trial has ended", Standing.CLOSED, False
    ),
    Status.WITHDRAWN: StatusWords(
        "Withdrawn",
        "Withdrawn: the trial stopped before anyone took part",
        Standing.CLOSED,
        False,
    ),
    # Expanded access: a programme, not a trial, that gives the treatment outside trials.
    Status.AVAILABLE: StatusWords(
        "Available",
        "Available: doctors can ask for the treatment through this programme",
        Standing.OPEN,
        True,
    ),
    Status.NO_LONGER_AVAILABLE: StatusWords(
        "No longer available",
        "No longer available: the programme has closed",
        Standing.CLOSED,
        False,
    ),
    Status.TEMPORARILY_NOT_AVAILABLE: StatusWords(
        "Not available for now",
        "Not available for now: the programme is paused",
        Standing.CLOSED,
        True,
    ),
    Status.APPROVED_FOR_MARKETING: StatusWords(
        "Approved for use",
        "Approved for use: the treatment is approved, so the programme no longer gives it; ask "
        "your care team",
        Standing.CLOSED,
        False,
    ),
    Status.WITHHELD: StatusWords(
        "Status withheld",
        "Status withheld: the registry does not show this programme's status",
        Standing.UNCERTAIN,
        False,
    ),
    # The registry's own flag: the record's status has not been confirmed for two years.
    Status.UNKNOWN: StatusWords(
        "Status unknown",
        "Status unknown: the registry has not had this trial's status confirmed for over two years",
        Standing.UNCERTAIN,
        False,
    ),
}
# The statuses that say a trial (or programme) is over or shut to new people.
CLOSED_STATUSES = tuple(s for s, w in STATUS_WORDS.items() if w.standing == Standing.CLOSED)
# The statuses that may go out of date with the record (see StatusWords.current).
CURRENT_STATUSES = tuple(s for s, w in STATUS_WORDS.items() if w.current)
# The statuses where the registry gives a reason for stopping (whyStopped).
STOPPED_STATUSES = (Status.SUSPENDED, Status.TERMINATED, Status.WITHDRAWN)


def status_words(status, status_note=""):
    """The words for a registry status. No status: what the source said instead, if anything. A
    value the registry added after our vocabulary is shown as given, and its standing unknown."""
    if status in STATUS_WORDS:
        return STATUS_WORDS[status]
    if status:
        text = status.replace("_", " ").capitalize()
        return StatusWords(text, text, Standing.UNCERTAIN, False)
    return StatusWords(
        status_note or "Status not stated",
        status_note or "The source does not say whether the trial is recruiting",
        Standing.UNCERTAIN,
        False,
    )


def headline(status, *, status_note="", why_stopped="", as_of=""):
    """The trial page's status line, with the registry's reason when it gives one. With `as_of`
    (see as_of()), the status is the registry's word of that month, not a fact of today."""
    if as_of:
        badge = status_words(status, status_note).badge
        return f"{badge} {as_of}, the registry's last word: it may have changed since"
    line = status_words(status, status_note).line
    if why_stopped and status in STOPPED_STATUSES:
        line = f"{line}. The reason given: {why_stopped.strip().rstrip('.')}"
    return line


@dataclass(frozen=True)
class SiteStatus:
    words: str
    standing: str  # a Standing, or "disagrees"


DISAGREES = "disagrees"
TRIAL_NOT_OPEN = {
    Standing.CLOSED: "The trial is closed",
    Standing.UNCERTAIN: "The trial's own status is not confirmed",
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
            f"{TRIAL_NOT_OPEN[trial.standing]}; the registry still lists this site as "
            f"{site.badge.lower()}",
            DISAGREES,
        )
    if as_of and site.standing == Standing.OPEN:
        return SiteStatus(f"{site.badge} {as_of}", Standing.UNCERTAIN)
    return SiteStatus(site.badge, site.standing)


# Said above a trial's contacts and sites when the trial is not open: the contacts are still
# there (for questions), and must not read as an invitation to enrol.
CONTACT_NOTES = {
    Standing.CLOSED: "This trial is not taking new people, whatever a site's own status says. "
    "The contacts below can answer questions about it.",
    Standing.UNCERTAIN: "This trial's status is not confirmed: ask the contacts below whether it "
    "is taking people before you travel.",
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


# (a date the registry calls actual, an estimate still ahead, an estimate now past)
DATE_PHRASES = {
    "start_date": (
        "Started {on} {date}",
        "Expected to start around {date}",
        "Was expected to start {on} {date}; the registry has not said since",
    ),
    "primary_completion_date": (
        "Main results collected {on} {date}",
        "Main results expected around {date}",
        "Main results were expected {on} {date}; the registry has not said since",
    ),
    "completion_date": (
        "Ended {on} {date}",
        "Expected to end around {date}",
        "Was expected to end {on} {date}; the registry has not said since",
    ),
}


def date_words(name, day, precision, date_type, today):
    """A trial's date as sure as the registry is of it. A date the source gives no type for is
    shown as a plain date: we do not know whether it is an estimate."""
    if day is None:
        return ""
    text = format_partial_date(day, precision)
    actual, ahead, past = DATE_PHRASES[name]
    on = "on" if precision not in (DatePrecision.YEAR, DatePrecision.MONTH) else "in"
    if date_type == DateType.ACTUAL:
        return actual.format(on=on, date=text)
    if date_type == DateType.ESTIMATED:
        phrase = past if has_passed(day, precision, today) else ahead
        return phrase.format(on=on, date=text)
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
    return f"as of {format_partial_date(dates.last_update, DatePrecision.MONTH)}"


def dated_badge(dates, today, status_note=""):
    """The badge of the card, the related trials and the exports, dated by as_of() when old:
    "Recruiting as of July 2020"."""
    badge = status_words(dates.status, status_note).badge
    when = as_of(dates, today)
    return f"{badge} {when}" if when else badge


def staleness(dates, today):
    """A plain warning when a trial still reads as open or under way but its record may be out
    of date: not updated for REGISTRY_STALE_AFTER_DAYS, or its end has passed. "" otherwise."""
    reasons = stale_reasons(dates, today)
    if not reasons:
        return ""
    if status_words(dates.status).standing == Standing.OPEN:
        advice = "Please confirm with the site that it is taking people before you travel."
    else:
        advice = "The trial may have moved on since: ask the trial team where it stands."
    return f"This may be out of date: {' and '.join(reasons)}. {advice}"


def stale_reasons(dates, today):
    """Why a trial that reads as open or under way may be out of date, in words; [] when it is
    not (or is closed)."""
    if dates.status not in CURRENT_STATUSES:
        return []
    reasons = []
    if dates.last_update is None:
        reasons.append("the source gives no date for its last update")
    elif is_old(dates.last_update, today):
        when = format_partial_date(dates.last_update, DatePrecision.MONTH)
        reasons.append(f"the registry record was last updated in {when}")
    if has_passed(dates.end, dates.end_precision, today):
        end = format_partial_date(dates.end, dates.end_precision)
        which = "expected end" if dates.end_type == DateType.ESTIMATED else "end date"
        reasons.append(f"its {which}, {end}, has passed")
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
