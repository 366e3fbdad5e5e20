"""One country, one name: legacy XML records name some countries as the registry no longer does
("Russian Federation", "Turkey"), and a country under two names split its trials between two
filters, two facet entries and two "near" searches (trials/registry/record.py RENAMED_COUNTRIES,
migration 0027 for sites imported before)."""

import importlib
import json

import pytest
from django.apps import apps

from tests.conftest import BUNDLED
from trials.models import Contact, Correction, Site, Trial
from trials.registry.importer import import_paths

pytestmark = pytest.mark.django_db

OLD_NAMES = ["Russian Federation", "Turkey", "Czech Republic", "Korea, Republic of"]


def test_legacy_records_name_countries_as_the_registry_does_today(bundled_trials):
    blast = Trial.objects.get(nct_id="NCT01207388")  # legacy XML with sites in the Russian Fed.
    assert blast.sites.filter(country="Russia").exists()
    assert "Russia" in blast.site_countries
    assert not Site.objects.filter(country__in=OLD_NAMES).exists()


def test_a_countrys_filter_and_facet_find_every_trial_there(client, bundled_trials):
    answer = json.loads(client.get("/api/v1/trials/", {"country": "Russia", "facets": 1}).content)
    found = {trial["nct_id"] for trial in answer["results"]}
    assert {"NCT01207388", "NCT02013167"} <= found  # a legacy XML and an API v2 record
    countries = next(f for f in answer["facets"] if f["name"] == "country")["options"]
    assert [o["value"] for o in countries if "Russia" in o["value"]] == ["Russia"]
    page = client.get("/trials/", {"near": "Russia"}).content.decode()
    assert "NCT01207388" in page and "NCT02013167" in page


def test_sites_imported_before_are_renamed_with_their_keys(bundled_trials):
    """Migration 0027: the sites, their contacts' keys and curators' corrections follow, so the
    next import finds the same rows (and their confirmations) and the correction still holds."""
    migration = importlib.import_module(
        "trials.migrations.0027_sites_countries_by_their_current_names"
    )
    blast = Trial.objects.get(nct_id="NCT01207388")
    site = blast.sites.filter(country="Russia").first()
    new_key = site.registry_key
    old_key = new_key.removesuffix("Russia") + "Russian Federation"
    Site.objects.filter(pk=site.pk).update(country="Russian Federation", registry_key=old_key)
    Trial.objects.filter(pk=blast.pk).update(
        site_countries=sorted({*blast.site_countries} - {"Russia"} | {"Russian Federation"})
    )
    contact = Contact.objects.create(
        trial=blast, site=site, kind="SITE", name="A. Person", registry_key=f"SITE: {old_key} | A"
    )
    # A curator's correction of the site's status, which the record does not give.
    Site.objects.filter(pk=site.pk).update(status="SUSPENDED")
    Correction.objects.create(
        trial=blast, part="site", registry_key=old_key, field="status", registry_value=""
    )

    migration.rename(apps, None)

    site.refresh_from_db()
    assert (site.country, site.registry_key) == ("Russia", new_key)
    contact.refresh_from_db()
    assert contact.registry_key == f"SITE: {new_key} | A"
    assert Correction.objects.get(trial=blast, part="site").registry_key == new_key
    blast.refresh_from_db()
    assert "Russia" in blast.site_countries and "Russian Federation" not in blast.site_countries

    Trial.objects.filter(pk=blast.pk).update(source_text_digest="")  # read the record again
    report = import_paths([BUNDLED / "NCT01207388.xml"])
    assert not report.failed, report.failed
    kept = Site.objects.get(pk=site.pk)  # the same row, not a new one
    assert (kept.country, kept.status) == ("Russia", "SUSPENDED")
    assert Correction.objects.get(trial=blast, part="site").in_registry
