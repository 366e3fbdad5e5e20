"""The data quality page, as a curator (Curators group, not a superuser) sees it: what can mislead
families first, each problem in plain words with a link to the exact place to fix it, import
warnings in words, counts per section, and the same list as a CSV."""

import csv
import datetime
import io
import re
from html import unescape

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.admin.pages import change_url
from trials import models as m

BIG = "NCT02013167"  # TOWER: 117 sites, one without coordinates (Tel Litwinsky)
SMALL = "NCT04556084"  # terminated; its one site still says it is recruiting
NO_CONTACT = "NCT07117136"  # open to enrolment, nobody to contact
QUALITY = "admin:trials_trial_quality"

# Warnings as the importer words them (trials/registry/record.py): JSON paths.
WARNINGS = [
    "protocolSection.statusModule.overallStatus: unknown value 'PAUSED' kept as given",
    "protocolSection.contactsLocationsModule.locations[0].status: unknown value 'ON_HOLD' "
    "kept as given",
    "protocolSection.referencesModule.references[1].pmid is not a PubMed number ('PMC99'): "
    "kept as given, with no PubMed link",
    "arm 'Arm A' names an intervention 'Drug: X' not in the record",
    "protocolSection.statusModule.lastKnownStatus: unknown value 'PAUSED' kept as given",
]


def trial(nct_id):
    return m.Trial.objects.get(nct_id=nct_id)


def sections_of(page):
    return {s["name"]: s for group in page.context["groups"] for s in group["sections"]}


@pytest.fixture
def problems(bundled_trials):
    """The bundled trials, all checked today but TOWER, which also carries import warnings."""
    today = timezone.localdate()
    m.Trial.objects.exclude(nct_id=BIG).update(last_checked=today)
    m.Trial.objects.filter(nct_id=BIG).update(
        last_checked=today - datetime.timedelta(days=400), import_warnings=WARNINGS
    )
    m.Trial.objects.filter(nct_id="NCT01207388").update(publication_state="DRAFT")


@pytest.mark.django_db
def test_what_can_mislead_families_comes_first_then_what_is_incomplete_then_housekeeping(
    curator_client, problems
):
    page = curator_client.get(reverse(QUALITY))
    assert page.status_code == 200
    groups = page.context["groups"]
    assert [g["title"] for g in groups] == [
        "What can mislead families",
        "What is incomplete",
        "Housekeeping",
    ]
    names = [[s["name"] for s in g["sections"]] for g in groups]
    assert names[0] == ["closed_open_sites", "stale", "unconfirmed_sites", "no_contact"]
    assert names[1] == ["unlocated_sites", "has_warnings", "unconfirmed_attributes", "hard_to_read"]
    assert names[2] == ["registry_changed", "needs_check", "drafts"]
    # Counts per section, and per group in its heading.
    html = unescape(re.sub(r"<[^>]+>", "", page.content.decode()))  # the page's words
    for group in groups:
        assert group["count"] == sum(s["count"] for s in group["sections"])
        assert f"{group['title']} ({group['count']})" in html
    sections = sections_of(page)
    assert sections["closed_open_sites"]["count"] == 1
    assert f"{sections['closed_open_sites']['title']} (1)" in html
    # The first problem on the page is the one that hurts families most.
    first = html.index("Closed trials whose sites still say they are recruiting")
    assert first < html.index("Sites without coordinates") < html.index("Not checked by a curator")


@pytest.mark.django_db
def test_each_problem_is_said_in_plain_words_with_a_link_to_the_exact_place(
    curator_client, problems
):
    sections = sections_of(curator_client.get(reverse(QUALITY)))

    def only(name):
        lines = sections[name]["lines"]
        assert len(lines) == 1, lines
        return lines[0]

    small, big = trial(SMALL), trial(BIG)
    closed = only("closed_open_sites")
    assert closed["text"].startswith(f"{SMALL} is “Stopped early”, but 1 of its sites still say")
    assert closed["url"] == reverse("admin:trials_site_changelist") + (
        f"?trial__id__exact={small.pk}"
    )
    no_contact = only("no_contact")
    assert "names nobody a family can ask" in no_contact["text"]
    assert no_contact["url"] == reverse("admin:trials_contact_add") + (
        f"?trial={trial(NO_CONTACT).pk}"
    )
    unlocated = only("unlocated_sites")
    tel_litwinsky = m.Site.objects.get(trial=big, city="Tel Litwinsky")
    assert unlocated["url"] == change_url(tel_litwinsky) + "#id_latitude"
    assert "has no coordinates" in unlocated["text"]
    assert only("needs_check")["url"] == change_url(big) + "#id_last_checked"
    assert only("drafts")["url"] == change_url(trial("NCT01207388")) + "#id_publication_state"
    stale = {line["trial"]: line for line in sections["stale"]["lines"]}
    assert "last updated in May 2017" in stale["NCT01207388"]["text"]
    assert stale["NCT01207388"]["url"] == reverse(
        "admin:trials_trial_refresh", args=[trial("NCT01207388").pk]
    )
    # Every link opens, as a curator, a page holding the field it points at.
    for section in sections.values():
        for line in section["lines"]:
            address, _, anchor = line["url"].partition("#")
            opened = curator_client.get(address)
            assert opened.status_code == 200, line
            if anchor:
                assert f'id="{anchor}"' in opened.content.decode(), line


