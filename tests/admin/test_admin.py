"""The curators' workspace, used as a curator (staff in the Curators group, not a superuser)."""

import datetime
import json
from html import unescape
from io import StringIO

import pytest
from django.contrib import admin
from django.contrib.auth.models import Group, User
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from tests.admin.pages import change_url, errors_of, form_data, inline_prefix, post_change_form
from tests.conftest import FIRST_SEVEN
from trials import models as m
from trials.models.translation import TRANSLATED
from trials.registry.importer import import_paths

BIG = "NCT02013167"  # 117 sites
SMALL = "NCT04556084"  # one site, in Milwaukee: a quicker page


def trial(nct_id=BIG):
    return m.Trial.objects.get(nct_id=nct_id)


def registered_models():
    return [model for model in admin.site._registry if model._meta.app_label == "trials"]


def test_every_model_of_the_portal_has_an_admin():
    from django.apps import apps

    from trials.admin.results import RESULTS_ROWS

    portal_models = {
        model
        for model in apps.get_app_config("trials").get_models()
        if not model.__name__.startswith("Historical")
    }
    # The rows of posted results are shown read-only where they belong (admin/results.py says so);
    # a translation's review is kept on its trial's, term's or approval's own page, whose save
    # records the text reviewed (admin/translations.py); the earlier-treatment rules are
    # curated attributes, kept on their trial's page.
    inline_only = {m.TranslationReview, m.PriorTreatmentRule}
    # An alert's address is shown to no curator (admin/alerts.py shows counts and the outbox).
    private = {m.Subscriber}
    # Written only by the portal itself: what changed in a trial (by imports and curators' actions,
    # shown on the trial's public page) and the landing page's stored figures (a cache).
    derived = {m.TrialChange, m.CatalogueFigures}
    assert portal_models - set(RESULTS_ROWS) - inline_only - private - derived == set(
        registered_models()
    )


def test_every_editable_trial_field_is_on_the_trial_page():
    trial_admin = admin.site._registry[m.Trial]
    on_page = {
        name
        for _, options in trial_admin.fieldsets
        for entry in options["fields"]
        for name in (entry if isinstance(entry, tuple) else (entry,))
    }
    editable = {field.name for field in m.Trial._meta.fields if field.editable}
    # The English column of a translated field is edited as the field itself (plain_title).
    editable -= {f"{name}_en" for name in TRANSLATED["trial"]}
    # The import's own bookkeeping is shown in other words (or not at all).
    bookkeeping = {
        "id",
        "source_record",
        "source_digest",
        "source_text_digest",
        "import_warnings",
        "import_changes",
    }
    # The record's words the curated attributes rest on: shown beside them, read-only.
    shown_in_words = {"attributes_evidence"}
    assert editable - bookkeeping - shown_in_words <= on_page


# Every page loads


@pytest.mark.django_db
def test_every_changelist_and_change_page_loads_for_a_curator(curator_client, bundled_trials):
    from trials.alerts.subscriptions import ask_to_follow

    post_change_form(curator_client, trial(), {"brief_title": "A correction"})  # a Correction
    m.ProblemReport.objects.create(kind="OTHER", message="A report to list.")
    m.SiteConfirmation.objects.create(
        site=m.Site.objects.first(), answer="RECRUITING", method="PHONE"
    )
    m.ResultsSummary.objects.create(trial=trial(), text="A lay summary to list.")
    ask_to_follow(email="parent@example.org", language="en", frequency="weekly", trial=trial())
    for model in registered_models():
        name = model._meta.model_name
        listing = curator_client.get(reverse(f"admin:trials_{name}_changelist"))
        assert listing.status_code == 200, name
        obj = model.objects.first()
        assert obj is not None, f"no {name} to open"
        page = curator_client.get(reverse(f"admin:trials_{name}_change", args=[obj.pk]))
        assert page.status_code == 200, name
        if hasattr(model, "history"):
            history = curator_client.get(reverse(f"admin:trials_{name}_history", args=[obj.pk]))
            assert history.status_code == 200, name


@pytest.mark.django_db
def test_every_add_page_a_curator_may_use_loads(curator_client):
    for model in registered_models():
        name = model._meta.model_name
        expected = 200 if curator_client_can(name, "add") else 403
        page = curator_client.get(reverse(f"admin:trials_{name}_add"))
        assert page.status_code == expected, name


