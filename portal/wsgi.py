import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
# Web requests get a statement timeout (5 s unless set): one slow query cannot hold a worker.
os.environ.setdefault("DATABASE_STATEMENT_TIMEOUT_MS", "5000")
application = get_wsgi_application()
