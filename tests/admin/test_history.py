"""Every change, by a curator or an import, is in the history: who, when, what; and reverts."""

import json

import pytest
from django.urls import reverse

from tests.admin.pages import change_url, errors_of, form_data, inline_prefix, post_change_form
from tests.conftest import BUNDLED
from trials import models as m
from trials.registry.importer import import_paths

SMALL = "NCT04556084"  # one site, in Milwaukee


@pytest.fixture
def small(db):
    import_paths([BUNDLED / f"{SMALL}.json"], publish=True)
    return m.Trial.objects.get(nct_id=SMALL)


def history_url(obj):
    return reverse(f"admin:trials_{obj._meta.model_name}_history", args=[obj.pk])


def revert_url(record):
    name = record.instance_type._meta.model_name
    return reverse(f"admin:trials_{name}_simple_history", args=[record.id, record.history_id])


def revert(client, record):
    """Open a past version's page and press Revert, as a curator does."""
    page = client.get(revert_url(record))
    assert page.status_code == 200
    form_id = f"historical{record.instance_type._meta.model_name}_form"
    return client.post(revert_url(record), form_data(page, form_id))


@pytest.mark.django_db
def test_an_import_is_in_the_history_as_the_import_not_a_person(tmp_path, small):
    created = small.history.get()
    assert created.history_type == "+" and created.history_user is None
    assert created.history_change_reason.startswith("Import from ")
    site = small.sites.get().history.get()
    assert site.history_user is None and site.history_change_reason.startswith("Import from ")

    study = json.loads((BUNDLED / f"{SMALL}.json").read_text())
    study["protocolSection"]["statusModule"]["overallStatus"] = "COMPLETED"
    path = tmp_path / "changed.json"
    path.write_text(json.dumps(study))
    import_paths([path])
    latest = small.history.first()
    assert latest.history_type == "~" and latest.history_user is None
    assert latest.history_change_reason == f"Import from {path}"
    delta = latest.diff_against(latest.prev_record)
    assert [(c.field, c.old, c.new) for c in delta.changes if c.field == "overall_status"] == [
        ("overall_status", "TERMINATED", "COMPLETED")
    ]


@pytest.mark.django_db
def test_a_refresh_a_curator_asks_for_is_the_imports_and_names_them(
    tmp_path, small, curator_client
):
    study = json.loads((BUNDLED / f"{SMALL}.json").read_text())
    study["protocolSection"]["statusModule"]["overallStatus"] = "COMPLETED"
    response = curator_client.post(
        reverse("admin:trials_trial_refresh", args=[small.pk]),
        {"record": json.dumps(study), "record_name": "upload.json", "_apply": "1"},
    )
    assert response.status_code == 302
    latest = small.history.first()
    assert latest.history_user is None
    assert latest.history_change_reason == "Refresh from the registry, asked for by carla"


@pytest.mark.django_db
def test_a_curators_edits_of_a_trial_and_its_rows_are_recorded_with_who_when_and_what(
    small, curator_client, curator
):
    page = curator_client.get(change_url(small))
    site = inline_prefix(page, "sites", "Milwaukee")
    post_change_form(
        curator_client,
        small,
        {"plain_summary": "In plain words.", f"{site}-status": "COMPLETED"},
    )
    trial_record = small.history.first()
    assert trial_record.history_user == curator
    delta = trial_record.diff_against(trial_record.prev_record)
    assert [c.field for c in delta.changes] == ["plain_summary"]
    site_record = small.sites.get().history.first()
    assert site_record.history_user == curator
    assert site_record.diff_against(site_record.prev_record).changed_fields == ["status"]
    # The search columns' rebuild is not a change of its own.
    assert small.history.count() == 2


@pytest.mark.django_db
def test_the_trial_history_page_shows_its_own_and_its_rows_changes(small, curator_client):
    page = curator_client.get(change_url(small))
    site = inline_prefix(page, "sites", "Milwaukee")
    post_change_form(
        curator_client,
        small,
        {"plain_title": "A bridge to transplant", f"{site}-city": "Wauwatosa"},
    )
    history = curator_client.get(history_url(small))
    assert history.status_code == 200
    html = history.content.decode()
    assert "Plain-language title" in html and "A bridge to transplant" in html
    assert "carla" in html and "the import" in html
    rows = history.context["row_changes"]
    change = next(row for row in rows if row["part"] == "Site" and row["delta"])
    assert change["delta"] == [("City", "Milwaukee", "Wauwatosa")]
    assert change["revert_url"] in html


@pytest.mark.django_db
def test_a_curator_reverts_a_trial_to_an_earlier_version(small, curator_client):
    post_change_form(curator_client, small, {"plain_summary": "First words."})
    post_change_form(curator_client, small, {"plain_summary": "Second words."})
    first = small.history.filter(plain_summary="First words.").get()
    response = revert(curator_client, first)
    assert response.status_code == 302, errors_of(response)
    small.refresh_from_db()
    assert small.plain_summary == "First words."
    assert "first words" in small.search_tertiary.lower()
    assert small.history.first().history_user.username == "carla"


@pytest.mark.django_db
def test_a_curator_reverts_a_site_change_and_brings_back_a_removed_site(small, curator_client):
    page = curator_client.get(change_url(small))
    site = inline_prefix(page, "sites", "Milwaukee")
    post_change_form(curator_client, small, {f"{site}-status": "COMPLETED"})
    original = small.sites.get().history.filter(status="RECRUITING").get()
    assert revert(curator_client, original).status_code == 302
    assert small.sites.get().status == "RECRUITING"
    assert not small.corrections.exists()  # back to the registry's value

    site_id = small.sites.get().pk
    page = curator_client.get(change_url(small))
    site = inline_prefix(page, "sites", "Milwaukee")
    post_change_form(curator_client, small, {f"{site}-DELETE": "on"})
    assert not small.sites.exists() and small.corrections.filter(field="").exists()
    deleted = m.Site.history.filter(id=site_id, history_type="-").get()
    assert revert(curator_client, deleted).status_code == 302
    assert small.sites.get().pk == site_id
    assert not small.corrections.exists()  # the next import keeps it as the registry's row


@pytest.mark.django_db
def test_publishing_and_withdrawing_are_in_the_history(small, curator_client):
    changelist = reverse("admin:trials_trial_changelist")
    curator_client.post(
        changelist,
        {"action": "withdraw", "_selected_action": [small.pk], "confirm": "1", "reason": "Test"},
    )
    record = small.history.first()
    assert record.publication_state == "WITHDRAWN" and record.history_user.username == "carla"
