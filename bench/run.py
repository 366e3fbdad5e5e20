"""`make bench`: the portal's public pages at 1,000, 50,000 and 500,000 synthetic trials on
PostgreSQL, side by side with Datasette serving the same trials from SQLite.

For each size: a database bench_<size> (built once by generate_trials, reused while the
generator and its seed are the same), the same trials exported to bench/datasette/<size>.db,
the portal under gunicorn and Datasette started, each question warmed up and then timed from one
client over loopback, the same way for both (a question weighed against another, the API's
JSON against its page, is timed again in turn with it). Then, in process, each page's SQL is
captured and replayed alone, and the slowest statements are EXPLAINed. Results go to
bench/results.json and bench/RESULTS.md (sizes measured earlier stay, each with its own date).

Environment:
    BENCH_SIZES         sizes to measure (default "1000 50000 500000")
    BENCH_REQUESTS      timed requests per question and server (default 200)
    BENCH_WARMUP        untimed requests before them (default 20)
    BENCH_MAX_SECONDS   stop timing a question after this long, and say so (default 120; 0: never)
    BENCH_DATABASE_URL  the PostgreSQL server (default postgres://postgres@127.0.0.1:5432/postgres)
    BENCH_REBUILD=1     build the databases again even when they are current
    BENCH_DATABASE_PREFIX  put before the databases' names (perf_: perf_bench_1000), so that a
                        run beside others on a shared server uses databases of its own
    BENCH_LOAD_CLIENTS  visitors at once in the throughput run (default 16; bench/throughput.py)
    BENCH_LOAD_SECONDS  how long it lasts per server (default 30; 0: no throughput run)
    BENCH_IMPORT=0      skip the import question (bench/import_rate.py) and the first near search
                        in a fresh process (bench/first_near.py), both measured once per run
    BENCH_IMPORT_DATABASE, BENCH_IMPORT_COPIES   see bench/import_rate.py
"""

import argparse
import json
import os
import platform
import secrets
import socket
import statistics
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench"
LOGS = BENCH / "logs"
RESULTS_JSON = BENCH / "results.json"
RESULTS_MD = BENCH / "RESULTS.md"
DEFAULT_SERVER = "postgres://postgres@127.0.0.1:5432/postgres"
SEED = 0
SQL_KEPT = 3000  # characters of a slow statement kept in the results (the select lists are long)


def setting(name, default):
    return os.environ.get(name, "").strip() or default


def database_url(size):
    parts = urlsplit(setting("BENCH_DATABASE_URL", DEFAULT_SERVER))
    prefix = os.environ.get("BENCH_DATABASE_PREFIX", "").strip()
    return urlunsplit(parts._replace(path=f"/{prefix}bench_{size}"))


def main():
    sizes = [int(size) for size in setting("BENCH_SIZES", "1000 50000 500000").split()]
    LOGS.mkdir(parents=True, exist_ok=True)
    results = json.loads(RESULTS_JSON.read_text()) if RESULTS_JSON.exists() else {}
    results.setdefault("sizes", {})
    for size in sizes:
        out = LOGS / f"results-{size}.json"
        out.unlink(missing_ok=True)
        env = {
            **os.environ,
            "DATABASE_URL": database_url(size),
            "DJANGO_SETTINGS_MODULE": "bench.settings",
            "PYTHONUNBUFFERED": "1",
            **server_environment(),
        }
        print(f"== {size} trials", flush=True)
        subprocess.run(
            [sys.executable, "-m", "bench.run", "--size", str(size), "--out", str(out)],
            env=env,
            cwd=ROOT,
            check=True,
        )
        measured = json.loads(out.read_text())
        results["machine"] = measured.pop("machine")
        results["sizes"][str(size)] = measured
        results["sizes"] = dict(sorted(results["sizes"].items(), key=lambda item: int(item[0])))
        write_results(results)
    if setting("BENCH_IMPORT", "1") != "0":
        from bench import first_near, import_rate

        env = {**os.environ, **server_environment(), "DJANGO_SETTINGS_MODULE": "portal.settings"}
        print("== the first near search in a fresh process", flush=True)
        results["first_near"] = {**first_near.measure(env=env), "revision": revision()}
        print(f"   {results['first_near']}", flush=True)
        print("== import, on PostgreSQL", flush=True)
        results["import"] = {**import_rate.measure(env=env), "revision": revision()}
        print(f"   first {results['import']['first']}", flush=True)
        print(f"   again {results['import']['again']}", flush=True)
        write_results(results)


