from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from trials.registry.merge import merge_plan, merged_text
from trials.registry.record import RecordError

BUNDLED = Path("data/trials")


class Command(BaseCommand):
    help = (
        "Merge the two records of a trial a plan names (data/merge/*.json) into the bundled "
        "record data/trials/<NCT ID>.json: the newer wins field by field where it gives a value, "
        "what only one gives is kept (data/trials/README.md, 'Merged records')."
    )

    def add_arguments(self, parser):
        parser.add_argument("plans", nargs="+", help="e.g. data/merge/NCT02013167.json")
        parser.add_argument("--out", default=str(BUNDLED), help="Folder to write the records to.")
        parser.add_argument(
            "--check",
            action="store_true",
            help="Write nothing; fail when a bundled record differs from its merge.",
        )

    def handle(self, *args, plans, out, check, **options):
        stale = []
        for plan in plans:
            try:
                study, provenance = merge_plan(plan)
            except (RecordError, OSError, ValueError, KeyError) as problem:
                raise CommandError(f"{plan}: {problem}") from problem
            target = Path(out) / f"{Path(plan).stem}.json"
            text = merged_text(study)
            older = sorted(path for path, came in provenance.items() if came.startswith("older"))
            self.stdout.write(f"{target}: {len(older)} fields from the older record")
            if check:
                if not target.exists() or target.read_text(encoding="utf-8") != text:
                    stale.append(str(target))
                continue
            target.write_text(text, encoding="utf-8")
        if stale:
            raise CommandError(f"not the merge of their plans: {', '.join(stale)}")
