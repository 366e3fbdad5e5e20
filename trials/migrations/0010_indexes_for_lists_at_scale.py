"""The list pages at registry scale (issue 6).

Each trial keeps the types of its interventions, as it keeps its site countries, so the list
filters and counts them without joining the interventions (filled here for existing trials). A
covering index for the public filters and facet counts (on SQLite, the key columns only), and on
PostgreSQL one index per sort of the list, in the sort's own order, so a page, even page 200, is
read off an index instead of sorted from every match. The open-first index holds the expression
of trials.models.OPEN_FIRST as it stood here; the planner uses it only while the two agree, which
tests/test_query_plans.py checks. SQLite cannot index NULLS LAST, and at its scale needs no such help.
"""

from django.db import migrations, models

OPEN_STATUSES = ("RECRUITING", "NOT_YET_RECRUITING", "ENROLLING_BY_INVITATION")


def sort_indexes():
    open_first = models.Case(
        models.When(overall_status__in=OPEN_STATUSES, then=models.Value(0)),
        default=models.Value(1),
    )
    newest = [
        ("last_update_post_date", "updated"),
        ("start_date", "start"),
        ("enrollment_count", "enrollment"),
    ]
    return [
        models.Index(
            "publication_state",
            open_first,
            models.F("last_update_post_date").desc(nulls_last=True),
            "nct_id",
            name="trial_open_first_idx",
        ),
        *[
            models.Index(
                "publication_state",
                models.F(field).desc(nulls_last=True),
                "nct_id",
                name=f"trial_{short}_sort_idx",
            )
            for field, short in newest
        ],
    ]


def fill_intervention_types(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":  # one statement, whatever the size
        schema_editor.execute(
            "UPDATE trials_trial AS t SET intervention_types = COALESCE(("
            "SELECT jsonb_agg(DISTINCT i.type ORDER BY i.type) FROM trials_intervention AS i "
            "WHERE i.trial_id = t.id AND i.type <> ''), '[]'::jsonb)"
        )
        return
    Trial = apps.get_model("trials", "Trial")
    Intervention = apps.get_model("trials", "Intervention")
    types = {}
    for trial_id, kind in Intervention.objects.exclude(type="").values_list("trial_id", "type"):
        types.setdefault(trial_id, set()).add(kind)
    for trial_id, kinds in types.items():
        Trial.objects.filter(pk=trial_id).update(intervention_types=sorted(kinds))


def add_sort_indexes(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for index in sort_indexes():
            schema_editor.add_index(apps.get_model("trials", "Trial"), index)


def remove_sort_indexes(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for index in sort_indexes():
            schema_editor.remove_index(apps.get_model("trials", "Trial"), index)


class Migration(migrations.Migration):
    dependencies = [("trials", "0009_conditions_gin_index")]

    operations = [
        migrations.AddField(
            model_name="trial",
            name="intervention_types",
            field=models.JSONField(blank=True, default=list, editable=False),
        ),
        migrations.RunPython(fill_intervention_types, migrations.RunPython.noop),
        migrations.RemoveIndex(model_name="trial", name="trial_state_status_idx"),
        migrations.RemoveIndex(model_name="trial", name="trial_last_update_idx"),
        migrations.AddIndex(
            model_name="trial",
            index=models.Index(
                fields=["publication_state", "overall_status"],
                include=(
                    "id",
                    "is_synthetic",
                    "study_type",
                    "lead_sponsor_class",
                    "phases",
                    "std_ages",
                    "sex",
                    "healthy_volunteers",
                    "has_results",
                    "minimum_age_years",
                    "maximum_age_years_exclusive",
                    "site_countries",
                    "intervention_types",
                    "start_date",
                    "last_update_post_date",
                ),
                name="trial_public_columns_idx",
            ),
        ),
        migrations.RunPython(add_sort_indexes, remove_sort_indexes),
    ]
