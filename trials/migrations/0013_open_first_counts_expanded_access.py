"""Expanded-access programmes that are "Available" count as open to enrolment (trials.vocabularies.
OPEN_STATUSES): the open-first index of migration 0010 is rebuilt on the new expression, which the
planner uses only while it agrees with trials.models.managers.OPEN_FIRST (tests/listing/
test_query_plans.py checks it). PostgreSQL only, as in 0010.
"""

from django.db import migrations, models

BEFORE = ("RECRUITING", "NOT_YET_RECRUITING", "ENROLLING_BY_INVITATION")
AFTER = (*BEFORE, "AVAILABLE")


def open_first_index(statuses):
    return models.Index(
        "publication_state",
        models.Case(
            models.When(overall_status__in=statuses, then=models.Value(0)),
            default=models.Value(1),
        ),
        models.F("last_update_post_date").desc(nulls_last=True),
        "nct_id",
        name="trial_open_first_idx",
    )


def rebuild(old, new):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            trial = apps.get_model("trials", "Trial")
            schema_editor.remove_index(trial, open_first_index(old))
            schema_editor.add_index(trial, open_first_index(new))

    return run


class Migration(migrations.Migration):
    dependencies = [("trials", "0012_site_confirmations_and_problem_reports")]

    operations = [migrations.RunPython(rebuild(BEFORE, AFTER), rebuild(AFTER, BEFORE))]
