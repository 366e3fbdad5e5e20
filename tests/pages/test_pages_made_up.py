"""The list, the home page and a trial's page on trials made for each test (tests/factories.py):
what they show and hide, their order, their errors and their cost, whatever the bundled records
say. tests/pages/test_pages.py checks the same on the bundled real trials."""

import re
from datetime import date

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import arm, contact, publication, site, trial

pytestmark = pytest.mark.django_db


def listed(response):
    """The NCT IDs of the result cards, in page order."""
    return re.findall(r'<span class="nct-id">(NCT\d{8})</span>', response.content.decode())


def test_the_list_shows_every_published_trial(client):
    shown = {trial().nct_id for _ in range(3)}
    assert set(listed(client.get("/trials/"))) == shown


def test_the_home_page_counts_open_trials_and_countries(client):
    trial(overall_status="RECRUITING", sites=[{"country": "Made-up Land"}])
    trial(overall_status="NOT_YET_RECRUITING", sites=[{"country": "France"}])
    trial(overall_status="COMPLETED", sites=[{"country": "France"}, {"country": "Japan"}])
    trial(overall_status="TERMINATED")
    trial(overall_status="RECRUITING", publish=False, sites=[{"country": "Chile"}])  # a draft
    page = client.get("/").content.decode()
    # Read by the links and markup, not by the words of the statuses.
    opened = re.search(r'href="/trials/\?status=RECRUITING[^"]*"><strong>(\d+)</strong>', page)
    assert opened and opened.group(1) == "2"
    assert '<a href="/trials/"><strong>4</strong>' in page
    assert "<strong>3</strong> countries with trial sites" in page
    assert 'name="q"' in page and 'name="near"' in page


def test_list_puts_trials_open_to_enrolment_first(client):
    # Closed trials updated later than the open ones: open to enrolment still comes first.
    closed = [
        trial(overall_status=status, last_update_post_date=date(2025, 6, 1)).nct_id
        for status in ("COMPLETED", "TERMINATED", "ACTIVE_NOT_RECRUITING")
    ]
    opened = [
        trial(overall_status=status, last_update_post_date=date(2020, 1, 1)).nct_id
        for status in ("RECRUITING", "NOT_YET_RECRUITING", "ENROLLING_BY_INVITATION")
    ]
    order = listed(client.get("/trials/"))
    assert set(order[:3]) == set(opened)
    assert set(order[3:]) == set(closed)


def test_drafts_are_not_shown_anywhere(client):
    shown = trial(overall_status="RECRUITING").nct_id
    draft = trial(overall_status="RECRUITING", publish=False).nct_id
    assert shown in client.get("/").content.decode()
    assert draft not in client.get("/").content.decode()
    assert listed(client.get("/trials/")) == [shown]
    assert client.get(f"/trials/{draft}/").status_code == 404


def test_an_unknown_trial_is_a_404(client):
    trial()
    assert client.get("/trials/NCT00000000/").status_code == 404
    assert client.get("/trials/not-an-id/").status_code == 404


def test_a_lower_case_id_redirects_to_the_canonical_url(client):
    nct_id = trial().nct_id
    response = client.get(f"/trials/{nct_id.lower()}/")
    assert response.status_code == 301
    assert response["Location"] == f"/trials/{nct_id}/"


def test_the_trial_page_shows_source_update_and_care_note(client):
    made = trial(last_update_post_date=date(2022, 4, 5))
    page = client.get(f"/trials/{made.nct_id}/").content.decode()
    assert f'href="https://clinicaltrials.gov/study/{made.nct_id}"' in page
    assert "5 April 2022" in page
    assert "Talk with your care team" in page
    assert page.count("<h1") == 1


def test_a_partial_date_is_shown_to_its_precision(client):
    made = trial(
        start_date=date(2024, 3, 1),
        start_date_precision="MONTH",
        primary_completion_date=date(2025, 1, 15),
        primary_completion_date_precision="DAY",
        completion_date=date(2027, 1, 1),
        completion_date_precision="YEAR",
    )
    page = client.get(f"/trials/{made.nct_id}/").content.decode()
    assert "March 2024" in page and "1 March 2024" not in page  # year and month only
    assert "15 January 2025" in page  # a full date
    assert "2027" in page and "January 2027" not in page  # the year only


def test_a_bad_page_number_does_not_break_the_list(client):
    for _ in range(settings.TRIALS_PAGE_SIZE + 1):  # two pages
        trial()
    for value in ("99999", "abc", "-1", "0", "\x00"):
        response = client.get("/trials/", {"page": value})
        assert response.status_code == 200, value
        assert listed(response), value  # a page of results, not an empty one


