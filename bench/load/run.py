"""`make loadtest`: fifty visitors at once for a minute, and a curator saving trials meanwhile,
against the portal as deployed (gunicorn, debug off, collected static, PostgreSQL, Redis) with the
bundled trials and 50,000 synthetic ones. Any failed request fails the run. The latencies and the
throughput go to bench/load.json and bench/LOAD.md.

The database, bench_load, is filled once (generate_trials, then the bundled records) and reused
while the generator, its seed and the count are the same (a note on the database says which);
the bundled records are imported again each run (an unchanged one is skipped). As in `make bench`
(bench/settings.py), the public pages show the synthetic trials in place of published ones; the
bundled real trials are there for the curator, who saves both kinds.

Environment:
    LOAD_USERS          visitors at once (default 50)
    LOAD_SECONDS        how long they visit (default 60)
    LOAD_TRIALS         synthetic trials (default 50000)
    LOAD_DATABASE_URL   the PostgreSQL server (default postgres://postgres@127.0.0.1:5432/postgres)
    LOAD_REDIS_URL      the cache (default redis://127.0.0.1:6379/13: a database of its own)
    LOAD_REBUILD=1      fill the database again even when it is current
"""

import csv
import json
import os
import secrets
import subprocess
import sys
import time
from datetime import UTC, datetime
from urllib.parse import urlsplit, urlunsplit

from bench.run import LOGS, ROOT, free_port, revision, setting, start, stop

DATABASE = "bench_load"
SEED = 0
CURATOR = "load-curator"
RESULTS_JSON = ROOT / "bench" / "load.json"
FACTS = LOGS / "load-facts.json"
STATS = LOGS / "load"  # Locust's CSV files: load_stats.csv and the others


def main():
    LOGS.mkdir(parents=True, exist_ok=True)
    server = setting("LOAD_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/postgres")
    os.environ.update(
        DATABASE_URL=urlunsplit(urlsplit(server)._replace(path=f"/{DATABASE}")),
        DJANGO_SETTINGS_MODULE="bench.settings",
        **production_environment(),
    )
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from bench.load import data
    from trials.models import Site, Trial

    trials = int(setting("LOAD_TRIALS", "50000"))
    load = data.prepare(server=server, name=DATABASE, trials=trials, seed=SEED)
    password = secrets.token_urlsafe(24)
    data.curator(CURATOR, password)
    print("   collecting static files", flush=True)
    call_command("collectstatic", interactive=False, verbosity=0)
    facts = data.facts()
    facts["curator"] = {"username": CURATOR, "password": password}
    FACTS.write_text(json.dumps(facts, indent=2))
    counts = {
        "trials": Trial.objects.count(),
        "synthetic": Trial.objects.filter(is_synthetic=True).count(),
        "sites": Site.objects.count(),
    }
    print(f"   {counts}", flush=True)
    measured_machine = machine(connection)
    connection.close()

    port = free_port()
    workers = 2 * (os.cpu_count() or 1) + 1  # the README's deploy line (2 x cores + 1, --preload)
    users = int(setting("LOAD_USERS", "50"))
    seconds = int(setting("LOAD_SECONDS", "60"))
    gunicorn_log = LOGS / "load-gunicorn.log"
    web = start(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "portal.wsgi",
            "--preload",
            "--workers",
            str(workers),
            "--bind",
            f"127.0.0.1:{port}",
        ],  # fmt: skip
        gunicorn_log,
    )
    try:
        wait_until_up(port, web)
        warm_up(port, facts, workers)
        print(f"   {users} visitors and a curator for {seconds} s", flush=True)
        locust = subprocess.run(
            [
                sys.executable,
                "-m",
                "locust",
                "-f",
                str(ROOT / "bench" / "load" / "locustfile.py"),
                "--headless",
                "--users",
                str(users + 1),
                "--spawn-rate",
                str(users + 1),
                "--run-time",
                f"{seconds}s",
                "--stop-timeout",  # a save under way when time is up is finished and counted
                "60",
                "--host",
                f"http://127.0.0.1:{port}",
                "--csv",
                str(STATS),
                "--only-summary",
            ],  # fmt: skip
            cwd=ROOT,
            env={**os.environ, "LOAD_FACTS": str(FACTS), "PYTHONPATH": str(ROOT)},
        )
    finally:
        stop(web)

    server_errors = [line for line in gunicorn_log.read_text().splitlines() if "Traceback" in line]
    result = {
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "revision": revision(),
        "database": counts,
        "load": load,
        "settings": {
            "visitors": users,
            "curators": 1,
            "seconds": seconds,
            "gunicorn_workers": workers,
            "cache": "Redis",
            "debug": False,
        },
        "groups": read_stats(STATS.with_name(STATS.name + "_stats.csv")),
        "server_tracebacks": len(server_errors),
        "locust_exit_code": locust.returncode,
        "machine": measured_machine,
    }
    RESULTS_JSON.write_text(json.dumps(result, indent=2, default=str) + "\n")
    from bench.load.report import write_markdown

    write_markdown(result)
    failures = sum(group["failures"] for group in result["groups"].values())
    print(f"   written to bench/load.json and bench/LOAD.md; {failures} failed requests")
    if failures or server_errors or locust.returncode:
        raise SystemExit(
            f"The load test failed: {failures} failed requests, {len(server_errors)} tracebacks "
            f"in {gunicorn_log.relative_to(ROOT)}, Locust's exit code {locust.returncode}."
        )


