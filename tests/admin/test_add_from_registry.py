"""Add from ClinicalTrials.gov: NCT IDs, a registry search or record files, previewed (with what
would change for a stored trial), then imported on confirm. Live reads go to a local stand-in
of the registry (tests/registry/test_importer.py); every step as a Curators-group user."""

import json

import pytest
from django.contrib.auth.models import Permission, User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tests.conftest import BUNDLED
from tests.registry.test_importer import registry_server
from trials import curation
from trials import models as m
from trials.registry.importer import import_paths

SMALL = "NCT04556084"  # one site
BIG = "NCT02013167"  # TOWER, 117 sites, last updated 5 March 2024
XML = "NCT01207388"  # the bundled legacy XML record
UNKNOWN = "NCT09999999"  # synthetic: the stand-in registry knows no such study

pytestmark = pytest.mark.django_db


def study(nct_id):
    return json.loads((BUNDLED / f"{nct_id}.json").read_text())


def url():
    return reverse("admin:trials_trial_add_from_registry")


def upload(name, content):
    data = content if isinstance(content, bytes) else content.encode()
    return SimpleUploadedFile(name, data, content_type="application/octet-stream")


def rows(response):
    return {
        row["candidate"].nct_id or row["candidate"].record.name: row
        for row in response.context["rows"]
    }


def confirm(client, preview, **extra):
    """Post the preview's confirmation form, every importable record ticked (as shown)."""
    takes = [str(row["take"]) for row in preview.context["rows"] if row["take"] is not None]
    return client.post(url(), {"token": preview.context["token"], "take": takes, **extra})


@pytest.fixture
def registry(settings):
    with registry_server({SMALL: study(SMALL), BIG: study(BIG)}) as (address, requests):
        settings.CTGOV_API_URL = address
        yield requests


def test_a_curator_adds_trials_by_nct_id_after_seeing_each_one(curator_client, registry):
    page = curator_client.get(url())
    assert page.status_code == 200 and 'name="nct_ids"' in page.content.decode()
    preview = curator_client.post(url(), {"nct_ids": f"{SMALL.lower()}, {BIG}\n{UNKNOWN}"})
    assert preview.status_code == 200
    shown = rows(preview)
    assert list(shown) == [SMALL, BIG, UNKNOWN]
    big = shown[BIG]["candidate"]
    assert (big.status, big.site_count, str(big.last_update)) == ("Terminated", 117, "2024-03-05")
    assert big.result.action == "created" and shown[BIG]["take"] is not None
    assert shown[UNKNOWN]["take"] is None
    html = preview.content.decode()
    assert f"ClinicalTrials.gov has no study {UNKNOWN}." in html
    assert "A new trial." in html and "117" in html and "5 March 2024" in html
    assert m.Trial.objects.count() == 0  # nothing written before the confirmation

    done = confirm(curator_client, preview)
    assert done.status_code == 200
    assert sorted(m.Trial.objects.values_list("nct_id", flat=True)) == [BIG, SMALL]
    assert set(m.Trial.objects.values_list("publication_state", flat=True)) == {"DRAFT"}
    html = done.content.decode()
    for trial in m.Trial.objects.all():
        assert reverse("admin:trials_trial_change", args=[trial.pk]) in html
    assert "Added (2), as drafts" in html
    assert m.Trial.objects.get(nct_id=SMALL).history.earliest().history_change_reason == (
        "Added from ClinicalTrials.gov by carla"
    )
    # The preview is used up: posting it again imports nothing and says why.
    again = confirm(curator_client, preview)
    assert again.status_code == 409 and "no longer current" in again.content.decode()


def test_malformed_ids_are_named_and_the_typing_kept(curator_client, registry):
    response = curator_client.post(url(), {"nct_ids": f"{SMALL} NCT123 02013167"})
    assert response.status_code == 400
    html = response.content.decode()
    assert "Not an NCT ID (NCT and 8 digits, e.g. NCT02013167): NCT123, 02013167." in html
    assert f"{SMALL} NCT123 02013167</textarea>" in html
    assert registry == [] and m.Trial.objects.count() == 0


