"""Recording what changed in a trial, in the ways that matter to families (models/changes.py).

An import compares what a family sees of the trial before and after it writes the record
(`snapshot`, then `record_import`): the overall status, each site and its status, the
eligibility criteria, the age limits, the dates and the posting of results. What curators do is
recorded where they do it (trials/curation.py): a correction of a published trial, a withdrawal.
The registry's own field-by-field diff stays on the trial (import_changes) and in the history;
these rows only name, in structured form, the few changes a family is told about.
"""

import datetime

from django.utils import timezone

from . import models as m
from .models import ChangeKind
from .vocabularies import OPEN_STATUSES, DatePrecision, Status

# A site "opens" when it starts taking patients; "not yet recruiting" is open to a family's
# plans (OPEN_STATUSES) but not yet to patients, so going from it to recruiting is the opening.
TAKING_PATIENTS = (Status.RECRUITING, Status.ENROLLING_BY_INVITATION, Status.AVAILABLE)

# The trial's dates a family plans by, compared at the precision the registry gives.
DATE_FIELDS = ["start_date", "primary_completion_date", "completion_date"]
AGE_FIELDS = ["minimum_age", "maximum_age"]
SITE_FIELDS = ["facility", "city", "state", "country", "status"]


def partial_iso(day, precision):
    """A registry date as ISO text cut to its precision: "2026", "2026-03" or "2026-03-10" (the
    pages read it back with the partial_date filter)."""
    if day is None:
        return ""
    cut = {DatePrecision.YEAR: 4, DatePrecision.MONTH: 7}.get(precision, 10)
    return day.isoformat()[:cut]


def site_label(site):
    """A site as families find it on the page: "Hospital, City, State, Country"."""
    parts = [site["facility"], site["city"], site["state"], site["country"]]
    return ", ".join(part for part in parts if part)


def snapshot(trial):
    """What a family sees of a stored trial, to compare after an import; None for a new one."""
    if trial is None or trial.pk is None:
        return None
    return {
        "status": trial.overall_status,
        "criteria": trial.eligibility_criteria,
        "results": trial.results_first_post_date,
        **{name: getattr(trial, name) for name in AGE_FIELDS},
        **{
            name: partial_iso(getattr(trial, name), getattr(trial, f"{name}_precision"))
            for name in DATE_FIELDS
        },
        # By primary key: imports update a site in place, so the same key is the same site.
        "sites": {row["pk"]: row for row in trial.sites.values("pk", *SITE_FIELDS)},
    }


def record_import(trial, before, *, seen_at=None):
    """Record what an import changed for families: `before` is the trial's snapshot taken before
    the import wrote it (None: the trial is new here, "first listed"). Nothing changed, nothing
    recorded. Returns the rows made."""
    posted = trial.last_update_post_date
    seen_at = seen_at or timezone.now()

    def change(kind, subject="", old="", new=""):
        return m.TrialChange(
            trial=trial,
            kind=kind,
            subject=subject[:500],
            old_value=old,
            new_value=new,
            registry_posted_on=posted,
            seen_at=seen_at,
        )

    if before is None:
        made = [change(ChangeKind.FIRST_LISTED)]
    else:
        after = snapshot(trial)
        made = list(trial_changes(before, after, change)) + list(
            site_changes(before["sites"], after["sites"], change)
        )
    return m.TrialChange.objects.bulk_create(made)


def trial_changes(before, after, change):
    if before["status"] != after["status"]:
        yield change(ChangeKind.STATUS, old=before["status"], new=after["status"])
    if before["criteria"] != after["criteria"]:
        yield change(ChangeKind.ELIGIBILITY)  # the text is on the page; no copy of it here
    for name in AGE_FIELDS:
        if before[name] != after[name]:
            yield change(ChangeKind.AGES, name, before[name], after[name])
    for name in DATE_FIELDS:
        if before[name] != after[name]:
            yield change(ChangeKind.DATES, name, before[name], after[name])
    if after["results"] and not before["results"]:
        yield change(ChangeKind.RESULTS_POSTED, new=after["results"].isoformat())


def site_changes(before, after, change):
    for pk, site in after.items():
        old = before.get(pk)
        if old is None:
            yield change(ChangeKind.SITE_ADDED, site_label(site), new=site["status"])
        elif old["status"] != site["status"]:
            kind = ChangeKind.SITE_STATUS
            if site["status"] in TAKING_PATIENTS and old["status"] not in TAKING_PATIENTS:
                kind = ChangeKind.SITE_OPENED
            elif old["status"] in OPEN_STATUSES and site["status"] not in ("", *OPEN_STATUSES):
                # (A status the record no longer gives is no closing: it says nothing.)
                kind = ChangeKind.SITE_CLOSED
            yield change(kind, site_label(site), old["status"], site["status"])
    for pk, site in before.items():
        if pk not in after:
            yield change(ChangeKind.SITE_REMOVED, site_label(site), old=site["status"])


def record_correction(trial, *, what, old="", new=""):
    """A curator corrected what families see of a published trial: `what` names it as curators
    do ("Overall status", "Site: Hospital, City")."""
    if trial.publication_state != m.PublicationState.PUBLISHED or trial.is_synthetic:
        return None  # not public yet: its first listing will say it
    return m.TrialChange.objects.create(
        trial=trial,
        kind=ChangeKind.CORRECTION,
        subject=what[:500],
        old_value=old[:300],
        new_value=new[:300],
    )


def record_first_publication(trial):
    """A curator published a trial for the first time: families first see it now, whenever it
    was imported (as a draft), so its "first listed" row takes this moment; feeds and digests,
    which read changes since a moment, then show it as new."""
    first = trial.changes.filter(kind=ChangeKind.FIRST_LISTED)
    if not first.update(seen_at=timezone.now()):
        m.TrialChange.objects.create(
            trial=trial,
            kind=ChangeKind.FIRST_LISTED,
            registry_posted_on=trial.last_update_post_date,
        )


def record_withdrawal(trial):
    """A curator withdrew a public trial: its followers are told it is no longer listed."""
    return m.TrialChange.objects.create(trial=trial, kind=ChangeKind.WITHDRAWN)


def read_since(text):
    """?since=YYYY-MM-DD of a trial page or feed: (the day, "") when it reads, else (None, the
    text as typed, cut short, for the page to say it could not read it; "" when none was given)."""
    text = (text or "").strip()[:40]
    try:
        day = datetime.date.fromisoformat(text) if len(text) == 10 else None
    except ValueError:
        day = None
    return (day, "") if day else (None, text)


def for_trial_page(trial, since):
    """A trial's changes for its page, latest first (since `since`, a date or None): one query."""
    changes = trial.changes.all()
    if since:
        changes = changes.since(since)
    return list(changes.latest_first())
