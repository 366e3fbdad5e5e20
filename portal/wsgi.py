import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
# Web requests get a statement timeout (5 s unless set): one slow query cannot hold a worker.
os.environ.setdefault("DATABASE_STATEMENT_TIMEOUT_MS", "5000")
application = get_wsgi_application()

from portal import gc_tuning  # noqa: E402
from trials.places import gazetteer  # noqa: E402 (needs the settings above)

# The place gazetteer's index file is mapped now, at start-up (milliseconds; `manage.py
# build_gazetteer` made it), so no worker's first "near" search waits, and with --preload (README,
# "Deploying") the workers inherit the one mapping. Where the file is missing this builds it, once,
# before the workers fork: parsing GeoNames takes seconds, and under load (bench/LOAD.md) workers
# parsing it at once overran gunicorn's 30 s timeout.
gazetteer.gazetteer()

# Python's full garbage collection walks every object the process holds, and a worker holds many
# that live as long as it does (Django's apps, URLs and translations, the gazetteer's tables): at
# 50,000 trials such a pass took up to 300 ms, every few list pages, and made the slowest
# twentieth of pages served from the cache four times slower than the rest (bench/RESULTS.md).
# Frozen, they are left out of every collection. Once here (under --preload, before the workers
# fork: a collection then no longer writes to the pages they share), and once more in each
# process after its first requests, when its compiled templates and caches are built.
gc_tuning.load_languages()
gc_tuning.freeze()
gc_tuning.freeze_after_requests(gc_tuning.WARM_REQUESTS)
