"""The list, the home page and a trial's page on the bundled real trials (fidelity tests).

The behaviour tests have made-up twins: tests/pages/test_pages_made_up.py."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.conftest import BUNDLED, FIRST_SEVEN_IDS
from tests.findings.test_findings_page import FINDINGS_QUERIES
from trials.models import PublicationState, Trial
from trials.registry.importer import import_paths

pytestmark = pytest.mark.django_db


def test_the_list_shows_every_published_trial(client, bundled_trials):
    page = client.get("/trials/").content.decode()
    for nct_id in FIRST_SEVEN_IDS:
        assert nct_id in page, nct_id


def test_the_home_page_counts_open_trials_and_countries(client, bundled_trials):
    page = client.get("/").content.decode()
    assert "<strong>2</strong> trials open to enrolment" in page
    assert "<strong>7</strong> trials in all" in page
    # Sites of the bundled trials are in 26 countries (TOWER's 21, BLAST's 11, China, ...).
    countries = {c for t in Trial.objects.all() for c in t.site_countries}
    assert f"<strong>{len(countries)}</strong> countries with trial sites" in page
    assert 'name="q"' in page and 'name="near"' in page


def listed(response):
    """The NCT IDs of the result cards, in page order."""
    return re.findall(r'<span class="nct-id">(NCT\d{8})</span>', response.content.decode())


def test_list_puts_trials_open_to_enrolment_first(client, bundled_trials):
    order = listed(client.get("/trials/"))
    assert sorted(order) == FIRST_SEVEN_IDS
    assert set(order[:2]) == {"NCT06607419", "NCT07117136"}


def test_drafts_are_not_shown_anywhere(client, db):
    import_paths([BUNDLED / "NCT06607419.json"])  # arrives as a draft
    assert Trial.objects.get().publication_state == PublicationState.DRAFT
    assert "NCT06607419" not in client.get("/").content.decode()
    assert "NCT06607419" not in client.get("/trials/").content.decode()
    assert client.get("/trials/NCT06607419/").status_code == 404


def test_an_unknown_trial_is_a_404(client, bundled_trials):
    assert client.get("/trials/NCT00000000/").status_code == 404
    assert client.get("/trials/not-an-id/").status_code == 404


def test_a_lower_case_id_redirects_to_the_canonical_url(client, bundled_trials):
    response = client.get("/trials/nct02013167/")
    assert response.status_code == 301
    assert response["Location"] == "/trials/NCT02013167/"


def test_the_trial_page_shows_source_update_and_care_note(client, bundled_trials):
    page = client.get("/trials/NCT04556084/").content.decode()
    assert 'href="https://clinicaltrials.gov/study/NCT04556084"' in page
    assert "Last updated" in page and "5 April 2022" in page
    assert "Talk with your care team" in page
    assert page.count("<h1") == 1


def test_a_partial_date_is_shown_to_its_precision(client, bundled_trials):
    page = client.get("/trials/NCT04556084/").content.decode()
    # primary completion: year and month only, an estimate now past
    assert "Main results were expected in October 2023; the registry has not said since" in page
    assert "1 January 2021" in page  # actual start, a full date


def test_a_bad_page_number_does_not_break_the_list(client, bundled_trials):
    for value in ("99999", "abc", "-1", "\x00"):
        assert client.get("/trials/", {"page": value}).status_code == 200


def count_queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_biggest_trial_page_costs_a_fixed_number_of_queries(client, bundled_trials):
    # NCT02013167 has 117 sites and 12 references; NCT04556084 has one site and no references.
    # TOWER's page also shows its posted results, in a fixed number of queries (tests/findings).
    # Its sites are listed a country at a time (trial_page.MANY_SITES): here, Italy's.
    biggest = count_queries(client, "/trials/NCT02013167/?country=Italy") - FINDINGS_QUERIES
    assert biggest == count_queries(client, "/trials/NCT04556084/")
    # With no country chosen, no site's contacts or confirmations are read.
    assert count_queries(client, "/trials/NCT02013167/") - FINDINGS_QUERIES == biggest - 2
    # 20, the sites' confirmations by our staff, the prior-treatment rules (the quick check) and
    # what changed
    assert biggest == 23


def test_the_home_page_costs_a_fixed_number_of_queries(
    client, bundled_trials, django_assert_num_queries
):
    from django.core.cache import cache

    with django_assert_num_queries(6):  # the figures counted (3) and kept (2); the first trials
        client.get("/")
    cache.clear()
    with django_assert_num_queries(2):  # the figures kept in the database; the first trials
        client.get("/")


def test_a_staff_user_can_open_the_trial_admin(admin_client, bundled_trials):
    assert admin_client.get("/admin/trials/trial/").status_code == 200
    trial = Trial.objects.get(nct_id="NCT02013167")
    page = admin_client.get(f"/admin/trials/trial/{trial.pk}/change/")
    assert page.status_code == 200
    assert "Research Site" in page.content.decode()
