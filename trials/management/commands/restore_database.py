from django.core.management.base import BaseCommand, CommandError
from django.db import connections

from portal.backups import BackupError, restore_database


class Command(BaseCommand):
    help = (
        "Restore a backup made by backup_database into the database DATABASE_URL names. Refuses "
        "a database that is not empty unless given --replace."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="The backup file (backups/portal-...).")
        parser.add_argument(
            "--replace",
            action="store_true",
            help="Drop everything the database holds before restoring.",
        )

    def handle(self, *args, file, replace, **options):
        database = connections["default"].settings_dict
        connections.close_all()  # nothing of ours may hold the database while it is replaced
        try:
            restore_database(file, database=database, replace=replace)
        except BackupError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(f"Restored {file} into {database['NAME']}")