def count_queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def a_trial_with_everything(site_count):
    """A trial with `site_count` sites, each with a contact, and some of every other row."""
    made = trial(
        conditions=["Made-up condition"],
        interventions=[{"name": "Made-up drug A"}, {"name": "Made-up drug B"}],
        arms=[
            {"label": "Made-up arm 1", "interventions": ["Made-up drug A"]},
            {"label": "Made-up arm 2", "interventions": ["Made-up drug A", "Made-up drug B"]},
        ],
    )
    for number in range(site_count):
        place = site(made, facility=f"Made-up hospital {number}", city="Springfield", order=number)
        contact(made, site=place, name=f"Made-up nurse {number}", phone="555-0100")
    contact(made, name="Made-up central contact", email="trial@example.org")
    for number in range(12):
        publication(made, citation=f"Made-up paper {number}.", order=number)
    return made


def test_the_biggest_trial_page_costs_a_fixed_number_of_queries(client):
    biggest = a_trial_with_everything(100)
    small = trial(sites=[{"city": "Springfield"}], interventions=[{"name": "Made-up drug C"}])
    arm(small, interventions=["Made-up drug C"])
    cost = count_queries(client, f"/trials/{biggest.nct_id}/")
    assert cost == count_queries(client, f"/trials/{small.nct_id}/")
    # As tests/pages/test_pages.py: 20, the sites' confirmations, the prior-treatment rules and
    # what changed.
    assert cost == 23


def test_the_home_page_costs_a_fixed_number_of_queries(client, django_assert_num_queries):
    from django.core.cache import cache

    from trials.cache import catalogue_changed

    for number in range(3):
        trial(overall_status="RECRUITING", sites=[{"country": f"Made-up Land {number}"}])
    # The figures kept: read, counted (3), kept; and the first trials.
    with django_assert_num_queries(6):
        client.get("/")
    for number in range(30):
        trial(sites=[{"country": f"Made-up Land {number}"}, {"country": "Elsewhere"}])
    catalogue_changed()
    cache.clear()  # the landing figures are cached: count them afresh
    with django_assert_num_queries(6):
        response = client.get("/")
    assert response.context["trial_count"] == 33
    # A process without the page in its cache (another worker; a first visit) reads the figures
    # kept in the database: two queries, whatever the catalogue's size.
    cache.clear()
    with django_assert_num_queries(2):
        response = client.get("/")
    assert response.context["trial_count"] == 33


def test_the_home_page_asked_again_is_read_whole_from_the_cache_until_a_change(
    client, django_assert_num_queries
):
    from trials.cache import catalogue_changed

    trial(overall_status="RECRUITING", brief_title="A made-up first trial")
    first = client.get("/").content
    with django_assert_num_queries(0):
        assert client.get("/").content == first
    # Each browser language its own copy: it chooses the radius box's unit.
    american = client.get("/", HTTP_ACCEPT_LANGUAGE="en-US").content.decode()
    british = client.get("/", HTTP_ACCEPT_LANGUAGE="en-GB").content.decode()
    assert "Within (miles)" in american and "Within (kilometres)" in british
    trial(overall_status="RECRUITING", brief_title="A made-up second trial")
    assert b"A made-up second trial" not in client.get("/").content  # no change said yet
    catalogue_changed()
    assert b"A made-up second trial" in client.get("/").content


def test_the_landing_figures_are_counted_again_after_a_change_or_on_a_new_day(client):
    from datetime import date, timedelta

    from django.core.cache import cache

    from trials.cache import catalogue_changed, stored_figures

    trial(overall_status="RECRUITING")
    assert client.get("/").context["trial_count"] == 1
    trial(overall_status="RECRUITING")
    cache.clear()
    assert client.get("/").context["trial_count"] == 1  # no change said yet: kept
    catalogue_changed()
    cache.clear()
    assert client.get("/").context["trial_count"] == 2
    # Another day: counted again (which records count as old changes with the date).
    today = date.today()
    assert stored_figures(today, lambda: {"n": 1}) != {"n": 1}
    assert stored_figures(today + timedelta(days=1), lambda: {"n": 1}) == {"n": 1}


def test_figures_computed_while_a_change_lands_are_not_kept_as_current():
    from datetime import date

    from trials.cache import catalogue_changed, stored_figures

    today = date.today()
    stored_figures(today, lambda: {"n": 1})

    def counted_while_a_change_lands():
        catalogue_changed()  # committed by another process during the count
        return {"n": 2}

    catalogue_changed()
    assert stored_figures(today, counted_while_a_change_lands) == {"n": 2}
    assert stored_figures(today, lambda: {"n": 3}) == {"n": 3}  # counted again
    assert stored_figures(today, lambda: {"n": 4}) == {"n": 3}  # and kept


def test_a_staff_user_can_open_the_trial_admin(admin_client):
    made = trial(sites=[{"facility": "Made-up Research Site", "city": "Springfield"}])
    assert admin_client.get("/admin/trials/trial/").status_code == 200
    page = admin_client.get(f"/admin/trials/trial/{made.pk}/change/")
    assert page.status_code == 200
    assert "Made-up Research Site" in page.content.decode()