def machine(connection):
    """Where the numbers were measured: the load test shares the machine with its server."""
    import platform

    import django

    with open("/proc/meminfo") as meminfo:
        memory_kb = int(next(line for line in meminfo if line.startswith("MemTotal")).split()[1])
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        postgres = cursor.fetchone()[0]
    return {
        "cores": os.cpu_count(),
        "memory_gb": round(memory_kb / 1024 / 1024, 1),
        "os": platform.platform(),
        "python": platform.python_version(),
        "django": django.get_version(),
        "postgresql": postgres,
    }


def production_environment():
    """A deployment's settings (README, "Deploying"), on loopback: requests say they came
    through the TLS proxy (X-Forwarded-Proto), so HTTPS redirects and secure cookies are on."""
    return {
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(40),
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DJANGO_STATIC_ROOT": str(LOGS / "load-static"),
        "DJANGO_LOG_LEVEL": "WARNING",
        # Every simulated visitor comes from 127.0.0.1: one address's limit would stop them all.
        "DJANGO_API_RATE_LIMIT": "off",
        "REDIS_URL": setting("LOAD_REDIS_URL", "redis://127.0.0.1:6379/13"),
    }


def wait_until_up(port, process, timeout=120):
    import urllib.request

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit("gunicorn stopped: see bench/logs/load-gunicorn.log.")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2):
                return
        except OSError:
            time.sleep(0.5)
    raise SystemExit("gunicorn did not answer: see bench/logs/load-gunicorn.log.")


def warm_up(port, facts, workers):
    """Untimed: each worker's first requests load Python modules and the gazetteer (a real
    deployment does that once after a restart), and fill Redis with the landing page. The
    visitors then meet a running site, not one starting up."""
    import urllib.request
    from concurrent.futures import ThreadPoolExecutor
    from urllib.parse import quote

    paths = ["/", "/trials/", f"/trials/?near={quote(facts['cities'][0])}",
             f"/trials/{facts['nct_ids'][0]}/", "/trials/?q=leukemia"]  # fmt: skip

    def visit(path):
        request = urllib.request.Request(
            f"http://127.0.0.1:{port}{path}", headers={"X-Forwarded-Proto": "https"}
        )
        with urllib.request.urlopen(request, timeout=300) as response:
            response.read()

    print("   warming up (untimed)", flush=True)
    with ThreadPoolExecutor(max_workers=workers) as pool:
        list(pool.map(visit, paths * workers * 2))


def read_stats(path):
    """Locust's per-group statistics: requests, failures, percentiles (ms), requests a second."""
    groups = {}
    with open(path) as stats:
        for row in csv.DictReader(stats):
            name = "overall" if row["Name"] == "Aggregated" else row["Name"]
            groups[name] = {
                "requests": int(row["Request Count"]),
                "failures": int(row["Failure Count"]),
                "p50": number(row["50%"]),
                "p95": number(row["95%"]),
                "p99": number(row["99%"]),
                "max": number(row["Max Response Time"]),
                "rps": round(float(row["Requests/s"]), 2),
            }
    return groups


def number(text):
    return None if text in ("", "N/A") else round(float(text))


if __name__ == "__main__":
    main()