def write_results(results):
    from bench.report import write_markdown

    RESULTS_JSON.write_text(json.dumps(results, indent=2) + "\n")
    write_markdown(results, RESULTS_MD)
    print(f"   written to {RESULTS_JSON.relative_to(ROOT)} and {RESULTS_MD.name}", flush=True)


def server_environment():
    """Production settings, as a deployment runs them, on loopback and without TLS."""
    return {
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(40),
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DJANGO_SECURE_SSL_REDIRECT": "0",
        "DJANGO_PLAIN_STATIC": "1",  # no collectstatic needed; the pages are measured, not files
        "DJANGO_LOG_LEVEL": "WARNING",
        # Both servers answer every question in full: Datasette's time limits are raised
        # (bench.peer) and the portal's statement timeout (portal/wsgi.py) is lifted. The
        # tables show which pages would exceed it.
        "DATABASE_STATEMENT_TIMEOUT_MS": "0",
        # Every request comes from 127.0.0.1: the API's and exports' limit per client address
        # would answer most of them 429 and measure that instead.
        "DJANGO_API_RATE_LIMIT": "off",
    }


# One size, in its own process: Django is set up for bench_<size>.


def run_size(size, out):
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection

    from bench import peer, throughput
    from bench.measure import HttpClient
    from bench.questions import facts, questions
    from trials.models import Site, Trial

    load = prepare_database(size)
    call_command("migrate", verbosity=0, interactive=False)
    if not Trial.objects.exists():
        load = generate(size)
    elif Trial.objects.filter(is_synthetic=False).exists():
        raise SystemExit(f"bench_{size} holds real trials: it is not a benchmark database.")
    print(f"   {Trial.objects.count()} trials, {Site.objects.count()} sites", flush=True)
    if not Trial.objects.published().exists():
        raise SystemExit(
            "The public pages show none of the synthetic trials: Trial.objects.published() "
            "must read settings.PORTAL_SHOW_SYNTHETIC, which bench/settings.py turns on."
        )

    sqlite_path = BENCH / "datasette" / f"{size}.db"
    if peer.fingerprint_of(sqlite_path) != fingerprint(size):
        print("   exporting to SQLite for Datasette", flush=True)
        started = time.perf_counter()
        peer.export(path=sqlite_path, fingerprint=fingerprint(size))
        print(f"   exported in {time.perf_counter() - started:.0f} s", flush=True)
    metadata_path = LOGS / f"datasette-{size}.json"
    metadata_path.write_text(json.dumps(peer.metadata(str(size))))

    known = facts()
    requests = int(setting("BENCH_REQUESTS", "200"))
    warmup = int(setting("BENCH_WARMUP", "20"))
    max_seconds = float(setting("BENCH_MAX_SECONDS", "120")) or None
    workers = 2 * (os.cpu_count() or 1) + 1
    ports = {name: free_port() for name in ("ours", "ours_uncached", "peer")}
    servers = [
        start(gunicorn(ports["ours"], workers), LOGS / f"gunicorn-{size}.log"),
        start(
            gunicorn(ports["ours_uncached"], workers),
            LOGS / f"gunicorn-uncached-{size}.log",
            BENCH_NO_CACHE="1",
        ),
        start(
            peer.command(path=sqlite_path, port=ports["peer"], metadata_path=metadata_path),
            LOGS / f"datasette-{size}.log",
        ),
    ]
    try:
        clients = {name: HttpClient(f"http://127.0.0.1:{port}") for name, port in ports.items()}
        for client in clients.values():
            wait_until_up(client, "/")
        asked = questions(
            known, database=str(size), deep_next=deep_next(clients["peer"], str(size))
        )
        measured = ask(asked, clients, requests=requests, warmup=warmup, max_seconds=max_seconds)
        load_seconds = float(setting("BENCH_LOAD_SECONDS", str(throughput.SECONDS)))
        load = (
            throughput.throughput(
                asked,
                clients,
                concurrency=int(setting("BENCH_LOAD_CLIENTS", str(throughput.CLIENTS))),
                seconds=load_seconds,
            )
            if load_seconds
            else None
        )
        # After the load: what each worker holds once it has served every kind of page.
        memory = {
            "ours": throughput.worker_memory(servers[0].pid),
            "ours_uncached": throughput.worker_memory(servers[1].pid),
            "peer": {"master": throughput.resident_mb(servers[2].pid), "workers": []},
        }
    finally:
        for server in servers:
            stop(server)

    sql = sql_alone(asked)
    for key, found in sql.items():
        page = measured[key]["ours_uncached"]
        page["sql_alone_ms"] = found["total_ms"]
        if found["total_ms"] and page["p50"]:
            page["page_to_sql"] = round(page["p50"] / found["total_ms"], 2)
    result = {
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "revision": revision(),
        "trials": Trial.objects.count(),
        "sites": Site.objects.count(),
        "load": load,
        "facts": known.__dict__,
        "settings": {
            "requests": requests,
            "warmup": warmup,
            "max_seconds": max_seconds,
            "gunicorn_workers": workers,
            "cache": settings.CACHES["default"]["BACKEND"].rsplit(".", 1)[-1],
        },
        "questions": measured,
        "throughput": load,
        "memory_mb": memory,
        "profile": sql,
        "machine": machine(connection),
    }
    Path(out).write_text(json.dumps(result, indent=2, default=str))