def curator_client_can(model_name, action):
    group = Group.objects.get(name="Curators")
    return group.permissions.filter(codename=f"{action}_{model_name}").exists()


@pytest.mark.django_db
def test_the_admin_index_links_to_the_curating_pages(curator_client):
    page = curator_client.get(reverse("admin:index")).content.decode()
    assert reverse("admin:trials_trial_quality") in page
    assert "Drafts" in page and "Corrections to recheck" in page


# The trial list


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("q=NCT02013167", {BIG}),
        ("q=tower", {BIG}),  # acronym
        ("q=Amgen", {BIG, "NCT01207388"}),  # sponsor
        ("q=Duarte", {BIG, "NCT02101853"}),  # a site's city (AALL1331's from its registry XML)
        ("q=AIEOP-BFM", {"NCT03643276"}),  # title
        ("phase=PHASE2", {"NCT01207388", "NCT06607419", "NCT04556084"}),
        ("publication_state__exact=PUBLISHED", "all"),
        ("publication_state__exact=DRAFT", set()),
        ("checked=never", "all"),
        ("checked=recent", set()),
        ("problem=no_contact", {"NCT07117136"}),
        ("problem=unlocated_sites", {BIG}),
        ("problem=closed_open_sites", {"NCT04556084"}),
        ("problem=any", "all"),
        ("overall_status__exact=RECRUITING", {"NCT06607419"}),
        ("last_update_post_date__gte=2024-01-01", {BIG, "NCT03643276", "NCT06607419"}),
    ],
)
def test_the_trial_list_searches_and_filters_as_curators_look_things_up(
    curator_client, bundled_trials, query, expected
):
    page = curator_client.get(f"{reverse('admin:trials_trial_changelist')}?{query}")
    assert page.status_code == 200
    assert "?e=1" not in page.get("Location", "")
    found = {t.nct_id for t in page.context["cl"].result_list}
    if expected == "all":
        expected = set(m.Trial.objects.values_list("nct_id", flat=True))
    assert found == expected


@pytest.mark.django_db
def test_the_trial_list_shows_status_phase_publication_checks_and_problems(
    curator_client, bundled_trials
):
    page = curator_client.get(reverse("admin:trials_trial_changelist")).content.decode()
    for heading in ("Overall status", "Phases", "Publication state", "Last update posted"):
        assert heading in page
    assert "Last checked by a curator" in page and "Problems" in page
    assert "open, no contact" in page and "sites without coordinates" in page


# Editing


@pytest.mark.django_db
def test_saving_an_unchanged_trial_page_changes_nothing(curator_client, bundled_trials):
    for t in m.Trial.objects.all():
        before = {f.attname: getattr(t, f.attname) for f in m.Trial._meta.fields}
        sites = list(t.sites.values())
        response = post_change_form(curator_client, t)
        assert response.status_code == 302, (t.nct_id, errors_of(response))
        t.refresh_from_db()
        after = {f.attname: getattr(t, f.attname) for f in m.Trial._meta.fields}
        # Search columns are rebuilt on save, with drug aliases from trials imported since.
        ignore = {"updated_at", "search_primary", "search_secondary", "search_tertiary"}
        ignore |= {"search_other", "search_vector"}
        ignore |= {"version"}  # a save is a save: the version moves on (admin/locking.py)
        assert {k: v for k, v in after.items() if k not in ignore} == {
            k: v for k, v in before.items() if k not in ignore
        }, t.nct_id
        assert list(t.sites.values()) == sites
    assert m.Correction.objects.count() == 0


