"""Draft, published, withdrawn: only published trials reach the public site and its counts."""

import pytest
from django.urls import reverse

from trials import models as m
from trials.registry.importer import import_paths
from trials.search.columns import refresh_search_fields

HIDDEN = {"NCT02013167": m.PublicationState.DRAFT, "NCT06607419": m.PublicationState.WITHDRAWN}


@pytest.fixture
def some_hidden(bundled_trials):
    for nct_id, state in HIDDEN.items():
        m.Trial.objects.filter(nct_id=nct_id).update(publication_state=state)
    return bundled_trials


@pytest.mark.django_db
def test_drafts_and_withdrawn_trials_are_on_no_public_page(client, some_hidden):
    # A draft is unknown; a trial withdrawn after it was public says so (test_withdraw.py).
    assert client.get("/trials/NCT02013167/").status_code == 404
    assert client.get("/trials/NCT06607419/").status_code == 410
    for nct_id in HIDDEN:
        found = client.get("/trials/", {"q": nct_id})
        assert found.status_code == 200
        assert nct_id not in {card["trial"].nct_id for card in found.context["cards"]}
    listing = client.get("/trials/")
    shown = {card["trial"].nct_id for card in listing.context["cards"]}
    assert shown == set(m.Trial.objects.published().values_list("nct_id", flat=True))
    assert not shown & set(HIDDEN)


@pytest.mark.django_db
def test_drafts_and_withdrawn_trials_are_in_no_count(client, some_hidden):
    published = m.Trial.objects.published()
    home = client.get("/")
    assert home.context["trial_count"] == published.count() == 5
    assert home.context["open_count"] == published.open_to_enrolment().count()
    listing = client.get("/trials/")
    assert listing.context["page"].paginator.count == 5
    # Facet counts: no option counts a hidden trial. NCT06607419 is the only one in China,
    # NCT02013167 the only one in Israel.
    facets = {facet["name"]: facet["options"] for facet in listing.context["facets"]}
    countries = {label for _, label, _, _ in facets["country"]}
    assert "Israel" not in countries and "China" not in countries
    assert sum(count for _, _, count, _ in facets["status"]) <= 5


@pytest.mark.django_db
def test_new_imports_are_drafts_unless_published_and_make_run_publishes_the_bundled():
    from tests.conftest import BUNDLED

    import_paths([BUNDLED / "NCT04556084.json"])
    assert m.Trial.objects.get().publication_state == m.PublicationState.DRAFT
    makefile = (BUNDLED.parent.parent / "Makefile").read_text()
    assert "import_trials --publish data/trials" in makefile


@pytest.mark.django_db
def test_publish_and_withdraw_are_bulk_actions(curator_client, bundled_trials):
    changelist = reverse("admin:trials_trial_changelist")
    ids = list(m.Trial.objects.values_list("pk", flat=True))
    withdrawal = {"action": "withdraw", "confirm": "1", "reason": "Cancelled by the sponsor."}
    curator_client.post(changelist, {**withdrawal, "_selected_action": ids[:3]})
    assert m.Trial.objects.filter(publication_state="WITHDRAWN").count() == 3
    curator_client.post(changelist, {"action": "publish", "_selected_action": ids})
    assert m.Trial.objects.published().count() == len(ids)


@pytest.mark.django_db
def test_publishing_skips_synthetic_trials_with_a_clear_message(curator_client, bundled_trials):
    synthetic = m.Trial.objects.create(nct_id="NCT99999902", is_synthetic=True)
    refresh_search_fields(synthetic)
    real = m.Trial.objects.get(nct_id="NCT04556084")
    m.Trial.objects.filter(pk=real.pk).update(publication_state="DRAFT")
    response = curator_client.post(
        reverse("admin:trials_trial_changelist"),
        {"action": "publish", "_selected_action": [synthetic.pk, real.pk]},
        follow=True,
    )
    assert response.status_code == 200
    texts = [str(message) for message in response.context["messages"]]
    assert "1 trial(s) published." in texts
    assert any("NCT99999902" in text and "synthetic" in text for text in texts)
    synthetic.refresh_from_db()
    assert synthetic.publication_state == "DRAFT"
    assert m.Trial.objects.get(pk=real.pk).publication_state == "PUBLISHED"


@pytest.mark.django_db
def test_a_synthetic_trial_cannot_be_published_from_its_page(curator_client):
    from tests.admin.pages import errors_of, post_change_form

    synthetic = m.Trial.objects.create(nct_id="NCT99999903", is_synthetic=True)
    response = post_change_form(curator_client, synthetic, {"publication_state": "PUBLISHED"})
    assert response.status_code == 200
    assert "can never be published" in errors_of(response)


@pytest.mark.django_db
def test_only_staff_allowed_to_publish_see_the_publish_actions(client, bundled_trials):
    from django.contrib.auth.models import Permission, User

    helper = User.objects.create_user("helper", is_staff=True)
    helper.user_permissions.add(
        *Permission.objects.filter(codename__in=["view_trial", "change_trial"])
    )
    client.force_login(helper)
    page = client.get(reverse("admin:trials_trial_changelist"))
    actions = dict(page.context["action_form"].fields["action"].choices)
    assert "publish" not in actions and "withdraw" not in actions
    trial = m.Trial.objects.first()
    form = client.get(reverse("admin:trials_trial_change", args=[trial.pk])).context["adminform"]
    assert "publication_state" not in form.form.fields


@pytest.mark.django_db
def test_publishing_and_withdrawing_update_the_cached_public_counts(
    client, curator_client, bundled_trials, django_capture_on_commit_callbacks
):
    assert client.get("/").context["trial_count"] == 7  # now cached
    trial = m.Trial.objects.get(nct_id="NCT06607419")
    changelist = reverse("admin:trials_trial_changelist")
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
    assert client.get("/").context["trial_count"] == 6
    with django_capture_on_commit_callbacks(execute=True):
        curator_client.post(changelist, {"action": "publish", "_selected_action": [trial.pk]})
    assert client.get("/").context["trial_count"] == 7
