"""Sites confirmed by our staff: the latest answer per site counts, for 90 days; imports keep them;
open trials whose sites have not answered are a data quality problem."""

import datetime
import json

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from tests import factories
from tests.conftest import BUNDLED
from trials.models import SiteConfirmation, Trial
from trials.registry.importer import import_paths

Answer = SiteConfirmation.Answer


def days_ago(n):
    return timezone.localdate() - datetime.timedelta(days=n)


def confirm(site, answer=Answer.RECRUITING, *, days=0, method="PHONE", note=""):
    return SiteConfirmation.objects.create(
        site=site, answer=answer, confirmed_on=days_ago(days), method=method, public_note=note
    )


def open_trial(**fields):
    fields.setdefault("overall_status", "RECRUITING")
    return factories.trial(sites=[{"status": "RECRUITING"}], **fields)


def confirmed_open_ids():
    return set(Trial.objects.confirmed_open().values_list("nct_id", flat=True))


@pytest.mark.django_db
def test_a_site_confirmed_recruiting_90_days_ago_still_counts_and_91_days_ago_does_not():
    edge, stale = open_trial(), open_trial()
    confirm(edge.sites.get(), days=90)
    confirm(stale.sites.get(), days=91)
    assert confirmed_open_ids() == {edge.nct_id}


@pytest.mark.django_db
def test_only_the_latest_answer_of_a_site_counts():
    closed_since, reopened = open_trial(), open_trial()
    confirm(closed_since.sites.get(), days=20)
    confirm(closed_since.sites.get(), Answer.NOT_RECRUITING, days=5)
    confirm(reopened.sites.get(), Answer.NOT_RECRUITING, days=20)
    confirm(reopened.sites.get(), days=5)
    assert confirmed_open_ids() == {reopened.nct_id}
    # Both answers are kept, latest first: the earlier one is the site's history.
    site = closed_since.sites.get()
    assert [c.answer for c in site.confirmations.all()] == ["NOT_RECRUITING", "RECRUITING"]
    assert site.latest_confirmation.answer == Answer.NOT_RECRUITING


@pytest.mark.django_db
def test_on_the_same_day_the_answer_recorded_last_is_the_latest():
    made = open_trial()
    site = made.sites.get()
    confirm(site, Answer.NOT_RECRUITING, days=3)
    confirm(site, days=3)
    assert site.latest_confirmation.answer == Answer.RECRUITING
    assert confirmed_open_ids() == {made.nct_id}


@pytest.mark.django_db
def test_no_answer_after_a_confirmation_leaves_the_site_unconfirmed_as_the_page_says():
    made = open_trial()
    confirm(made.sites.get(), days=10)
    confirm(made.sites.get(), Answer.NO_ANSWER, days=1)
    assert confirmed_open_ids() == set()
    assert made.sites.get().latest_confirmation.sentence.startswith("Not confirmed")


@pytest.mark.django_db
def test_a_closed_trial_is_never_confirmed_open_whatever_its_site_said():
    for status in ("TERMINATED", "COMPLETED", "ACTIVE_NOT_RECRUITING", ""):
        closed = factories.trial(overall_status=status, sites=[{"status": "RECRUITING"}])
        confirm(closed.sites.get(), days=0)
    waiting = open_trial(overall_status="NOT_YET_RECRUITING")
    confirm(waiting.sites.get(), days=0)
    assert confirmed_open_ids() == {waiting.nct_id}


@pytest.mark.django_db
def test_one_confirmed_site_is_enough_for_the_trial():
    made = factories.trial(overall_status="RECRUITING", sites=[{}, {}, {}])
    confirm(made.sites.first(), days=0)
    assert confirmed_open_ids() == {made.nct_id}


@pytest.mark.django_db
def test_the_sentence_families_read_names_the_answer_the_day_and_how():
    site = open_trial().sites.get()
    confirmation = SiteConfirmation(site=site, answer="RECRUITING", method="PHONE")
    confirmation.confirmed_on = datetime.date(2026, 11, 3)
    said = confirmation.sentence
    assert said == "Recruiting, confirmed by our staff on 3 November 2026 (by phone)."
    confirmation.answer, confirmation.method = "NOT_RECRUITING", "SITE_PAGE"
    assert confirmation.sentence == (
        "Not recruiting, confirmed by our staff on 3 November 2026 (on the site's own web page)."
    )


@pytest.mark.django_db
def test_a_confirmation_cannot_be_dated_after_today():
    site = open_trial().sites.get()
    tomorrow = SiteConfirmation(site=site, answer="RECRUITING", method="EMAIL")
    tomorrow.confirmed_on = days_ago(-1)
    with pytest.raises(ValidationError, match="after today"):
        tomorrow.full_clean()
    tomorrow.confirmed_on = days_ago(0)
    tomorrow.full_clean()


# The data quality problem: open trials whose sites have not answered in 90 days


def flagged():
    return set(Trial.objects.with_problem("unconfirmed_sites").values_list("nct_id", flat=True))


@pytest.mark.django_db
def test_open_trials_with_sites_not_confirmed_in_90_days_need_a_curator():
    never = open_trial()
    stale = open_trial()
    confirm(stale.sites.get(), days=91)
    only_no_answer = open_trial()
    confirm(only_no_answer.sites.get(), Answer.NO_ANSWER, days=1)
    answered_no = open_trial()
    confirm(answered_no.sites.get(), Answer.NOT_RECRUITING, days=90)
    answered_yes = open_trial()
    confirm(answered_yes.sites.get(), days=0)
    half = factories.trial(overall_status="RECRUITING", sites=[{}, {"status": "RECRUITING"}])
    confirm(half.sites.first(), days=1)
    closed = factories.trial(overall_status="COMPLETED", sites=[{"status": "RECRUITING"}])
    closed_site = factories.trial(overall_status="RECRUITING", sites=[{"status": "COMPLETED"}])
    no_sites = factories.trial(overall_status="RECRUITING")
    assert flagged() == {never.nct_id, stale.nct_id, only_no_answer.nct_id, half.nct_id}
    assert not {closed.nct_id, closed_site.nct_id, no_sites.nct_id} & flagged()


# Imports never remove or change the confirmations of a site that stays


@pytest.mark.django_db
def test_a_reimport_that_changes_a_site_keeps_its_confirmations(tmp_path):
    path = BUNDLED / "NCT04556084.json"
    import_paths([path], publish=True)
    site = Trial.objects.get(nct_id="NCT04556084").sites.get()
    kept = [confirm(site, Answer.NO_ANSWER, days=30), confirm(site, days=2, note="Ask for Ana.")]
    study = json.loads(path.read_text())
    location = study["protocolSection"]["contactsLocationsModule"]["locations"][0]
    location["status"] = "NOT_YET_RECRUITING"
    changed = tmp_path / "NCT04556084.json"
    changed.write_text(json.dumps(study))
    report = import_paths([changed])
    assert not report.failed and report.updated
    site.refresh_from_db()
    assert site.status == "NOT_YET_RECRUITING"  # updated in place
    assert list(site.confirmations.all()) == kept[::-1]
    assert site.latest_confirmation.public_note == "Ask for Ana."
    assert site.latest_confirmation.confirmed_on == days_ago(2)
