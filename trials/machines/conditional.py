"""ETag, Last-Modified and Cache-Control from the catalogue's version, and 304 Not Modified.

What the public routes answer depends on the published catalogue, which moves on only through
catalogue_changed() (trials/cache.py), and on a few things of the request. So the ETag is a hash of
the catalogue's version with everything else a response varies on: the release of the code, the
path and query string, the language, the host and scheme (absolute links), today's date (what a
page says of estimated dates and staleness), and the headers some pages read (Accept-Language:
kilometres or miles; the language cookie: the start page's redirect; Accept: the API's format).
A client that sends back an ETag it was given is answered 304 before the view runs: nothing is
queried or rendered. Last-Modified is when the catalogue last changed (or today began, if later);
If-Modified-Since is weighed after the view, against a response that would have been a 200.

How long a response may be kept (Cache-Control):
- the API, the exports, the feeds, the sitemap and robots.txt are the same for everyone who asks
  for their address, so any cache may keep them ("public") for a few minutes;
- the HTML pages are "private": their language may come from a cookie or the browser's
  Accept-Language rather than from the address alone, and a page with a form may carry the
  visitor's CSRF token; a shared cache must not hand one visitor's copy to another. The browser
  keeps its copy a minute, then asks again with the ETag and is usually answered 304.
A response that used a CSRF token is never tagged.

One middleware for every route, by the path rules of routes.py: new routes under /api/, the
exports or the feeds are covered without anything more.
"""

import datetime
import hashlib

from django.conf import settings
from django.http import HttpResponseNotModified
from django.utils import timezone
from django.utils.cache import get_conditional_response, patch_vary_headers
from django.utils.http import http_date, parse_etags

from ..cache import catalogue_changed_at, catalogue_version
from .routes import route_kind

# Seconds each kind of response may be kept, and by whom.
CACHE_CONTROL = {
    "api": "public, max-age=300",
    "export": "public, max-age=300",
    "feed": "public, max-age=300",
    "machine": "public, max-age=3600",
    "page": "private, max-age=60",
}
# The request headers an answer may depend on (besides its address): part of the ETag, and named
# in Vary for the caches that keep public responses.
VARIES_ON = ("Accept", "Accept-Language")


def etag_for(request):
    parts = [
        settings.PORTAL_RELEASE,
        str(catalogue_version()),
        getattr(request, "LANGUAGE_CODE", ""),
        request.scheme,
        request.get_host(),
        request.get_full_path(),
        timezone.localdate().isoformat(),
        request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, ""),
        *(request.headers.get(name, "") for name in VARIES_ON),
    ]
    return '"{}"'.format(hashlib.sha256("\n".join(parts).encode()).hexdigest()[:32])


def last_modified():
    """When the catalogue last changed, or today began (when pages' words about dates changed)."""
    today = timezone.localdate()
    start_of_today = datetime.datetime.combine(today, datetime.time(), tzinfo=datetime.UTC)
    return max(catalogue_changed_at(), int(start_of_today.timestamp()))


def mark(response, *, kind, etag, modified):
    if response.status_code == 304:
        # A 304's headers update the copy the client keeps, which has the route's own
        # Content-Security-Policy (the widget's frame-ancestors, trials/machines/framing.py): the
        # site-wide policy on the 304 would replace it. So a 304 carries none (django-csp's mark).
        response._csp_exempt = True
    response.setdefault("ETag", etag)
    response.setdefault("Last-Modified", http_date(modified))
    response.setdefault("Cache-Control", CACHE_CONTROL[kind])
    patch_vary_headers(response, VARIES_ON)
    return response


class ConditionalGetMiddleware:
    """After LocaleMiddleware (the language) and the rate limit (a 304 is a request too)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        kind = route_kind(request.path_info)
        if kind is None or request.method not in ("GET", "HEAD"):
            return self.get_response(request)
        etag = etag_for(request)
        modified = last_modified()
        # The client has this very answer: say so without running the view.
        if etag in parse_etags(request.headers.get("If-None-Match", "")):
            return mark(HttpResponseNotModified(), kind=kind, etag=etag, modified=modified)
        response = self.get_response(request)
        if response.status_code != 200 or request.META.get("CSRF_COOKIE_USED"):
            return response
        mark(response, kind=kind, etag=etag, modified=modified)
        # If-Modified-Since (and any other If-None-Match), as Django weighs them.
        conditional = get_conditional_response(
            request, etag=response["ETag"], last_modified=modified, response=response
        )
        if conditional is not response:
            mark(conditional, kind=kind, etag=etag, modified=modified)
        return conditional
