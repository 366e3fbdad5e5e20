"""The trial page's behaviour on trials made for each test (tests/factories.py): criteria, sites
near a place, the glossary, sharing, related trials, phone links and the page cache, whatever the
bundled records say. tests/pages/test_trial_page.py checks the same on the bundled real trials,
and that every fact of each real record is on its page."""

import json
import re
from datetime import date

import pytest

from tests.factories import contact, glossary_term, trial
from tests.pages.test_trial_page import page_text
from trials.models import Trial

pytestmark = pytest.mark.django_db


def content_of(client, nct_id, **params):
    response = client.get(f"/trials/{nct_id}/", params)
    assert response.status_code == 200
    return response.content.decode()


def test_the_page_says_it_plainly(client):
    # Facts in the page's own words; the words of statuses and of dates are left to
    # tests/pages/test_trial_page.py.
    made = trial(
        minimum_age="1 Month",
        maximum_age="18 Years",
        enrollment_count=42,
        sites=[
            {"city": "Springfield", "country": "Made-up Land"},
            {"city": "Shelbyville", "country": "Made-up Land"},
            {"city": "Ogdenville", "country": "Other Made-up Land"},
        ],
        eligibility_criteria=(
            "Inclusion Criteria:\n\n* Has a made-up condition\n\n"
            "Exclusion Criteria:\n\n* Took part in another made-up trial"
        ),
    )
    contact(made, kind="SITE", name="Made-up site nurse")  # a site contact without its site
    page = page_text(client, made.nct_id)
    assert "Ages 1 month to 18 years" in page
    assert "42 participants" in page
    assert "3 sites in 2 countries" in page
    assert "You may be able to join if Has a made-up condition" in page
    assert "You cannot join if Took part in another made-up trial" in page
    assert "The source lists these contacts without saying" in page
    assert "Made-up site nurse" in page


def test_the_raw_criteria_are_shown_when_they_cannot_be_parsed(client):
    made = trial(eligibility_criteria="Made-up adults who agree to join.")
    page = page_text(client, made.nct_id)
    assert "Eligibility criteria as the registry gives them" in page
    assert "Made-up adults who agree to join." in page


BOSTON = {
    "city": "Boston",
    "state": "Massachusetts",
    "country": "United States",
    "latitude": 42.3601,
    "longitude": -71.0589,
}
# Before Boston in the alphabet, far from it: first only when no place is given.
ANCHORAGE = {
    "city": "Anchorage",
    "state": "Alaska",
    "country": "United States",
    "latitude": 61.2181,
    "longitude": -149.9003,
}


def test_sites_near_a_place_come_first_with_distances(client):
    made = trial(sites=[ANCHORAGE, BOSTON])
    page = page_text(client, made.nct_id, near="Boston")
    assert "nearest to Boston" in page
    assert page.index("Boston, Massachusetts") < page.index("Anchorage, Alaska")
    # Boston is in the United States: miles (Anchorage is 5,420 km from it).
    assert re.search(r"Boston, Massachusetts\s+0 mi away", page)
    assert re.search(r"Anchorage, Alaska\s+3,368 mi away", page)
    # Kilometres when asked for, and the switch back to miles keeps the place.
    page = page_text(client, made.nct_id, near="Boston", units="km")
    assert re.search(r"Anchorage, Alaska\s+5,420 km away", page)
    raw = client.get(made.get_absolute_url(), {"near": "Boston", "units": "km"}).content.decode()
    assert 'href="?near=Boston&amp;units=mi#where">miles</a>' in raw
    assert '<input type="hidden" name="units" value="km">' in raw
    # A place outside the United States reads kilometres, even for an American browser.
    response = client.get(
        made.get_absolute_url(), {"near": "Toronto"}, HTTP_ACCEPT_LANGUAGE="en-US"
    )
    assert "4,870 km away" in response.content.decode()
    plain = page_text(client, made.nct_id)
    assert plain.index("Anchorage, Alaska") < plain.index("Boston, Massachusetts")
    assert "km away" not in plain and "mi away" not in plain


