"""Views of the site as a service: its health check and its error pages."""

import logging
import sys
import uuid

from django.core.cache import cache
from django.db import DatabaseError, connections
from django.http import HttpResponse, JsonResponse
from django.template import loader
from django.utils import translation
from django.views import i18n
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

logger = logging.getLogger(__name__)


def part_answers(check):
    try:
        check()
    except Exception:
        logger.exception("health check failed")
        return False
    return True


def database_answers(alias):
    def check():
        with connections[alias].cursor() as cursor:
            cursor.execute("SELECT 1")

    return part_answers(check)


def cache_state():
    """'ok', 'unavailable', or 'degraded': Redis is down and each process caches in its memory."""

    def check():
        key, value = f"healthz:{uuid.uuid4().hex}", uuid.uuid4().hex
        cache.set(key, value, 10)
        if cache.get(key) != value:
            raise RuntimeError("the cache did not keep a value")
        cache.delete(key)

    if not part_answers(check):
        return "unavailable"
    return "degraded" if getattr(cache, "degraded", False) else "ok"


@never_cache
def healthz(request):
    """200 when the database and the cache answer, 503 naming the part that does not.

    A Redis that does not answer reads "degraded" with a 200: the pages still serve from each
    process's memory (portal/cache.py), so a load balancer must keep sending visitors; monitors
    alert on it. For load balancers and monitors: it says nothing else (no versions, hosts or
    errors; those go to the log)."""
    parts = {"database": database_answers("default")}
    if "replica" in connections.settings:
        parts["replica"] = database_answers("replica")
    parts = {part: "ok" if answers else "unavailable" for part, answers in parts.items()}
    parts["cache"] = cache_state()
    status = 503 if "unavailable" in parts.values() else 200
    return JsonResponse(parts, status=status)


# Without a CSRF token: pages are cached whole, so they cannot carry a visitor's token, and a
# forged post could only change the language a visitor reads.
@csrf_exempt
@require_POST
def switch_language(request):
    """The language switcher's form: Django's set_language (the cookie, then the same page in the
    language chosen), with `next` read in its own language. Its address has no language prefix,
    so English is active here, and Django would not recognise "/es/trials/" as a page to
    translate back to English."""
    page_language = translation.get_language_from_path(request.POST.get("next", ""))
    if page_language:
        translation.activate(page_language)
    return i18n.set_language(request)


def server_error(request):
    """The 500 page, or the 503 page when the database is what failed.

    Rendered without the request's context processors: nothing here may touch the database, which
    may be the very thing that is down. The traceback goes to the log (django.request), never here.
    """
    _, error, _ = sys.exc_info()
    if isinstance(error, DatabaseError):
        response = HttpResponse(loader.render_to_string("503.html"), status=503)
        response["Retry-After"] = "60"
        return response
    return HttpResponse(loader.render_to_string("500.html"), status=500)
