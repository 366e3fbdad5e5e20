"""ETag, Last-Modified, Cache-Control and 304 on every kind of public route that exists, from
the catalogue's version (trials/machines/conditional.py)."""

import re

import pytest
from django.utils.http import http_date, parse_http_date

from trials.cache import catalogue_changed
from trials.machines.routes import route_kind

pytestmark = pytest.mark.django_db

# One address of each kind of route there is (the API and the feeds come with their branches:
# routes.py covers them by prefix).
ROUTES = [
    ("/", "private, max-age=60"),
    ("/trials/?q=leukemia", "private, max-age=60"),
    ("/es/trials/?status=RECRUITING", "private, max-age=60"),
    ("/trials/NCT02013167/", "private, max-age=60"),
    ("/zh-hans/trials/NCT02013167/", "private, max-age=60"),
    ("/accessibility/", "private, max-age=60"),
    ("/embed/?q=leukemia", "private, max-age=60"),
    ("/trials/export.csv?q=leukemia", "public, max-age=300"),
    ("/trials/export.json", "public, max-age=300"),
    ("/trials/export.ris", "public, max-age=300"),
    ("/sitemap.xml", "public, max-age=3600"),
    ("/robots.txt", "public, max-age=3600"),
]


@pytest.mark.parametrize("url, cache_control", ROUTES)
def test_a_response_is_tagged_and_answered_304_until_the_catalogue_changes(
    client, bundled_trials, url, cache_control
):
    first = client.get(url)
    assert first.status_code == 200
    assert first["Cache-Control"] == cache_control
    etag, modified = first["ETag"], first["Last-Modified"]
    assert etag.startswith('"') and parse_http_date(modified)

    again = client.get(url, headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.content == b""
    assert again["ETag"] == etag
    since = client.get(url, headers={"If-Modified-Since": modified})
    assert since.status_code == 304

    catalogue_changed()
    changed = client.get(url, headers={"If-None-Match": etag})
    assert changed.status_code == 200 and same_content(changed, first)
    assert changed["ETag"] != etag


def same_content(one, other):
    """The same answer, but for the JSON export's moment of export (to the second)."""
    moment = re.compile(rb'"exported": "[^"]*"')
    return moment.sub(b"", one.content) == moment.sub(b"", other.content)


def test_an_older_date_than_the_last_change_gets_the_whole_response(client, bundled_trials):
    modified = parse_http_date(client.get("/trials/").headers["Last-Modified"])
    response = client.get("/trials/", headers={"If-Modified-Since": http_date(modified - 1)})
    assert response.status_code == 200


def test_the_tag_differs_by_language_query_and_what_the_browser_asks_for(client, bundled_trials):
    tags = {
        client.get("/trials/")["ETag"],
        client.get("/es/trials/")["ETag"],
        client.get("/trials/?q=leukemia")["ETag"],
        client.get("/trials/", headers={"Accept-Language": "en-US"})["ETag"],
        client.get("/trials/", headers={"Accept-Language": "en-GB"})["ETag"],
    }
    assert len(tags) == 5
    # A tag of one address is no answer for another.
    english = client.get("/trials/")["ETag"]
    assert client.get("/es/trials/", headers={"If-None-Match": english}).status_code == 200


def test_a_tag_from_another_release_is_not_answered_304(client, bundled_trials, settings):
    etag = client.get("/trials/")["ETag"]
    settings.PORTAL_RELEASE = "next-release"
    assert client.get("/trials/", headers={"If-None-Match": etag}).status_code == 200


def test_errors_and_forms_are_not_tagged(client, bundled_trials):
    assert "ETag" not in client.get("/trials/NCT99999999/")  # 404
    report = client.get("/trials/NCT02013167/report/")  # a form with the visitor's CSRF token
    assert report.status_code == 200 and "ETag" not in report
    assert "ETag" not in client.get("/admin/login/")


def test_a_304_runs_no_query(client, bundled_trials, django_assert_num_queries):
    etag = client.get("/trials/NCT02013167/")["ETag"]
    with django_assert_num_queries(0):
        response = client.get("/trials/NCT02013167/", headers={"If-None-Match": etag})
    assert response.status_code == 304


@pytest.mark.parametrize(
    "path, kind",
    [
        ("/api/v1/trials/", "api"),
        ("/api/v1/trials/NCT02013167/", "api"),
        ("/trials/feed/", "feed"),
        ("/es/trials/feed/", "feed"),
        ("/trials/NCT02013167/feed/", "feed"),
        ("/zh-hans/trials/export.ris", "export"),
        ("/sitemap.xml", "machine"),
        ("/es/trials/NCT02013167/", "page"),
        ("/embed/", "page"),
        ("/trials/NCT02013167/report/", None),
        ("/report/", None),
        ("/admin/", None),
        ("/healthz", None),
        ("/static/css/site.css", None),
    ],
)
def test_the_path_rules_name_each_kind_of_route(path, kind):
    assert route_kind(path) == kind


@pytest.mark.parametrize(
    "url, cache_control",
    [
        ("/api/v1/stand-in/", "public, max-age=300"),
        ("/trials/feed/?q=leukemia", "public, max-age=300"),
        ("/es/trials/NCT02013167/feed/", "public, max-age=300"),
    ],
)
def test_routes_added_under_the_api_and_feed_prefixes_are_covered(
    client, db, settings, url, cache_control
):
    settings.ROOT_URLCONF = "tests.machines.urls"
    first = client.get(url)
    assert first.status_code == 200 and first["Cache-Control"] == cache_control
    assert client.get(url, headers={"If-None-Match": first["ETag"]}).status_code == 304


class CountedCalls:
    """The calls a request makes to the cache backend, by method (not those a call makes of
    another: the local-memory cache's get_many calls its get)."""

    def __init__(self, monkeypatch):
        from django.core.cache import caches

        self.calls = []
        self.depth = 0
        backend = caches["default"]
        for name in ("get", "get_many", "add", "set", "incr"):
            original = getattr(backend, name)
            monkeypatch.setattr(backend, name, self.counting(name, original))

    def counting(self, name, original):
        def call(*args, **kwargs):
            if not self.depth:
                self.calls.append(name)
            self.depth += 1
            try:
                return original(*args, **kwargs)
            finally:
                self.depth -= 1

        return call


@pytest.mark.parametrize("url", ["/trials/NCT02013167/", "/api/v1/trials/NCT02013167/"])
def test_a_page_served_from_the_cache_reads_the_version_once(
    client, bundled_trials, monkeypatch, settings, url
):
    # The ETag, Last-Modified and the cached page each need the catalogue's version: read once
    # per request, with its time, in one call; the page itself is the other. (The API's rate
    # limit counts in the cache too: off here, as a deployment may set it.)
    settings.API_RATE_LIMIT = None
    assert client.get(url).status_code == 200
    counted = CountedCalls(monkeypatch)
    assert client.get(url).status_code == 200
    assert counted.calls == ["get_many", "get"]


def test_a_change_within_a_request_or_between_requests_is_read(client, bundled_trials):
    from trials.cache import catalogue_version

    outside = catalogue_version()
    catalogue_changed()  # outside a request, each call reads the cache again
    assert catalogue_version() == outside + 1
    first = client.get("/trials/NCT02013167/")["ETag"]
    catalogue_changed()  # another process's change, between two requests
    assert client.get("/trials/NCT02013167/")["ETag"] != first