BUTTON = r'<button type="button" class="term" popovertarget="term-\d+" aria-describedby="term-\d+">'


def test_glossary_terms_are_explained_at_first_use_only(client):
    glossary_term(
        "Zorblax",
        "A made-up word, explained for a test.",
        also_matches=["zorblaxed"],
    )
    made = trial(
        brief_summary="Made-up trial: each Zorblax is zorblaxed.\n\nThen the zorblax again.",
        arms=[{"label": "Made-up arm", "description": "Zorblax once more."}],
    )
    content = content_of(client, made.nct_id)
    assert len(re.findall(BUTTON + "(zorblax|zorblaxed)</button>", content, re.I)) == 1
    assert content.count("A made-up word, explained for a test.") == 2  # its popover, its list
    words = content[content.index("Words explained on this page") :]
    assert "<dt>Zorblax</dt><dd>A made-up word, explained for a test.</dd>" in words
    assert content.count('popovertarget="term-1"') == 1


def test_sharing_json_ld_open_graph_and_email(client):
    made = trial(brief_title="Made-up trial of sharing", overall_status="TERMINATED")
    content = content_of(client, made.nct_id)
    assert '<script type="application/ld+json">' in content
    assert '"@type": "MedicalTrial"' in content
    assert '"status": "https://schema.org/Terminated"' in content
    assert '<meta property="og:title" content="Made-up trial of sharing' in content
    subject = "A%20clinical%20trial%20to%20ask%20about%3A%20" + made.nct_id
    assert f'href="mailto:?subject={subject}' in content


def json_ld_of(content):
    found = re.search(r'<script type="application/ld\+json">(.*?)</script>', content, re.S)
    return json.loads(found.group(1))


def test_record_text_cannot_break_out_of_the_json_ld(client):
    text = "</script><script>alert(1)</script> & <!-- made-up -->"
    made = trial(brief_summary=text)
    content = content_of(client, made.nct_id)
    assert "<script>alert(1)" not in content
    assert "<!-- made-up" not in content
    assert json_ld_of(content)["description"] == text  # escaped, not changed


def test_related_trials_share_a_condition_or_a_treatment(client):
    drug = [{"name": "Made-up drug Z"}]
    made = trial(conditions=["Made-up condition Q"], interventions=drug)
    same_condition = trial(conditions=["Other made-up condition", "Made-up condition Q"]).nct_id
    same_treatment = trial(interventions=drug).nct_id
    unrelated = trial(
        conditions=["Unrelated made-up condition"], interventions=[{"name": "Made-up drug Y"}]
    ).nct_id
    draft = trial(conditions=["Made-up condition Q"], interventions=drug, publish=False).nct_id
    page = page_text(client, made.nct_id)
    related = page[page.index("Related trials") :]
    assert same_condition in related
    assert same_treatment in related
    assert unrelated not in page
    assert draft not in page
    assert made.nct_id not in related


def test_an_unpublished_trial_is_a_404_and_a_withdrawn_one_a_410(client):
    made = trial()
    assert client.get(f"/trials/{made.nct_id}/").status_code == 200
    Trial.objects.filter(pk=made.pk).update(publication_state="DRAFT")
    from django.core.cache import cache

    cache.clear()  # .update() skips what tells the cache; a curator's withdrawal does not
    assert client.get(f"/trials/{made.nct_id}/").status_code == 404
    Trial.objects.filter(pk=made.pk).update(publication_state="WITHDRAWN")
    assert client.get(f"/trials/{made.nct_id}/").status_code == 410  # it was public


def test_phone_links_dial_the_number_without_its_extension(client):
    made = trial(sites=[{"city": "Springfield"}])
    contact(made, name="Made-up coordinator", phone="+1 555-0100 ext. 123")
    contact(made, site=made.sites.get(), phone="555-0199", phone_ext="42")
    content = content_of(client, made.nct_id)
    # The number as the record gives it is shown; the link dials the digits only.
    assert 'href="tel:+15550100">+1 555-0100 ext. 123</a>' in content
    assert 'href="tel:5550199">555-0199</a> ext. 42' in content