def ask(asked, clients, *, requests, warmup, max_seconds=None, say=print):
    """Each question of each server: clients["ours"] is the portal with its cache,
    clients["ours_uncached"] the portal without one, clients["peer"] Datasette (if any)."""
    from bench.measure import measure, measure_together

    by_key = {question.key: question for question in asked}
    measured = {}
    for question in asked:
        say(f"   {question.key}")
        entry = {
            "label": question.label,
            "target_p95_ms": question.target_p95_ms,
            "beside": question.beside,
            "target_ratio": question.target_ratio,
        }
        # The portal twice: with its cache warm (the same page again and again), and with no
        # cache, as the first visit to each distinct search is.
        for name, path in (
            ("ours", question.ours),
            ("ours_uncached", question.ours),
            ("peer", question.peer),
        ):
            if path and name in clients:
                entry[name] = measure(
                    clients[name], path, requests=requests, warmup=warmup, max_seconds=max_seconds
                ).summary()
        entry["peer_note"] = question.peer_note if "peer" in entry else ""
        # A target relative to another question (the API's JSON no slower than the page): the
        # two measured again in turn, request for request, so that a slower minute of the
        # machine does not fall on one of them only. The report weighs these.
        other = by_key.get(question.beside or "")
        if other and question.target_ratio:
            entry["paired"] = {}
            for name in ("ours", "ours_uncached"):
                if name in clients:
                    this, beside = measure_together(
                        clients[name],
                        [question.ours, other.ours],
                        requests=requests,
                        warmup=warmup,
                        max_seconds=max_seconds,
                    )
                    entry["paired"][name] = {"this": this.summary(), "beside": beside.summary()}
        measured[question.key] = entry
        say(
            f"      portal {brief(entry['ours'])} | no cache {brief(entry['ours_uncached'])}"
            f" | datasette {brief(entry.get('peer'))}"
        )
    return measured


def fingerprint(size):
    from trials.synthetic import SYNTHETIC_VERSION

    return f"generate_trials v{SYNTHETIC_VERSION}, seed {SEED}, {size} trials"


