"""The reading grade of curated plain-language text: measured once (trials/plain_language.py),
shown to curators beside each field, live and after a save, and listed on the quality page."""

import pytest
from django.urls import reverse

from tests import factories
from tests.admin.pages import change_url, post_change_form
from tests.conftest import FIRST_SEVEN_IDS
from trials.models import Trial
from trials.plain_language import PLAIN_FIELDS, TARGET_GRADE, Reading, above_target, reading

EASY = "Blinatumomab is a drug for a kind of blood cancer. It helps the body fight the cancer."
HARD = (
    "This randomized phase 3 trial studies how well blinatumomab works in comparison with "
    "standard combination chemotherapy in treating patients with relapsed or refractory "
    "B-lineage acute lymphoblastic leukemia, evaluating minimal residual disease negativity."
)


def test_the_target_is_grade_8_or_lower_at_its_edge():
    assert Reading(grade=TARGET_GRADE, words=10, sentences=1).meets_target
    assert not Reading(grade=TARGET_GRADE + 0.1, words=10, sentences=1).meets_target


def test_easy_text_meets_the_target_and_hard_text_does_not():
    assert reading(EASY).meets_target and reading(EASY).words == 17
    assert reading(EASY).sentences == 2
    assert not reading(HARD).meets_target


def test_empty_text_has_no_grade_and_a_grade_is_never_below_zero():
    assert reading("") is None and reading("   \n") is None and reading(None) is None
    assert reading("Go.").grade == 0


@pytest.mark.django_db
def test_above_target_names_only_the_plain_fields_above_it():
    made = factories.trial(plain_summary=HARD, plain_eligibility=EASY, curation_note=HARD)
    assert [name for name, _ in above_target(made)] == ["plain_summary"]


@pytest.mark.django_db
def test_every_bundled_trials_plain_text_meets_the_target(bundled_trials):
    hard = {
        (t.nct_id, name): measured.grade
        for t in Trial.objects.filter(nct_id__in=FIRST_SEVEN_IDS)
        for name, measured in above_target(t)
        if name in ("plain_summary", "plain_eligibility", "participation_involves")
    }
    assert hard == {}
    written = Trial.objects.exclude(plain_summary="").exclude(plain_eligibility="")
    assert written.count() >= 5  # the hand-transcribed records carry both


# In the admin, as a curator


@pytest.mark.django_db
def test_each_plain_field_shows_its_grade_as_saved_and_is_measured_live(curator_client):
    made = factories.trial(plain_summary=HARD)
    page = curator_client.get(change_url(made)).content.decode()
    grade = reading(HARD).grade
    assert f"As saved: Reading grade {grade:g}: above the target (8 or lower)" in page
    assert "Aim for reading grade 8 or lower." in page  # the empty fields
    assert page.count("data-readability-url=") == len(PLAIN_FIELDS)
    assert "js/readability.js" in page
    url = reverse("admin:trials_trial_readability")
    live = curator_client.post(url, {"text": EASY}).json()
    assert live["meets_target"] and live["words"] == 17 and live["target"] == 8
    assert curator_client.post(url, {"text": ""}).json() == {"empty": True, "target": 8}
    assert curator_client.post(url, {"text": "x " * 10_001}).status_code == 400
    assert curator_client.get(url).status_code == 405


@pytest.mark.django_db
def test_the_live_measure_is_for_signed_in_curators_only(client):
    response = client.post(reverse("admin:trials_trial_readability"), {"text": EASY})
    assert response.status_code == 302 and "/login/" in response["Location"]


@pytest.mark.django_db
def test_saving_text_above_the_target_warns_and_the_quality_page_lists_it(curator_client):
    made = factories.trial()
    response = post_change_form(
        curator_client, made, {"plain_summary": HARD, "plain_eligibility": EASY}, follow=True
    )
    shown = [str(message) for message in response.context["messages"]]
    assert any("Above reading grade 8" in m and "Plain-language summary" in m for m in shown), shown
    assert not any("eligibility" in m.lower() for m in shown if "Above reading" in m)
    quality = curator_client.get(reverse("admin:trials_trial_quality")).content.decode()
    section = quality.split("Plain-language text above reading grade 8")[1].split("</div>")[0]
    assert f"{made.nct_id}: Plain-language summary" in section
    assert "eligibility" not in section.lower()
    post_change_form(curator_client, made, {"plain_summary": EASY})
    quality = curator_client.get(reverse("admin:trials_trial_quality")).content.decode()
    section = quality.split("Plain-language text above reading grade 8")[1].split("</div>")[0]
    assert made.nct_id not in section
