"""The Curators group, with exactly what curating needs (README, "Curating").

Curators view, add and change trials and publish or withdraw them; they keep the trials' rows,
the glossary and the drug approvals (adding and deleting too); they see the search vocabulary;
they see the corrections (which they make by editing), mark them as still right, and drop one to
give the value back to the registry. They cannot delete a trial (they withdraw it instead), manage
users or groups, or touch the history or the login records.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

EDIT = ["view", "add", "change", "delete"]
PERMISSIONS = {
    "trial": ["view", "add", "change", "publish"],
    **{
        model: EDIT
        for model in [
            "collaborator",
            "official",
            "secondaryid",
            "outcome",
            "intervention",
            "arm",
            "site",
            "contact",
            "publication",
            "link",
            "timelinestep",
            "relatedtrial",
            "trialnote",
            "glossaryterm",
            "drugapproval",
        ]
    },
    "searchterm": ["view"],
    "correction": ["view", "change", "delete"],
}


def codename(action, model):
    return "publish_trial" if action == "publish" else f"{action}_{model}"


def forwards(apps, schema_editor):
    # Permissions are made after migrations run; a new database needs them now.
    trials = apps.get_app_config("trials")
    trials.models_module = True
    create_permissions(trials, apps=apps, verbosity=0)
    trials.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name="Curators")
    codenames = [codename(action, model) for model, actions in PERMISSIONS.items() for action in actions]
    permissions = Permission.objects.filter(content_type__app_label="trials", codename__in=codenames)
    missing = set(codenames) - set(permissions.values_list("codename", flat=True))
    if missing:
        raise RuntimeError(f"permissions not found: {sorted(missing)}")
    group.permissions.set(permissions)


def backwards(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name="Curators").delete()


class Migration(migrations.Migration):
    dependencies = [
        ("trials", "0006_registry_keys_for_imported_rows"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
