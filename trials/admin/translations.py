"""Curated text in Spanish and Chinese in the admin: a fieldset per language beside the English,
and who reviewed each translation and when. The public pages show a translation only with a
review of the text as it stands (trials/translations.py): changing a reviewed translation hides
it until someone reviews it again (a review's date or name changed and saved)."""

from django.contrib import admin, messages
from django.contrib.contenttypes.admin import GenericTabularInline
from modeltranslation.fields import TranslationField

from .. import models as m
from ..models.translation import TRANSLATED, TRANSLATED_LANGUAGES, localized, text_digest


def language_fieldsets(model_name):
    """A folded fieldset per language with the translated fields' columns."""
    return [
        (
            f"In {name}",
            {
                "classes": ["collapse"],
                "description": "Shown on the public pages in this language only once reviewed "
                "(below, under Translation reviews); until then the English is shown, marked "
                "as English. Never paste a machine translation unread.",
                "fields": [localized(field, code) for field in TRANSLATED[model_name]],
            },
        )
        for code, name in TRANSLATED_LANGUAGES
    ]


# The English columns are edited through the fields' own names (plain_title), which read and
# write the English in the admin (an English page): never twice on one form.
def english_columns(model_name):
    return [localized(field, "en") for field in TRANSLATED[model_name]]


class TranslationReviewInline(GenericTabularInline):
    model = m.TranslationReview
    fields = ["language", "reviewed_by", "reviewed_on", "still_shown"]
    readonly_fields = ["still_shown"]
    extra = 0
    verbose_name = "translation review"

    @admin.display(description="On the public pages")
    def still_shown(self, review):
        if review.pk is None:
            return "-"
        if review.text_digest == text_digest(review.subject, review.language):
            return "Shown: the text is as reviewed"
        return "Hidden: the text changed since; review it again (change the date) to show it"


def save_reviews(request, formset):
    """Each review added or changed holds the text it reviewed, as saved with this form."""
    reviews = formset.save(commit=False)
    for review in formset.deleted_objects:
        review.delete()
    for review in reviews:
        review.text_digest = text_digest(formset.instance, review.language)
        review.recorded_by = request.user
        review.save()


def warn_if_unreviewed(request, obj):
    """After a save: the translations not shown, as nobody reviewed them as they are."""
    fields = TRANSLATED[obj._meta.model_name]
    written = [
        (code, name)
        for code, name in TRANSLATED_LANGUAGES
        if any(getattr(obj, localized(field, code)) for field in fields)
    ]
    if not written:  # nothing translated: no query (the trial form's count is pinned)
        return
    reviewed = dict(
        m.TranslationReview.objects.filter(
            content_type__model=obj._meta.model_name, object_id=obj.pk
        ).values_list("language", "text_digest")
    )
    waiting = [name for code, name in written if reviewed.get(code) != text_digest(obj, code)]
    if waiting:
        messages.warning(
            request,
            f"Not shown until reviewed: the text in {' and '.join(waiting)}. The English is shown "
            "instead. Add or update a translation review once someone has read it.",
        )


class TranslatedAdmin:
    """For a model with curated text in several languages (a mixin before the ModelAdmin)."""

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        # A translation column is nullable (modeltranslation's rule), and Django's form for a
        # nullable CharField saves an empty box as NULL: "" instead, as the English fields (not
        # for a glossary term's, which is unique in its language: trials/translation.py).
        if isinstance(db_field, TranslationField) and db_field.empty_value == "" and field:
            field.empty_value = ""
        return field

    def save_formset(self, request, form, formset, change):
        if formset.model is m.TranslationReview:
            return save_reviews(request, formset)
        return super().save_formset(request, form, formset, change)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        warn_if_unreviewed(request, form.instance)