def test_an_empty_form_says_what_to_give(curator_client):
    response = curator_client.post(url(), {"nct_ids": " , ", "query": ""})
    assert response.status_code == 400
    assert "Give one or more NCT IDs, a search, or record files." in response.content.decode()


def test_an_unreachable_registry_is_a_clear_message_with_the_input_kept(curator_client, settings):
    settings.CTGOV_API_URL = "http://127.0.0.1:9/api/v2"  # nothing listens on the discard port
    response = curator_client.post(url(), {"nct_ids": f"{SMALL} {BIG}"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "ClinicalTrials.gov could not be reached, so nothing was read" in html
    assert "cannot reach the registry" in html
    assert f"{SMALL} {BIG}</textarea>" in html
    assert response.context["rows"] == [] and m.Trial.objects.count() == 0


def test_a_registry_search_shows_a_bounded_number_of_studies(curator_client, registry, monkeypatch):
    monkeypatch.setattr(curation, "ADD_LIMIT", 1)
    preview = curator_client.post(url(), {"query": "blinatumomab"})
    assert preview.status_code == 200
    assert len(preview.context["rows"]) == 1 and preview.context["more"]
    assert "More than 1 records were found" in preview.content.decode()
    assert "query.term=blinatumomab" in registry[0] and "pageSize=2" in registry[0]
    confirm(curator_client, preview)
    assert m.Trial.objects.count() == 1


def test_record_files_in_both_formats_and_broken_ones_each_said_once(curator_client):
    page_of_two = json.dumps({"studies": [study(BIG), "not a study"]})
    files = [
        upload(f"{SMALL}.json", (BUNDLED / f"{SMALL}.json").read_bytes()),
        upload(f"{XML}.xml", (BUNDLED / f"{XML}.xml").read_bytes()),
        upload("page.json", page_of_two),
        upload("broken.json", '{"protocolSection": '),
        upload("latin1.xml", "<clinical_study>caf\xe9</clinical_study>".encode("latin-1")),
        upload("not-a-trial.json", '{"hello": 1}'),
    ]
    preview = curator_client.post(url(), {"files": files})
    assert preview.status_code == 200
    shown = rows(preview)
    assert [shown[nct_id]["take"] is not None for nct_id in (SMALL, XML, BIG)] == [True] * 3
    problems = [row["candidate"].problem for row in preview.context["rows"] if row["take"] is None]
    assert len(problems) == 4
    html = preview.content.decode()
    assert "not valid JSON" in html and "not UTF-8 text" in html and "no protocolSection" in html
    assert "a study must be an object" in html
    assert m.Trial.objects.count() == 0

    done = confirm(curator_client, preview)
    assert sorted(m.Trial.objects.values_list("nct_id", flat=True)) == sorted([SMALL, XML, BIG])
    assert m.Trial.objects.get(nct_id=XML).source_format == m.SourceFormat.LEGACY_XML
    assert "Added (3)" in done.content.decode()


def test_a_file_over_the_size_limit_is_refused_alone(curator_client, monkeypatch):
    monkeypatch.setattr(curation, "UPLOAD_LIMIT_MB", 0)  # any file is over 0 MB
    preview = curator_client.post(url(), {"files": [upload("big.json", "{}")]})
    assert preview.status_code == 200
    assert "big.json" in preview.content.decode()
    assert "larger than 0 MB; import it with manage.py import_trials." in preview.content.decode()
    assert preview.context["token"] == ""


def test_a_stored_trial_shows_what_would_change_and_an_older_record_is_refused(
    curator_client, registry, settings
):
    import_paths([BUNDLED / f"{SMALL}.json", BUNDLED / f"{BIG}.json"], publish=True)
    changed = study(SMALL)
    changed["protocolSection"]["designModule"]["enrollmentInfo"]["count"] = 406
    changed["protocolSection"]["statusModule"]["lastUpdatePostDateStruct"]["date"] = "2030-01-01"
    older = study(BIG)
    older["protocolSection"]["statusModule"]["lastUpdatePostDateStruct"]["date"] = "2017-12-29"
    files = [upload("small.json", json.dumps(changed)), upload("big.json", json.dumps(older))]
    preview = curator_client.post(url(), {"files": files})
    shown = rows(preview)
    assert shown[SMALL]["candidate"].result.action == "updated"
    assert shown[BIG]["take"] is None and shown[BIG]["candidate"].older
    html = preview.content.decode()
    assert "Enrollment count" in html and "406" in html  # the diff
    assert "last updated on 29 December 2017" in html and "(5 March 2024)" in html
    big = m.Trial.objects.get(nct_id=BIG)
    assert reverse("admin:trials_trial_refresh", args=[big.pk]) in html

    done = confirm(curator_client, preview)
    assert "Updated (1)" in done.content.decode()
    assert m.Trial.objects.get(nct_id=SMALL).enrollment_count == 406
    big.refresh_from_db()
    assert str(big.last_update_post_date) == "2024-03-05"
    # A re-import keeps the publication state: published stays published.
    assert m.Trial.objects.get(nct_id=SMALL).publication_state == "PUBLISHED"


def test_the_same_record_again_is_nothing_to_import(curator_client, registry):
    import_paths([BUNDLED / f"{SMALL}.json"])
    preview = curator_client.post(
        url(), {"files": [upload("a.json", (BUNDLED / f"{SMALL}.json").read_bytes())]}
    )
    assert "from the same record: nothing to import" in preview.content.decode()
    assert "Nothing here can be imported." in preview.content.decode()


def test_a_stale_preview_imports_nothing_and_leaves_the_current_one(curator_client, registry):
    first = curator_client.post(url(), {"nct_ids": SMALL})
    second = curator_client.post(url(), {"nct_ids": BIG})
    stale = confirm(curator_client, first)
    assert stale.status_code == 409 and "no longer current" in stale.content.decode()
    assert m.Trial.objects.count() == 0
    confirm(curator_client, second)
    assert list(m.Trial.objects.values_list("nct_id", flat=True)) == [BIG]


def test_only_ticked_records_are_imported(curator_client, registry):
    preview = curator_client.post(url(), {"nct_ids": f"{SMALL} {BIG}"})
    small = rows(preview)[SMALL]["take"]
    curator_client.post(url(), {"token": preview.context["token"], "take": [str(small)]})
    assert list(m.Trial.objects.values_list("nct_id", flat=True)) == [SMALL]


def test_a_curator_who_may_publish_can_publish_the_new_trials_at_once(curator_client, registry):
    preview = curator_client.post(url(), {"nct_ids": SMALL})
    assert 'name="publish"' in preview.content.decode()
    done = confirm(curator_client, preview, publish="on")
    assert "Added (1), published" in done.content.decode()
    assert m.Trial.objects.get().publication_state == "PUBLISHED"


def staff_with(client, *codenames):
    user = User.objects.create_user("helper", is_staff=True)
    user.user_permissions.add(*Permission.objects.filter(codename__in=codenames))
    client.force_login(user)
    return client


def test_adding_needs_only_the_add_permission_and_publishing_its_own(client, registry):
    helper = staff_with(client, "add_trial", "view_trial")
    import_paths([BUNDLED / f"{BIG}.json"])
    preview = helper.post(url(), {"nct_ids": f"{SMALL} {BIG}"})
    assert preview.status_code == 200
    html = preview.content.decode()
    assert 'name="publish"' not in html
    assert f"{BIG} is already stored, and you may only add trials." in html
    confirm(helper, preview, publish="on")  # a forged tick is ignored
    assert m.Trial.objects.get(nct_id=SMALL).publication_state == "DRAFT"


def test_staff_who_may_not_add_trials_are_refused(client):
    viewer = staff_with(client, "view_trial")
    assert viewer.get(url()).status_code == 403
    assert viewer.post(url(), {"nct_ids": SMALL}).status_code == 403


def test_the_screen_is_linked_from_the_trial_list_and_the_admin_index(curator_client):
    link = f'href="{url()}"'
    assert link in curator_client.get(reverse("admin:trials_trial_changelist")).content.decode()
    assert link in curator_client.get(reverse("admin:index")).content.decode()
