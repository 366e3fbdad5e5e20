"""The site as a service, in process: health check, error pages, headers, logs, settings."""

import base64
import hashlib
import json
import logging
import re
import sys
from pathlib import Path

import django
import pytest
from django.conf import settings as django_settings
from django.urls import path

import portal.urls
from portal.logs import JsonFormatter
from tests.test_settings import PRODUCTION, manage


def test_the_health_check_answers_ok_when_database_and_cache_answer(client, db):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"database": "ok", "cache": "ok"}
    assert "no-cache" in response["Cache-Control"]


def test_the_health_check_names_the_cache_when_it_does_not_answer(client, db, settings):
    # A real Redis client pointed at a port where nothing listens.
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:9/0",
        }
    }
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json() == {"database": "ok", "cache": "unavailable"}
    assert "127.0.0.1" not in response.content.decode()


def broken_view(request):
    raise RuntimeError("a bug, with a secret in its message: hunter2")


# The site's own URLs and error handler, and one view with a bug.
# The site's own patterns beside it (not include(): its i18n_patterns must stay at the root).
urlpatterns = [path("broken/", broken_view), *portal.urls.urlpatterns]
handler500 = portal.urls.handler500


@pytest.mark.urls("tests.deploy.test_service")
def test_an_error_shows_the_sites_own_500_page_without_touching_the_database(
    client, db, django_assert_num_queries
):
    client.raise_request_exception = False
    with django_assert_num_queries(0):
        response = client.get("/broken/")
    assert response.status_code == 500
    page = response.content.decode()
    assert "Something went wrong on our side" in page
    assert 'action="/trials/"' in page
    assert "hunter2" not in page and "Traceback" not in page


def test_unknown_addresses_get_the_sites_own_404_page(client, db):
    response = client.get("/nowhere/")
    assert response.status_code == 404
    assert "We could not find that page" in response.content.decode()


@pytest.mark.parametrize("path", ["/", "/trials/", "/healthz", "/admin/login/", "/nowhere/"])
def test_every_response_carries_the_security_headers(client, db, path):
    response = client.get(path)
    policy = response["Content-Security-Policy"]
    assert re.search(r"script-src 'self'(;|$)", policy)
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert "geolocation=()" in response["Permissions-Policy"]
    assert re.fullmatch(r"[0-9a-f]{32}", response["X-Request-ID"])


def test_the_policy_built_once_is_the_one_django_csp_builds_and_the_api_allows_nothing(
    client, bundled_trials, settings
):
    from csp.utils import build_policy

    for page in ("/", "/trials/", "/trials/NCT02013167/", "/es/trials/", "/trials/export.csv"):
        assert client.get(page)["Content-Security-Policy"] == build_policy(), page
    # The API's JSON is data, never a page: nothing may load or frame it, errors included.
    for answer in ("/api/v1/trials/", "/api/v1/trials/NCT02013167/", "/api/v1/trials/?x=1"):
        policy = client.get(answer)["Content-Security-Policy"]
        assert policy == "default-src 'none'; frame-ancestors 'none'", answer
    # The same while developing, where django-csp's own handling takes over for pages.
    settings.DEBUG = True
    policy = client.get("/api/v1/trials/NCT02013167/")["Content-Security-Policy"]
    assert policy == "default-src 'none'; frame-ancestors 'none'"
    settings.DEBUG = False
    # A page that changes the policy still gets its own (the widget may be framed).
    assert "frame-ancestors *" in client.get("/embed/")["Content-Security-Policy"]


def test_the_map_tile_host_is_the_one_outside_image_source(client, db):
    img_src = re.search(r"img-src ([^;]*)", client.get("/")["Content-Security-Policy"]).group(1)
    assert img_src.split() == ["'self'", "data:", "https://tile.openstreetmap.org"]


def test_the_admins_one_inline_style_is_allowed_by_its_exact_hash():
    """Django's change list writes one inline <style> when a list has no actions; the policy
    allows that text alone. An upgrade of Django that changes it fails here, not in the admin."""
    template = Path(django.__file__).parent / "contrib/admin/templates/admin/change_list.html"
    styles = re.findall(r"<style>(.*?)</style>", template.read_text(), re.S)
    hashes = {
        "'sha256-" + base64.b64encode(hashlib.sha256(s.encode()).digest()).decode() + "'"
        for s in styles
    }
    allowed = django_settings.CONTENT_SECURITY_POLICY["DIRECTIVES"]["style-src"]
    assert hashes and hashes <= set(allowed)


def test_a_plain_request_id_from_the_proxy_is_kept_and_a_hostile_one_replaced(client, db):
    assert client.get("/healthz", HTTP_X_REQUEST_ID="lb-42.a")["X-Request-ID"] == "lb-42.a"
    hostile = client.get("/healthz", HTTP_X_REQUEST_ID='x"\n{"status": 200}')["X-Request-ID"]
    assert re.fullmatch(r"[0-9a-f]{32}", hostile)


def test_the_request_log_line_names_query_keys_not_values(client, db, caplog):
    with caplog.at_level(logging.INFO, logger="portal.requests"):
        client.get("/trials/?q=my+daughter&near=53226")
    record = next(r for r in caplog.records if r.name == "portal.requests")
    line = json.loads(JsonFormatter().format(record))
    assert line["path"] == "/trials/" and line["query_keys"] == ["near", "q"]
    assert line["status"] == 200 and line["method"] == "GET"
    assert "daughter" not in json.dumps(line) and "53226" not in json.dumps(line)


def test_errors_are_logged_as_json_with_their_traceback():
    try:
        raise ValueError("broken import file")
    except ValueError:
        record = logging.LogRecord("django.request", logging.ERROR, __file__, 1, "boom", (), None)
        record.exc_info = sys.exc_info()
    line = json.loads(JsonFormatter().format(record))
    assert line["level"] == "ERROR" and line["message"] == "boom"
    assert "ValueError: broken import file" in line["traceback"]


def test_production_cookies_are_host_only_secure_and_http_only():
    script = (
        "from django.conf import settings as s; print(s.SESSION_COOKIE_NAME, s.CSRF_COOKIE_NAME,"
        " s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SESSION_COOKIE_HTTPONLY,"
        " s.CSRF_COOKIE_HTTPONLY, s.SESSION_COOKIE_SAMESITE, s.CSRF_COOKIE_SAMESITE, s.LOG_FORMAT)"
    )
    result = manage("shell", "--no-imports", "-c", script, env=PRODUCTION)
    assert result.stdout.split() == [
        "__Host-sessionid",
        "__Host-csrftoken",
        *["True"] * 4,
        "Lax",
        "Lax",
        "json",
    ], result.stderr
    development = manage("shell", "--no-imports", "-c", script, env={"DJANGO_DEBUG": "1"})
    assert development.stdout.split()[:2] == ["sessionid", "csrftoken"]
    assert development.stdout.split()[-1] == "text"


def test_a_bad_log_format_or_tile_url_fails_loudly():
    result = manage("check", env={**PRODUCTION, "DJANGO_LOG_FORMAT": "xml"})
    assert "DJANGO_LOG_FORMAT must be json or text" in result.stderr
    result = manage("check", env={**PRODUCTION, "MAP_TILE_URL": "tiles/{z}/{x}/{y}.png"})
    assert "MAP_TILE_URL must start with http(s)://host/" in result.stderr
