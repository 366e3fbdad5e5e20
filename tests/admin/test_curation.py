"""Curators' corrections survive imports; refreshes show what changed, before or after."""

import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse

from tests.admin.pages import change_url, errors_of, form_data, inline_prefix, post_change_form
from tests.conftest import BUNDLED, FIRST_SEVEN
from tests.registry.test_importer import registry_server
from trials import models as m
from trials.registry.importer import import_paths

BIG = "NCT02013167"  # 117 sites, no site statuses
SMALL = "NCT04556084"  # one site, one site contact


def record(nct_id):
    return json.loads((BUNDLED / f"{nct_id}.json").read_text())


def location(study, city):
    locations = study["protocolSection"]["contactsLocationsModule"]["locations"]
    return next(place for place in locations if place.get("city") == city)


def reimport(tmp_path, study):
    nct_id = study["protocolSection"]["identificationModule"]["nctId"]
    path = tmp_path / f"{nct_id}.json"
    path.write_text(json.dumps(study))
    report = import_paths([path])
    assert not report.failed, report.failed
    return report


def changes_of(nct_id):
    return {
        (c["part"], c["row"].split(" (")[0], c["field"]): (c["old"], c["new"], c["kept"])
        for c in m.Trial.objects.get(nct_id=nct_id).import_changes
    }


@pytest.fixture
def big(db):
    import_paths([BUNDLED / f"{BIG}.json"], publish=True)
    return m.Trial.objects.get(nct_id=BIG)


@pytest.fixture
def small(db):
    import_paths([BUNDLED / f"{SMALL}.json"], publish=True)
    return m.Trial.objects.get(nct_id=SMALL)


# Re-imports update in place and say what changed


@pytest.mark.django_db
def test_a_reimport_updates_rows_in_place_and_keeps_what_changed_field_by_field(tmp_path, big):
    duarte = big.sites.get(city="Duarte")
    site_ids = set(big.sites.values_list("pk", flat=True))
    study = record(BIG)
    study["protocolSection"]["statusModule"]["overallStatus"] = "COMPLETED"
    location(study, "Duarte")["status"] = "COMPLETED"
    locations = study["protocolSection"]["contactsLocationsModule"]["locations"]
    dropped = locations.pop(locations.index(location(study, "Houston")))
    locations.append({"facility": "Hôpital Saint-Louis", "city": "Paris", "country": "France"})

    report = reimport(tmp_path, study)

    assert report.updated == [BIG]
    changes = changes_of(BIG)
    assert changes[("Trial", "", "Overall status")] == ("Terminated", "Completed", "")
    assert changes[("Site", duarte.facility, "Status")] == ("(empty)", "Completed", "")
    assert changes[("Site", "Hôpital Saint-Louis", "")] == ("", "added", "")
    assert changes[("Site", dropped["facility"], "")] == ("", "removed", "")
    duarte.refresh_from_db()
    assert duarte.status == "COMPLETED"  # the same row, updated
    new_ids = set(big.sites.values_list("pk", flat=True))
    assert len(site_ids - new_ids) == 1 and len(new_ids - site_ids) == 1
    assert report.changes[BIG] == m.Trial.objects.get(pk=big.pk).import_changes


@pytest.mark.django_db
def test_a_corrected_trial_field_survives_a_reimport_beside_the_registrys_value(
    tmp_path, small, curator_client
):
    post_change_form(curator_client, small, {"brief_title": "Blinatumomab before transplant"})
    study = record(SMALL)
    study["protocolSection"]["identificationModule"]["briefTitle"] = "A new registry title"
    study["protocolSection"]["identificationModule"]["acronym"] = "BRIDGE"
    reimport(tmp_path, study)

    small.refresh_from_db()
    assert small.brief_title == "Blinatumomab before transplant"  # kept
    assert small.acronym == "BRIDGE"  # not corrected: the registry's
    correction = small.corrections.get(field="brief_title")
    assert correction.registry_value == "A new registry title"
    assert correction.registry_changed and correction.corrected_by.username == "carla"
    old, new, kept = changes_of(SMALL)[("Trial", "", "Brief title")]
    assert new == "A new registry title" and kept == "Blinatumomab before transplant"
    page = curator_client.get(change_url(small)).content.decode()
    assert "The registry says: <q>A new registry title</q> (changed since the correction)" in page


@pytest.mark.django_db
def test_a_corrected_site_keeps_the_correction_and_takes_the_registrys_other_changes(
    tmp_path, small, curator_client
):
    page = curator_client.get(change_url(small))
    row = inline_prefix(page, "sites", "Milwaukee")
    response = post_change_form(
        curator_client, small, {f"{row}-latitude": "43.0435", f"{row}-longitude": "-88.0223"}
    )
    assert response.status_code == 302, errors_of(response)
    study = record(SMALL)
    location(study, "Milwaukee")["status"] = "COMPLETED"
    location(study, "Milwaukee")["geoPoint"] = {"lat": 43.04, "lon": -88.02}
    reimport(tmp_path, study)

    site = small.sites.get()
    assert (site.latitude, site.longitude) == (43.0435, -88.0223)
    assert site.status == "COMPLETED"
    correction = small.corrections.get(part="site", field="latitude")
    assert correction.registry_value == 43.04 and correction.registry_key == site.registry_key
    page = curator_client.get(change_url(small)).content.decode()
    assert "From the registry, corrected: Latitude (registry: 43.04)" in page


