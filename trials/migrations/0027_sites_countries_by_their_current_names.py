"""Sites imported from legacy XML keep the registry's current name for their country, as the
importer now gives it (trials/registry/record.py RENAMED_COUNTRIES): "Russian Federation" becomes
"Russia", so that the country's filter, its facet and a search near it find every trial there.

A site's registry key names its country, and so do the keys of its contacts and of curators'
corrections to either: all are renamed together, or the next import would take the renamed sites
for new ones and drop the old with their confirmations. Each trial touched has its list of site
countries (the filter's and the facet's) renamed too; a site's country is not in the searched
text."""

from django.db import migrations

# As in trials/registry/record.py when this migration was written (a migration must not change
# when the code does).
RENAMED_COUNTRIES = {
    "Czech Republic": "Czechia",
    "Korea, Republic of": "South Korea",
    "Russian Federation": "Russia",
    "Turkey": "Turkey (Türkiye)",
}


def renamed_key(key, old_site_key, new_site_key):
    """A site's key, or a key that names the site (a contact's: "<kind>: <site key> | <who>")."""
    if key == old_site_key:
        return new_site_key
    kind, sep, rest = key.partition(": ")
    if sep and rest.startswith(old_site_key + " | "):
        return f"{kind}: {new_site_key}{rest[len(old_site_key) :]}"
    return key


def rename(apps, schema_editor):
    from trials.cache import catalogue_changed

    Trial = apps.get_model("trials", "Trial")
    Site = apps.get_model("trials", "Site")
    Contact = apps.get_model("trials", "Contact")
    Correction = apps.get_model("trials", "Correction")
    sites = list(
        Site.objects.filter(country__in=RENAMED_COUNTRIES).only("trial", "country", "registry_key")
    )
    if not sites:
        return
    keys = {}  # trial -> {a site's old key: its new key}
    for site in sites:
        new_country = RENAMED_COUNTRIES[site.country]
        if site.registry_key.endswith(" | " + site.country):
            new_key = site.registry_key[: -len(site.country)] + new_country
            keys.setdefault(site.trial_id, {})[site.registry_key] = new_key
            site.registry_key = new_key
        site.country = new_country
    Site.objects.bulk_update(sites, ["country", "registry_key"], batch_size=1000)

    def renamed(row):
        """Whether the row's key named a renamed site; if so, it names it by its new key."""
        for old_key, new_key in keys.get(row.trial_id, {}).items():
            key = renamed_key(row.registry_key, old_key, new_key)
            if key != row.registry_key:
                row.registry_key = key
                return True
        return False

    site_ids = [site.pk for site in sites]
    for start in range(0, len(site_ids), 1000):
        contacts = Contact.objects.filter(site__in=site_ids[start : start + 1000])
        changed = [row for row in contacts.only("trial", "registry_key") if renamed(row)]
        Contact.objects.bulk_update(changed, ["registry_key"], batch_size=1000)
    corrections = Correction.objects.filter(trial__in=keys, part__in=["site", "contact"])
    changed = [row for row in corrections if renamed(row)]
    Correction.objects.bulk_update(changed, ["registry_key"], batch_size=1000)

    trials = list(
        Trial.objects.filter(pk__in={site.trial_id for site in sites}).only("site_countries")
    )
    for trial in trials:
        # Sorted and once each, as the importer keeps them (trials/search/columns.py).
        trial.site_countries = sorted(
            {RENAMED_COUNTRIES.get(name, name) for name in trial.site_countries}
        )
    Trial.objects.bulk_update(trials, ["site_countries"], batch_size=1000)
    catalogue_changed()  # pages, counts and facets kept in the cache named the old countries


class Migration(migrations.Migration):
    dependencies = [
        ("trials", "0026_sites_placed_by_a_zip_code_of_another_state"),
    ]

    operations = [
        migrations.RunPython(rename, migrations.RunPython.noop, elidable=True),
    ]
