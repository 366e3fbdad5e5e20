import itertools

from django.core.management.base import BaseCommand, CommandError

from trials.ctgov import FetchError, fetch_studies, search_studies
from trials.importer import ImportReport, find_files, import_record, read_file

PROGRESS_EVERY = 100


class Command(BaseCommand):
    help = (
        "Import ClinicalTrials.gov records: API v2 study JSON (one study or a page of studies), "
        "legacy XML, folders of them, or live from the registry with --fetch / --query."
    )

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="*", help="Files or folders of .json and .xml records.")
        parser.add_argument(
            "--fetch",
            nargs="+",
            default=[],
            metavar="NCT_ID",
            help="Read these trials live from the registry.",
        )
        parser.add_argument(
            "--query", metavar="TEXT", help="Read the trials a registry search finds, live."
        )
        parser.add_argument(
            "--limit",
            type=int,
            default=1000,
            help="At most this many trials from --query (default 1000).",
        )
        parser.add_argument(
            "--publish",
            action="store_true",
            help="Publish new trials at once (they arrive as drafts otherwise).",
        )

    def handle(self, *args, paths, fetch, query, limit, publish, **options):
        if not (paths or fetch or query):
            raise CommandError(
                "Name files or folders to import, or use --fetch NCT_ID or --query TEXT."
            )
        records = itertools.chain(
            (record for path in find_files(paths) for record in read_file(path)),
            fetch_studies(fetch),
            search_studies(query, limit=limit) if query else (),
        )
        report = ImportReport()
        done = 0
        try:
            for record in records:
                import_record(record, publish=publish, report=report)
                done += 1
                if done % PROGRESS_EVERY == 0:
                    self.stdout.write(f"... {done} records read: {report.summary}")
        except FetchError as problem:
            report.failed.append(("--query", str(problem)))

        for nct_id, warning in report.warnings:
            self.stdout.write(self.style.WARNING(f"warning: {nct_id}: {warning}"))
        for name, problem in report.failed:
            self.stderr.write(self.style.ERROR(f"error: {name}: {problem}"))
        self.stdout.write(f"Imported: {report.summary}.")
        if report.failed:
            raise CommandError(
                f"{len(report.failed)} record(s) could not be imported; see the errors above."
            )
