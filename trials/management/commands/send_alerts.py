from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from trials.alerts.digests import build_digests
from trials.alerts.outbox import deliver_due
from trials.alerts.subscriptions import purge


class Command(BaseCommand):
    help = (
        'Alerts by email (README, "Alerts"): delete what the privacy note promises to delete, '
        "write the digests that are due to the outbox, then deliver what the outbox holds, with "
        "retries. Run it from cron or a systemd timer, e.g. every 15 minutes; killed at any point "
        "and run again, it sends each digest once."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--no-deliver",
            action="store_true",
            help="Only purge and write the digests; the next run delivers them.",
        )

    def handle(self, *args, no_deliver=False, **options):
        if not settings.SITE_URL:
            raise CommandError("SITE_URL is not set: the links in alert emails need it.")
        purged = purge()
        built = build_digests()
        self.stdout.write(f"{purged} address(es) deleted; {built} digest(s) written to the outbox.")
        if not no_deliver:
            sent, failed = deliver_due()
            self.stdout.write(f"{sent} message(s) sent; {failed} not sent (tried again later).")
