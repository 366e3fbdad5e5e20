"""A rate limit per client address on the API and the exports: settings.API_RATE_LIMIT requests a
period (DJANGO_API_RATE_LIMIT, e.g. "120/minute"), then 429 Too Many Requests with Retry-After
until the period ends.

Counted in Django's cache (Redis when REDIS_URL is set), so the limit holds across workers and
servers; with the local-memory cache each process counts alone. The client's address is the one
the login safety reads (portal/security.py, behind DJANGO_TRUSTED_PROXY_COUNT proxies), kept only
as a hash. Fixed windows: simple, and at worst twice the limit across a window's edge.
"""

import hashlib
import time

from django.conf import settings
from django.core.cache import cache
from django.http import JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from portal.security import client_ip

from .routes import route_kind

LIMITED = {"api", "export"}


def count_request(request):
    """Counts this request; returns the seconds to wait when it is over the limit, else 0."""
    allowed, period = settings.API_RATE_LIMIT
    now = int(time.time())
    window = now - now % period
    address = hashlib.sha256((client_ip(request) or "unknown").encode()).hexdigest()[:32]
    key = f"rate-limit:{address}:{window}"
    # add() starts the window's count at 1; when it is there already, incr() adds one atomically
    # (in Redis, across every worker).
    if cache.add(key, 1, timeout=period + 1):
        count = 1
    else:
        try:
            count = cache.incr(key)
        except ValueError:  # expired between the two calls
            cache.add(key, 1, timeout=period + 1)
            count = 1
    return window + period - now if count > allowed else 0


def too_many(request, *, kind, wait):
    message = _(
        "Too many requests from your address. Please wait %(seconds)s seconds, then try again."
    ) % {"seconds": wait}
    if kind == "api":
        response = JsonResponse({"detail": message, "retry_after": wait}, status=429)
    else:
        response = render(request, "429.html", {"message": message}, status=429)
    response["Retry-After"] = str(wait)
    return response


class RateLimitMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        kind = route_kind(request.path_info)
        if kind in LIMITED and settings.API_RATE_LIMIT:
            wait = count_request(request)
            if wait:
                return too_many(request, kind=kind, wait=wait)
        return self.get_response(request)
