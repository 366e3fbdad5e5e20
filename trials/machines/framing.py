"""Which pages other sites may show in a frame: the widget (/embed/) alone. Every other response
keeps the site's frame-ancestors 'none' and X-Frame-Options: DENY (portal/settings.py), so no
other site can frame the portal's pages (clickjacking)."""

from functools import wraps

from csp.decorators import csp_replace
from django.views.decorators.clickjacking import xframe_options_exempt

# Any site: a hospital's or a patient group's page, unknown in advance.
ANY_SITE = {"frame-ancestors": ["*"]}


def embeddable(view):
    """A view any site may frame: its CSP's frame-ancestors opened, X-Frame-Options left off."""
    return wraps(view)(xframe_options_exempt(csp_replace(ANY_SITE)(view)))