def prepare_database(size):
    """Create bench_<size>, or drop and create it again when it holds other data than this
    generator makes. Returns the load report kept with a current database, else None."""
    import psycopg
    from django.conf import settings

    name = settings.DATABASES["default"]["NAME"]
    server = setting("BENCH_DATABASE_URL", DEFAULT_SERVER)
    with psycopg.connect(server, autocommit=True) as admin:
        row = admin.execute(
            "SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = %s",
            [name],
        ).fetchone()
        note = json.loads(row[0]) if row and row[0] and row[0].startswith("{") else {}
        current = note.get("fingerprint") == fingerprint(size)
        if row and current and not os.environ.get("BENCH_REBUILD"):
            print(f"   reusing {name}", flush=True)
            return {**note.get("load", {}), "reused": True}
        if row:
            print(f"   dropping {name}: not this generator's", flush=True)
            admin.execute(f'DROP DATABASE "{name}" WITH (FORCE)')
        admin.execute(f'CREATE DATABASE "{name}"')
    return None


def generate(size):
    from django.db import connection

    from trials.synthetic import generate_trials, vacuum_analyze

    print(f"   generating {size} synthetic trials", flush=True)
    report = generate_trials(count=size, seed=SEED)
    started = time.perf_counter()
    vacuum_analyze()
    load = {
        "seconds": round(report.seconds, 1),
        "vacuum_analyze_seconds": round(time.perf_counter() - started, 1),
        "rows": report.rows,
        "sites": report.sites,
        "timings": report.timings,
    }
    print(f"   generated in {report.seconds:.0f} s: {load}", flush=True)
    note = json.dumps({"fingerprint": fingerprint(size), "load": load})
    name = connection.settings_dict["NAME"]
    quoted = "'" + note.replace("'", "''") + "'"  # COMMENT takes no parameters
    with connection.cursor() as cursor:
        cursor.execute(f'COMMENT ON DATABASE "{name}" IS {quoted}')
    return {**load, "reused": False}


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def gunicorn(port, workers):
    return [
        sys.executable,
        "-m",
        "gunicorn",
        "bench.wsgi:application",
        "--preload",
        "--workers",
        str(workers),
        "--bind",
        f"127.0.0.1:{port}",
        "--timeout",
        "600",
    ]


def start(command, log_path, **env):
    log = open(log_path, "w")  # noqa: SIM115 (closed with the process, in stop())
    process = subprocess.Popen(
        command, stdout=log, stderr=subprocess.STDOUT, cwd=ROOT, env={**os.environ, **env}
    )
    process.log = log
    return process


def stop(process):
    process.terminate()
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
    process.log.close()


def wait_until_up(client, path, timeout=120):
    deadline = time.monotonic() + timeout
    while True:
        try:
            if client.get(path).status == 200:
                return
        except OSError:
            pass
        if time.monotonic() > deadline:
            raise SystemExit(f"The server at port {client.port} did not start: see bench/logs/.")
        time.sleep(0.5)


def deep_next(client, database):
    """Datasette's keyset token for page 200 of the trials by last update (or for its last page,
    when there are fewer), found by following its `next` links."""
    from bench.questions import DEEP_PAGE

    base = f"/{database}/trials.json?_sort_desc=last_update_post_date&_nofacet=1&_nocount=1"
    token = None
    for _ in range(DEEP_PAGE - 1):
        path = base + (f"&_next={token}" if token else "")
        following = json.loads(client.get(path).body).get("next")
        if not following:
            break
        token = following
    return token


