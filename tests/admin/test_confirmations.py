"""Curators record sites' confirmations in the admin (as a curator, not a superuser): on the
site's page, seen on the trial's page, filtered on the trial list, listed on the quality page."""

import pytest
from django.urls import reverse

from tests.admin.pages import change_url, errors_of, post_change_form
from tests.models.test_confirmations import Answer, confirm, days_ago, open_trial
from tests.pages.test_trial_page import page_text
from trials.models import SiteConfirmation

pytestmark = pytest.mark.django_db


def record(client, site, **fields):
    # The empty row for a new confirmation comes after the site's recorded ones.
    new = f"confirmations-{site.confirmations.count()}"
    changes = {f"{new}-{name}": value for name, value in fields.items()}
    return post_change_form(client, site, changes)


def test_a_curator_records_a_confirmation_on_the_sites_page_and_families_see_it(
    curator_client, curator, django_capture_on_commit_callbacks
):
    made = open_trial()
    site = made.sites.get()
    assert "confirmed by our staff" not in page_text(curator_client, made.nct_id)  # now cached
    with django_capture_on_commit_callbacks(execute=True):
        response = record(
            curator_client,
            site,
            answer="RECRUITING",
            confirmed_on=days_ago(1).isoformat(),
            method="PHONE",
            public_note="Ask for the research nurse.",
        )
    assert response.status_code == 302, errors_of(response)
    confirmation = site.confirmations.get()
    assert confirmation.recorded_by == curator
    assert confirmation.answer == Answer.RECRUITING
    # The cached trial page follows at once.
    text = page_text(curator_client, made.nct_id)
    assert "Recruiting, confirmed by our staff on" in text
    assert "Ask for the research nurse." in text


def test_a_second_confirmation_is_added_and_the_first_kept_as_history(curator_client):
    site = open_trial().sites.get()
    first = confirm(site, Answer.NO_ANSWER, days=10)
    response = record(
        curator_client,
        site,
        answer="NOT_RECRUITING",
        confirmed_on=days_ago(0).isoformat(),
        method="EMAIL",
    )
    assert response.status_code == 302, errors_of(response)
    assert [c.answer for c in site.confirmations.all()] == ["NOT_RECRUITING", "NO_ANSWER"]
    assert site.confirmations.last() == first


def test_a_confirmation_dated_tomorrow_or_without_an_answer_is_refused_by_its_field(
    curator_client,
):
    site = open_trial().sites.get()
    tomorrow = record(
        curator_client,
        site,
        answer="RECRUITING",
        confirmed_on=days_ago(-1).isoformat(),
        method="PHONE",
    )
    assert tomorrow.status_code == 200
    assert "cannot be dated after today" in errors_of(tomorrow)
    no_answer = record(curator_client, site, confirmed_on=days_ago(0).isoformat(), method="PHONE")
    assert no_answer.status_code == 200
    assert "This field is required" in errors_of(no_answer)
    assert not SiteConfirmation.objects.exists()


def test_the_trial_page_in_the_admin_shows_each_sites_latest_confirmation(curator_client):
    made = open_trial()
    site = made.sites.get()
    confirm(site, Answer.NOT_RECRUITING, days=5)
    page = curator_client.get(change_url(made)).content.decode()
    assert "Confirmed by our staff" in page
    assert f"Confirmed not recruiting on {days_ago(5):%Y-%m-%d}" in page
    assert change_url(site) + "#confirmations-group" in page


def test_the_trial_list_filters_by_confirmed_open_in_the_last_90_days(curator_client):
    confirmed, stale, never = open_trial(), open_trial(), open_trial()
    confirm(confirmed.sites.get(), days=90)
    confirm(stale.sites.get(), days=91)
    changelist = reverse("admin:trials_trial_changelist")
    yes = curator_client.get(changelist, {"confirmed": "yes"}).content.decode()
    no = curator_client.get(changelist, {"confirmed": "no"}).content.decode()
    assert confirmed.nct_id in yes and stale.nct_id not in yes and never.nct_id not in yes
    assert confirmed.nct_id not in no and stale.nct_id in no and never.nct_id in no


def test_the_quality_page_lists_open_trials_whose_sites_are_not_confirmed(curator_client):
    never, answered = open_trial(), open_trial()
    confirm(answered.sites.get(), days=1)
    page = curator_client.get(reverse("admin:trials_trial_quality")).content.decode()
    assert "Open trials with sites our staff have not confirmed in 90 days" in page
    heading = "Open trials with sites our staff have not confirmed"
    section = page.split(heading)[1].split("</div>")[0]
    assert never.nct_id in section and answered.nct_id not in section
    sites = reverse("admin:trials_site_changelist") + f"?trial__id__exact={never.pk}"
    assert f'href="{sites}"' in section
    filtered = curator_client.get(
        reverse("admin:trials_trial_changelist"), {"problem": "unconfirmed_sites"}
    ).content.decode()
    assert never.nct_id in filtered and answered.nct_id not in filtered


def test_curators_hold_exactly_the_confirmation_permissions(curator):
    for action in ("view", "add", "change", "delete"):
        assert curator.has_perm(f"trials.{action}_siteconfirmation")
    assert not curator.is_superuser
