"""A trial's page in the admin, as a curator (Curators group, not a superuser) uses it: what they
correct most on the first screen, the registry's facts folded by section (those only the registry
may state read-only), long lists of rows on their own screens with search and pages, and the
latest import's changes folded with their count."""

import re

import pytest
from django.urls import reverse

from tests.admin.pages import change_url, errors_of, form_data, inline_prefix, post_change_form
from tests.admin.test_curation import SMALL, record, reimport
from tests.conftest import BUNDLED
from trials import models as m
from trials.admin.rows import INLINE_ROWS_AT_MOST
from trials.registry.importer import import_paths

BIG = "NCT02013167"  # TOWER: 117 sites, 12 publications
# Queries to open and to save TOWER's page (README, "Curating"): pinned, so that a change which
# adds a query a row shows here. Saving includes the no-lost-update check (trials/admin/locking.py:
# the row locked and its version read, then moved on with the save): up to three queries.
# 23 since the earlier-treatment rules (curated attributes) are edited inline: one query for them.
LOAD_QUERIES = 23
# 52 since TOWER has posted results: rebuilding its search text reads their outcome titles (one
# query, asked only of a trial with results).
# 55 since the earlier-treatment rules (curated attributes) are edited inline: the save reads
# the inline's rows, and checks each against the one-rule-per-treatment constraint (three queries
# for TOWER's two rules; at most five rules a trial, one per treatment).
SAVE_QUERIES = 55


@pytest.fixture
def big(db):
    import_paths([BUNDLED / f"{BIG}.json"], publish=True)
    return m.Trial.objects.get(nct_id=BIG)


@pytest.fixture
def small(db):
    import_paths([BUNDLED / f"{SMALL}.json"], publish=True)
    return m.Trial.objects.get(nct_id=SMALL)


def position(html, marker):
    found = html.find(marker)
    assert found >= 0, marker
    return found


def folded(html, heading):
    """Whether the fieldset with this heading is folded (<details>, closed) on the page."""
    start = html.rindex("<fieldset", 0, position(html, f">{heading}</h2>"))
    opening = html[start : position(html, f">{heading}</h2>")]
    return "<details>" in opening


@pytest.mark.django_db
def test_the_first_screen_holds_what_curators_correct_most(curator_client, big):
    html = curator_client.get(change_url(big)).content.decode()
    first = [
        'id="id_publication_state"',
        'id="id_last_checked"',
        'id="id_plain_title"',
        'id="id_plain_summary"',
        'id="id_overall_status"',
        'id="id_start_date"',
        'id="id_completion_date"',
        "117 sites — <a",
        'id="contacts-group"',
    ]
    later = [
        'id="id_brief_title"',
        "What the latest import changed",
        'id="id_brief_summary"',
        'id="id_eligibility_criteria"',
        'class="registry-record"',
    ]
    assert max(position(html, m) for m in first) < min(position(html, m) for m in later)
    assert not folded(html, "Status and dates") and not folded(html, "Titles")
    for heading in ("Description", "Design", "Eligibility", "Oversight and results (read-only)"):
        assert folded(html, heading), heading


@pytest.mark.django_db
def test_the_registrys_own_facts_are_read_only_and_a_crafted_post_cannot_change_them(
    curator_client, big
):
    page = curator_client.get(change_url(big))
    fields = page.context["adminform"].form.fields
    for name in ("last_update_post_date", "study_first_submit_date", "condition_meshes"):
        assert name not in fields
        assert f'id="id_{name}"' not in page.content.decode()
    assert "overall_status" in fields and "brief_title" in fields  # a curator may correct these
    before = big.last_update_post_date
    response = post_change_form(curator_client, big, {"last_update_post_date": "2001-01-01"})
    assert response.status_code == 302, errors_of(response)
    big.refresh_from_db()
    assert big.last_update_post_date == before
    assert not big.corrections.exists()


@pytest.mark.django_db
def test_an_error_in_a_folded_section_opens_it_and_keeps_the_typing(curator_client, small):
    response = post_change_form(
        curator_client, small, {"minimum_age": "30 Years", "maximum_age": "18 Years"}
    )
    assert response.status_code == 200
    assert "The minimum age (30 Years) is above the maximum age (18 Years)." in errors_of(response)
    html = response.content.decode()
    assert not folded(html, "Eligibility")
    assert folded(html, "Design")  # the sections without an error stay folded


