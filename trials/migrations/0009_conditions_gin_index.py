"""PostgreSQL only: a GIN index on conditions, for the trial page's related trials (jsonb
containment, the has_item lookup). On SQLite this migration does nothing."""

from django.db import migrations


def run(statement):
    def apply(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(statement)

    return apply


class Migration(migrations.Migration):
    dependencies = [("trials", "0008_intervention_name_index")]

    operations = [
        migrations.RunPython(
            run(
                "CREATE INDEX IF NOT EXISTS trial_conditions_gin "
                "ON trials_trial USING gin (conditions jsonb_path_ops)"
            ),
            run("DROP INDEX IF EXISTS trial_conditions_gin"),
        )
    ]
