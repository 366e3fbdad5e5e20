"""The portal as the benchmark serves it (under gunicorn): the portal's own WSGI application, as
deployed (portal/wsgi.py), wrapped so that each response says how many SQL queries it made and
how long they took (bench.measure)."""

import os

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")

from bench.measure import counted  # noqa: E402
from portal.wsgi import application as portal_application  # noqa: E402
from trials.places import gazetteer  # noqa: E402

application = counted(portal_application)
# Read the gazetteer before gunicorn forks (--preload), as a deployment would at start-up
# (trials/places/gazetteer.py): otherwise each worker's first "near" search pays for reading it
# (bench/RESULTS.md has how long that takes).
gazetteer.gazetteer()
