"""No lost update: two curators with the same trial open; the second save is refused, with what
changed since, and nothing the second curator typed is lost."""

import datetime
from html import unescape
from io import StringIO

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.test import Client

from tests.admin.pages import change_url, errors_of, form_data
from trials import curation
from trials import models as m
from trials.registry.importer import reapply_stored_record

pytestmark = pytest.mark.django_db

SMALL = "NCT04556084"  # one site: a quick page


@pytest.fixture
def second_curator_client(curator):
    call_command("create_curator", "dana", "--no-password", stdout=StringIO())
    client = Client()
    client.force_login(User.objects.get(username="dana"))
    return client


def open_form(client, trial):
    page = client.get(change_url(trial))
    assert page.status_code == 200
    return form_data(page, "trial_form")


def save(client, trial, data, **changes):
    data = {**data, **{name: [value] for name, value in changes.items()}}
    data["_continue"] = ["Save and continue editing"]
    return client.post(change_url(trial), data)


def test_the_second_of_two_curators_saving_the_same_trial_is_refused_with_what_changed(
    curator_client, second_curator_client, bundled_trials
):
    trial = m.Trial.objects.get(nct_id=SMALL)
    note_before = trial.public_note
    carlas = open_form(curator_client, trial)
    danas = open_form(second_curator_client, trial)
    assert carlas["version"] == [str(trial.version)]

    first = save(curator_client, trial, carlas, brief_title="Carla's corrected title")
    assert first.status_code == 302, errors_of(first)

    second = save(second_curator_client, trial, danas, public_note="Dana's note for families.")
    assert second.status_code == 200
    message = unescape(errors_of(second))
    assert "saved by someone else after you opened it" in message
    assert "Brief title" in message and "by carla" in message
    assert "Carla's corrected title" in message
    assert "Public note" not in message  # only what changed since, not what Dana typed
    # Nothing Dana typed is lost: the form comes back with her input.
    assert form_data(second, "trial_form")["public_note"] == ["Dana's note for families."]
    trial.refresh_from_db()
    assert trial.brief_title == "Carla's corrected title"
    assert trial.public_note == note_before


def test_saving_the_returned_form_again_is_a_deliberate_overwrite(
    curator_client, second_curator_client, bundled_trials
):
    trial = m.Trial.objects.get(nct_id=SMALL)
    carlas = open_form(curator_client, trial)
    danas = open_form(second_curator_client, trial)
    assert save(curator_client, trial, carlas, public_note="Carla's note.").status_code == 302
    refused = save(second_curator_client, trial, danas, public_note="Dana's note.")
    assert refused.status_code == 200

    again = save(second_curator_client, trial, form_data(refused, "trial_form"))
    assert again.status_code == 302, errors_of(again)
    trial.refresh_from_db()
    assert trial.public_note == "Dana's note."


def test_a_save_after_an_import_or_a_curation_action_is_refused_too(
    curator_client, curator, bundled_trials
):
    trial = m.Trial.objects.get(nct_id=SMALL)
    opened = open_form(curator_client, trial)
    curation.mark_checked(
        m.Trial.objects.filter(pk=trial.pk), user=curator, day=datetime.date.today()
    )
    refused = save(curator_client, trial, opened, public_note="Typed before the check.")
    assert refused.status_code == 200
    assert "Last checked by a curator" in errors_of(refused)

    opened = open_form(curator_client, trial)
    reapply_stored_record(trial, reason="the registry's record again")
    refused = save(curator_client, trial, opened, public_note="Typed before the import.")
    assert refused.status_code == 200
    assert "saved by someone else" in errors_of(refused)


def test_one_curator_saving_twice_in_a_row_is_not_refused(curator_client, bundled_trials):
    trial = m.Trial.objects.get(nct_id=SMALL)
    first = save(curator_client, trial, open_form(curator_client, trial), public_note="One.")
    assert first.status_code == 302, errors_of(first)
    second = save(curator_client, trial, open_form(curator_client, trial), public_note="Two.")
    assert second.status_code == 302, errors_of(second)
    trial.refresh_from_db()
    assert trial.public_note == "Two."


def test_every_save_moves_the_version_on_and_a_revert_never_repeats_a_number(bundled_trials):
    trial = m.Trial.objects.get(nct_id=SMALL)
    start = trial.version
    trial.public_note = "A note."
    trial.save()
    old_copy = trial.history.earliest().instance
    old_copy.save()  # what a revert from the history does
    trial.refresh_from_db()
    assert trial.version == start + 2
