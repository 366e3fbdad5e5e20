"""`make bench`'s import question: how many real registry records a second the importer writes
on PostgreSQL, first import and an idempotent re-import, and where the time goes.

The records are the real ones under ../shared/data/ and data/trials/, repeated under distinct
synthetic NCT IDs (NCT98...: the registry hands out NCT0...) so that every copy is a new trial;
each copy is marked synthetic once written. They go into a database of their own,
BENCH_IMPORT_DATABASE (default bench_import, after BENCH_DATABASE_PREFIX, on BENCH_DATABASE_URL's
server), dropped and created again for each run. Alone: `python -m bench.import_rate`
(BENCH_IMPORT_COPIES copies of each record, default 5). Prints one JSON object.
"""

import cProfile
import io
import json
import os
import pstats
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
SOURCES = [ROOT.parent / "shared" / "data", ROOT / "data" / "trials"]
FIRST_NUMBER = 98_000_000  # synthetic: see trials/synthetic/load.py, which counts from 90,000,000
PROFILE_LINES = 25


def setting(name, default):
    return os.environ.get(name, "").strip() or default


def database_url():
    server = setting("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/postgres")
    prefix = os.environ.get("BENCH_DATABASE_PREFIX", "").strip()
    name = setting("BENCH_IMPORT_DATABASE", f"{prefix}bench_import")
    return server, urlunsplit(urlsplit(server)._replace(path=f"/{name}")), name


def recreate_database(server, name):
    import psycopg

    with psycopg.connect(server, autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.execute(f'CREATE DATABASE "{name}"')


def synthetic_records(copies, first_copy=0):
    """The real records, `copies` times, each under a synthetic NCT ID of its own (copies
    numbered from `first_copy`, so that later calls give other IDs)."""
    from trials.registry.sources import read_text, records_from_paths, study_nct_id
    from trials.synthetic.generator import nct_id

    real = [r for r in records_from_paths([p for p in SOURCES if p.exists()]) if r.study]
    records = []
    for copy in range(first_copy, first_copy + copies):
        for index, record in enumerate(real):
            real_id = study_nct_id(record.study)
            synthetic_id = nct_id(FIRST_NUMBER + copy * 10_000 + index)
            records += read_text(
                record.text.replace(real_id, synthetic_id),
                name=f"synthetic copy of {real_id} ({Path(record.name).name})",
                source_format=record.format,
            )
    return len(real), records


def timed_import(records, profile=None):
    """The import's report and its figures: wall-clock seconds, this process's CPU seconds (the
    rest is waiting, mostly for the database) and the SQL statements it sent."""
    from django.db import connection

    from trials.registry.importer import import_records

    sent = []

    def count(execute, sql, params, many, context):
        # Counted as they go: Django's own capture keeps only the last 9,000 statements.
        sent.append(1)
        return execute(sql, params, many, context)

    started, cpu = time.perf_counter(), time.process_time()
    with connection.execute_wrapper(count):
        if profile:
            profile.enable()
        report = import_records(records)
        if profile:
            profile.disable()
    seconds = time.perf_counter() - started
    return report, {
        "summary": report.summary,
        "seconds": round(seconds, 2),
        "records_per_second": round(len(records) / seconds, 1),
        "cpu_seconds": round(time.process_time() - cpu, 2),
        "statements": len(sent),
        "statements_per_record": round(len(sent) / len(records), 1),
    }


def top_entries(profile):
    out = io.StringIO()
    pstats.Stats(profile, stream=out).sort_stats("cumulative").print_stats(PROFILE_LINES)
    table = out.getvalue().split("   ncalls", 1)[-1]
    return ("   ncalls" + table).replace(f"{ROOT}/", "").rstrip()


def run():
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from trials.models import Trial

    call_command("migrate", verbosity=0, interactive=False)
    copies = int(setting("BENCH_IMPORT_COPIES", "5"))
    real, records = synthetic_records(copies)
    first, first_figures = timed_import(records)
    Trial.objects.filter(nct_id__in=first.created).update(is_synthetic=True)
    _, again_figures = timed_import(records)
    # Where the time goes: one more copy, new trials again, under the profiler (which slows
    # the importer's Python about twofold, so it is kept out of the timed import above).
    _, more = synthetic_records(1, first_copy=copies)
    profile = cProfile.Profile()
    profiled, _ = timed_import(more, profile)
    Trial.objects.filter(nct_id__in=profiled.created).update(is_synthetic=True)
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM trials_site")
        sites = cursor.fetchone()[0]
    return {
        "real_records": real,
        "copies": copies,
        "records": len(records),
        "sites": sites,
        "first": first_figures,
        "again": again_figures,
        "profile": top_entries(profile),
    }


def measure(env=None):
    """Runs the import question in a new process against a new database; returns its JSON."""
    import subprocess

    server, url, name = database_url()
    recreate_database(server, name)
    env = {**(env or os.environ), "DATABASE_URL": url, "DJANGO_SETTINGS_MODULE": "portal.settings"}
    found = subprocess.run(
        [sys.executable, "-m", "bench.import_rate", "--in-process"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(found.stdout.splitlines()[-1])


if __name__ == "__main__":
    if "--in-process" in sys.argv:
        print(json.dumps(run()))
    else:
        result = measure({**os.environ, "DJANGO_DEBUG": os.environ.get("DJANGO_DEBUG", "1")})
        print(result.pop("profile"))
        print(json.dumps(result, indent=2))
