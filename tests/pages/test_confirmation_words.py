"""A site's confirmation by our staff is said as current only while it counts, and never makes a
closed trial's site read as recruiting (made-up trials)."""

import html

import pytest

from tests import factories
from tests.models.test_confirmations import confirm

pytestmark = pytest.mark.django_db


def page_of(client, trial):
    return html.unescape(client.get(trial.get_absolute_url()).content.decode())


def test_a_recent_confirmation_of_an_open_trial_is_said_plainly(client):
    made = factories.trial(overall_status="RECRUITING", sites=[{"city": "Made-up town"}])
    confirm(made.sites.get(), days=10)
    assert (
        '<p class="confirmation confirmation-recruiting"><strong>Recruiting, confirmed'
        in page_of(client, made)
    )


def test_an_old_confirmation_says_it_is_old(client):
    made = factories.trial(overall_status="RECRUITING", sites=[{"city": "Made-up town"}])
    confirm(made.sites.get(), days=120)
    page = page_of(client, made)
    assert "That was more than 90 days ago: ask the site before you travel." in page
    assert "confirmation-recruiting" not in page


def test_a_closed_trials_site_never_reads_as_confirmed_recruiting(client):
    made = factories.trial(overall_status="TERMINATED", sites=[{"city": "Made-up town"}])
    confirm(made.sites.get(), days=5)
    page = page_of(client, made)
    assert "The trial is not taking new people; this site told our staff on" in page
    assert "<strong>Recruiting, confirmed" not in page
