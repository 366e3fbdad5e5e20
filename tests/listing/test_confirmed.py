"""What families see of our staff's confirmations: the list's "confirmed open" filter with its
checkbox and count, and the sentence beside a site's registry status on the trial page."""

import re

import pytest

from tests.models.test_confirmations import Answer, confirm, open_trial
from tests.pages.test_trial_page import page_text
from tests.search.test_search import listed
from tests.search.test_search import page_text as list_html

pytestmark = pytest.mark.django_db

CHECKBOX = r'<input type="checkbox" name="confirmed" value="yes"( checked)?> A site confirmed'


def test_the_confirmed_filter_lists_trials_with_a_site_confirmed_open_in_90_days(client):
    fresh, edge, stale, declined = open_trial(), open_trial(), open_trial(), open_trial()
    confirm(fresh.sites.get(), days=0)
    confirm(edge.sites.get(), days=90)
    confirm(stale.sites.get(), days=91)
    confirm(declined.sites.get(), Answer.NOT_RECRUITING, days=1)
    assert sorted(listed(client, confirmed="yes")) == sorted([fresh.nct_id, edge.nct_id])
    assert len(listed(client)) == 4  # unticked: every trial


def test_the_confirmed_facet_is_a_checkbox_with_its_count_under_the_other_filters(client):
    phase2 = open_trial(phases=["PHASE2"])
    phase3 = open_trial(phases=["PHASE3"])
    open_trial(phases=["PHASE2"])
    confirm(phase2.sites.get())
    confirm(phase3.sites.get())
    html = list_html(client)
    assert re.search(CHECKBOX + r'.*?<span class="count">\(2\)</span>', html, re.S)
    html = list_html(client, phase="PHASE3")
    assert re.search(CHECKBOX + r'.*?<span class="count">\(1\)</span>', html, re.S)
    ticked = list_html(client, confirmed="yes")
    assert re.search(CHECKBOX, ticked).group(1) == " checked"


def test_no_confirmed_trial_no_checkbox_and_a_bad_value_is_ignored_with_a_note(client):
    made = open_trial()
    assert not re.search(CHECKBOX, list_html(client))
    html = list_html(client, confirmed="perhaps")
    assert "is not a value we know, so it was ignored" in html
    assert listed(client, confirmed="perhaps") == [made.nct_id]


def test_a_trial_page_shows_the_latest_confirmation_beside_the_registry_status(client):
    made = open_trial()
    site = made.sites.get()
    confirm(site, Answer.NOT_RECRUITING, days=40, note="Older answer.")
    latest = confirm(site, days=3, method="EMAIL", note="Ask for the research nurse.")
    text = page_text(client, made.nct_id)
    day = f"{latest.confirmed_on:%-d %B %Y}"
    assert f"Recruiting Recruiting, confirmed by our staff on {day} (by email)." in text
    assert "Ask for the research nurse." in text
    assert "Older answer." not in text  # the history is for curators


def test_a_site_never_confirmed_shows_only_the_registry_status(client):
    made = open_trial()
    assert "confirmed by our staff" not in page_text(client, made.nct_id)
