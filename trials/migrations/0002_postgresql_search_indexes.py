"""Indexes only PostgreSQL has: they serve the text search, the list filters and the spelling
fallback. On SQLite this migration does nothing."""

from django.db import migrations

FORWARD = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    # The weighted full-text search of /trials/?q=...
    "CREATE INDEX IF NOT EXISTS trial_search_vector_gin ON trials_trial USING gin (search_vector)",
    # Phase and age-group filters: jsonb containment (the has_item lookup).
    "CREATE INDEX IF NOT EXISTS trial_phases_gin ON trials_trial USING gin (phases jsonb_path_ops)",
    "CREATE INDEX IF NOT EXISTS trial_std_ages_gin ON trials_trial USING gin (std_ages jsonb_path_ops)",
    # "Did you mean": the words nearest a misspelled one.
    "CREATE INDEX IF NOT EXISTS searchterm_word_trgm ON trials_searchterm USING gin (word gin_trgm_ops)",
]
BACKWARD = [
    "DROP INDEX IF EXISTS searchterm_word_trgm",
    "DROP INDEX IF EXISTS trial_std_ages_gin",
    "DROP INDEX IF EXISTS trial_phases_gin",
    "DROP INDEX IF EXISTS trial_search_vector_gin",
]


def run(statements):
    def apply(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            for statement in statements:
                schema_editor.execute(statement)

    return apply


class Migration(migrations.Migration):
    dependencies = [("trials", "0001_initial")]

    operations = [migrations.RunPython(run(FORWARD), run(BACKWARD))]