@pytest.mark.django_db
def test_import_warnings_are_in_words_each_linked_to_what_it_is_about(curator_client, problems):
    page = curator_client.get(reverse(QUALITY))
    lines = sections_of(page)["has_warnings"]["lines"]
    big = trial(BIG)
    first_site = big.sites.get(order=0)
    second_publication = big.publications.get(order=1)
    assert [(line["text"], line["url"]) for line in lines] == [
        (
            f"{BIG}: The trial's status is 'PAUSED', a value the portal does not know yet "
            "(kept as the registry gave it).",
            change_url(big) + "#id_overall_status",
        ),
        (
            f"{BIG}: A site's status is 'ON_HOLD', a value the portal does not know yet "
            "(kept as the registry gave it).",
            change_url(first_site),
        ),
        (
            f"{BIG}: A publication's PubMed ID is 'PMC99', not a PubMed number (kept as given, "
            "shown without a PubMed link).",
            change_url(second_publication),
        ),
        (
            f"{BIG}: arm 'Arm A' names an intervention 'Drug: X' not in the record",
            change_url(big),
        ),
        (  # a fact only the registry states: read-only, so no field to point at
            f"{BIG}: The last known status is 'PAUSED', a value the portal does not know yet "
            "(kept as the registry gave it).",
            change_url(big),
        ),
    ]
    html = page.content.decode()
    assert "protocolSection" not in html and "contactsLocationsModule" not in html
    # The trial's own page says them in the same words, linked the same way.
    form = curator_client.get(change_url(big)).content.decode()
    assert "protocolSection" not in form.split('class="registry-record"')[0]
    assert f'<a href="{change_url(first_site)}">A site&#x27;s status is' in form


@pytest.mark.django_db
def test_the_csv_holds_the_same_list_as_the_page(curator_client, problems):
    page = curator_client.get(reverse(QUALITY))
    response = curator_client.get(reverse("admin:trials_trial_quality_csv"))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="data-quality-')
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0] == ["harm", "problem", "trial", "what is wrong", "where to fix it"]
    shown = [
        (group["title"], section["title"], line["trial"], line["text"], line["url"])
        for group in page.context["groups"]
        for section in group["sections"]
        for line in section["lines"]
    ]
    assert all(s["count"] <= 50 for g in page.context["groups"] for s in g["sections"])
    exported = [
        (h, p, t, text, re.sub(r"^http://testserver", "", url)) for h, p, t, text, url in rows[1:]
    ]
    assert exported == shown
    assert len(exported) == sum(g["count"] for g in page.context["groups"])


@pytest.mark.django_db
def test_the_page_shows_50_lines_a_problem_and_the_csv_all_of_them(curator_client, db):
    for number in range(55):  # synthetic-looking IDs, but real trials as far as the page knows
        m.Trial.objects.create(nct_id=f"NCT9{number:07d}", brief_title="Made up for this test")
    page = curator_client.get(reverse(QUALITY))
    drafts = sections_of(page)["drafts"]
    assert drafts["count"] == 55 and len(drafts["lines"]) == 50
    assert "All 55" in page.content.decode()
    rows = list(csv.reader(io.StringIO(curator_client.get(reverse(QUALITY + "_csv")).text)))
    assert sum(1 for row in rows if row[1] == "Drafts waiting for review") == 55


@pytest.mark.django_db
def test_the_quality_page_leaves_out_synthetic_trials(curator_client):
    m.Trial.objects.create(nct_id="NCT99999901", is_synthetic=True, overall_status="RECRUITING")
    page = curator_client.get(reverse(QUALITY))
    assert all(group["count"] == 0 for group in page.context["groups"])
    assert (
        len(list(csv.reader(io.StringIO(curator_client.get(reverse(QUALITY + "_csv")).text)))) == 1
    )


@pytest.mark.django_db
def test_the_trial_list_filters_by_the_same_problems(curator_client, problems):
    changelist = reverse("admin:trials_trial_changelist")
    page = curator_client.get(reverse(QUALITY))
    for name, section in sections_of(page).items():
        if not section["all_url"].startswith(changelist):
            continue
        listed = curator_client.get(section["all_url"]).context["cl"].result_list
        # Sites and warnings are listed one a line; the trial list has their trials.
        assert {t.nct_id for t in listed} == {line["trial"] for line in section["lines"]}, name


@pytest.mark.django_db
def test_only_staff_who_may_view_trials_see_the_page_and_its_csv(client, problems):
    for name in (QUALITY, QUALITY + "_csv"):
        response = client.get(reverse(name))
        assert response.status_code == 302 and "/login/" in response["Location"]
