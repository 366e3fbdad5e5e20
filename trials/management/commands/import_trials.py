import itertools
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from trials.registry.attributes import apply_curated
from trials.registry.client import fetch_studies, search_studies
from trials.registry.importer import import_records, records_from_paths

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
        parser.add_argument(
            "--attributes",
            type=Path,
            default=settings.BASE_DIR / "data" / "attributes.json",
            help="Curated attributes to confirm on the imported trials no curator confirmed here "
            "(default: data/attributes.json, where it exists).",
        )
        parser.add_argument(
            "--diff",
            action="store_true",
            help="Show, field by field, what changed in each updated trial since its last import.",
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Write nothing: show what would be created and changed (implies --diff).",
        )

    def handle(
        self, *args, paths, fetch, query, limit, publish, attributes, diff, dry_run, **options
    ):
        if not (paths or fetch or query):
            raise CommandError("Name files or folders to import, or use --fetch or --query.")
        records = itertools.chain(
            records_from_paths(paths),
            fetch_studies(fetch),
            search_studies(query, limit=limit) if query else (),
        )
        report = import_records(
            records, publish=publish, dry_run=dry_run, progress=self.show_progress
        )

        for nct_id, warning in report.warnings:
            self.stdout.write(self.style.WARNING(f"warning: {nct_id}: {warning}"))
        for name, why in report.older:
            self.stderr.write(self.style.WARNING(f"kept the newer record: {name}: {why}"))
        for name, problem in report.failed:
            self.stderr.write(self.style.ERROR(f"error: {name}: {problem}"))
        if diff or dry_run:
            for nct_id, changes in report.changes.items():
                self.show_changes(nct_id, changes)
        if dry_run:
            self.stdout.write(f"Dry run, nothing written. Would be: {report.summary}.")
        else:
            self.stdout.write(f"Imported: {report.summary}.")
            if attributes.exists():
                confirmed = apply_curated(attributes)
                self.stdout.write(f"Confirmed attributes of {len(confirmed)} trial(s).")
        if report.failed:
            raise CommandError(f"{len(report.failed)} record(s) could not be imported.")

    def show_changes(self, nct_id, changes):
        self.stdout.write(f"{nct_id}: {len(changes)} change(s) since the last import")
        for change in changes:
            where = " / ".join(
                part for part in (change["part"], change["row"], change["field"]) if part
            )
            line = (
                f"  {where}: {change['old']} -> {change['new']}"
                if change["field"]
                else f"  {where}: {change['new']}"
            )
            if change["kept"]:
                line += f" (the curator's correction {change['kept']!r} is kept)"
            self.stdout.write(line)

    def show_progress(self, done, report):
        if done % PROGRESS_EVERY == 0:
            self.stdout.write(f"... {done} records read: {report.summary}")
