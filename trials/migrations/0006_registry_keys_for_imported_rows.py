"""Name the rows earlier imports wrote after their registry entries (Trial rows' registry_key), so
the next import updates them in place instead of adding them again beside themselves.

The key rules are copied from trials/importer.py as they were when this migration was written.
"""

from collections import Counter

from django.db import migrations


def site_key(row):
    return " | ".join((row.facility, row.city, row.state, row.country))


KEYS = {
    "Collaborator": lambda row: row.name,
    "Official": lambda row: row.name,
    "SecondaryId": lambda row: row.identifier,
    "Outcome": lambda row: f"{row.kind}: {row.measure}",
    "Link": lambda row: row.url,
    "TimelineStep": lambda row: row.stage,
    "RelatedTrial": lambda row: row.nct_id,
    "TrialNote": lambda row: f"{row.kind}: {row.heading}",
    "Publication": lambda row: f"{row.origin}: {row.pmid or row.doi or row.citation}",
    "Intervention": lambda row: f"{row.type}: {row.name}",
    "Arm": lambda row: row.label,
    "Site": site_key,
}


def name_rows(rows, key):
    seen = Counter()
    named = {}
    for row in rows:
        name = key(row)
        seen[name] += 1
        row.registry_key = name if seen[name] == 1 else f"{name} #{seen[name]}"
        named[row.pk] = row.registry_key
    return named


def forwards(apps, schema_editor):
    Trial = apps.get_model("trials", "Trial")
    Contact = apps.get_model("trials", "Contact")
    for trial in Trial.objects.exclude(imported_at=None):
        site_keys = {}
        for model_name, key in KEYS.items():
            model = apps.get_model("trials", model_name)
            rows = list(model.objects.filter(trial=trial).order_by("order", "pk"))
            named = name_rows(rows, key)
            if model_name == "Site":
                site_keys = named
            model.objects.bulk_update(rows, ["registry_key"])
        contacts = list(Contact.objects.filter(trial=trial).select_related("site"))
        contacts.sort(
            key=lambda c: (
                c.kind != "CENTRAL",
                c.site_id is None,
                c.site.order if c.site else 0,
                c.order,
                c.pk,
            )
        )

        def contact_key(row):
            who = row.name or row.email or row.phone
            site = site_keys.get(row.site_id, "")
            return f"{row.kind}: {site} | {who}" if site else f"{row.kind}: {who}"

        name_rows(contacts, contact_key)
        Contact.objects.bulk_update(contacts, ["registry_key"])


class Migration(migrations.Migration):
    dependencies = [
        ("trials", "0005_curation_history_and_corrections"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
