"""The portal as the benchmark serves it (under gunicorn): the portal's own WSGI application, as
deployed (portal/wsgi.py), wrapped so that each response says how many SQL queries it made and
how long they took (bench.measure)."""

import os

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")

from bench.measure import counted  # noqa: E402
from portal.wsgi import application as portal_application  # noqa: E402

# portal.wsgi has read the gazetteer already: under --preload, before gunicorn forks.
application = counted(portal_application)
