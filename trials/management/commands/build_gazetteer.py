from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand

from trials.places.gazetteer import build_index


class Command(BaseCommand):
    help = (
        "Parse GeoNames' cities once into the gazetteer's index file (GAZETTEER_INDEX), which "
        "every process maps into memory: run at install and on every release."
    )

    def handle(self, *args, **options):
        path = Path(settings.GAZETTEER_INDEX)
        size = len(build_index(path))
        self.stdout.write(f"Wrote {path} ({size / 2**20:.0f} MB)")
