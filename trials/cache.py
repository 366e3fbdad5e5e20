"""Caching what is costly to count and changes only when the catalogue changes.

Facet counts, result counts and the landing page's figures depend only on the published trials.
Every cache key carries the catalogue's version; whatever changes the published trials (an
import, a curator's edit, publishing or withdrawing) calls `catalogue_changed()`, which moves the
version on, so stale entries are never read again (they expire on their own).

The cache is Django's: Redis when REDIS_URL is set (shared by every app server), the local-memory
cache otherwise (settings.CACHES).
"""

import hashlib

from django.core.cache import cache

VERSION_KEY = "catalogue-version"
TIMEOUT = 60 * 60  # an hour: a safety net, since every change moves the version on anyway


def catalogue_version():
    version = cache.get(VERSION_KEY)
    if version is None:
        cache.add(VERSION_KEY, 1, timeout=None)
        version = cache.get(VERSION_KEY, 1)
    return version


def catalogue_changed():
    """Call after anything that changes what the public pages count or list."""
    try:
        cache.incr(VERSION_KEY)
    except ValueError:  # no version yet: the next read starts one
        cache.add(VERSION_KEY, 1, timeout=None)


def cached(name, parts, compute):
    """compute(), remembered under `name` and `parts` (e.g. the query string) for this version
    of the catalogue."""
    digest = hashlib.sha256(repr(parts).encode()).hexdigest()[:32]
    key = f"{name}:{catalogue_version()}:{digest}"
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, TIMEOUT)
    return value
