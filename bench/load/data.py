"""The load test's database and what the visitors ask of it: values read from the database, so
every search is one a visitor could make on this catalogue."""

import random

WORDS_PER_SEARCH_POOL = 300


def fingerprint(trials, seed):
    from trials.synthetic import SYNTHETIC_VERSION

    return f"load: generate_trials v{SYNTHETIC_VERSION}, seed {seed}, {trials} trials"


def prepare(*, server, name, trials, seed):
    """bench_load with `trials` synthetic trials (made once, then reused while current) and the
    bundled real ones (imported each run: unchanged records are skipped). Returns what was done."""
    import os
    import time

    import psycopg
    from django.core.management import call_command
    from django.db import connection

    from tests.conftest import BUNDLED
    from trials.registry.importer import import_paths
    from trials.synthetic import generate_trials, vacuum_analyze

    wanted = fingerprint(trials, seed)
    with psycopg.connect(server, autocommit=True) as admin:
        row = admin.execute(
            "SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = %s",
            [name],
        ).fetchone()
        reused = bool(row) and row[0] == wanted and not os.environ.get("LOAD_REBUILD")
        if row and not reused:
            print(f"   dropping {name}: not filled by this generator", flush=True)
            admin.execute(f'DROP DATABASE "{name}" WITH (FORCE)')
        if not reused:
            admin.execute(f'CREATE DATABASE "{name}"')
    call_command("migrate", verbosity=0, interactive=False)
    done = {"reused": reused}
    if not reused:
        print(f"   generating {trials} synthetic trials (once; later runs reuse them)", flush=True)
        report = generate_trials(count=trials, seed=seed)
        done["generate_seconds"] = round(report.seconds, 1)
    started = time.perf_counter()
    imported = import_paths([BUNDLED], publish=True)
    if imported.failed:
        raise SystemExit(f"The bundled trials did not import: {imported.failed}")
    done["bundled"] = imported.summary
    done["import_seconds"] = round(time.perf_counter() - started, 1)
    if not reused:
        vacuum_analyze()
        quoted = "'" + wanted.replace("'", "''") + "'"  # COMMENT takes no parameters
        with connection.cursor() as cursor:
            cursor.execute(f'COMMENT ON DATABASE "{name}" IS {quoted}')
    print(f"   database ready: {done}", flush=True)
    return done


def curator(username, password):
    """A curator as `make curator` makes one, with a new password each run."""
    from io import StringIO

    from django.contrib.auth.models import User
    from django.core.management import call_command

    if not User.objects.filter(username=username).exists():
        call_command("create_curator", username, "--no-password", stdout=StringIO())
    user = User.objects.get(username=username)
    user.set_password(password)
    user.save()


def facts(sample=WORDS_PER_SEARCH_POOL, seed=1):
    """What the visitors choose from: words of the trials' titles and conditions, the filters'
    values as the trials have them, cities and countries with sites, trial IDs, the number of
    result pages, and the trials the curator edits (real and synthetic)."""
    from django.conf import settings
    from django.db.models import Count

    from trials.listing.paging import COUNT_CAP
    from trials.models import Site, Trial

    chooser = random.Random(seed)
    public = Trial.objects.published()
    titles = list(public.order_by("?").values_list("brief_title", "conditions")[:sample])
    words = set()
    for title, conditions in titles:
        words.update(w.strip(",.;:()") for w in title.split() if len(w) > 3)
        words.update(c for c in conditions or [] if isinstance(c, str))
    phrases = [" ".join(chooser.sample(sorted(words), 2)) for _ in range(100)]
    places = (
        Site.objects.filter(trial__in=public)
        .values("city", "country")
        .annotate(n=Count("id"))
        .order_by("-n")[:300]
    )
    ids = list(public.order_by("?").values_list("nct_id", flat=True)[:2000])
    edited = list(Trial.objects.filter(is_synthetic=False).values_list("pk", flat=True))
    edited += list(public.order_by("?").values_list("pk", flat=True)[: max(20, len(edited))])

    def distinct(field):
        return sorted(v for v in public.values_list(field, flat=True).distinct() if v)

    phases = sorted({p for row in public.values_list("phases", flat=True).distinct() for p in row})
    return {
        "words": sorted(words)[:2000] + ["blinatumomab", "leukemia", "ALL", "Ph+", "MRD"],
        "phrases": phrases,
        "filters": {
            "status": distinct("overall_status"),
            "phase": phases,
            "study_type": distinct("study_type"),
            "sponsor_class": distinct("lead_sponsor_class"),
            "country": distinct("sites__country")[:100],
        },
        "cities": [place["city"] for place in places if place["city"]],
        "countries": sorted({place["country"] for place in places if place["country"]}),
        "nct_ids": ids,
        "pages": min(public.count(), COUNT_CAP) // 20,  # the list offers no deeper pages
        "edited_trials": edited,
        "admin_url": "/" + settings.ADMIN_URL,
    }
