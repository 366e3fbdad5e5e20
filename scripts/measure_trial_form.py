"""How long a curator waits for a trial's admin page to open and to save (README, "Curating").

Run against a migrated database holding the bundled trials (`make import`, or with DATABASE_URL):

    .venv/bin/python scripts/measure_trial_form.py [NCT02013167] [--runs 7]

It signs in as a curator (staff in the Curators group, made here if missing, never a superuser),
opens the trial's page and saves it unchanged, each --runs times through Django's test client
(the whole request: middleware, admin, templates, database), and prints the median, the fastest
and slowest run, and the queries of one request. Nothing is written but the unchanged save.
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
os.environ.setdefault("DJANGO_DEBUG", "1")
os.environ.setdefault("DJANGO_ALLOWED_HOSTS", "testserver")  # the test client's host


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("nct_id", nargs="?", default="NCT02013167")
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()

    import django

    django.setup()
    from django.contrib.auth.models import User
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    from tests.admin.pages import form_data
    from trials import models as m

    if not User.objects.filter(username="measure-curator").exists():
        call_command("create_curator", "measure-curator", "--no-password")
    client = Client()
    client.force_login(User.objects.get(username="measure-curator"))
    trial = m.Trial.objects.get(nct_id=args.nct_id)
    url = reverse("admin:trials_trial_change", args=[trial.pk])

    def timed(request):
        start = time.perf_counter()
        response = request()
        return time.perf_counter() - start, response

    def save():
        data = form_data(client.get(url), "trial_form")
        data["_continue"] = ["Save and continue editing"]
        return lambda: client.post(url, data)

    client.get(url)  # the first request loads templates and code: not what a curator waits for
    loads, saves = [], []
    for _ in range(args.runs):
        seconds, response = timed(lambda: client.get(url))
        assert response.status_code == 200, response.status_code
        loads.append(seconds)
        post = save()
        seconds, response = timed(post)
        assert response.status_code == 302, "the unchanged save was refused"
        saves.append(seconds)
    with CaptureQueriesContext(connection) as load_queries:
        page = client.get(url)
    post = save()
    with CaptureQueriesContext(connection) as save_queries:
        post()

    print(f"{args.nct_id} on {connection.vendor}, {args.runs} runs, as a curator")
    print(f"  page size: {len(page.content):,} bytes, {page.content.count(b'<input'):,} inputs")
    for name, times, queries in (
        ("load", loads, load_queries),
        ("save", saves, save_queries),
    ):
        print(
            f"  {name}: median {statistics.median(times) * 1000:.0f} ms "
            f"(fastest {min(times) * 1000:.0f}, slowest {max(times) * 1000:.0f}), "
            f"{len(queries.captured_queries)} queries"
        )


if __name__ == "__main__":
    main()
