"""The links mailed to an address, signed (django.core.signing) with the site's secret and the
address's own key: a confirmation link names one follow and the frequency asked for, and expires
after ALERTS_CONFIRM_DAYS; the manage and unsubscribe links name the address and last as long as
it does (a mail client may post the unsubscribe years later, RFC 8058)."""

from datetime import timedelta

from django.conf import settings
from django.core import signing
from django.urls import reverse
from django.utils import translation

CONFIRM_SALT = "alerts.confirm"
ADDRESS_SALT = "alerts.address"


class BadLink(Exception):
    """A link altered, cut short or made up."""


class ExpiredLink(Exception):
    """A confirmation link older than ALERTS_CONFIRM_DAYS."""


def confirm_token(follow, frequency):
    return signing.dumps([follow.pk, follow.subscriber.key, frequency], salt=CONFIRM_SALT)


def read_confirm_token(token):
    """(follow id, the address's key, frequency) from a confirmation link."""
    try:
        follow_id, key, frequency = signing.loads(
            token, salt=CONFIRM_SALT, max_age=timedelta(days=settings.ALERTS_CONFIRM_DAYS)
        )
    except signing.SignatureExpired:
        raise ExpiredLink from None
    except (signing.BadSignature, ValueError, TypeError):
        raise BadLink from None
    return follow_id, key, frequency


def address_token(subscriber):
    return signing.dumps(subscriber.key, salt=ADDRESS_SALT)


def read_address_token(token):
    """The address's key from a manage or unsubscribe link."""
    try:
        key = signing.loads(token, salt=ADDRESS_SALT)
    except (signing.BadSignature, ValueError, TypeError):
        raise BadLink from None
    if not isinstance(key, str):
        raise BadLink
    return key


def absolute(name, *, language, **kwargs):
    """The address of a page in `language`, on SITE_URL (mail is read outside any request)."""
    with translation.override(language):
        return settings.SITE_URL + reverse(name, kwargs=kwargs)


def confirm_url(follow, frequency, *, language):
    return absolute(
        "trials:alerts-confirm", language=language, token=confirm_token(follow, frequency)
    )


def manage_url(subscriber):
    return absolute(
        "trials:alerts-manage", language=subscriber.language, token=address_token(subscriber)
    )


def unsubscribe_url(subscriber):
    return absolute(
        "trials:alerts-unsubscribe", language=subscriber.language, token=address_token(subscriber)
    )
