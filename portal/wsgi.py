import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
# Web requests get a statement timeout (5 s unless set): one slow query cannot hold a worker.
os.environ.setdefault("DATABASE_STATEMENT_TIMEOUT_MS", "5000")
application = get_wsgi_application()

from trials.places import gazetteer  # noqa: E402 (needs the settings above)

# The place gazetteer's index file is mapped now, at start-up (milliseconds; `manage.py
# build_gazetteer` made it), so no worker's first "near" search waits, and with --preload (README,
# "Deploying") the workers inherit the one mapping. Where the file is missing this builds it, once,
# before the workers fork: parsing GeoNames takes seconds, and under load (bench/LOAD.md) workers
# parsing it at once overran gunicorn's 30 s timeout.
gazetteer.gazetteer()
