"""Asking to follow, confirming, changing and stopping: plain functions the views call.

Double opt-in: asking writes the address (unconfirmed) and the follow (unconfirmed) and queues
one mail, the confirmation; nothing else is ever mailed for a follow until its link is followed.
Each follow is confirmed on its own, so a stranger typing someone's address can at most cause a
confirmation mail, within the limits the view counts."""

from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from ..models import Follow, Frequency, OutboxMessage, Subscriber
from . import links, outbox
from .searches import describe


def follow_title(follow):
    """What is followed, in words, for the mails and the manage page."""
    if follow.trial_id:
        return f"{follow.trial.nct_id}: {follow.trial.brief_title}"
    return describe(follow.query)


@transaction.atomic
def ask_to_follow(*, email, language, frequency, trial=None, query=""):
    """The follow (new, or the one already there) and its queued confirmation mail."""
    subscriber, created = Subscriber.objects.get_or_create(
        email=email.strip().lower(), defaults={"language": language}
    )
    if trial is not None:
        follow, _created = Follow.objects.get_or_create(subscriber=subscriber, trial=trial)
    else:
        follow, _created = Follow.objects.get_or_create(
            subscriber=subscriber, trial=None, query=query
        )
    with translation.override(language):
        context = {
            "title": follow_title(follow),
            "is_trial": follow.trial_id is not None,
            "frequency_label": Frequency(frequency).label,
            "confirm_url": links.confirm_url(follow, frequency, language=language),
            "days": settings.ALERTS_CONFIRM_DAYS,
            "unsubscribe_url": links.unsubscribe_url(subscriber),
            "language": language,
        }
        message = outbox.queue(
            subscriber=subscriber,
            kind=OutboxMessage.Kind.CONFIRMATION,
            subject=_("Please confirm: email updates about blinatumomab trials"),
            text=render_to_string("alerts/email/confirm.txt", context),
            html=render_to_string("alerts/email/confirm.html", context),
            unsubscribe_url=context["unsubscribe_url"],
        )
    return follow, message


@transaction.atomic
def confirm(*, follow_id, key, frequency, language):
    """Confirms the follow a link names; None when it (or its address) is gone."""
    follow = (
        Follow.objects.select_related("subscriber")
        .filter(pk=follow_id, subscriber__key=key)
        .first()
    )
    if follow is None:
        return None
    now = timezone.now()
    subscriber = follow.subscriber
    subscriber.language = language  # the language of the page the link opened
    subscriber.last_click_at = now
    subscriber.confirmed_at = subscriber.confirmed_at or now
    subscriber.save(update_fields=["language", "last_click_at", "confirmed_at"])
    follow.frequency = frequency
    if follow.confirmed_at is None:
        follow.confirmed_at = now
        follow.last_digest_at = now  # the first digest tells what changed after this
    follow.save(update_fields=["frequency", "confirmed_at", "last_digest_at"])
    return follow


def subscriber_for(key):
    return Subscriber.objects.filter(key=key).first()


def clicked(subscriber):
    """A link followed: the address is kept a year more from now."""
    subscriber.last_click_at = timezone.now()
    subscriber.save(update_fields=["last_click_at"])


def unsubscribe(subscriber):
    """Deletes the address, its follows and its mail in the outbox: nothing of it is left."""
    subscriber.delete()


def purge(*, now=None):
    """What the privacy note promises (README, "Alerts"): addresses without a click for a year
    go, with their follows; so do confirmation links never followed once they have expired, and
    sent mail after a month (it holds the address). Returns how many addresses went."""
    now = now or timezone.now()
    expired = now - timedelta(days=settings.ALERTS_CONFIRM_DAYS)
    Follow.objects.filter(confirmed_at=None, created_at__lt=expired).delete()
    _, unclicked = Subscriber.objects.unclicked_since(now - timedelta(days=365)).delete()
    _, never = Subscriber.objects.filter(follows=None, created_at__lt=expired).delete()
    OutboxMessage.objects.filter(
        state=OutboxMessage.State.SENT, sent_at__lt=now - timedelta(days=30)
    ).delete()
    return unclicked.get("trials.Subscriber", 0) + never.get("trials.Subscriber", 0)
