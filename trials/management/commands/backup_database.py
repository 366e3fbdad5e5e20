from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from portal.backups import BackupError, backup_database


class Command(BaseCommand):
    help = (
        "Back up the whole database (trials, corrections, history, accounts, problem reports) "
        "to a timestamped file in BACKUP_DIR: pg_dump on PostgreSQL, SQLite's online backup."
    )

    def add_arguments(self, parser):
        parser.add_argument("--folder", default=settings.BACKUP_DIR, help="Default: BACKUP_DIR.")

    def handle(self, *args, folder, **options):
        try:
            path = backup_database(folder=folder)
        except BackupError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(f"Backed up to {path}")
