"""A smoke run of the benchmark's code at 200 synthetic trials, in process: the same questions,
measuring, SQL replay, Datasette export and report as `make bench`, without servers."""

import asyncio
import sqlite3

import pytest
from django.core.wsgi import get_wsgi_application

from bench import peer, report, run
from bench.measure import InProcessClient, counted
from bench.questions import facts, questions
from trials import synthetic
from trials.models import Site, Trial

pytestmark = pytest.mark.django_db


@pytest.fixture
def bench_trials(db, settings):
    synthetic.generate_trials(count=200, seed=3)
    settings.PORTAL_SHOW_SYNTHETIC = True  # as bench/settings.py sets it
    return facts()


def test_synthetic_trials_are_shown_only_by_a_benchmark_process(db, settings):
    synthetic.generate_trials(count=5, seed=3)
    assert not Trial.objects.published().exists()
    settings.PORTAL_SHOW_SYNTHETIC = True
    assert Trial.objects.published().count() == 5


def test_the_benchmark_settings_refuse_a_database_not_named_for_it(monkeypatch):
    import importlib
    import sys

    from django.core.exceptions import ImproperlyConfigured

    monkeypatch.delitem(sys.modules, "bench.settings", raising=False)
    with pytest.raises(ImproperlyConfigured, match="bench_"):
        importlib.import_module("bench.settings")


def test_every_question_is_measured_with_its_queries_and_sql(bench_trials):
    client = InProcessClient(counted(get_wsgi_application()))
    asked = questions(bench_trials, database="200")
    measured = run.ask(
        asked,
        {"ours": client, "ours_uncached": client},
        requests=3,
        warmup=1,
        say=lambda *args: None,
    )
    for key, entry in measured.items():
        page = entry["ours"]
        assert page["status"] == 200, key
        assert page["requests"] == 3
        assert page["p50"] > 0 and page["p50"] <= page["p95"] <= page["p99"]
        assert "queries" in page and "django_share" in page
    # A question weighed against another (the API beside its page) is measured again in turn
    # with it, and the report weighs that pair.
    paired = measured["api_trial_median"]["paired"]["ours"]
    assert paired["this"]["path"].startswith("/api/v1/trials/")
    assert paired["beside"]["path"] == measured["trial_median"]["ours"]["path"]
    assert paired["this"]["requests"] == paired["beside"]["requests"] == 3
    assert "paired" not in measured["trial_median"]
    # The client's cache stays warm: a trial page asked again is served whole from it...
    assert measured["trial_most_sites"]["ours"]["queries"] == 0
    profile = run.sql_alone(asked, runs=2)
    assert set(profile) == set(measured)
    # ...while the profile empties the cache first and sees all its SQL: the trial, its sites...
    assert len(profile["trial_most_sites"]["queries"]) >= 2
    for found in profile.values():
        assert found["queries"] and found["slowest"][0]["plan"]
        assert "ncalls" in found["python"]
    results = {
        "machine": {
            "cpu": "test",
            "cores": 1,
            "memory_gb": 1,
            "os": "test",
            "python": "3",
            "django": "5.2",
            "postgresql": dict.fromkeys(
                [
                    "server_version",
                    "shared_buffers",
                    "work_mem",
                    "effective_cache_size",
                    "jit",
                    "max_parallel_workers_per_gather",
                ],
                "-",
            ),
            "datasette": "-",
            "sqlite": "-",
        },
        "sizes": {
            "200": {
                "date": "today",
                "revision": "test",
                "trials": 200,
                "sites": Site.objects.count(),
                "load": None,
                "settings": {"requests": 3, "warmup": 1, "gunicorn_workers": 1},
                "questions": measured,
                "profile": profile,
            }
        },
    }
    text = "\n".join(report.markdown(results))
    for entry in measured.values():
        assert entry["label"] in text
    assert "## Targets, at 200 trials" in text
    pair = measured["api_trial_median"]["paired"]["ours"]
    ratio = pair["this"]["p95"] / pair["beside"]["p95"]
    assert f"measured in turn: cache warm {ratio:.2f}× ({pair['this']['p95']} against" in text


