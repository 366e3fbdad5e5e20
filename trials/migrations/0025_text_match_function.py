"""A function only PostgreSQL has, for the text search (search/query.py, Matches): the same test as
the @@ operator, declared costly so that the planner tests it after a row's other conditions. On
SQLite this migration does nothing."""

from django.db import migrations

FORWARD = [
    # A phrase search must reread each candidate's search vector (word positions are not in the
    # GIN index); tested last, it is read only for the trials that pass every other filter.
    # PL/pgSQL, not SQL: a one-line SQL function would be inlined, and its cost with it.
    """
    CREATE OR REPLACE FUNCTION trial_text_matches(vector tsvector, query tsquery)
    RETURNS boolean LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE COST 1000
    AS $$ BEGIN RETURN vector @@ query; END $$
    """,
]
BACKWARD = ["DROP FUNCTION IF EXISTS trial_text_matches(tsvector, tsquery)"]


def run(statements):
    def apply(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            for statement in statements:
                schema_editor.execute(statement)

    return apply


class Migration(migrations.Migration):
    dependencies = [("trials", "0024_catalogue_figures")]

    operations = [migrations.RunPython(run(FORWARD), run(BACKWARD))]
