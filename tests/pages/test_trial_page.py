"""The trial page: plain answers first, every detail of the record below.

On the bundled real trials; the behaviour tests have made-up twins in test_trial_page_made_up.py."""

import html
import re
from urllib.parse import parse_qs, urlsplit

import pytest

from tests.conftest import FIRST_SEVEN_IDS
from trials.eligibility import parse_criteria
from trials.models import Trial

pytestmark = pytest.mark.django_db


def page_text(client, nct_id, **params):
    response = client.get(f"/trials/{nct_id}/", params)
    assert response.status_code == 200
    # Glossary explanations are hidden popovers inside the text: read the text as shown.
    shown = re.sub(r"<span popover[^>]*>.*?</span>", "", response.content.decode(), flags=re.S)
    shown = re.sub(r"<(script|head)\b.*?</\1>", "", shown, flags=re.S)
    inline = r"</?(?:a|button|span|strong|em|small|mark|abbr)\b[^>]*>"
    text = re.sub(r"<[^>]+>", " ", re.sub(inline, "", shown))
    return " ".join(html.unescape(text).split())


def squeeze(text):
    """Text as the page shows it: markdown escapes read, list markers gone, white space folded."""
    text = re.sub(r"\\([^\w\s])", r"\1", text)
    text = re.sub(r"^\s*[*\-•]\s+", "", text, flags=re.M)
    return " ".join(text.split())


def criteria_points(items):
    for item in items:
        yield item.text
        yield from criteria_points(item.children)


@pytest.mark.parametrize("nct_id", FIRST_SEVEN_IDS)
def test_every_fact_of_the_record_is_on_its_page(client, bundled_trials, nct_id):
    assert missing_facts(client, nct_id) == []


def page_and_country_pages(client, nct_id):
    """The text of a trial's page and of each country's page it links to: a trial of many sites
    lists its sites one country at a time (trial_page.MANY_SITES), a click away."""
    raw = client.get(f"/trials/{nct_id}/").content.decode()
    countries = [
        parse_qs(urlsplit(html.unescape(link)).query, keep_blank_values=True)["country"][0]
        for link in re.findall(r'href="(\?country=[^"#]*)', raw)
    ]
    pages = [page_text(client, nct_id, country=country) for country in countries]
    return " ".join([page_text(client, nct_id), *pages])


def missing_facts(client, nct_id):
    """The facts of a trial's record its page does not show (tests/pages/test_catalogue.py
    asks it of every bundled trial)."""
    trial = Trial.objects.get(nct_id=nct_id)
    page = page_and_country_pages(client, nct_id)
    facts = [trial.brief_title, trial.official_title, trial.acronym, trial.lead_sponsor_name]
    facts += trial.conditions + trial.keywords
    facts += [c.name for c in trial.collaborators.all()]
    facts += [o.name for o in trial.officials.all()] + [
        o.affiliation for o in trial.officials.all()
    ]
    facts += [a.label for a in trial.arms.all()] + [a.description for a in trial.arms.all()]
    for intervention in trial.interventions.all():
        facts += [intervention.name, intervention.description, *intervention.other_names]
    facts += [o.measure for o in trial.outcomes.all()] + [
        o.time_frame for o in trial.outcomes.all()
    ]
    for site in trial.sites.all():
        facts += [site.facility, site.city, site.country, site.zip]
    for contact in trial.contacts.all():
        facts += [contact.name, contact.phone, contact.email]
    for publication in trial.publications.all():
        facts += [publication.citation, publication.pmid]
    facts += [s.identifier for s in trial.secondary_ids.all()] + [trial.org_study_id]
    facts += [step.stage for step in trial.timeline.all()]
    facts += [note.heading for note in trial.notes.all()]
    criteria = parse_criteria(trial.eligibility_criteria)
    if criteria:
        facts += list(criteria_points(criteria.inclusion + criteria.exclusion))
    return [fact for fact in facts if fact and squeeze(fact) not in page]