# The page is kept whole in the cache until the catalogue changes (issue 6).


def test_a_trial_page_asked_again_is_served_from_the_cache(client, django_assert_num_queries):
    made = trial(sites=[ANCHORAGE, BOSTON])
    url = f"/trials/{made.nct_id}/"
    first = client.get(url).content
    with django_assert_num_queries(0):
        again = client.get(url).content
    assert again == first
    # A place orders the sites for this visitor: made afresh, never served to the next one.
    assert "nearest to Boston" in page_text(client, made.nct_id, near="Boston")
    assert "nearest to Boston" not in page_text(client, made.nct_id)


def test_a_cached_trial_page_follows_what_curators_do_in_the_admin(
    curator_client, django_capture_on_commit_callbacks
):
    from django.urls import reverse
    from django.utils import timezone

    from tests.admin.pages import post_change_form

    made = trial(brief_title="Made-up trial for curators", start_date=date(2001, 2, 3))
    today = f"{timezone.localdate():%-d %B %Y}"
    before = page_text(curator_client, made.nct_id)
    assert "A plain title written by a curator" not in before
    assert today not in before
    with django_capture_on_commit_callbacks(execute=True):
        saved = post_change_form(
            curator_client, made, {"plain_title": "A plain title written by a curator"}
        )
    assert saved.status_code == 302
    assert "A plain title written by a curator" in page_text(curator_client, made.nct_id)
    changelist = reverse("admin:trials_trial_changelist")
    with django_capture_on_commit_callbacks(execute=True):
        curator_client.post(changelist, {"action": "mark_checked", "_selected_action": [made.pk]})
    assert today in page_text(curator_client, made.nct_id)  # the day it was checked
    with django_capture_on_commit_callbacks(execute=True):
        curator_client.post(
            changelist,
            {"action": "withdraw", "_selected_action": [made.pk], "confirm": "1", "reason": "Gone"},
        )
    assert Trial.objects.get(pk=made.pk).publication_state == "WITHDRAWN"
    assert curator_client.get(f"/trials/{made.nct_id}/").status_code == 410  # no longer listed


def test_each_address_of_the_site_gets_its_own_cached_page(client, settings):
    settings.ALLOWED_HOSTS = ["testserver", "trials.example.org"]
    made = trial()
    url = f"/trials/{made.nct_id}/"
    here = client.get(url).content.decode()
    there = client.get(url, HTTP_HOST="trials.example.org").content.decode()
    assert f"http://testserver{url}" in here
    assert f"http://trials.example.org{url}" in there
    assert "testserver" not in there


def test_a_cached_trial_page_follows_a_glossary_change(client, django_capture_on_commit_callbacks):
    term = glossary_term("Zorblax", "A made-up word, first wording.")
    made = trial(brief_summary="Made-up trial: the Zorblax is tried.")
    assert "A made-up word, first wording." in content_of(client, made.nct_id)
    term.definition = "A made-up word, new wording."
    with django_capture_on_commit_callbacks(execute=True):
        term.save()
    content = content_of(client, made.nct_id)
    assert "A made-up word, new wording." in content
    assert "first wording" not in content


@pytest.mark.parametrize(
    ("minimum", "maximum", "said"),
    [
        ("365 Days", "31 Years", "Ages 1 year to 31 years"),  # NCT03914625's own words
        ("12 Months", "730 Days", "Ages 1 year to 2 years"),
        ("52 Weeks", "", "Ages 1 year and over"),
        ("6 Months", "18 Months", "Ages 6 months to 18 months"),  # not whole years: as given
        ("28 Days", "", "Ages 28 days and over"),
    ],
)
def test_an_age_of_whole_years_in_days_or_months_reads_in_years(client, minimum, maximum, said):
    made = trial(minimum_age=minimum, maximum_age=maximum)
    assert said in page_text(client, made.nct_id)
    card = client.get("/trials/", {"q": made.nct_id}).content.decode()
    assert said in re.sub(r"\s+", " ", card)
