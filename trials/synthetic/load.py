"""Loading synthetic trials: numbering, batches made while the database writes the previous one,
one transaction, and a report of what was written and how long each part took."""

import gc
import time
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field

from django.db import connection, transaction

from ..cache import catalogue_changed
from ..models import Site, Trial
from ..search import columns as search
from .generator import Generator, nct_id
from .writers import TABLES, OrmWriter, PostgresWriter, timed

# Bump when the same seed would give other trials: benchmark databases are rebuilt.
SYNTHETIC_VERSION = 1
FIRST_NUMBER = 90_000_000  # NCT90000000: far above any ID the registry has handed out
LAST_NUMBER = 99_999_999
LARGE_LOAD = 20_000  # from this many trials, PostgreSQL indexes are rebuilt after the load


class RealTrialsPresent(Exception):
    pass


@dataclass
class Report:
    trials: int = 0
    sites: int = 0
    rows: int = 0  # every row written, all tables
    seconds: float = 0.0
    first_nct_id: str = ""
    last_nct_id: str = ""
    timings: dict = field(default_factory=dict)


def check_database(*, allow_real_trials=False):
    """Synthetic trials belong in benchmark and test databases: refuse one that holds real
    trials, unless the caller says it knows."""
    real = Trial.objects.filter(is_synthetic=False).count()
    if real and not allow_real_trials:
        raise RealTrialsPresent(
            f"This database holds {real} real trial{'s' if real != 1 else ''}. Synthetic trials "
            "are for benchmark and test databases; use --allow-real-trials to add them anyway "
            "(they are never published)."
        )


def generate_trials(*, count, seed=0, allow_real_trials=False, batch_size=5000, progress=None):
    """Add `count` synthetic trials, with their sites, interventions, arms, outcomes and
    contacts, numbered after the synthetic trials already there. Returns a Report."""
    started = time.perf_counter()
    check_database(allow_real_trials=allow_real_trials)
    generator = Generator(seed=seed)
    first = next_number()
    if first + count - 1 > LAST_NUMBER:
        raise ValueError(f"Synthetic NCT IDs run out at NCT{LAST_NUMBER}: ask for fewer trials.")
    writer = PostgresWriter() if connection.vendor == "postgresql" else OrmWriter()
    report = Report(first_nct_id=nct_id(first), last_nct_id=nct_id(first + count - 1))
    with (
        gc_paused(),
        transaction.atomic(),
        writer.loading(large=count >= LARGE_LOAD, report=report),
    ):
        batches = [
            range(start, min(start + batch_size, first + count))
            for start in range(first, first + count, batch_size)
        ]
        # Rows for the next batch are made while the database takes the current one.
        with ThreadPoolExecutor(max_workers=1) as pool:
            pending = pool.submit(generator.batch, batches[0]) if batches else None
            for i in range(len(batches)):
                with timed(report.timings, "waiting for rows (s)"):
                    rows = pending.result()
                if i + 1 < len(batches):
                    pending = pool.submit(generator.batch, batches[i + 1])
                writer.write(rows)
                with timed(report.timings, "remembering search terms (s)"):
                    search.remember_terms(*rows.term_texts)
                report.trials += len(rows.tables[Trial])
                report.sites += len(rows.tables[Site])
                report.rows += sum(len(table) for table in rows.tables.values())
                if progress:
                    progress(report.trials, count)
        transaction.on_commit(catalogue_changed)
    report.seconds = time.perf_counter() - started
    return report


@contextmanager
def gc_paused():
    """Rows hold no reference cycles, so the cyclic collector has nothing to find; left on, it
    rescans the growing batches, a large share of a load's time."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def next_number():
    last = (
        Trial.objects.filter(nct_id__gte=nct_id(FIRST_NUMBER))
        .order_by("-nct_id")
        .values_list("nct_id", flat=True)
        .first()
    )
    return int(last[3:]) + 1 if last else FIRST_NUMBER


def vacuum_analyze():
    """After a large load on PostgreSQL: statistics for the planner, and the visibility map that
    index-only scans need."""
    if connection.vendor != "postgresql":
        return
    # VACUUM cannot run in a transaction (a test's, say): statistics alone, then.
    command = "ANALYZE" if connection.in_atomic_block else "VACUUM ANALYZE"
    with connection.cursor() as cursor:
        for model in TABLES:
            cursor.execute(f"{command} {connection.ops.quote_name(model._meta.db_table)}")