@pytest.mark.parametrize(
    ("nct_id", "facts"),
    [
        (
            "NCT02013167",
            [
                "Stopped early: the trial ended before its planned end",
                "End Ended on 14 March 2017",  # "actual": the registry's XML, merged in
                "Phase 3: Compares the treatment",
                "405 participants",
                "Start Started on 3 January 2014",
                "Last updated 5 March 2024",
                "117 sites in 21 countries",
                "EudraCT number 2013-000536-10",
                "Papers drawn from this trial",
                "AmgenTrials clinical trials website",
            ],
        ),
        (
            "NCT06607419",
            [
                # Its record (September 2024) is over a year old: the status is dated.
                "Recruiting as of September 2024, the registry's last word",
                "Phase 2: Tests whether",
                "Ages 1 month to 18 years",
                "90 participants",
                "Start 21 May 2024",
                "You may be able to join if",
                "You cannot join if",
                "sIgM+;",
                "Shuhong Shen, PhD/MD",
                "The source lists these contacts without saying",
            ],
        ),
        (
            "NCT04556084",
            [
                "Stopped early",
                "35 participants (planned)",
                "Main results were expected in October 2023; the registry has not said since",
                "Milwaukee, Wisconsin 53226",
                "The trial is closed; the registry still lists this site as recruiting",
                "mmburke@mcw.edu",
                "Patient weight greater than or equal to 45kg",
            ],
        ),
        (
            "NCT02101853",
            [
                "Not currently recruiting at 203 trial locations",
                "Patrick A Brown",
                "A participant's path through the trial",
                "Induction Block 1 (4 weeks)",
                "Blinatumomab is approved in the European Union as Blincyto",
                "15 treatments in all, according to the source page",
            ],
        ),
        (
            "NCT07117136",
            [
                "Not yet recruiting",
                "Observational",
                "200 participants (planned)" if False else "200 participants",
                "Percentage of participants with complete remission",
            ],
        ),
        (
            "NCT01207388",
            [
                "Under way, not taking new people",
                "116 participants (actual)",
                "Start November 2010",
                "Was expected to end in January 2019; the registry has not said since",
                "This may be out of date",
                "75 sites in 11 countries",
            ],
        ),
        (
            "NCT03643276",
            ["Ages up to 17 years", "5000 participants (planned)", "Started on 15 July 2018"],
        ),
    ],
)
def test_the_page_says_it_plainly(client, bundled_trials, nct_id, facts):
    page = page_text(client, nct_id)
    for fact in facts:
        assert fact in page, fact


def test_the_raw_criteria_are_shown_when_they_cannot_be_parsed(client, bundled_trials):
    Trial.objects.filter(nct_id="NCT07117136").update(
        eligibility_criteria="Adults who agree to join."
    )
    page = page_text(client, "NCT07117136")
    assert "Eligibility criteria as the registry gives them" in page
    assert "Adults who agree to join." in page


def test_sites_near_a_place_come_first_with_distances(client, bundled_trials):
    page = page_text(client, "NCT02013167", near="Boston")
    assert "nearest to Boston" in page
    first_site = page.index("Boston, Massachusetts")
    assert first_site < page.index("Duarte")
    assert re.search(r"Boston, Massachusetts\s+\d+ mi away", page)  # a U.S. place: miles
    page = page_text(client, "NCT02013167", near="Boston", units="km")
    assert re.search(r"Boston, Massachusetts\s+\d+ km away", page)


def test_glossary_terms_are_explained_at_first_use_only(client, bundled_trials):
    content = client.get("/trials/NCT02013167/").content.decode()
    assert content.count('popovertarget="term-1"') == 1
    button = (
        r'<button type="button" class="term" popovertarget="term-\d+" aria-describedby="term-\d+">'
    )
    assert len(re.findall(button + "(randomized)</button>", content, re.I)) == 1
    assert "Words explained on this page" in content


def test_sharing_json_ld_open_graph_and_email(client, bundled_trials):
    content = client.get("/trials/NCT02013167/").content.decode()
    assert '<script type="application/ld+json">' in content
    assert (
        '"@type": "MedicalTrial"' in content
        and '"status": "https://schema.org/Terminated"' in content
    )
    assert '<meta property="og:title" content="Blinatumomab Versus Standard of Care' in content
    assert (
        'href="mailto:?subject=A%20clinical%20trial%20to%20ask%20about%3A%20NCT02013167' in content
    )


def test_record_text_cannot_break_out_of_the_json_ld(client, bundled_trials):
    Trial.objects.filter(nct_id="NCT02013167").update(
        brief_summary="</script><script>alert(1)</script>"
    )
    content = client.get("/trials/NCT02013167/").content.decode()
    assert "<script>alert(1)" not in content


