"""The curated attributes in the admin, as a curator (Curators group, not a superuser) uses them:
editable as check boxes with the record's words beside them, earlier treatments inline, confirmed
in the curator's name (in the history), and listed on the data quality page until confirmed."""

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.admin.pages import change_url, errors_of, form_data, post_change_form
from tests.conftest import BUNDLED
from trials import models as m
from trials.registry.importer import import_paths

pytestmark = pytest.mark.django_db

NCT_ID = "NCT01207388"  # BLAST: MRD-positive B-ALL, "Previous treatment with blinatumomab" excluded


@pytest.fixture
def blast(db):
    import_paths([BUNDLED / f"{NCT_ID}.xml"], publish=True)
    return m.Trial.objects.get(nct_id=NCT_ID)


def test_the_attributes_are_check_boxes_with_the_records_words(curator_client, blast):
    html = curator_client.get(change_url(blast)).content.decode()
    assert "Who the trial is for (curated attributes)" in html
    assert 'name="disease_settings" value="mrd_positive"' in html
    assert "In remission, with measurable residual disease (MRD)" in html
    assert "“Previous treatment with blinatumomab”" in html  # the evidence, quoted
    assert 'id="prior_treatment_rules-group"' in html
    assert "Suggested by the import, not yet confirmed" in html


def test_confirming_records_who_and_when_and_keeps_the_curators_values(
    curator_client, curator, blast
):
    response = post_change_form(
        curator_client,
        blast,
        {"disease_settings": ["mrd_positive", "first_relapse"], "confirm_attributes": "on"},
    )
    assert response.status_code == 302, errors_of(response)
    blast.refresh_from_db()
    assert blast.disease_settings == ["mrd_positive", "first_relapse"]
    assert blast.attributes_state == m.AttributeState.CONFIRMED
    assert blast.attributes_confirmed_by == curator.username
    assert blast.attributes_confirmed_on == timezone.localdate()
    latest = blast.history.first()
    assert latest.history_user == curator and latest.history_change_reason == "Attributes confirmed"


def test_saving_without_the_tick_does_not_confirm(curator_client, blast):
    response = post_change_form(curator_client, blast, {"ph_statuses": ["negative"]})
    assert response.status_code == 302, errors_of(response)
    blast.refresh_from_db()
    assert blast.ph_statuses == ["negative"]
    assert blast.attributes_state == m.AttributeState.SUGGESTED


def test_a_value_outside_the_vocabulary_is_refused_with_a_message(curator_client, blast):
    response = post_change_form(curator_client, blast, {"populations": ["toddlers"]})
    assert response.status_code == 200
    assert "toddlers is not one of the available choices" in errors_of(response)
    blast.refresh_from_db()
    assert "toddlers" not in blast.populations


def test_an_earlier_treatment_rule_is_edited_inline(curator_client, blast):
    page = curator_client.get(change_url(blast))
    data = form_data(page, "trial_form")
    rows = int(data["prior_treatment_rules-TOTAL_FORMS"][0])
    treatments = [data[f"prior_treatment_rules-{i}-treatment"][0] for i in range(rows)]
    index = treatments.index("blinatumomab")
    data[f"prior_treatment_rules-{index}-rule"] = ["allowed"]
    data["_continue"] = ["Save and continue editing"]
    response = curator_client.post(change_url(blast), data)
    assert response.status_code == 302, errors_of(response)
    assert blast.prior_treatment_rules.get(treatment="blinatumomab").rule == m.PriorRule.ALLOWED


def test_the_action_confirms_the_selected_trials(curator_client, curator, blast):
    response = curator_client.post(
        reverse("admin:trials_trial_changelist"),
        {"action": "confirm_attributes", "_selected_action": [blast.pk]},
    )
    assert response.status_code == 302
    blast.refresh_from_db()
    assert blast.attributes_state == m.AttributeState.CONFIRMED
    assert blast.attributes_confirmed_by == curator.username


def test_the_quality_page_lists_unconfirmed_attributes_until_confirmed(curator_client, blast):
    quality = reverse("admin:trials_trial_quality")
    html = curator_client.get(quality).content.decode()
    assert "Attributes (disease, setting, Ph status, earlier treatments) not confirmed" in html
    assert f"{NCT_ID}: the attributes are suggested by the import, not yet confirmed." in html
    assert f'href="{change_url(blast)}#id_diagnoses"' in html
    curator_client.post(
        reverse("admin:trials_trial_changelist"),
        {"action": "confirm_attributes", "_selected_action": [blast.pk]},
    )
    assert f"{NCT_ID}: the attributes are" not in curator_client.get(quality).content.decode()
