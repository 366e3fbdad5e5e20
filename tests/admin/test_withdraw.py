"""Withdrawing with care: a confirmation listing the trials and a required reason, kept in the
history; the withdrawn trial's public address then answers 410, saying it is no longer listed
and where to look. Every step as a Curators-group user, not a superuser."""

import pytest
from django.contrib.auth.models import Permission, User
from django.urls import reverse

from tests.conftest import BUNDLED
from trials import models as m
from trials.registry.importer import import_paths

SMALL, BIG = "NCT04556084", "NCT02013167"
REASON = "The sponsor cancelled it before it opened; the registry has not said so yet."

pytestmark = pytest.mark.django_db


@pytest.fixture
def published():
    import_paths([BUNDLED / f"{SMALL}.json", BUNDLED / f"{BIG}.json"], publish=True)
    return list(m.Trial.objects.order_by("nct_id"))


def changelist():
    return reverse("admin:trials_trial_changelist")


def states():
    return dict(m.Trial.objects.values_list("nct_id", "publication_state"))


def test_the_action_asks_for_a_reason_before_it_withdraws(curator_client, published):
    ids = [trial.pk for trial in published]
    asked = curator_client.post(changelist(), {"action": "withdraw", "_selected_action": ids})
    assert asked.status_code == 200
    html = asked.content.decode()
    assert "2 trials to withdraw" in html and BIG in html and SMALL in html
    assert 'name="reason"' in html
    assert set(states().values()) == {"PUBLISHED"}  # nothing yet

    confirm = {"action": "withdraw", "_selected_action": ids, "confirm": "1"}
    refused = curator_client.post(changelist(), {**confirm, "reason": "  "})
    assert refused.status_code == 400 and "This field is required." in refused.content.decode()
    assert set(states().values()) == {"PUBLISHED"}

    done = curator_client.post(changelist(), {**confirm, "reason": REASON}, follow=True)
    assert done.status_code == 200
    assert set(states().values()) == {"WITHDRAWN"}
    assert f"2 trial(s) withdrawn: {BIG}, {SMALL}." in [str(x) for x in done.context["messages"]]
    for trial in published:
        latest = trial.history.latest()
        assert latest.history_user.username == "carla"
        assert latest.history_change_reason == f"Withdrawn from the site: {REASON}"
        history = curator_client.get(reverse("admin:trials_trial_history", args=[trial.pk]))
        assert f"Withdrawn from the site: {REASON}" in history.content.decode()


def test_the_button_on_a_trials_page_leads_to_the_same_confirmation(curator_client, published):
    trial = published[0]
    change = reverse("admin:trials_trial_change", args=[trial.pk])
    withdraw = reverse("admin:trials_trial_withdraw", args=[trial.pk])
    assert f'href="{withdraw}"' in curator_client.get(change).content.decode()
    asked = curator_client.get(withdraw)
    assert asked.status_code == 200 and "1 trial to withdraw" in asked.content.decode()
    refused = curator_client.post(withdraw, {"confirm": "1", "reason": ""})
    assert refused.status_code == 400
    done = curator_client.post(withdraw, {"confirm": "1", "reason": REASON})
    assert done.status_code == 302 and done["Location"] == change
    assert states()[trial.nct_id] == "WITHDRAWN" and states()[published[1].nct_id] == "PUBLISHED"
    # Once withdrawn, the page offers no second withdrawal.
    assert f'href="{withdraw}"' not in curator_client.get(change).content.decode()


def test_staff_who_may_not_publish_cannot_withdraw(client, published):
    helper = User.objects.create_user("helper", is_staff=True)
    helper.user_permissions.add(
        *Permission.objects.filter(codename__in=["view_trial", "change_trial"])
    )
    client.force_login(helper)
    withdraw = reverse("admin:trials_trial_withdraw", args=[published[0].pk])
    assert client.get(withdraw).status_code == 403
    assert client.post(withdraw, {"confirm": "1", "reason": REASON}).status_code == 403
    assert set(states().values()) == {"PUBLISHED"}


def listed(client, address, trial):
    """Whether the list (a card) or an export (a row) has the trial."""
    text = client.get(address).content.decode()
    return (
        f'<span class="nct-id">{trial.nct_id}</span>' in text
        if address == "/trials/"
        else (trial.nct_id in text)
    )


def test_a_withdrawn_trials_address_says_it_is_no_longer_listed(
    client, curator_client, published, django_capture_on_commit_callbacks
):
    trial = published[0]
    assert client.get(f"/trials/{trial.nct_id}/").status_code == 200  # now cached
    # The list's cards and the exports are cached too: the withdrawal reaches them all.
    kept = ("/trials/", "/trials/export.csv", "/trials/export.json", "/trials/export.ris")
    for address in kept:
        assert listed(client, address, trial)
    with django_capture_on_commit_callbacks(execute=True):
        curator_client.post(
            reverse("admin:trials_trial_withdraw", args=[trial.pk]),
            {"confirm": "1", "reason": REASON},
        )
    for address in (f"/trials/{trial.nct_id}/", f"/trials/{trial.nct_id}/?near=Boston"):
        gone = client.get(address)
        assert gone.status_code == 410
        assert "trials/trial_gone.html" in [t.name for t in gone.templates]
        assert "base.html" in [t.name for t in gone.templates]
        html = gone.content.decode()
        assert "This trial is no longer listed here" in html
        assert f'href="https://clinicaltrials.gov/study/{trial.nct_id}"' in html
        assert f'action="{reverse("trials:list")}"' in html  # search
        assert REASON not in html  # the curators' reason is theirs
    for address in kept:
        assert not listed(client, address, trial)
    # Published again, it is back.
    with django_capture_on_commit_callbacks(execute=True):
        curator_client.post(changelist(), {"action": "publish", "_selected_action": [trial.pk]})
    assert client.get(f"/trials/{trial.nct_id}/").status_code == 200


def test_a_trial_never_published_and_an_unknown_id_stay_not_found(client, curator_client):
    import_paths([BUNDLED / f"{SMALL}.json"])  # a draft
    draft = m.Trial.objects.get()
    assert client.get(f"/trials/{SMALL}/").status_code == 404
    curator_client.post(
        reverse("admin:trials_trial_withdraw", args=[draft.pk]), {"confirm": "1", "reason": REASON}
    )
    assert states() == {SMALL: "WITHDRAWN"}
    assert client.get(f"/trials/{SMALL}/").status_code == 404  # its address was never public
    assert client.get("/trials/NCT09999998/").status_code == 404


def test_the_trials_form_offers_no_withdrawal_without_a_reason(curator_client, published):
    from tests.admin.pages import errors_of, post_change_form

    trial = published[0]
    page = curator_client.get(reverse("admin:trials_trial_change", args=[trial.pk]))
    choices = dict(page.context["adminform"].form.fields["publication_state"].choices)
    assert "WITHDRAWN" not in choices and "PUBLISHED" in choices
    refused = post_change_form(curator_client, trial, {"publication_state": "WITHDRAWN"})
    assert "Select a valid choice" in errors_of(refused)
    assert states()[trial.nct_id] == "PUBLISHED"
    # A withdrawn trial's page still saves, its state offered as it is.
    curator_client.post(
        reverse("admin:trials_trial_withdraw", args=[trial.pk]), {"confirm": "1", "reason": REASON}
    )
    saved = post_change_form(curator_client, trial, {"curation_note": "Checked again."})
    assert saved.status_code == 302 and states()[trial.nct_id] == "WITHDRAWN"
