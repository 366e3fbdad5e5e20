"""The follow box's pieces (templates/includes/follow_box.html)."""

from django import template
from django.conf import settings
from django.middleware.csrf import get_token
from django.utils.html import format_html

register = template.Library()

# A trial's page is cached whole and served to every visitor (trials/views.py), so its follow box
# carries this stand-in where the CSRF token goes; the view puts each visitor's own token in.
CSRF_SLOT = "csrf-token-slot-for-this-visitor"


@register.simple_tag
def alerts_on():
    return settings.ALERTS_BY_EMAIL


@register.simple_tag
def csrf_slot():
    return format_html('<input type="hidden" name="csrfmiddlewaretoken" value="{}">', CSRF_SLOT)


def fill_csrf_slot(request, page):
    """A cached page (bytes, as sent) with this visitor's CSRF token in its follow box."""
    slot = CSRF_SLOT.encode()
    if slot not in page:
        return page
    return page.replace(slot, get_token(request).encode())


@register.simple_tag
def alert_frequencies():
    from ..models import Frequency

    return Frequency.choices
