import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
# Web requests get a statement timeout (5 s unless set): one slow query cannot hold a worker.
os.environ.setdefault("DATABASE_STATEMENT_TIMEOUT_MS", "5000")
application = get_wsgi_application()

from trials.places import gazetteer  # noqa: E402 (needs the settings above)

# The place gazetteer is read now, at start-up, not on each worker's first "near" search: reading
# it takes seconds of CPU, and under load (bench/LOAD.md) workers reading it at once overran
# gunicorn's 30 s timeout and were killed mid-request. With --preload (README, "Deploying") it is
# read once, before the workers fork, and they share it.
gazetteer.gazetteer()
