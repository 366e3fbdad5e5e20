"""Caching what is costly to count and changes only when the catalogue changes.

Facet counts, result counts, spelling suggestions, the landing page's figures and whole trial
pages depend only on the published catalogue. Every cache key carries the catalogue's version;
whatever changes what the public pages show (an import, a curator's edit, publishing or
withdrawing, a check, a glossary term or drug approval) calls `catalogue_changed()`, which moves
the version on, so stale entries are never read again (they expire on their own).

The cache is Django's: Redis when REDIS_URL is set (shared by every app server; entries kept an
hour), the local-memory cache otherwise (one per process; entries kept a minute, since a change
made in another process moves only that process's version on). See settings.CACHES.
"""

import hashlib
import time

from django.core.cache import cache
from django.utils.translation import get_language

from portal.routers import primary_reads

VERSION_KEY = "catalogue-version"
# When the version last moved on (seconds since the epoch): the Last-Modified of the responses
# that carry the version in their ETag (trials/machines/conditional.py).
CHANGED_AT_KEY = "catalogue-changed-at"


def catalogue_version():
    version = cache.get(VERSION_KEY)
    if version is None:
        # A version lost (evicted, or the cache restarted) starts again from the clock, never
        # from a number that entries cached before may still carry.
        cache.add(VERSION_KEY, time.time_ns(), timeout=None)
        cache.set(CHANGED_AT_KEY, int(time.time()), timeout=None)
        version = cache.get(VERSION_KEY, 0)
    return version


def catalogue_changed_at():
    """When the catalogue last changed, as far as this cache knows (seconds since the epoch); a
    time lost with the cache reads as now, which only makes clients fetch again."""
    changed_at = cache.get(CHANGED_AT_KEY)
    if changed_at is None:
        changed_at = int(time.time())
        cache.add(CHANGED_AT_KEY, changed_at, timeout=None)
    return changed_at


def catalogue_changed():
    """Call after anything that changes what the public pages count, list or show."""
    try:
        cache.incr(VERSION_KEY)
    except ValueError:  # no version yet: the next read starts one
        cache.add(VERSION_KEY, time.time_ns(), timeout=None)
    cache.set(CHANGED_AT_KEY, int(time.time()), timeout=None)


def cached(name, parts, compute):
    """compute(), remembered under `name` and `parts` (e.g. the query string) for this version
    of the catalogue and the page's language (what is kept may hold words: a facet's labels, a
    whole trial page), so that a Spanish page is never made of an English entry. It reads the
    primary database, not a replica: an entry is kept until the next change, so what it holds
    must not be older than the version it is kept under."""
    digest = hashlib.sha256(repr(parts).encode()).hexdigest()[:32]
    key = f"{name}:{get_language()}:{catalogue_version()}:{digest}"
    value = cache.get(key)
    if value is None:
        with primary_reads():
            value = compute()
        cache.set(key, value)
    return value
