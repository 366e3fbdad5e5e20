"""Read replicas: public pages read from DATABASE_REPLICA_URL when it is set.

Only reads made while serving a public page go to the replica (PublicReadsMiddleware marks
them); the admin, imports and every write use the primary, so a curator always sees their own
change at once. A replica a few seconds behind is fine for the public pages; what they cache
is read from the primary (`primary_reads`), since a cached entry lives until the next change.
"""

from contextlib import contextmanager
from contextvars import ContextVar

from django.conf import settings

public_read = ContextVar("public_read", default=False)

REPLICA = "replica"


@contextmanager
def primary_reads():
    """Reads inside go to the primary, even while serving a public page."""
    token = public_read.set(False)
    try:
        yield
    finally:
        public_read.reset(token)


class PrimaryReplicaRouter:
    def db_for_read(self, model, **hints):
        if public_read.get() and REPLICA in settings.DATABASES:
            return REPLICA
        return None  # the primary

    def db_for_write(self, model, **hints):
        return "default"

    def allow_relation(self, obj1, obj2, **hints):
        return True  # the replica holds the same rows

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == "default"


class PublicReadsMiddleware:
    """Marks the reads of safe requests outside the admin as public, for the router."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        is_public = request.method in ("GET", "HEAD") and not request.path.startswith(
            "/" + settings.ADMIN_URL
        )
        token = public_read.set(is_public)
        try:
            return self.get_response(request)
        finally:
            public_read.reset(token)
