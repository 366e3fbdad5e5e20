from django.core.management.base import BaseCommand, CommandError

from trials.synthetic import RealTrialsPresent, generate_trials, vacuum_analyze

PROGRESS_EVERY = 50_000


class Command(BaseCommand):
    help = (
        "Fill the database with synthetic trials for benchmarks and tests: marked synthetic, "
        "numbered NCT9..., never published. Refuses a database that holds real trials."
    )

    def add_arguments(self, parser):
        parser.add_argument("--trials", type=int, required=True, help="How many trials to add.")
        parser.add_argument(
            "--seed", type=int, default=0, help="The same seed gives the same trials."
        )
        parser.add_argument(
            "--allow-real-trials",
            action="store_true",
            help="Add synthetic trials to a database that holds real ones.",
        )

    def handle(self, *args, trials, seed, allow_real_trials, **options):
        if trials < 1:
            raise CommandError("--trials must be 1 or more.")
        try:
            report = generate_trials(
                count=trials,
                seed=seed,
                allow_real_trials=allow_real_trials,
                progress=self.show_progress,
            )
        except RealTrialsPresent as refusal:
            raise CommandError(str(refusal)) from None
        vacuum_analyze()
        self.stdout.write(
            f"Added {report.trials} synthetic trials ({report.first_nct_id} to "
            f"{report.last_nct_id}) with {report.sites} sites, {report.rows} rows in all, "
            f"in {report.seconds:.0f} s."
        )
        for name, seconds in report.timings.items():
            self.stdout.write(f"  {name}: {seconds}")

    def show_progress(self, done, total):
        if done % PROGRESS_EVERY == 0 and done < total:
            self.stdout.write(f"... {done} of {total} trials")
