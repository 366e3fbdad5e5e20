"""Every alert email is written to the outbox (OutboxMessage) first, in the transaction that
decides to send it, and delivered from there; so a crash never loses a message, and a message is
sent once.

Delivery of one message, each step its own commit:
1. claim: PENDING -> SENDING, attempts + 1, claimed_at = now (a conditional UPDATE, so two
   senders never take the same message);
2. hand it to the SMTP server;
3. SENT with sent_at; or, on an error, PENDING again with the next try after a wait that doubles
   each time (ALERTS_RETRY_SECONDS, 2x, 4x...), or FAILED after ALERTS_MAX_ATTEMPTS (curators see
   it in the admin).

A sender killed between 1 and 3 leaves the message SENDING; the next run puts it back to PENDING
once its claim is older than LEASE, and sends it. The one window no outbox can close: killed after
the SMTP server accepted the message but before step 3 was written, the message is sent again.
Its Message-ID is the same on every try, so a receiving server or client that deduplicates by
Message-ID shows it once.
"""

import logging
from datetime import timedelta
from smtplib import SMTPException

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db.models import F
from django.utils import timezone

from ..models import OutboxMessage

logger = logging.getLogger(__name__)

State = OutboxMessage.State
# Longer than any one SMTP exchange (EMAIL_TIMEOUT) by far: a claim this old was a sender killed.
LEASE = timedelta(minutes=15)


def queue(*, subscriber, kind, subject, text, html, unsubscribe_url, now=None):
    """Writes a message to the outbox (inside the caller's transaction), with the headers of a
    one-click unsubscribe (RFC 8058) and of the page to manage the address's follows.
    `unsubscribe_url` is the link the message's text shows: the same in the header (a link signed
    a second later would differ, and a reader comparing them would be right to wonder)."""
    return OutboxMessage.objects.create(
        subscriber=subscriber,
        kind=kind,
        recipient=subscriber.email,
        subject=subject,
        text=text,
        html=html,
        headers={
            "List-Unsubscribe": f"<{unsubscribe_url}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            "Auto-Submitted": "auto-generated",
        },
        next_attempt_at=now or timezone.now(),
    )


def release_stale(*, now):
    """Messages a killed sender left SENDING: waiting again (their try is counted)."""
    return OutboxMessage.objects.filter(state=State.SENDING, claimed_at__lt=now - LEASE).update(
        state=State.PENDING, next_attempt_at=now
    )


def claim(message_id, *, now):
    """Takes one message for sending; False when another sender took it first."""
    return bool(
        OutboxMessage.objects.filter(pk=message_id, state=State.PENDING).update(
            state=State.SENDING, claimed_at=now, attempts=F("attempts") + 1
        )
    )


def as_email(message):
    domain = settings.DEFAULT_FROM_EMAIL.rpartition("@")[2] or "localhost"
    email = EmailMultiAlternatives(
        subject=message.subject,
        body=message.text,
        to=[message.recipient],
        # The same on every try: see the module's note on the one window left.
        headers={**message.headers, "Message-ID": f"<alert-{message.pk}@{domain}>"},
    )
    email.attach_alternative(message.html, "text/html")
    return email


def deliver(message, *, now):
    """Sends one claimed message and records the outcome; True when the server accepted it."""
    try:
        as_email(message).send()
    except (SMTPException, OSError) as error:
        message.refresh_from_db(fields=["attempts"])
        failed = message.attempts >= settings.ALERTS_MAX_ATTEMPTS
        wait = timedelta(seconds=settings.ALERTS_RETRY_SECONDS * 2 ** (message.attempts - 1))
        OutboxMessage.objects.filter(pk=message.pk).update(
            state=State.FAILED if failed else State.PENDING,
            next_attempt_at=now + wait,
            # Without the address (a refused recipient is named in the error): curators read it.
            last_error=f"{type(error).__name__}: {error}".replace(
                message.recipient, "(the recipient)"
            )[:1000],
        )
        logger.warning("alert %s not sent (try %s): %s", message.pk, message.attempts, type(error))
        return False
    OutboxMessage.objects.filter(pk=message.pk).update(state=State.SENT, sent_at=timezone.now())
    return True


def deliver_due(*, now=None):
    """Sends every message that is due; returns (sent, not sent)."""
    now = now or timezone.now()
    release_stale(now=now)
    due = OutboxMessage.objects.filter(state=State.PENDING, next_attempt_at__lte=now)
    sent = failed = 0
    # One connection a message: a server that drops one does not fail the rest.
    for message in list(due.order_by("next_attempt_at", "pk")):
        if not claim(message.pk, now=now):
            continue
        if deliver(message, now=now):
            sent += 1
        else:
            failed += 1
    return sent, failed


def deliver_now(message):
    """The confirmation mail, sent in the request that asked for it; left to send_alerts (and
    its retries) when the mail server does not answer."""
    now = timezone.now()
    if claim(message.pk, now=now):
        return deliver(message, now=now)
    return False
