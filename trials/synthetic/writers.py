"""Writing synthetic rows: COPY on PostgreSQL (secondary indexes dropped and rebuilt around a
large load, the search vector computed in the database), bulk_create in batches elsewhere."""

import json
import time
from contextlib import contextmanager

from django.db import connection, models
from django.utils import timezone

from ..models import Arm, Collaborator, Contact, Intervention, Official, Outcome, Site, Trial
from ..search import columns as search


@contextmanager
def timed(timings, name):
    started = time.perf_counter()
    try:
        yield
    finally:
        timings[name] = round(timings.get(name, 0) + time.perf_counter() - started, 1)


ARM_LINKS = Arm.interventions.through
# Written in this order: parents before their children.
TABLES = [Trial, Site, Intervention, Arm, ARM_LINKS, Outcome, Collaborator, Official, Contact]
# Rows of these are pointed at by other rows, so they get their ids before writing.
NEEDS_IDS = [Trial, Site, Intervention, Arm]
FOREIGN_KEYS = {
    "trial": "trial_id",
    "site": "site_id",
    "arm": "arm_id",
    "intervention": "intervention_id",
}


# Writing


class OrmWriter:
    """bulk_create in batches: SQLite, and any database without COPY."""

    def __init__(self):
        self.next_ids = {}

    @contextmanager
    def loading(self, *, large, report):
        yield

    def assign_ids(self, model, rows):
        if model not in self.next_ids:
            last = model.objects.aggregate(last=models.Max("pk"))["last"] or 0
            self.next_ids[model] = last + 1
        for offset, row in enumerate(rows):
            row["id"] = self.next_ids[model] + offset
        self.next_ids[model] += len(rows)

    def write(self, rows):
        for model in NEEDS_IDS:
            self.assign_ids(model, rows.tables[model])
        for model in TABLES:
            objects = [model(**with_foreign_ids(row)) for row in rows.tables[model]]
            model.objects.bulk_create(objects, batch_size=500)


def with_foreign_ids(row):
    return {
        FOREIGN_KEYS.get(key, key): value["id"] if key in FOREIGN_KEYS else value
        for key, value in row.items()
    }


class PostgresWriter:
    """COPY into each table. Trials go through a staging table, so that each is written once,
    with its search vector computed on the way in."""

    STAGE = "synthetic_trial_stage"

    def __init__(self):
        self.layouts = {model: Layout(model) for model in TABLES}
        self.timings = {}

    @contextmanager
    def loading(self, *, large, report):
        self.timings = report.timings
        with connection.cursor() as cursor:
            # Index builds after a large load sort in memory rather than on disk.
            cursor.execute("SET LOCAL maintenance_work_mem = '1GB'")
            cursor.execute(
                f"CREATE TEMP TABLE {self.STAGE} (LIKE {Trial._meta.db_table}) ON COMMIT DROP"
            )
            dropped = drop_secondary_indexes(cursor) if large else []
            yield
            cursor.execute(f"DROP TABLE {self.STAGE}")
            if dropped:
                with timed(report.timings, "checking foreign keys (s)"):
                    # The deferred checks first: an index cannot be built while they are pending.
                    cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
                    cursor.execute("SET CONSTRAINTS ALL DEFERRED")  # Django's, as they were
                with timed(report.timings, "rebuilding indexes (s)"):
                    for definition in dropped:
                        cursor.execute(definition)

    def write(self, rows):
        with connection.cursor() as cursor, timed(self.timings, "copying rows (s)"):
            for model in NEEDS_IDS:
                table = rows.tables[model]
                cursor.execute(
                    "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
                    [model._meta.db_table, len(table)],
                )
                for row, (pk,) in zip(table, cursor.fetchall(), strict=True):
                    row["id"] = pk
            for model in TABLES:
                if model is Trial:
                    self.copy(cursor, self.STAGE, self.layouts[Trial], rows.tables[Trial])
                    with timed(self.timings, "computing search vectors (s)"):
                        self.insert_staged(cursor)
                else:
                    layout = self.layouts[model]
                    self.copy(cursor, model._meta.db_table, layout, rows.tables[model])

    def copy(self, cursor, table, layout, rows):
        if not rows:
            return
        columns = ", ".join(connection.ops.quote_name(column) for column in layout.columns)
        with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(layout.values(row))

    def insert_staged(self, cursor):
        """Staged trials into the trial table, with the vector of search.weighted_vector(). The
        stage takes the trial table's name as its alias, so the compiled expression reads it."""
        table = connection.ops.quote_name(Trial._meta.db_table)
        columns = ", ".join(connection.ops.quote_name(c) for c in self.layouts[Trial].columns)
        vector, params = vector_sql()
        cursor.execute(
            f"INSERT INTO {table} ({columns}, search_vector) "
            f"SELECT {columns}, {vector} FROM {self.STAGE} AS {table}",
            params,
        )
        cursor.execute(f"TRUNCATE {self.STAGE}")


class Layout:
    """A model's columns for COPY, with every default filled: COPY needs a value for each NOT
    NULL column, and Django keeps defaults in Python, not in the database."""

    def __init__(self, model):
        now = timezone.now()
        fields = [
            f
            for f in model._meta.concrete_fields
            if f.attname != "search_vector" and (f.attname != "id" or model in NEEDS_IDS)
        ]
        self.columns = [f.column for f in fields]
        self.index = {f.attname: i for i, f in enumerate(fields)}
        self.index.update(
            {
                key: self.index[attname]
                for key, attname in FOREIGN_KEYS.items()
                if attname in self.index
            }
        )
        self.json = {f.attname for f in fields if isinstance(f, models.JSONField)}
        self.template = []
        for f in fields:
            default = f.get_default()
            if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
                default = now
            self.template.append(json.dumps(default) if f.attname in self.json else default)

    def values(self, row):
        values = self.template.copy()
        index, json_columns = self.index, self.json
        for key, value in row.items():
            if key in FOREIGN_KEYS:
                value = value["id"]
            elif key in json_columns:
                value = json.dumps(value)
            values[index[key]] = value
        return values


def vector_sql():
    """search.weighted_vector() as SQL, compiled by Django: the same expression the portal
    uses when it saves a trial."""
    query = Trial.objects.all().query
    compiler = query.get_compiler(connection=connection)
    return compiler.compile(search.weighted_vector().resolve_expression(query))


def drop_secondary_indexes(cursor):
    """Drop the indexes of the loaded tables that back no constraint, and return the statements
    that build them again: one build after the load is much faster than upkeep row by row.
    Indexes on an expression stay: built again from their definition as PostgreSQL prints it,
    the expression is parsed into another form, which the planner no longer matches with the
    query's (the list's open-first sort would be sorted again from every row)."""
    tables = [model._meta.db_table for model in TABLES]
    cursor.execute(
        """
        SELECT i.indexname, i.indexdef FROM pg_indexes i
        JOIN pg_class c ON c.relname = i.indexname
        JOIN pg_namespace n ON n.oid = c.relnamespace AND n.nspname = i.schemaname
        JOIN pg_index x ON x.indexrelid = c.oid AND x.indexprs IS NULL
        WHERE i.schemaname = current_schema() AND i.tablename = ANY(%s)
          AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = c.oid)
        ORDER BY i.indexname
        """,
        [tables],
    )
    found = cursor.fetchall()
    for name, _ in found:
        cursor.execute(f"DROP INDEX {connection.ops.quote_name(name)}")
    return [definition for _, definition in found]