@pytest.mark.django_db
def test_a_curator_edits_a_trial_and_its_rows_and_every_edit_saves(curator_client, bundled_trials):
    t = trial()
    response = post_change_form(
        curator_client,
        t,
        {
            "plain_title": "Blinatumomab or chemotherapy when leukemia comes back",
            "plain_summary": "A trial comparing two treatments.\nIn plain words.",
            "brief_title": "Blinatumomab versus chemotherapy (TOWER)",
            "phases": ["PHASE2", "PHASE3"],
            "conditions": "Acute Lymphoblastic Leukemia\nRelapsed ALL",
            "last_checked": "2025-03-01",
            "contacts-TOTAL_FORMS": "1",
            "contacts-0-kind": "CENTRAL",
            "contacts-0-name": "Study information desk",
            "contacts-0-email": "trials@example.org",
            "contacts-0-trial": str(t.pk),
        },
    )
    assert response.status_code == 302, errors_of(response)
    # 117 sites are edited on their own screen, each on its page.
    duarte = t.sites.get(city="Duarte")
    response = post_change_form(curator_client, duarte, {"status": "COMPLETED"})
    assert response.status_code == 302, errors_of(response)
    t.refresh_from_db()
    assert t.plain_title == "Blinatumomab or chemotherapy when leukemia comes back"
    assert t.plain_summary == "A trial comparing two treatments.\nIn plain words."  # LF kept
    assert t.brief_title == "Blinatumomab versus chemotherapy (TOWER)"
    assert t.conditions == ["Acute Lymphoblastic Leukemia", "Relapsed ALL"]
    assert t.phases == ["PHASE2", "PHASE3"]
    assert t.last_checked == datetime.date(2025, 3, 1)
    assert t.sites.get(city="Duarte").status == "COMPLETED"
    contact = t.contacts.get()
    assert (contact.name, contact.registry_key) == ("Study information desk", "")
    # Search follows the edit.
    assert "blinatumomab versus chemotherapy" in t.search_primary.lower()
    # Registry values became corrections; plain-language text and new rows did not.
    corrected = set(m.Correction.objects.values_list("part", "field"))
    assert corrected == {
        ("trial", "brief_title"),
        ("trial", "phases"),
        ("trial", "conditions"),
        ("site", "status"),
    }


@pytest.mark.django_db
def test_changing_the_age_text_updates_the_ages_searches_use(curator_client, bundled_trials):
    t = trial("NCT03643276")
    response = post_change_form(curator_client, t, {"maximum_age": "21 Years"})
    assert response.status_code == 302, errors_of(response)
    t.refresh_from_db()
    assert t.maximum_age_years_exclusive == 22


@pytest.mark.django_db
def test_the_trial_page_shows_the_registry_record_read_only(curator_client, bundled_trials):
    t = trial()
    page = curator_client.get(change_url(t))
    html = unescape(page.content.decode())
    assert 'class="registry-record"' in html and '"nctId": "NCT02013167"' in html
    assert "source_record" not in page.context["adminform"].form.fields
    assert "nct_id" not in page.context["adminform"].form.fields  # the record's key


@pytest.mark.django_db
def test_plain_english_labels_and_help_texts(curator_client, bundled_trials):
    html = curator_client.get(change_url(trial())).content.decode()
    for text in (
        "For patients, in plain words",
        "What taking part involves",
        "Who can join, in plain words",
        "Last checked by a curator",
        "Only published trials appear on the public site.",
        "What the latest import changed",
    ):
        assert text in html, text


@pytest.mark.django_db
def test_autocomplete_finds_related_records(curator_client, bundled_trials):
    url = reverse("admin:autocomplete")
    found = curator_client.get(
        url, {"app_label": "trials", "model_name": "site", "field_name": "trial", "term": "0201316"}
    ).json()
    assert [r["text"] for r in found["results"]][0].startswith(BIG)
    sites = curator_client.get(
        url,
        {"app_label": "trials", "model_name": "contact", "field_name": "site", "term": "Duarte"},
    ).json()
    assert any("Duarte" in r["text"] for r in sites["results"])


@pytest.mark.django_db
def test_an_arm_links_only_its_own_trials_interventions(curator_client, bundled_trials):
    page = curator_client.get(change_url(trial("NCT02101853")))
    arms = next(f for f in page.context["inline_admin_formsets"] if f.formset.model is m.Arm)
    choices = arms.formset.forms[0].fields["interventions"]
    assert {i.trial.nct_id for i in choices.queryset} == {"NCT02101853"}


# Validation: clear messages, and what the curator typed stays in the form


