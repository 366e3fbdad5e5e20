"""The family-facing changes of a trial (trials/models/changes.py): the queryset's selections."""

import datetime

from django.utils import timezone

from tests.factories import trial
from trials.models import ChangeKind, PublicationState, TrialChange


def at(day, hour=12):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def test_since_keeps_changes_seen_from_the_start_of_that_day(db):
    made = trial()
    day = datetime.date(2026, 3, 10)
    TrialChange.objects.create(
        trial=made, kind=ChangeKind.STATUS, seen_at=at(day, 0) - datetime.timedelta(seconds=1)
    )
    early = TrialChange.objects.create(trial=made, kind=ChangeKind.DATES, seen_at=at(day, 0))
    later = TrialChange.objects.create(trial=made, kind=ChangeKind.AGES, seen_at=at(day, 18))

    assert set(TrialChange.objects.since(day)) == {early, later}
    assert list(TrialChange.objects.since(day).latest_first()) == [later, early]


def test_for_families_shows_published_trials_and_withdrawals_never_drafts(db):
    shown = trial()
    draft = trial(publish=False)
    gone = trial(publication_state=PublicationState.WITHDRAWN)
    visible = TrialChange.objects.create(trial=shown, kind=ChangeKind.STATUS)
    TrialChange.objects.create(trial=draft, kind=ChangeKind.STATUS)
    TrialChange.objects.create(trial=gone, kind=ChangeKind.STATUS)
    withdrawal = TrialChange.objects.create(trial=gone, kind=ChangeKind.WITHDRAWN)

    assert set(TrialChange.objects.for_families()) == {visible, withdrawal}
