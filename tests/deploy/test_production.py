"""The README's deployment, followed in a temporary folder and checked over real HTTP.

Debug off, the production static storage (hashed, compressed, from collectstatic) and gunicorn:
what visitors and curators would get. Also the same server with its database gone.
"""

import json
import re

from tests.deploy.server import deploy_commands, fetch, free_port, gunicorn

# Words of Django's debug pages and of tracebacks: none may reach a visitor.
DEBUG_WORDS = ["Traceback", "DEBUG = True", "technical_500", "Request Method:", "settings.py"]


def test_the_readme_deploys_with_collectstatic_migrate_import_and_gunicorn():
    lines = " ".join(deploy_commands())
    for step in ["check --deploy", "migrate", "collectstatic", "import_trials", "gunicorn"]:
        assert step in lines, step
    # The portal is deployed from the checkout (pyproject.toml says why), never `pip install .`.
    assert "pip install ." not in lines
    assert "--require-hashes -r requirements.lock" in lines


def test_pages_answer_in_production_mode(deployment):
    url, *_ = deployment
    home = fetch(f"{url}/")
    assert home.status == 200
    assert "<h1>Blinatumomab clinical trials</h1>" in home.text
    search = fetch(f"{url}/trials/?q=blinatumomab")
    assert search.status == 200
    assert search.text.count('href="/trials/NCT') >= 20  # a whole first page of the catalogue
    # TOWER, closed, is not on that first page of 39 trials (open ones come first): by its ID.
    search = fetch(f"{url}/trials/?q=NCT02013167")
    assert search.status == 200
    assert "/trials/NCT02013167/" in search.text
    trial = fetch(f"{url}/trials/NCT02013167/")
    assert trial.status == 200
    assert "TOWER" in trial.text
    login = fetch(f"{url}/admin/login/")
    assert login.status == 200
    assert 'name="password"' in login.text
    for answer in (home, search, trial, login):
        for word in DEBUG_WORDS:
            assert word not in answer.text


def test_static_files_are_hashed_far_future_and_compressed(deployment):
    url, *_ = deployment
    home = fetch(f"{url}/").text
    stylesheet = re.search(r'href="(/static/css/site\.[0-9a-f]{12}\.css)"', home)
    assert stylesheet, "the page links no hashed stylesheet"
    plain = fetch(url + stylesheet.group(1))
    assert plain.status == 200
    assert "max-age=315360000" in plain.headers["Cache-Control"]
    assert "immutable" in plain.headers["Cache-Control"]
    gzipped = fetch(url + stylesheet.group(1), headers={"Accept-Encoding": "gzip"})
    assert gzipped.status == 200
    assert gzipped.headers["Content-Encoding"] == "gzip"
    assert len(gzipped.body) < len(plain.body)
    # The map's script and the source map it names were collected too (this once failed).
    trial = fetch(f"{url}/trials/NCT02013167/").text
    leaflet = re.search(r'src="(/static/vendor/leaflet/leaflet\.[0-9a-f]{12}\.js)"', trial)
    assert leaflet
    assert fetch(url + leaflet.group(1)).status == 200


def test_unknown_pages_get_the_sites_own_404(deployment):
    url, *_ = deployment
    for path in ["/no-such-page/", "/trials/NCT99999999/"]:
        answer = fetch(url + path)
        assert answer.status == 404
        assert "We could not find that page" in answer.text
        assert 'action="/trials/"' in answer.text  # a way back to search
        for word in DEBUG_WORDS + ["Page not found (404)", "URLconf"]:
            assert word not in answer.text


def test_plain_http_is_redirected_but_the_health_check_answers(deployment):
    url, *_ = deployment
    answer = fetch(f"{url}/trials/", https=False)
    assert answer.status == 301
    assert answer.headers["Location"].startswith("https://")
    health = fetch(f"{url}/healthz", https=False)
    assert health.status == 200
    assert health.json() == {"database": "ok", "cache": "ok"}


def test_security_headers_and_cookies_in_production(deployment):
    url, *_ = deployment
    answer = fetch(f"{url}/admin/login/")
    policy = answer.headers["Content-Security-Policy"]
    script_src = re.search(r"script-src ([^;]*)", policy).group(1)
    assert script_src == "'self'"
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
    assert "https://tile.openstreetmap.org" in re.search(r"img-src ([^;]*)", policy).group(1)
    assert "frame-ancestors 'none'" in policy
    assert answer.headers["Referrer-Policy"] == "same-origin"
    assert answer.headers["Cross-Origin-Opener-Policy"] == "same-origin"
    for feature in ["geolocation=()", "camera=()", "microphone=()", "payment=()"]:
        assert feature in answer.headers["Permissions-Policy"]
    assert answer.headers["Strict-Transport-Security"].startswith("max-age=31536000")
    assert answer.headers["X-Content-Type-Options"] == "nosniff"
    cookie = answer.headers["Set-Cookie"]
    assert cookie.startswith("__Host-csrftoken=")
    for flag in ["HttpOnly", "Secure", "SameSite=Lax", "Path=/"]:
        assert flag in cookie
    assert "Domain=" not in cookie


def log_entries(log_path):
    entries = []
    for line in log_path.read_text().splitlines():
        if line.startswith("{"):
            entries.append(json.loads(line))
    return entries


def test_one_json_log_line_per_request_without_query_values(deployment):
    url, log_path, *_ = deployment
    answer = fetch(
        f"{url}/trials/?q=leukemia+child&near=Milwaukee", headers={"X-Request-ID": "abc-123"}
    )
    assert answer.headers["X-Request-ID"] == "abc-123"
    entries = [e for e in log_entries(log_path) if e.get("logger") == "portal.requests"]
    mine = [e for e in entries if e["request_id"] == "abc-123"]
    assert len(mine) == 1
    entry = mine[0]
    assert entry["method"] == "GET"
    assert entry["path"] == "/trials/"
    assert entry["query_keys"] == ["near", "q"]
    assert entry["status"] == 200
    assert entry["duration_ms"] >= 0
    assert "Milwaukee" not in log_path.read_text()
    assert "leukemia" not in log_path.read_text()


def test_without_its_database_the_site_says_so_plainly(deployment, tmp_path):
    """The same deployment pointed at a database that does not answer."""
    _, _, env, serve = deployment
    broken = {**env, "DATABASE_URL": "postgres://portal@127.0.0.1:9/portal"}
    port = free_port()
    log_path = tmp_path / "gunicorn.log"
    with gunicorn(serve, env=broken, port=port, log_path=log_path) as url:
        health = fetch(f"{url}/healthz")
        assert health.status == 503
        assert health.json() == {"database": "unavailable", "cache": "ok"}
        for path in ["/", "/trials/?q=blinatumomab", "/trials/NCT02013167/"]:
            page = fetch(url + path)
            assert page.status == 503
            assert page.headers["Retry-After"] == "60"
            assert "briefly unavailable" in page.text
            assert 'action="/trials/"' in page.text
            for word in DEBUG_WORDS + ["psycopg", "9/portal"]:
                assert word not in page.text
    errors = [e for e in log_entries(log_path) if e["level"] == "ERROR"]
    assert any("OperationalError" in e.get("traceback", "") for e in errors)
