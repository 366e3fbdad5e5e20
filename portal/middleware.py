"""Middleware of the whole site: one log line per request, the Permissions-Policy header, and the
Content-Security-Policy."""

import logging
import re
import time
import uuid

from csp.constants import HEADER
from csp.middleware import CheckableLazyObject, CSPMiddleware
from csp.utils import build_policy
from django.conf import settings
from django.utils.functional import cached_property

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


# The policy of the API's JSON: data, never a page, so nothing may load or frame it (OWASP's
# advice for APIs); the site's policy, made for pages with their styles, images and forms, does
# not apply.
API_PREFIX = "/api/"
API_POLICY = "default-src 'none'; frame-ancestors 'none'"
# What a view or decorator sets on a response to change its policy (django-csp's decorators, the
# widget's frame-ancestors, a 304 that keeps none: trials/machines/).
POLICY_CHANGES = ("_csp_config", "_csp_update", "_csp_replace", "_csp_exempt")


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    """django-csp's middleware builds the policy again for every response, about 0.15 ms, a tenth
    of a page served from the cache. The responses that change nothing of it (no decorator, no
    nonce: nearly all) get the site's policy built once per process; the others are left to
    django-csp. And the API's JSON gets API_POLICY."""

    def process_response(self, request, response):
        changed = any(hasattr(response, name) for name in POLICY_CHANGES)
        if not changed and request.path_info.startswith(API_PREFIX):
            response.setdefault(HEADER, API_POLICY)  # while developing too
        if (
            changed
            or getattr(request, "_csp_nonce", None) is not None
            or settings.DEBUG  # django-csp leaves the debug pages alone
            or getattr(settings, "CONTENT_SECURITY_POLICY_REPORT_ONLY", None)
        ):
            return super().process_response(request, response)
        response.setdefault(HEADER, self.site_policy)
        # As django-csp does: a nonce asked for after the header is written is an error.
        request.csp_nonce = CheckableLazyObject(self._csp_nonce_post_response)
        return response

    @cached_property
    def site_policy(self):
        return build_policy()
