"""Caching what is costly to count and changes only when the catalogue changes.

Facet counts, result counts, spelling suggestions, the landing page's figures and whole trial
pages depend only on the published catalogue. Every cache key carries the catalogue's version;
whatever changes what the public pages show (an import, a curator's edit, publishing or
withdrawing, a check, a glossary term or drug approval) calls `catalogue_changed()`, which moves
the version on, so stale entries are never read again (they expire on their own). The landing
page's counts are kept in the database too (stored_figures), so that a process without them in
its cache does not count the whole catalogue.

The cache is Django's: Redis when REDIS_URL is set (shared by every app server; entries kept an
hour), the local-memory cache otherwise (one per process; entries kept a minute, since a change
made in another process moves only that process's version on). See settings.CACHES.
"""

import hashlib
import threading
import time

from django.core.cache import cache
from django.core.signals import request_finished, request_started
from django.db.models import F
from django.utils import timezone
from django.utils.translation import get_language

from portal.routers import primary_reads

from .models import CatalogueFigures

VERSION_KEY = "catalogue-version"
# When the version last moved on (seconds since the epoch): the Last-Modified of the responses
# that carry the version in their ETag (trials/machines/conditional.py).
CHANGED_AT_KEY = "catalogue-changed-at"
FIGURES_ROW = 1


# The version and its time as read by the request this thread is serving: a page served from the
# cache reads them once (one call to Redis) rather than once in the ETag, once for Last-Modified
# and once per cached() entry, and every part of the page is read under the same version. Outside
# a request (a command, a shell) there is no memo: each call reads the cache.
_request = threading.local()


def _request_begins(**kwargs):
    _request.memo = {}


def _request_ends(**kwargs):
    _request.memo = None


request_started.connect(_request_begins, dispatch_uid="trials.cache.request_begins")
request_finished.connect(_request_ends, dispatch_uid="trials.cache.request_ends")


def _catalogue_state():
    """{VERSION_KEY: ..., CHANGED_AT_KEY: ...}, from the request's memo or from the cache."""
    memo = getattr(_request, "memo", None)
    if memo:
        return memo
    state = cache.get_many([VERSION_KEY, CHANGED_AT_KEY])
    if VERSION_KEY not in state:
        # A version lost (evicted, or the cache restarted) starts again from the clock, never
        # from a number that entries cached before may still carry.
        cache.add(VERSION_KEY, time.time_ns(), timeout=None)
        cache.set(CHANGED_AT_KEY, int(time.time()), timeout=None)
        state = cache.get_many([VERSION_KEY, CHANGED_AT_KEY])
    if CHANGED_AT_KEY not in state:
        # A time lost with the cache reads as now, which only makes clients fetch again.
        cache.add(CHANGED_AT_KEY, int(time.time()), timeout=None)
        state[CHANGED_AT_KEY] = cache.get(CHANGED_AT_KEY, int(time.time()))
    state.setdefault(VERSION_KEY, 0)  # the cache keeps nothing at all (DummyCache)
    if memo is not None:
        memo.update(state)
    return state


def catalogue_version():
    return _catalogue_state()[VERSION_KEY]


def catalogue_changed_at():
    """When the catalogue last changed, as far as this cache knows (seconds since the epoch)."""
    return _catalogue_state()[CHANGED_AT_KEY]


def catalogue_changed():
    """Call after anything that changes what the public pages count, list or show."""
    try:
        cache.incr(VERSION_KEY)
    except ValueError:  # no version yet: the next read starts one
        cache.add(VERSION_KEY, time.time_ns(), timeout=None)
    cache.set(CHANGED_AT_KEY, int(time.time()), timeout=None)
    if getattr(_request, "memo", None):  # the rest of this request reads the new version
        _request.memo = {}
    # The figures kept in the database are stale from now on (stored_figures).
    CatalogueFigures.objects.filter(pk=FIGURES_ROW).update(version=F("version") + 1)


def stored_figures(today, compute):
    """compute() (the landing page's counts: a dict of numbers), kept in the database until the
    catalogue changes or the day does: one query for every process and every server, with or
    without a cache, instead of aggregates over the whole catalogue. Figures computed while a
    change lands are kept under the version before it, so they are never read as current."""
    with primary_reads():
        row = CatalogueFigures.objects.filter(pk=FIGURES_ROW).first()
        if row is not None and row.current and row.day == today:
            return row.figures
        version = row.version if row is not None else 0
        figures = compute()
    kept = {"figures": figures, "figures_version": version, "day": today}
    if row is None:
        CatalogueFigures.objects.bulk_create(
            [CatalogueFigures(pk=FIGURES_ROW, version=version, **kept)], ignore_conflicts=True
        )
    else:  # not if the version moved on meanwhile: these figures may predate that change
        CatalogueFigures.objects.filter(pk=FIGURES_ROW, version=version).update(**kept)
    return figures


def per_address(request):
    """What a page kept whole depends on besides the catalogue and the language: its address,
    scheme and host (its links are absolute), the day (what it says of dates) and the browser's
    languages (they choose km or miles, and the API's notes); `cached` adds the page's language."""
    return (
        request.get_full_path(),
        request.scheme,
        request.get_host(),
        timezone.localdate(),
        request.headers.get("Accept-Language", ""),
    )


def cache_key(name, parts):
    """Where cached() keeps what it computes for `name` and `parts`, in this language and
    version of the catalogue."""
    digest = hashlib.sha256(repr(parts).encode()).hexdigest()[:32]
    return f"{name}:{get_language()}:{catalogue_version()}:{digest}"


def cached(name, parts, compute):
    """compute(), remembered under `name` and `parts` (e.g. the query string) for this version
    of the catalogue and the page's language (what is kept may hold words: a facet's labels, a
    whole trial page), so that a Spanish page is never made of an English entry. It reads the
    primary database, not a replica: an entry is kept until the next change, so what it holds
    must not be older than the version it is kept under."""
    key = cache_key(name, parts)
    value = cache.get(key)
    if value is None:
        with primary_reads():
            value = compute()
        cache.set(key, value)
    return value