@pytest.mark.django_db
def test_a_long_list_of_rows_is_edited_on_its_own_screen_with_search_and_pages(curator_client, big):
    page = curator_client.get(change_url(big))
    data = form_data(page, "trial_form")
    assert "sites-TOTAL_FORMS" not in data and "publications-TOTAL_FORMS" not in data
    assert "contacts-TOTAL_FORMS" in data  # few: still on the page
    sites_url = reverse("admin:trials_site_changelist") + f"?trial__id__exact={big.pk}"
    html = page.content.decode()
    assert f'117 sites — <a href="{sites_url}">edit sites</a> <span class="help">(too many' in html
    arms = reverse("admin:trials_arm_changelist") + f"?trial__id__exact={big.pk}"
    assert f'2 arms — <a href="{arms}">edit arms</a> <span class="help">(or below' in html
    officials = reverse("admin:trials_official_changelist") + f"?trial__id__exact={big.pk}"
    assert f'1 official — <a href="{officials}">edit officials</a></li>' in html  # never inline

    listing = curator_client.get(sites_url)
    assert listing.status_code == 200
    assert listing.context["cl"].result_count == 117
    assert listing.context["cl"].paginator.num_pages == 3  # 50 a page
    assert listing.context["title"] == f"Sites of {BIG}"
    listed = listing.content.decode()
    assert f'href="{change_url(big)}"' in listed  # back to the trial
    add_url = reverse("admin:trials_site_add") + f"?trial={big.pk}"
    assert add_url in listed
    adding = curator_client.get(add_url)
    assert adding.context["adminform"].form["trial"].value() == str(big.pk)  # filled in
    found = curator_client.get(sites_url + "&q=Duarte").context["cl"]
    assert [site.city for site in found.result_list] == ["Duarte"]
    other = m.Trial.objects.create(nct_id="NCT90000001", is_synthetic=True)
    m.Site.objects.create(trial=other, facility="Made up", city="Duarte")
    assert curator_client.get(sites_url + "&q=Duarte").context["cl"].result_count == 1

    # A site is corrected on its own page, and the correction is kept as on the trial's page.
    duarte = big.sites.get(city="Duarte")
    response = post_change_form(curator_client, duarte, {"status": "COMPLETED"})
    assert response.status_code == 302, errors_of(response)
    assert big.corrections.filter(part="site", field="status").exists()


@pytest.mark.django_db
def test_a_trial_with_few_rows_keeps_them_on_its_page(curator_client, small):
    assert small.sites.count() <= INLINE_ROWS_AT_MOST
    page = curator_client.get(change_url(small))
    row = inline_prefix(page, "sites", "Milwaukee")
    response = post_change_form(curator_client, small, {f"{row}-city": "Wauwatosa"})
    assert response.status_code == 302, errors_of(response)
    assert small.sites.get().city == "Wauwatosa"


@pytest.mark.django_db
@pytest.mark.parametrize("trial_id", ["999999", "0"])
def test_a_row_screen_for_a_trial_that_does_not_exist_is_a_404(curator_client, trial_id):
    url = reverse("admin:trials_site_changelist") + f"?trial__id__exact={trial_id}"
    assert curator_client.get(url).status_code == 404


@pytest.mark.django_db
def test_a_row_screen_given_a_malformed_trial_is_not_an_error(curator_client, big):
    url = reverse("admin:trials_site_changelist") + "?trial__id__exact=abc"
    response = curator_client.get(url)
    assert response.status_code == 302 and "e=1" in response["Location"]  # Django's own answer


@pytest.mark.django_db
def test_the_latest_imports_changes_are_folded_with_their_count(tmp_path, curator_client, small):
    study = record(SMALL)
    study["protocolSection"]["identificationModule"]["briefTitle"] = "A new registry title"
    study["protocolSection"]["contactsLocationsModule"]["locations"][0]["city"] = "Wauwatosa"
    reimport(tmp_path, study)
    small.refresh_from_db()
    count = len(small.import_changes)
    assert count >= 2
    html = curator_client.get(change_url(small)).content.decode()
    summary = re.search(r'<details class="latest-import"><summary>(.*?)</summary>', html)
    assert summary and summary[1].startswith(f"{count} changes in the latest import")
    assert "A new registry title" in html.split('class="latest-import"')[1].split("</details>")[0]


@pytest.mark.django_db
def test_opening_and_saving_tower_takes_a_pinned_number_of_queries(
    curator_client, big, django_assert_max_num_queries
):
    url = change_url(big)
    curator_client.get(url)  # the session and the site's first look-ups
    with django_assert_max_num_queries(LOAD_QUERIES):
        page = curator_client.get(url)
    data = form_data(page, "trial_form")
    data["_continue"] = ["Save and continue editing"]
    with django_assert_max_num_queries(SAVE_QUERIES):
        response = curator_client.post(url, data)
    assert response.status_code == 302, errors_of(response)
