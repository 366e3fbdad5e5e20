"""Where the importer places a site the record gives no coordinates for: by its ZIP code when the
code agrees with the record's state, by its city otherwise (trials/registry/writer.py located,
gazetteer.locate_site_zip). A family near Olympia, Washington must not be told that a site in
Anchorage, Alaska is near them because the registry gave it Olympia's ZIP code."""

import importlib

import pytest
from django.apps import apps

from tests.conftest import BUNDLED
from trials.models import Site
from trials.places.distance import distance_km
from trials.registry.importer import import_paths

pytestmark = pytest.mark.django_db

ANCHORAGE = (61.218, -149.900)
OLYMPIA_98508 = (47.0379, -122.9007)
FRANKLIN_OHIO_45005 = (39.5357, -84.303)  # the ZIP code's point, nearer the site than a city


@pytest.fixture
def ccg_all(db):
    """NCT02003222 (551 sites), whose record gives one Anchorage site Olympia's ZIP code."""
    report = import_paths([BUNDLED / "NCT02003222.xml"], publish=True)
    assert not report.failed, report.failed


def point(site):
    return site.latitude, site.longitude


def test_a_zip_code_of_another_state_does_not_move_a_site_there(ccg_all):
    site = Site.objects.get(facility="Anchorage Associates in Radiation Medicine")
    assert (site.city, site.state, site.zip) == ("Anchorage", "Alaska", "98508")
    assert distance_km(*point(site), *ANCHORAGE) < 20
    assert site.coordinates_approximate


def test_a_zip_code_of_the_records_state_places_the_site(ccg_all):
    site = Site.objects.get(facility="Dayton Physicians LLC-Atrium", zip="45005")
    assert site.city == "Franklin"
    assert point(site) == pytest.approx(FRANKLIN_OHIO_45005)


def test_sites_an_earlier_import_placed_by_such_a_zip_code_are_placed_again(ccg_all):
    """Migration 0026: a site still at the other state's ZIP point moves to its city; a point a
    curator set, and a ZIP point that agrees with the record, stay."""
    migration = importlib.import_module(
        "trials.migrations.0026_sites_placed_by_a_zip_code_of_another_state"
    )
    anchorage = Site.objects.get(facility="Anchorage Associates in Radiation Medicine")
    franklin = Site.objects.get(facility="Dayton Physicians LLC-Atrium", zip="45005")
    curated = Site.objects.get(facility="Anchorage Radiation Therapy Center")
    Site.objects.filter(pk=anchorage.pk).update(
        latitude=OLYMPIA_98508[0], longitude=OLYMPIA_98508[1]
    )
    Site.objects.filter(pk=curated.pk).update(latitude=61.19, longitude=-149.87)

    migration.place_again(apps, None)

    anchorage.refresh_from_db()
    assert distance_km(*point(anchorage), *ANCHORAGE) < 20
    franklin.refresh_from_db()
    assert point(franklin) == pytest.approx(FRANKLIN_OHIO_45005)
    curated.refresh_from_db()
    assert point(curated) == (61.19, -149.87)
