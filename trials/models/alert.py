"""Following a search or a trial by email, with no account (README, "Alerts").

A Subscriber is an email address and the language it chose; it holds nothing else. Each Follow
(a search's query string, or a trial) is confirmed on its own by the link mailed to the address,
so that nobody can add follows to someone else's address. Every message, the confirmations too,
is written to the outbox first and delivered from there (trials/alerts/outbox.py), so that a
crash loses none and sends none twice."""

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .trial import Trial


def new_key():
    return secrets.token_urlsafe(18)


class Frequency(models.TextChoices):
    DAILY = "daily", _("Daily")
    WEEKLY = "weekly", _("Weekly")


class SubscriberQuerySet(models.QuerySet):
    def unclicked_since(self, moment):
        """Addresses whose last click (or sign-up, with none) is older than `moment`: purged."""
        return self.filter(
            Q(last_click_at__lt=moment) | Q(last_click_at=None, created_at__lt=moment)
        )


class Subscriber(models.Model):
    email = models.EmailField(unique=True, max_length=254, help_text="Shown to no curator.")
    language = models.CharField(
        max_length=10,
        choices=settings.LANGUAGES,
        default=settings.LANGUAGE_CODE,
        help_text="The language of the page the address was given on: its emails are in it.",
    )
    # The secret in every link mailed to the address (signed too); a new one voids the old links.
    key = models.CharField(max_length=40, unique=True, default=new_key, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    last_click_at = models.DateTimeField(
        null=True, blank=True, help_text="The last link followed: a year without one deletes it."
    )

    objects = SubscriberQuerySet.as_manager()

    class Meta:
        ordering = ["created_at"]

    def __str__(self):
        return f"Subscriber {self.pk}"  # never the address: curators do not see it


class FollowQuerySet(models.QuerySet):
    def confirmed(self):
        return self.exclude(confirmed_at=None)

    def of_searches(self):
        return self.filter(trial=None)

    def of_trials(self):
        return self.exclude(trial=None)

    def due(self, now):
        """Confirmed follows whose digest is due: a day (or a week) since the last one, less an
        hour so that a daily run at a slightly earlier time still finds yesterday's follows due."""
        from datetime import timedelta

        slack = timedelta(hours=1)
        return self.confirmed().filter(
            Q(frequency=Frequency.DAILY, last_digest_at__lte=now - timedelta(days=1) + slack)
            | Q(frequency=Frequency.WEEKLY, last_digest_at__lte=now - timedelta(days=7) + slack)
        )


class Follow(models.Model):
    subscriber = models.ForeignKey(Subscriber, on_delete=models.CASCADE, related_name="follows")
    trial = models.ForeignKey(
        Trial,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="follows",
        help_text="The trial followed; empty when a search is followed.",
    )
    query = models.CharField(
        max_length=500,
        blank=True,
        help_text="The search followed: the list page's query string, normalised.",
    )
    frequency = models.CharField(max_length=10, choices=Frequency.choices, default=Frequency.WEEKLY)
    created_at = models.DateTimeField(auto_now_add=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    last_digest_at = models.DateTimeField(
        null=True, blank=True, help_text="Changes seen after this go in the next digest."
    )

    objects = FollowQuerySet.as_manager()

    class Meta:
        ordering = ["created_at"]
        constraints = [
            # One follow of a trial, and of a search, per address: asking again re-sends the link.
            models.UniqueConstraint(
                fields=["subscriber", "trial"],
                condition=Q(trial__isnull=False),
                name="follow_one_per_trial",
            ),
            models.UniqueConstraint(
                fields=["subscriber", "query"],
                condition=Q(trial__isnull=True),
                name="follow_one_per_search",
            ),
        ]
        indexes = [
            # send_alerts: the confirmed follows whose digest is due.
            models.Index(fields=["frequency", "last_digest_at"], name="follow_due_idx"),
        ]

    def __str__(self):
        return self.trial.nct_id if self.trial_id else f"search ?{self.query}"


class OutboxMessage(models.Model):
    class Kind(models.TextChoices):
        CONFIRMATION = "confirmation", "Confirmation"
        DIGEST = "digest", "Digest"

    class State(models.TextChoices):
        PENDING = "pending", "Waiting to be sent"
        SENDING = "sending", "Being sent"
        SENT = "sent", "Sent"
        FAILED = "failed", "Failed: no more tries"

    subscriber = models.ForeignKey(
        Subscriber,
        on_delete=models.CASCADE,  # an unsubscribe deletes its mail too
        related_name="messages",
    )
    kind = models.CharField(max_length=20, choices=Kind.choices)
    recipient = models.EmailField(max_length=254)
    subject = models.CharField(max_length=200)
    text = models.TextField()
    html = models.TextField()
    headers = models.JSONField(default=dict)
    state = models.CharField(max_length=10, choices=State.choices, default=State.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(help_text="Not sent before this time.")
    claimed_at = models.DateTimeField(
        null=True, blank=True, help_text="When a sender took it; a sender killed leaves it so."
    )
    last_error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            # The sender: what is waiting and due, oldest first.
            models.Index(fields=["state", "next_attempt_at"], name="outbox_due_idx"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.pk} ({self.get_state_display()})"