def test_related_trials_share_a_condition_or_a_treatment(client, bundled_trials):
    page = page_text(client, "NCT02013167")
    related = page[page.index("Related trials") :]
    assert "NCT04556084" in related  # named by the source page, and shares Blinatumomab
    assert "NCT01207388" in related  # shares the intervention Blinatumomab


def test_an_unpublished_trial_is_a_404_and_a_withdrawn_one_a_410(client, bundled_trials):
    Trial.objects.filter(nct_id="NCT02013167").update(publication_state="DRAFT")
    assert client.get("/trials/NCT02013167/").status_code == 404
    Trial.objects.filter(nct_id="NCT02013167").update(publication_state="WITHDRAWN")
    assert client.get("/trials/NCT02013167/").status_code == 410  # it was public: no longer listed


def test_phone_links_dial_the_number_without_its_extension(client, bundled_trials):
    content = client.get("/trials/NCT06607419/").content.decode()
    # "86-21-38626161 ext. 82077" as the record gives it: the link dials the digits only.
    assert 'href="tel:862138626161">86-21-38626161 ext. 82077</a>' in content
    assert 'href="tel:13524836748">' in content


# The page is kept whole in the cache until the catalogue changes (issue 6).


def test_a_trial_page_asked_again_is_served_from_the_cache(
    client, bundled_trials, django_assert_num_queries
):
    first = client.get("/trials/NCT02013167/").content
    with django_assert_num_queries(0):
        again = client.get("/trials/NCT02013167/").content
    assert again == first
    # A place orders the sites for this visitor: made afresh, never served to the next one.
    near = page_text(client, "NCT02013167", near="Boston")
    assert "nearest to Boston" in near
    assert "nearest to Boston" not in page_text(client, "NCT02013167")


def test_a_cached_trial_page_follows_what_curators_do_in_the_admin(
    curator_client, bundled_trials, django_capture_on_commit_callbacks
):
    from django.urls import reverse
    from django.utils import timezone

    from tests.admin.pages import post_change_form

    trial = Trial.objects.get(nct_id="NCT02013167")
    before = page_text(curator_client, "NCT02013167")
    assert "A plain title written by a curator" not in before
    assert "have not yet checked this record" in before
    with django_capture_on_commit_callbacks(execute=True):
        saved = post_change_form(
            curator_client, trial, {"plain_title": "A plain title written by a curator"}
        )
    assert saved.status_code == 302
    assert "A plain title written by a curator" in page_text(curator_client, "NCT02013167")
    changelist = reverse("admin:trials_trial_changelist")
    with django_capture_on_commit_callbacks(execute=True):
        curator_client.post(changelist, {"action": "mark_checked", "_selected_action": [trial.pk]})
    checked_on = f"last checked this record on {timezone.localdate():%-d %B %Y}"
    assert checked_on in page_text(curator_client, "NCT02013167")
    with django_capture_on_commit_callbacks(execute=True):
        curator_client.post(
            changelist,
            {
                "action": "withdraw",
                "_selected_action": [trial.pk],
                "confirm": "1",
                "reason": "Gone",
            },
        )
    assert Trial.objects.get(pk=trial.pk).publication_state == "WITHDRAWN"
    assert curator_client.get("/trials/NCT02013167/").status_code == 410  # no longer listed


def test_each_address_of_the_site_gets_its_own_cached_page(client, bundled_trials, settings):
    settings.ALLOWED_HOSTS = ["testserver", "trials.example.org"]
    here = client.get("/trials/NCT02013167/").content.decode()
    there = client.get("/trials/NCT02013167/", HTTP_HOST="trials.example.org").content.decode()
    assert "http://testserver/trials/NCT02013167/" in here
    assert "http://trials.example.org/trials/NCT02013167/" in there
    assert "testserver" not in there


def test_a_cached_trial_page_follows_a_glossary_change(
    client, bundled_trials, django_capture_on_commit_callbacks
):
    from trials.models import GlossaryTerm

    assert "randomized" in page_text(client, "NCT02013167").lower()
    term = GlossaryTerm.objects.get(term__iexact="randomized")
    term.definition = "Put into groups by chance (a new wording)."
    with django_capture_on_commit_callbacks(execute=True):
        term.save()
    content = client.get("/trials/NCT02013167/").content.decode()
    assert "Put into groups by chance (a new wording)." in content