INVALID = {
    "completion before start": (
        {"start_date": "2021-01-01", "completion_date": "2020-06-01"},
        "is before the start date",
    ),
    "primary completion before start": (
        {"start_date": "2021-01-01", "primary_completion_date": "2020-06-01"},
        "is before the start date",
    ),
    "minimum age above maximum": (
        {"minimum_age": "30 Years", "maximum_age": "18 Years"},
        "The minimum age (30 Years) is above the maximum age (18 Years).",
    ),
    "an age that is not an age": ({"minimum_age": "eighteen"}, 'e.g. "18 Years"'),
    "negative enrollment": ({"enrollment_count": "-5"}, "Enrollment cannot be negative."),
}


@pytest.mark.django_db
@pytest.mark.parametrize("case", INVALID)
def test_an_invalid_trial_edit_is_refused_with_a_clear_message_and_keeps_the_typing(
    curator_client, bundled_trials, case
):
    changes, message = INVALID[case]
    t = trial(SMALL)
    saved = t.plain_summary
    response = post_change_form(curator_client, t, {**changes, "plain_summary": "Typed by me."})
    assert response.status_code == 200
    assert message in errors_of(response)
    form = response.context["adminform"].form
    assert form["plain_summary"].value() == "Typed by me."
    for name, value in changes.items():
        assert str(form[name].value()) == value
    t.refresh_from_db()
    assert t.plain_summary == saved  # nothing of the refused edit was saved


INVALID_ROWS = {
    "latitude out of range": ("sites", {"latitude": "123"}, "between -90 (South Pole) and 90"),
    "longitude out of range": ("sites", {"longitude": "-200"}, "between -180 and 180"),
}


@pytest.mark.django_db
@pytest.mark.parametrize("case", INVALID_ROWS)
def test_an_invalid_row_edit_is_refused_with_a_clear_message(curator_client, bundled_trials, case):
    prefix, changes, message = INVALID_ROWS[case]
    t = trial(SMALL)
    page = curator_client.get(change_url(t))
    row = inline_prefix(page, prefix, "Milwaukee")
    response = post_change_form(curator_client, t, {f"{row}-{k}": v for k, v in changes.items()})
    assert response.status_code == 200
    assert message in errors_of(response)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"pmid": "PMC123"}, "A PubMed ID is digits only"),
        ({"doi": "doi:10.1056/x"}, 'A DOI starts with "10."'),
        ({"doi": "https://doi.org/10.1056/NEJMoa1609783"}, 'A DOI starts with "10."'),
    ],
)
def test_a_publication_with_a_malformed_identifier_is_refused(
    curator_client, bundled_trials, changes, message
):
    publication = m.Publication.objects.filter(trial__nct_id=BIG).first()
    response = post_change_form(curator_client, publication, changes)
    assert response.status_code == 200
    assert message in errors_of(response)


@pytest.mark.django_db
def test_a_well_formed_doi_is_accepted(curator_client, bundled_trials):
    publication = m.Publication.objects.filter(trial__nct_id=BIG).first()
    response = post_change_form(curator_client, publication, {"doi": "10.1056/NEJMoa1609783"})
    assert response.status_code == 302, errors_of(response)


@pytest.mark.django_db
def test_a_malformed_nct_id_is_refused_when_adding_a_trial(curator_client):
    page = curator_client.get(reverse("admin:trials_trial_add"))
    data = form_data(page, "trial_form")
    data["nct_id"] = ["NCT123"]
    response = curator_client.post(reverse("admin:trials_trial_add"), data)
    assert response.status_code == 200
    assert "An NCT ID is NCT followed by 8 digits" in errors_of(response)
    assert response.context["adminform"].form["nct_id"].value() == "NCT123"
    assert not m.Trial.objects.exists()


@pytest.mark.django_db
def test_mark_as_checked_is_a_bulk_action(curator_client, bundled_trials):
    ids = list(m.Trial.objects.values_list("pk", flat=True)[:3])
    curator_client.post(
        reverse("admin:trials_trial_changelist"),
        {"action": "mark_checked", "_selected_action": ids},
    )
    today = timezone.localdate()
    assert m.Trial.objects.filter(last_checked=today).count() == 3


# Roles


