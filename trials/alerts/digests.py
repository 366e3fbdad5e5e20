"""A digest per address: what changed, since each of its due follows' last digest, in the trials
it follows and the trials its followed searches find; in the address's language.

Each address's digest is written to the outbox in one transaction with its follows' new
last-digest times: a crash before the commit leaves both as they were (the next run builds the
same digest), after it leaves the digest waiting in the outbox and the follows moved on (the next
run builds nothing again). A followed trial that curators withdrew is said once, plainly, and its
follow dropped."""

from dataclasses import dataclass, field

from django.conf import settings
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.safestring import mark_safe
from django.utils.translation import ngettext

from ..models import ChangeKind, Follow, OutboxMessage, PublicationState, Subscriber, TrialChange
from . import links, outbox, searches


@dataclass
class TrialNews:
    trial: object
    new: bool = False  # first listed here since the last digest
    changes: list = field(default_factory=list)


@dataclass
class Section:
    title: str
    url: str
    is_trial: bool
    news: list = field(default_factory=list)
    withdrawn: bool = False

    @property
    def empty(self):
        return not self.news and not self.withdrawn


def changes_between(since, now):
    return (
        TrialChange.objects.filter(seen_at__gt=since, seen_at__lte=now)
        .for_families()
        .select_related("trial")
        .order_by("trial__nct_id", "seen_at", "pk")
    )


def news_of(changes):
    """[TrialNews], a trial each, in the order given: its changes oldest first."""
    by_trial = {}
    for change in changes:
        news = by_trial.setdefault(change.trial_id, TrialNews(change.trial))
        if change.kind == ChangeKind.FIRST_LISTED:
            news.new = True
        elif change.kind != ChangeKind.WITHDRAWN:
            # In the words of the trial page's "What changed" (a template per kind), as HTML.
            words = render_to_string(f"trials/changes/{change.kind}.html", {"change": change})
            change.words = mark_safe(words.strip())  # the template escaped its values
            news.changes.append(change)
    return [news for news in by_trial.values() if news.new or news.changes]


def trial_section(follow, now):
    trial = follow.trial
    section = Section(
        title=f"{trial.nct_id}: {trial.brief_title}",
        url=links.absolute(
            "trials:detail", language=translation.get_language(), nct_id=trial.nct_id
        ),
        is_trial=True,
    )
    if trial.publication_state != PublicationState.PUBLISHED:
        section.withdrawn = True
        return section
    section.news = news_of(changes_between(follow.last_digest_at, now).filter(trial=trial))
    return section


def search_section(follow, now, found_by):
    with translation.override(translation.get_language()):
        title = searches.describe(follow.query)
    url = links.absolute("trials:list", language=translation.get_language())
    section = Section(
        title=title, url=f"{url}?{follow.query}" if follow.query else url, is_trial=False
    )
    if follow.query not in found_by:  # each search run once a run, however many follow it
        found_by[follow.query] = searches.matching_ids(follow.query)
    found = found_by[follow.query]
    section.news = news_of(changes_between(follow.last_digest_at, now).filter(trial_id__in=found))
    return section


def build_digests(*, now=None):
    """A digest in the outbox for every address with a follow due and something to say;
    returns how many were written."""
    now = now or timezone.now()
    due = Subscriber.objects.filter(follows__in=Follow.objects.due(now)).distinct()
    found_by = {}
    return sum(build_digest(subscriber, now=now, found_by=found_by) for subscriber in due)


@transaction.atomic
def build_digest(subscriber, *, now, found_by=None):
    """1 when a digest was written for this address, 0 when there was nothing to say."""
    # Locked (PostgreSQL): a second send_alerts running at once waits, then finds them not due.
    follows = list(
        Follow.objects.due(now)
        .filter(subscriber=subscriber)
        .select_for_update(of=("self",))
        .select_related("trial")
        .order_by("created_at")
    )
    if not follows:
        return 0
    with translation.override(subscriber.language):
        sections = [
            trial_section(follow, now)
            if follow.trial_id
            else search_section(follow, now, {} if found_by is None else found_by)
            for follow in follows
        ]
        Follow.objects.filter(pk__in=[follow.pk for follow in follows]).update(last_digest_at=now)
        # A withdrawn trial is said once: its follow goes with this digest.
        gone = [f.pk for f, s in zip(follows, sections, strict=True) if s.withdrawn]
        Follow.objects.filter(pk__in=gone).delete()
        sections = [section for section in sections if not section.empty]
        if not sections:
            return 0
        changed = sum(len(news.changes) + news.new for s in sections for news in s.news)
        context = {
            "sections": sections,
            "site_url": settings.SITE_URL,
            "manage_url": links.manage_url(subscriber),
            "unsubscribe_url": links.unsubscribe_url(subscriber),
            "language": subscriber.language,
        }
        outbox.queue(
            subscriber=subscriber,
            kind=OutboxMessage.Kind.DIGEST,
            subject=ngettext(
                "Blinatumomab trials you follow: %(count)s update",
                "Blinatumomab trials you follow: %(count)s updates",
                max(changed, 1),
            )
            % {"count": max(changed, 1)},
            text=render_to_string("alerts/email/digest.txt", context),
            html=render_to_string("alerts/email/digest.html", context),
            unsubscribe_url=context["unsubscribe_url"],
            now=now,
        )
    return 1
