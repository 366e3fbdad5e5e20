"""Curated text per language (trials/translation.py, trials/translations.py): a translation is
shown on the public pages only once reviewed, and only as it stood then; otherwise the English is
shown marked lang="en" with a note. Made-up trials (tests/factories.py); their words are invented
for the test, and the "translations" are ours, written for the test, not reviewed by anyone."""

import datetime
import html
import re

import pytest

from tests.admin.pages import change_url, post_change_form
from tests.factories import trial
from trials.models import GlossaryTerm, TranslationReview
from trials.models.translation import text_digest

pytestmark = pytest.mark.django_db

ENGLISH = "Blinatumomab is given through a vein, with short stays in hospital."
SPANISH = "El blinatumomab se da por la vena, con estancias cortas en el hospital."
CHINESE = "贝林妥欧单抗通过静脉给药，住院时间短。"
NOTE = 'class="translation-missing"'


def page(client, made, language=""):
    prefix = f"/{language}" if language else ""
    response = client.get(f"{prefix}/trials/{made.nct_id}/")
    assert response.status_code == 200
    return html.unescape(response.content.decode())


def review(made, language, *, by="María López (synthetic reviewer)", on=datetime.date(2026, 11, 2)):
    return TranslationReview.objects.create(
        subject=made,
        language=language,
        reviewed_by=by,
        reviewed_on=on,
        text_digest=text_digest(made, language),
    )


def plain_block(text):
    """The <div class="plain" ...> that holds a curated text, as written."""
    found = re.search(r'<div class="plain"( lang="en")?>\s*(?:<p>)?([^<]*)', text)
    return found and (found.group(1) or "", found.group(2))


def test_an_english_page_shows_the_english_unmarked_and_reads_no_review(client):
    made = trial(plain_summary=ENGLISH, plain_summary_es=SPANISH)
    review(made, "es")
    text = page(client, made)
    assert plain_block(text) == ("", ENGLISH)
    assert NOTE not in text and "reviewed by" not in text


def test_a_missing_translation_shows_the_english_marked_as_english_with_a_note(client):
    made = trial(plain_summary=ENGLISH)
    for language in ("es", "zh-hans"):
        text = page(client, made, language)
        assert plain_block(text) == (' lang="en"', ENGLISH)
        assert NOTE in text


def test_an_unreviewed_translation_is_never_shown(client):
    made = trial(plain_summary=ENGLISH, plain_summary_es=SPANISH, plain_title_es="Título")
    text = page(client, made, "es")
    assert SPANISH not in text and "Título" not in text
    assert plain_block(text) == (' lang="en"', ENGLISH)


def test_a_reviewed_translation_is_shown_with_who_reviewed_it_and_when(client):
    made = trial(
        plain_summary=ENGLISH,
        plain_summary_es=SPANISH,
        plain_summary_zh_hans=CHINESE,
        plain_title="Blinatumomab in a vein",
        plain_title_es="Blinatumomab por la vena",
    )
    review(made, "es")
    text = page(client, made, "es")
    assert plain_block(text) == ("", SPANISH)
    assert re.search(r"<h1>Blinatumomab por la vena", text)
    assert NOTE not in text.split('id="fit"')[0]  # the summary is translated
    assert 'class="translation-review"' in text and "María López (synthetic reviewer)" in text
    # The Chinese text has no review: the Chinese page shows the English.
    chinese = page(client, made, "zh-hans")
    assert CHINESE not in chinese and plain_block(chinese) == (' lang="en"', ENGLISH)
    assert "María López" not in chinese


def test_a_translation_changed_after_its_review_is_hidden_again(
    client, django_capture_on_commit_callbacks
):
    made = trial(plain_summary=ENGLISH, plain_summary_es=SPANISH)
    review(made, "es")
    made.plain_summary_es = SPANISH + " Texto añadido sin revisar."
    with django_capture_on_commit_callbacks(execute=True):
        made.save()
        from trials.cache import catalogue_changed

        catalogue_changed()
    text = page(client, made, "es")
    assert "sin revisar" not in text and SPANISH not in text
    assert plain_block(text) == (' lang="en"', ENGLISH)
    assert "María López" not in text


def test_glossary_explanations_follow_the_same_rule(client):
    term = GlossaryTerm.objects.create(
        term="Made-up word",
        definition="A stage of testing a treatment.",
        definition_es="Una etapa de las pruebas de un tratamiento.",
    )
    made = trial(brief_summary="A made-up word in a trial.")
    unreviewed = page(client, made, "es")
    assert "Una etapa" not in unreviewed
    assert '<span lang="en">A stage of testing a treatment.</span>' in unreviewed
    TranslationReview.objects.create(
        subject=term,
        language="es",
        reviewed_by="R. (synthetic)",
        text_digest=text_digest(term, "es"),
    )
    from django.core.cache import cache

    cache.clear()
    reviewed = page(client, made, "es")
    assert "Una etapa de las pruebas de un tratamiento." in reviewed
    assert '<span lang="en">A stage' not in reviewed


def test_a_curator_writes_a_translation_and_its_review_in_the_admin(
    client, curator_client, django_capture_on_commit_callbacks
):
    made = trial(plain_summary=ENGLISH)
    form_page = curator_client.get(change_url(made)).content.decode()
    assert "In Español" in form_page and 'name="plain_summary_es"' in form_page
    response = post_change_form(curator_client, made, {"plain_summary_es": SPANISH}, follow=True)
    assert "Not shown until reviewed: the text in Español" in html.unescape(
        response.content.decode()
    )
    assert SPANISH not in page(client, made, "es")
    prefix = "trials-translationreview-content_type-object_id"
    with django_capture_on_commit_callbacks(execute=True):  # the page cache moves on
        post_change_form(
            curator_client,
            made,
            {
                f"{prefix}-TOTAL_FORMS": "1",
                f"{prefix}-0-language": "es",
                f"{prefix}-0-reviewed_by": "Ana (synthetic reviewer)",
                f"{prefix}-0-reviewed_on": "2026-11-20",
            },
        )
    saved = TranslationReview.objects.get()
    made.refresh_from_db()
    assert saved.recorded_by.username == "carla" and saved.text_digest == text_digest(made, "es")
    assert plain_block(page(client, made, "es")) == ("", SPANISH)
    # The history keeps the translation, as every curated field.
    assert made.history.filter(plain_summary_es=SPANISH).exists()


def test_the_trial_page_in_spanish_costs_one_query_more_than_in_english(
    client, django_assert_num_queries
):
    from django.core.cache import cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    made = trial(plain_summary=ENGLISH)
    counts = {}
    for language in ("", "es"):
        cache.clear()
        with CaptureQueriesContext(connection) as queries:
            page(client, made, language)
        counts[language] = len(queries)
    assert counts["es"] == counts[""] + 1
