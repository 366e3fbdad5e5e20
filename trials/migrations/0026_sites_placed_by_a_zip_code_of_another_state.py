"""Sites the importer placed by a ZIP code of another state than the record's own (NCT02003222's
Anchorage, Alaska, with Olympia, Washington's 98508) are placed again by their city, as the
importer now does (gazetteer.locate_site_zip). Only sites still at that ZIP code's point are
moved: coordinates a curator has set since are left as they are."""

from django.db import migrations

SAME_POINT = 1e-6  # degrees: the point the importer wrote, not one near it


def place_again(apps, schema_editor):
    from trials.cache import catalogue_changed
    from trials.places import gazetteer

    Site = apps.get_model("trials", "Site")
    moved = []
    sites = (
        Site.objects.filter(coordinates_approximate=True, latitude__isnull=False)
        .exclude(zip="")
        .only("city", "state", "zip", "country", "latitude", "longitude")
    )
    for site in sites.iterator(chunk_size=2000):
        by_zip = gazetteer.resolve_place(site.zip)
        if by_zip is None or by_zip.kind != "postal code" or by_zip.country != site.country:
            continue  # the importer never used this ZIP code
        if (
            abs(site.latitude - by_zip.latitude) > SAME_POINT
            or abs(site.longitude - by_zip.longitude) > SAME_POINT
        ):
            continue  # not where the importer put it
        if gazetteer.locate_site_zip(site.zip, site.state, site.country):
            continue  # the ZIP code agrees with the record: it stays
        point = gazetteer.locate_site(site.city, site.state, site.country)
        site.latitude, site.longitude = point or (None, None)
        site.coordinates_approximate = point is not None
        moved.append(site)
    Site.objects.bulk_update(
        moved, ["latitude", "longitude", "coordinates_approximate"], batch_size=500
    )
    if moved:  # pages and counts kept in the cache showed the old places
        catalogue_changed()


class Migration(migrations.Migration):
    dependencies = [
        ("trials", "0025_text_match_function"),
    ]

    operations = [
        migrations.RunPython(place_again, migrations.RunPython.noop, elidable=True),
    ]
