"""Settings of a benchmark process: the portal's own, with the synthetic trials of a benchmark
database shown on the public pages in place of published trials (which it has none of: synthetic
trials are never published). Only the benchmark loads this module, and only for a database whose
name says it is a benchmark's."""

import os

from django.core.exceptions import ImproperlyConfigured

from portal.settings import *  # noqa: F403
from portal.settings import DATABASES

# bench_<size>, or <prefix>_bench_<size> (BENCH_DATABASE_PREFIX, bench/run.py).
name = str(DATABASES["default"]["NAME"])
if not (name.startswith("bench_") or name.split("_", 1)[-1].startswith("bench_")):
    raise ImproperlyConfigured(
        "bench.settings shows synthetic trials, so it runs only against a benchmark database "
        f"(named bench_<size>), not {DATABASES['default']['NAME']!r}."
    )

PORTAL_SHOW_SYNTHETIC = True

if os.environ.get("BENCH_NO_CACHE"):
    # The portal with nothing cached: every page does all its SQL, as the first visit to each
    # distinct search does.
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