CURATING = {
    "trials.view_trial",
    "trials.add_trial",
    "trials.change_trial",
    "trials.publish_trial",
    "trials.view_searchterm",
    # Search terms in other languages, and who reviewed a translation (migration 0018).
    "trials.add_searchterm",
    "trials.change_searchterm",
    "trials.delete_searchterm",
    "trials.view_translationreview",
    "trials.add_translationreview",
    "trials.change_translationreview",
    "trials.delete_translationreview",
    "trials.view_correction",
    "trials.change_correction",
    "trials.delete_correction",
    "trials.view_problemreport",
    # Alerts by email: the follow counts and the outbox, read-only (migration 0021).
    "trials.view_follow",
    "trials.view_outboxmessage",
    "trials.change_problemreport",
    "trials.view_trialresults",  # the registry's results: read-only
} | {
    f"trials.{action}_{model}"
    for model in (
        "collaborator",
        "official",
        "secondaryid",
        "outcome",
        "intervention",
        "arm",
        "site",
        "siteconfirmation",
        "contact",
        "publication",
        "link",
        "timelinestep",
        "relatedtrial",
        "trialnote",
        "glossaryterm",
        "drugapproval",
        "resultssummary",
        "priortreatmentrule",  # the curated attributes' earlier treatments (migration 0019)
    )
    for action in ("view", "add", "change", "delete")
}


@pytest.mark.django_db
def test_the_curators_group_has_exactly_the_permissions_curating_needs(curator):
    assert curator.get_all_permissions() == CURATING
    assert not curator.is_superuser


@pytest.mark.django_db
def test_a_curator_cannot_manage_users_delete_trials_or_touch_history(
    curator_client, bundled_trials
):
    assert curator_client.get(reverse("admin:auth_user_changelist")).status_code == 403
    assert curator_client.get(reverse("admin:auth_group_changelist")).status_code == 403
    t = trial()
    assert curator_client.get(reverse("admin:trials_trial_delete", args=[t.pk])).status_code == 403
    actions = curator_client.get(reverse("admin:trials_trial_changelist")).context["action_form"]
    assert "delete_selected" not in dict(actions.fields["action"].choices)
    assert not any(
        "historical" in perm for perm in User.objects.get(username="carla").get_all_permissions()
    )


@pytest.mark.django_db
def test_create_curator_makes_a_staff_account_without_a_password_when_asked():
    out = StringIO()
    call_command(
        "create_curator", "dana", "--email", "dana@example.org", "--no-password", stdout=out
    )
    dana = User.objects.get(username="dana")
    assert dana.is_staff and not dana.is_superuser
    assert list(dana.groups.values_list("name", flat=True)) == ["Curators"]
    assert not dana.has_usable_password()
    assert "changepassword dana" in out.getvalue()
    # Again: an existing account is made a curator, and nothing else changes.
    call_command("create_curator", "dana", "--no-password", stdout=out)
    assert User.objects.filter(username="dana").count() == 1


@pytest.mark.django_db
def test_the_registry_record_json_is_valid_on_the_page(curator_client, bundled_trials):
    page = curator_client.get(change_url(trial("NCT03643276"))).content.decode()
    start = page.index('<pre class="registry-record">') + len('<pre class="registry-record">')
    shown = unescape(page[start : page.index("</pre>", start)])
    assert json.loads(shown)["protocolSection"]["identificationModule"]["nctId"] == "NCT03643276"


@pytest.mark.django_db
def test_bundled_imports_into_an_empty_database_make_no_corrections():
    import_paths(FIRST_SEVEN, publish=True)
    assert m.Correction.objects.count() == 0


@pytest.mark.django_db
def test_a_reference_number_the_registry_gave_does_not_stop_a_curator_saving(
    curator_client, bundled_trials
):
    """Imports keep a non-numeric PubMed ID as given: the trial and the row still save, and only
    a PubMed ID a curator types must be digits (the case above)."""
    publication = m.Publication.objects.filter(trial__nct_id=BIG).first()
    m.Publication.objects.filter(pk=publication.pk).update(pmid="PMC1234567")
    response = post_change_form(curator_client, publication, {"citation": "A paper, retitled."})
    assert response.status_code == 302, errors_of(response)
    response = post_change_form(curator_client, publication.trial, {})
    assert response.status_code == 302, errors_of(response)
    publication.refresh_from_db()
    assert publication.pmid == "PMC1234567"
