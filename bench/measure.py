"""Measuring pages: the same loop for the portal and for Datasette, over HTTP or in process.

A response of the portal carries three headers added by `counted()` (bench/wsgi.py): how many SQL
queries the request made, how long they took, and how long the whole request took inside the
server. The round trip, timed by the client, is the figure the tables report; the headers say how
much of it was SQL.
"""

import http.client
import io
import statistics
import time
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from django.core.signals import request_finished, request_started
from django.db import close_old_connections, connection

QUERIES_HEADER = "X-Bench-Queries"
SQL_HEADER = "X-Bench-SQL-Ms"
APP_HEADER = "X-Bench-App-Ms"


def counted(app):
    """A WSGI application that adds the X-Bench-* headers to each response of `app`."""

    def application(environ, start_response):
        started = time.perf_counter()
        spent = {"queries": 0, "seconds": 0.0}

        def timed_execute(execute, sql, params, many, context):
            began = time.perf_counter()
            try:
                return execute(sql, params, many, context)
            finally:
                spent["queries"] += 1
                spent["seconds"] += time.perf_counter() - began

        def start_with_counts(status, headers, exc_info=None):
            # Django has rendered the whole page by now: only closing the response remains.
            elapsed = time.perf_counter() - started
            headers = [
                *headers,
                (QUERIES_HEADER, str(spent["queries"])),
                (SQL_HEADER, f"{spent['seconds'] * 1000:.3f}"),
                (APP_HEADER, f"{elapsed * 1000:.3f}"),
            ]
            return start_response(status, headers, exc_info)

        with connection.execute_wrapper(timed_execute):
            return app(environ, start_with_counts)

    return application


@dataclass
class Response:
    status: int
    headers: dict
    body: bytes
    seconds: float  # the round trip as the client saw it


class HttpClient:
    """One request per connection, as a browser's first visit; the same for both servers."""

    def __init__(self, base_url):
        parts = urlsplit(base_url)
        self.host, self.port = parts.hostname, parts.port

    def get(self, path):
        started = time.perf_counter()
        conn = http.client.HTTPConnection(self.host, self.port, timeout=300)
        try:
            conn.request("GET", path, headers={"Host": f"{self.host}:{self.port}"})
            reply = conn.getresponse()
            body = reply.read()
        finally:
            conn.close()
        seconds = time.perf_counter() - started
        return Response(reply.status, dict(reply.getheaders()), body, seconds)


class InProcessClient:
    """Calls a WSGI application directly: the smoke test's way of driving the same code."""

    def __init__(self, app, host="127.0.0.1"):
        self.app, self.host = app, host

    def get(self, path):
        path, _, query = path.partition("?")
        environ = {
            "REQUEST_METHOD": "GET",
            "PATH_INFO": path,
            "QUERY_STRING": query,
            "SERVER_NAME": self.host,
            "SERVER_PORT": "80",
            "HTTP_HOST": self.host,
            "SERVER_PROTOCOL": "HTTP/1.1",
            "wsgi.url_scheme": "http",
            "wsgi.input": io.BytesIO(),
            "wsgi.errors": io.StringIO(),
            "wsgi.version": (1, 0),
            "wsgi.multithread": False,
            "wsgi.multiprocess": False,
            "wsgi.run_once": False,
        }
        captured = {}

        def start_response(status, headers, exc_info=None):
            captured["status"], captured["headers"] = int(status.split()[0]), dict(headers)

        started = time.perf_counter()
        # As Django's test client does: the connection stays open after the request, so that
        # a caller's transaction (a test's) survives it.
        request_started.disconnect(close_old_connections)
        request_finished.disconnect(close_old_connections)
        try:
            result = self.app(environ, start_response)
            try:
                body = b"".join(result)
            finally:
                if hasattr(result, "close"):
                    result.close()
        finally:
            request_started.connect(close_old_connections)
            request_finished.connect(close_old_connections)
        seconds = time.perf_counter() - started
        return Response(captured["status"], captured["headers"], body, seconds)


@dataclass
class Timings:
    path: str
    requests: int = 0
    status: int = 0
    bytes: int = 0
    round_trip_ms: list = field(default_factory=list)
    app_ms: list = field(default_factory=list)
    sql_ms: list = field(default_factory=list)
    queries: list = field(default_factory=list)
    errors: int = 0  # responses other than 200: a statement timeout answers 500, say
    stopped_early: bool = False

    def add(self, response):
        self.requests += 1
        self.status = response.status
        self.errors += response.status != 200
        self.bytes = len(response.body)
        self.round_trip_ms.append(response.seconds * 1000)
        if QUERIES_HEADER in response.headers:
            self.queries.append(int(response.headers[QUERIES_HEADER]))
            self.sql_ms.append(float(response.headers[SQL_HEADER]))
            self.app_ms.append(float(response.headers[APP_HEADER]))

    def summary(self):
        summary = {
            "path": self.path,
            "requests": self.requests,
            "status": self.status,
            "bytes": self.bytes,
            **percentiles(self.round_trip_ms),
            "errors": self.errors,
            "stopped_early": self.stopped_early,
        }
        if self.queries:
            # The usual count; a page with a cache can make more on a miss (queries_max).
            summary["queries"] = statistics.mode(self.queries)
            summary["queries_max"] = max(self.queries)
            summary["app_p50"] = percentiles(self.app_ms)["p50"]
            summary["sql_in_request_p50"] = percentiles(self.sql_ms)["p50"]
            # Django's share: the time in the server that is not spent waiting for SQL.
            summary["django_share"] = round(
                statistics.median(
                    (app - sql) / app
                    for app, sql in zip(self.app_ms, self.sql_ms, strict=True)
                    if app
                ),
                3,
            )
        return summary


def measure(client, path, *, requests, warmup, max_seconds=None):
    """Warm up, then time `requests` GETs of `path` one after another (fewer when max_seconds
    runs out first, which the result says; the warm-up gets a quarter of it)."""
    return measure_together(
        client, [path], requests=requests, warmup=warmup, max_seconds=max_seconds
    )[0]


def measure_together(client, paths, *, requests, warmup, max_seconds=None):
    """As measure(), for several paths in turn (a, b, a, b, ...): a comparison of two pages
    (the API beside its page) that the machine's slower and quicker moments affect alike."""
    warm_until = time.perf_counter() + max_seconds / 4 if max_seconds else None
    for _ in range(warmup):
        for path in paths:
            client.get(path)
        if warm_until and time.perf_counter() > warm_until:
            break
    timings = [Timings(path) for path in paths]
    deadline = time.perf_counter() + max_seconds if max_seconds else None
    for _ in range(requests):
        for timed in timings:
            timed.add(client.get(timed.path))
        if deadline and time.perf_counter() > deadline and timings[0].requests < requests:
            for timed in timings:
                timed.stopped_early = True
            break
    return timings


def percentiles(values):
    if not values:
        return {"p50": None, "p95": None, "p99": None}
    if len(values) == 1:
        value = round(values[0], 2)
        return {"p50": value, "p95": value, "p99": value}
    cuts = statistics.quantiles(values, n=100, method="inclusive")
    return {"p50": round(cuts[49], 2), "p95": round(cuts[94], 2), "p99": round(cuts[98], 2)}
