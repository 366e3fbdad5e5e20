"""Middleware of the whole site: one log line per request, and the Permissions-Policy header."""

import logging
import re
import time
import uuid

from django.conf import settings

request_log = logging.getLogger("portal.requests")

# A request id from the proxy is kept when it is short and plain, so that its log and ours join up.
FORWARDED_ID = re.compile(r"[A-Za-z0-9._-]{1,64}")


def request_id(request):
    """The id of this request: the proxy's X-Request-ID when it is plain, a new one otherwise."""
    given = request.headers.get("X-Request-ID", "")
    return given if FORWARDED_ID.fullmatch(given) else uuid.uuid4().hex


class RequestLogMiddleware:
    """Logs one line per request: method, path, status, duration and request id.

    Only the names of query parameters are logged, never their values: a search for a child's
    diagnosis near the family's town is nobody's business but theirs.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.id = request_id(request)
        started = time.monotonic()
        response = self.get_response(request)
        duration_ms = round((time.monotonic() - started) * 1000, 1)
        response["X-Request-ID"] = request.id
        request_log.info(
            "%s %s %s",
            request.method,
            request.path,
            response.status_code,
            extra={
                "method": request.method,
                "path": request.path,
                "query_keys": sorted(request.GET),
                "status": response.status_code,
                "duration_ms": duration_ms,
                "request_id": request.id,
            },
        )
        return response


class PermissionsPolicyMiddleware:
    """Refuses the browser features no page uses (settings.PERMISSIONS_POLICY)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        return response