def sql_alone(asked, *, runs=15):
    """Each page's SQL with nothing cached, captured in process and replayed alone on the same
    database connection, without Django: the time the page would take if Django added nothing.
    The slowest statements are EXPLAINed; cProfile says where the rest of the time goes."""
    from django.core.cache import cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from bench.measure import InProcessClient, counted
    from portal.wsgi import application

    client = InProcessClient(counted(application))
    connection.ensure_connection()
    raw = connection.connection
    if connection.vendor == "postgresql":
        explain = "EXPLAIN (ANALYZE, BUFFERS) "
    else:
        explain = "EXPLAIN QUERY PLAN "
    found = {}
    for question in asked:
        client.get(question.ours)
        cache.clear()  # every statement of the page, as on a first visit
        with CaptureQueriesContext(connection) as captured:
            client.get(question.ours)
        timed = [
            {"ms": replay_ms(raw, query["sql"], runs=runs), "sql": query["sql"]}
            for query in captured.captured_queries
        ]
        slowest = sorted(timed, key=lambda item: -item["ms"])[:2]
        for item in slowest:
            plan = raw.execute(explain + item["sql"]).fetchall()
            item["plan"] = "\n".join(str(row[-1]) for row in plan)
        found[question.key] = {
            "total_ms": round(sum(item["ms"] for item in timed), 2),
            "queries": [{"ms": item["ms"], "sql": item["sql"][:200]} for item in timed],
            "slowest": [{**item, "sql": item["sql"][:SQL_KEPT]} for item in slowest],
            "python": python_profile(client, question.ours, cache),
        }
    return found


def replay_ms(raw, sql, *, runs, budget_seconds=3.0):
    """The median time of a statement run alone, rows fetched, over up to `runs` runs."""
    times = []
    started = time.perf_counter()
    while len(times) < runs and (not times or time.perf_counter() - started < budget_seconds):
        began = time.perf_counter()
        raw.execute(sql).fetchall()
        times.append((time.perf_counter() - began) * 1000)
    return round(statistics.median(times), 3)


def python_profile(client, path, cache, lines=25):
    """Where a page's time goes in Python (nothing cached): cProfile's functions by cumulative
    time, with the long paths cut short."""
    import cProfile
    import io
    import pstats

    cache.clear()
    profiler = cProfile.Profile()
    profiler.enable()
    client.get(path)
    profiler.disable()
    out = io.StringIO()
    pstats.Stats(profiler, stream=out).sort_stats("cumulative").print_stats(lines)
    text = out.getvalue()
    for prefix in (str(ROOT) + "/", sys.prefix + "/lib/python3.11/site-packages/"):
        text = text.replace(prefix, "")
    return text[text.find("   ncalls") :].rstrip()


def machine(connection):
    cpu = platform.processor()
    with open("/proc/cpuinfo") as cpuinfo:
        for line in cpuinfo:
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    with open("/proc/meminfo") as meminfo:
        memory_kb = int(next(line for line in meminfo if line.startswith("MemTotal")).split()[1])
    import datasette
    import django

    with connection.cursor() as cursor:
        postgres = {}
        for name in (
            "server_version",
            "shared_buffers",
            "work_mem",
            "effective_cache_size",
            "jit",
            "max_parallel_workers_per_gather",
        ):
            cursor.execute(f"SHOW {name}")
            postgres[name] = cursor.fetchone()[0]
    import sqlite3

    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "memory_gb": round(memory_kb / 1024 / 1024, 1),
        "os": platform.platform(),
        "python": platform.python_version(),
        "django": django.get_version(),
        "postgresql": postgres,
        "datasette": datasette.__version__,
        "sqlite": sqlite3.sqlite_version,
    }


def revision():
    """The commit measured, "-dirty" when files other than the bench's own results differ from
    it (they are rewritten after each size, so a later size would always look dirty)."""
    try:
        commit = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        changed = subprocess.run(
            [
                "git",
                "status",
                "--porcelain",
                "--",
                ".",
                ":!bench/results.json",
                ":!bench/RESULTS.md",
            ],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        return f"{commit}-dirty" if changed else commit
    except (OSError, subprocess.CalledProcessError):
        return os.environ.get("BENCH_REVISION", "unknown")


def brief(summary):
    if not summary:
        return "-"
    queries = f" {summary['queries']}q" if "queries" in summary else ""
    return f"p50 {summary['p50']} p95 {summary['p95']} ms (n={summary['requests']}){queries}"


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--size", type=int)
    parser.add_argument("--out")
    arguments = parser.parse_args()
    if arguments.size:
        run_size(arguments.size, arguments.out)
    else:
        main()