@pytest.mark.django_db
def test_a_row_a_curator_removed_stays_removed_and_one_they_added_stays(
    tmp_path, small, curator_client
):
    page = curator_client.get(change_url(small))
    site = inline_prefix(page, "sites", "Milwaukee")
    contact = inline_prefix(page, "contacts", small.contacts.first().name)
    response = post_change_form(
        curator_client,
        small,
        {
            f"{site}-DELETE": "on",
            f"{contact}-DELETE": "on",
            "secondary_ids-TOTAL_FORMS": "1",
            "secondary_ids-0-identifier": "2020-0451",
            "secondary_ids-0-trial": str(small.pk),
        },
    )
    assert response.status_code == 302, errors_of(response)
    assert not small.sites.exists()
    study = record(SMALL)
    study["protocolSection"]["identificationModule"]["briefTitle"] += " (updated)"
    reimport(tmp_path, study)

    assert not small.sites.exists()  # not brought back
    assert list(small.secondary_ids.values_list("identifier", flat=True)) == ["2020-0451"]
    assert small.corrections.filter(part="site", field="").exists()


@pytest.mark.django_db
def test_a_row_the_registry_drops_is_kept_while_a_curator_corrected_it(
    tmp_path, small, curator_client
):
    page = curator_client.get(change_url(small))
    site = inline_prefix(page, "sites", "Milwaukee")
    post_change_form(curator_client, small, {f"{site}-status": "ACTIVE_NOT_RECRUITING"})
    study = record(SMALL)
    study["protocolSection"]["contactsLocationsModule"]["locations"] = []
    reimport(tmp_path, study)

    site = small.sites.get()
    assert site.status == "ACTIVE_NOT_RECRUITING"
    correction = small.corrections.get(part="site", field="status")
    assert not correction.in_registry
    assert changes_of(SMALL)[("Site", "Medical College of Wisconsin", "")][1].startswith(
        "no longer in the registry"
    )


# Taking the registry's value back


@pytest.mark.django_db
def test_dropping_a_correction_gives_the_registrys_value_back(tmp_path, small, curator_client):
    post_change_form(curator_client, small, {"brief_title": "My title"})
    study = record(SMALL)
    study["protocolSection"]["identificationModule"]["briefTitle"] = "The registry's new title"
    reimport(tmp_path, study)
    page = curator_client.get(change_url(small))
    data = form_data(page, "trial_form")
    assert data["corrections-TOTAL_FORMS"] == ["1"]
    response = post_change_form(curator_client, small, {"corrections-0-DELETE": "on"})
    assert response.status_code == 302, errors_of(response)

    small.refresh_from_db()
    assert small.brief_title == "The registry's new title"
    assert not small.corrections.exists()
    assert "the registry's new title" in small.search_primary.lower()
    latest = small.history.first()
    assert latest.history_change_reason == (
        "carla dropped a correction: the registry's value is back"
    )


@pytest.mark.django_db
def test_typing_the_registrys_value_back_drops_the_correction(small, curator_client):
    registry_title = small.brief_title
    post_change_form(curator_client, small, {"brief_title": "My title"})
    assert small.corrections.count() == 1
    post_change_form(curator_client, small, {"brief_title": registry_title})
    assert small.corrections.count() == 0


@pytest.mark.django_db
def test_the_corrections_page_drops_and_keeps_corrections(tmp_path, small, curator_client):
    post_change_form(curator_client, small, {"brief_title": "My title", "acronym": "BRIDGE"})
    study = record(SMALL)
    study["protocolSection"]["identificationModule"]["briefTitle"] = "New"
    reimport(tmp_path, study)
    listing = reverse("admin:trials_correction_changelist")
    title = small.corrections.get(field="brief_title")
    acronym = small.corrections.get(field="acronym")
    curator_client.post(listing, {"action": "keep", "_selected_action": [title.pk]})
    title.refresh_from_db()
    assert not title.registry_changed
    curator_client.post(
        listing, {"action": "delete_selected", "_selected_action": [acronym.pk], "post": "yes"}
    )
    small.refresh_from_db()
    assert small.acronym == "" and small.brief_title == "My title"


# Refreshing from the registry


def refresh_url(trial):
    return reverse("admin:trials_trial_refresh", args=[trial.pk])


