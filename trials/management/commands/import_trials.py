import itertools

from django.core.management.base import BaseCommand, CommandError

from trials.ctgov import fetch_studies, search_studies
from trials.importer import import_records, records_from_paths

PROGRESS_EVERY = 100


class Command(BaseCommand):
    help = (
        "Import ClinicalTrials.gov records: API v2 study JSON (one study or a page of studies), "
        "legacy XML, folders of them, or live from the registry with --fetch / --query."
    )

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="*", help="Files or folders of .json and .xml records.")
        parser.add_argument(
            "--fetch", nargs="+", default=[], metavar="NCT_ID", help="Read these trials live."
        )
        parser.add_argument(
            "--query", metavar="TEXT", help="Read the trials a registry search finds."
        )
        parser.add_argument(
            "--limit", type=int, default=1000, help="At most this many trials from --query."
        )
        parser.add_argument(
            "--publish",
            action="store_true",
            help="Publish new trials at once (they arrive as drafts otherwise).",
        )

    def handle(self, *args, paths, fetch, query, limit, publish, **options):
        if not (paths or fetch or query):
            raise CommandError("Name files or folders to import, or use --fetch or --query.")
        records = itertools.chain(
            records_from_paths(paths),
            fetch_studies(fetch),
            search_studies(query, limit=limit) if query else (),
        )
        report = import_records(records, publish=publish, progress=self.show_progress)

        for nct_id, warning in report.warnings:
            self.stdout.write(self.style.WARNING(f"warning: {nct_id}: {warning}"))
        for name, problem in report.failed:
            self.stderr.write(self.style.ERROR(f"error: {name}: {problem}"))
        self.stdout.write(f"Imported: {report.summary}.")
        if report.failed:
            raise CommandError(f"{len(report.failed)} record(s) could not be imported.")

    def show_progress(self, done, report):
        if done % PROGRESS_EVERY == 0:
            self.stdout.write(f"... {done} records read: {report.summary}")