def test_the_peer_gets_the_same_trials_with_full_text_search(bench_trials, tmp_path):
    path = tmp_path / "200.db"
    peer.export(path=path, fingerprint="test")
    assert peer.fingerprint_of(path) == "test"
    db = sqlite3.connect(path)
    assert db.execute("select count(*) from trials").fetchone()[0] == 200
    assert db.execute("select count(*) from sites").fetchone()[0] == Site.objects.count()
    matches = db.execute(
        "select count(*) from trials_fts where trials_fts match 'leukaemia OR leukemia'"
    ).fetchone()[0]
    expected = Trial.objects.filter(search_secondary__icontains="leukemia").count()
    assert matches >= expected > 0
    db.close()

    datasette = pytest.importorskip("datasette.app")
    instance = datasette.Datasette(
        immutables=[str(path)],
        metadata=peer.metadata("200"),
        settings={"suggest_facets": False},
    )

    class Client:
        def get(self, path):
            response = asyncio.run(instance.client.get(path))
            response.body = response.content
            return response

    token = run.deep_next(Client(), "200")
    for question in questions(bench_trials, database="200", deep_next=token):
        if question.peer and question.key != "landing":
            assert Client().get(question.peer).status_code == 200, question.key
    facet_page = Client().get(questions(bench_trials, database="200")[3].peer + "&_format=json")
    assert facet_page.status_code == 200


def test_the_throughput_run_counts_requests_errors_and_latencies(live_server, transactional_db):
    from bench.measure import HttpClient
    from bench.throughput import run_load

    client = HttpClient(live_server.url)
    found = run_load(client, ["/accessibility/", "/trials/NCT00000000/"], clients=2, seconds=1)
    assert found["clients"] == 2
    assert found["requests"] >= 2 and found["requests_per_second"] > 0
    # Every other request asks for a trial that does not exist: a 404 is an error under load.
    assert abs(found["errors"] - found["requests"] / 2) <= 1
    assert 0 < found["p50"] <= found["p95"]


def test_the_memory_of_each_worker_is_read_from_the_system():
    import os
    import subprocess
    import sys

    from bench.throughput import children, resident_mb, worker_memory

    child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)"])
    try:
        assert child.pid in children(os.getpid())
        memory = worker_memory(os.getpid())
        assert memory["master"] > 10  # this test process: Django and the test database
        assert len(memory["workers"]) >= 1 and all(mb > 1 for mb in memory["workers"])
    finally:
        child.kill()
        child.wait()
    assert resident_mb(child.pid) is None


def test_the_report_marks_each_new_target_met_or_not():
    load = {"clients": 16, "seconds": 30.0, "errors": 0, "p50": 40.0, "p95": 90.0}
    result = {
        "throughput": {
            "ours": {**load, "requests_per_second": 300.0},
            "ours_uncached": {**load, "requests_per_second": 50.0, "errors": 2},
            "peer": {**load, "requests_per_second": 100.0},
        },
        "memory_mb": {
            "ours": {"master": 70.0, "workers": [120.0, 130.5]},
            "ours_uncached": {"master": 70.0, "workers": [260.0]},
        },
    }
    text = "\n".join(report.load_targets(result, 1000))
    assert "warm: 300.0 requests/s against Datasette's 100.0 (3.00×, at least 2×: met)" in text
    assert "cache: 50.0 requests/s against Datasette's 100.0 (0.50×, at least 2×: NOT met)" in text
    assert "2 errors (NOT met)" in text
    assert "120, 130.5 MB (met)" in text and "260 MB (NOT met)" in text
    figures = {"summary": "", "seconds": 1.0, "cpu_seconds": 0.5, "statements_per_record": 40.0}
    text = "\n".join(
        report.process_targets(
            {
                "first_near": {"place": "Boston", "first_near_ms": 3.1, "peak_rss_mb": 78},
                "import": {
                    "records": 150,
                    "real_records": 75,
                    "copies": 2,
                    "sites": 7334,
                    "first": {**figures, "records_per_second": 12.0},
                    "again": {**figures, "records_per_second": 250.0},
                    "profile": "   ncalls  tottime",
                },
            }
        )
    )
    assert "at most 300 ms: 3.1 ms (met)" in text
    assert "at least 30 a second: 12.0 a second (NOT met)" in text
    assert "at least 200 a second: 250.0 a second (met)" in text