@pytest.mark.django_db
def test_a_refresh_from_a_file_shows_the_diff_first_and_writes_only_when_applied(
    tmp_path, small, curator_client
):
    post_change_form(curator_client, small, {"plain_summary": "Ours.", "acronym": "TWR"})
    study = record(SMALL)
    study["protocolSection"]["identificationModule"]["acronym"] = "BRIDGE"
    study["protocolSection"]["designModule"]["enrollmentInfo"]["count"] = 406
    path = tmp_path / "record.json"
    path.write_text(json.dumps(study))

    with path.open("rb") as upload:
        preview = curator_client.post(refresh_url(small), {"file": upload, "_preview": "1"})
    assert preview.status_code == 200
    html = preview.content.decode()
    assert "What would change" in html and "Enrollment count" in html
    assert "Kept the curator's value: <q>TWR</q>" in html
    small.refresh_from_db()
    assert small.enrollment_count != 406  # nothing written yet

    applied = curator_client.post(
        refresh_url(small),
        {
            "record": preview.context["record"].text.replace("\n", "\r\n"),
            "record_name": "record.json",
            "_apply": "1",
        },
    )
    assert applied.status_code == 302 and applied["Location"].endswith("#latest-import")
    small.refresh_from_db()
    assert small.enrollment_count == 406
    assert (small.acronym, small.plain_summary) == ("TWR", "Ours.")
    page = curator_client.get(change_url(small)).content.decode()
    assert 'id="latest-import"' in page and "Enrollment count" in page


@pytest.mark.django_db
def test_a_refresh_with_another_trials_record_is_refused(small, curator_client):
    path = BUNDLED / f"{BIG}.json"
    with path.open("rb") as upload:
        response = curator_client.post(refresh_url(small), {"file": upload, "_preview": "1"})
    assert f"This record is not {SMALL}'s (it is {BIG})" in errors_of_refresh(response)


def errors_of_refresh(response):
    return " ".join(response.context["form"].non_field_errors())


@pytest.mark.django_db
def test_a_refresh_reads_the_registry_live_from_the_page_and_as_a_bulk_action(
    settings, small, curator_client
):
    study = record(SMALL)
    study["protocolSection"]["statusModule"]["overallStatus"] = "COMPLETED"
    with registry_server({SMALL: study}) as (url, requests):
        settings.CTGOV_API_URL = url
        preview = curator_client.post(refresh_url(small), {"_preview": "1"})
        assert "Terminated" in preview.content.decode() and requests
        small.refresh_from_db()
        assert small.overall_status == "TERMINATED"
        response = curator_client.post(
            reverse("admin:trials_trial_changelist"),
            {"action": "refresh_from_registry", "_selected_action": [small.pk]},
            follow=True,
        )
    small.refresh_from_db()
    assert small.overall_status == "COMPLETED"
    assert any("1 change(s)" in str(message) for message in response.context["messages"])


@pytest.mark.django_db
def test_an_unreachable_registry_is_a_clear_message_and_changes_nothing(
    settings, small, curator_client
):
    settings.CTGOV_API_URL = "http://127.0.0.1:9/api/v2"
    response = curator_client.post(refresh_url(small), {"_preview": "1"})
    assert "cannot reach the registry" in errors_of_refresh(response)


@pytest.mark.django_db
def test_import_trials_dry_run_shows_the_diff_and_writes_nothing(tmp_path, big):
    study = record(BIG)
    study["protocolSection"]["statusModule"]["overallStatus"] = "COMPLETED"
    path = tmp_path / "record.json"
    path.write_text(json.dumps(study))
    out = StringIO()
    call_command("import_trials", str(path), "--dry-run", stdout=out)
    assert "Trial / Overall status: Terminated -> Completed" in out.getvalue()
    assert "Dry run, nothing written. Would be: 0 created, 1 updated" in out.getvalue()
    big.refresh_from_db()
    assert big.overall_status == "TERMINATED" and big.history.count() == 1

    out = StringIO()
    call_command("import_trials", str(path), "--diff", stdout=out)
    assert "Overall status: Terminated -> Completed" in out.getvalue()
    big.refresh_from_db()
    assert big.overall_status == "COMPLETED"


@pytest.mark.django_db
def test_importing_the_same_record_after_corrections_changes_nothing(small, curator_client):
    post_change_form(curator_client, small, {"brief_title": "Ours"})
    report = import_paths([BUNDLED / f"{SMALL}.json"])
    assert report.unchanged == [SMALL]
    small.refresh_from_db()
    assert small.brief_title == "Ours"


@pytest.mark.django_db
def test_rows_of_earlier_imports_are_named_as_the_importer_names_them():
    """Migration 0006 gives rows imported before registry keys the keys the importer gives."""
    import importlib

    from django.apps import apps

    import_paths(FIRST_SEVEN, publish=True)
    children = [m.Site, m.Contact, m.Arm, m.Intervention, m.Publication, m.Outcome, m.TrialNote]
    keys = {model: dict(model.objects.values_list("pk", "registry_key")) for model in children}
    for model in children:
        model.objects.update(registry_key="")
    migration = importlib.import_module("trials.migrations.0006_registry_keys_for_imported_rows")
    migration.forwards(apps, None)
    assert {
        model: dict(model.objects.values_list("pk", "registry_key")) for model in children
    } == keys
