"""Posted results in the admin, as a curator sees them: the registry's results read-only, and the
lay summary of them, one per trial and language, written and reviewed on its own screen."""

import pytest
from django.urls import reverse

from tests.admin.pages import errors_of, form_data
from tests.conftest import BUNDLED
from trials import models as m
from trials.registry.importer import import_paths

TOWER = "NCT02013167"


@pytest.fixture
def tower(db):
    import_paths([BUNDLED / f"{TOWER}.json"], publish=True)
    return m.Trial.objects.get(nct_id=TOWER)


def add_summary(client, trial, **values):
    url = reverse("admin:trials_resultssummary_add")
    data = form_data(client.get(url), "resultssummary_form")
    data.update(
        {
            "trial": [str(trial.pk)],
            "language": ["en"],
            "text": ["People who got blinatumomab lived longer than with chemotherapy."],
            "reviewed_by": ["Dr A. Example, haematologist"],
            "reviewed_on": ["2026-11-01"],
            **{name: [value] for name, value in values.items()},
        }
    )
    return client.post(url, data)


@pytest.mark.django_db
def test_a_curator_writes_a_lay_summary_per_language_and_its_history_keeps_who(
    curator_client, curator, tower
):
    response = add_summary(curator_client, tower)
    assert response.status_code == 302, errors_of(response)
    summary = m.ResultsSummary.objects.get(trial=tower)
    assert (summary.language, summary.reviewed_by) == ("en", "Dr A. Example, haematologist")
    assert summary.history.get().history_user == curator

    spanish = add_summary(curator_client, tower, language="es", text="Vivieron más tiempo.")
    assert spanish.status_code == 302, errors_of(spanish)
    again = add_summary(curator_client, tower, text="A second English summary.")
    assert again.status_code == 200  # refused with a message, not a 500
    assert "already exists" in again.content.decode()
    assert m.ResultsSummary.objects.filter(trial=tower).count() == 2


@pytest.mark.django_db
def test_the_registrys_results_are_shown_to_curators_but_not_editable(curator_client, tower):
    results = m.TrialResults.objects.get(trial=tower)
    url = reverse("admin:trials_trialresults_change", args=[results.pk])
    page = curator_client.get(url)
    assert page.status_code == 200
    html = page.content.decode()
    assert "Primary: Overall Survival" in html
    assert 'name="flow_recruitment_details"' not in html  # shown, not an input
    assert results.flow_recruitment_details.split("\n")[0][:60] in html
    assert curator_client.post(url, {"contact_title": "Changed"}).status_code == 403
    assert curator_client.get(reverse("admin:trials_trialresults_add")).status_code == 403
    delete = reverse("admin:trials_trialresults_delete", args=[results.pk])
    assert curator_client.get(delete).status_code == 403
    listing = curator_client.get(reverse("admin:trials_trialresults_changelist"), {"q": "overall"})
    assert TOWER in listing.content.decode()
