"""Curated text in the visitor's language, on the public pages: a translation is shown only once
a reviewer signed it off (trials.TranslationReview) and only as it stood then; otherwise the
English is shown, marked as English (lang="en"), with a short note saying so. Never a machine
translation presented as reviewed: an unreviewed translation is not shown at all.

English pages read no review (no query more); a Spanish or Chinese trial page reads its reviews,
and those of the glossary and the drug approvals, in one query.
"""

from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.db.models import Q
from django.utils.translation import get_language

from .models import DrugApproval, GlossaryTerm, TranslationReview
from .models.translation import localized, text_digest

ENGLISH = "en"


@dataclass(frozen=True)
class Curated:
    text: str
    language: str  # the language `text` is in
    english_instead: bool = False  # English shown for want of a reviewed translation

    def __str__(self):
        return self.text

    def __bool__(self):
        return bool(self.text)


class Reviews:
    """The reviewed translations into the page's language of one trial's curated text and of the
    glossary's and drug approvals'."""

    def __init__(self, trial, language=None):
        self.language = language or get_language() or ENGLISH
        self.trial = trial
        self.by_subject = {}
        if self.language == ENGLISH:
            return
        kinds = ContentType.objects.get_for_models(type(trial), GlossaryTerm, DrugApproval)
        shared = [kinds[GlossaryTerm], kinds[DrugApproval]]
        reviews = TranslationReview.objects.filter(language=self.language).filter(
            Q(content_type=kinds[type(trial)], object_id=trial.pk) | Q(content_type__in=shared)
        )
        names = {kind.pk: kind.model for kind in kinds.values()}
        self.by_subject = {(names[r.content_type_id], r.object_id): r for r in reviews}

    def review(self, obj):
        """The review of obj's translation, when the text is still the text reviewed."""
        review = self.by_subject.get((obj._meta.model_name, obj.pk))
        if review and review.text_digest == text_digest(obj, self.language):
            return review
        return None

    def text(self, obj, field):
        english = getattr(obj, localized(field, ENGLISH)) or ""
        if self.language == ENGLISH:
            return Curated(english, ENGLISH)
        translated = getattr(obj, localized(field, self.language)) or ""
        if translated and self.review(obj):
            return Curated(translated, self.language)
        return Curated(english, ENGLISH, english_instead=bool(english))

    def __getattr__(self, field):
        """{{ curated.plain_summary }} in a template: the trial's field."""
        if field.startswith("_"):
            raise AttributeError(field)
        return self.text(self.trial, field)

    @property
    def title(self):
        """The trial's title as the page heads it: its plain title in the page's language once
        reviewed, else the English plain title or the registry's title (Trial.title)."""
        plain = self.text(self.trial, "plain_title")
        if plain and not plain.english_instead:
            return plain
        return Curated(self.trial.title, ENGLISH, english_instead=self.language != ENGLISH)

    @property
    def trial_review(self):
        """The review the page names ("Spanish text reviewed by ... on ..."), when any of the
        trial's text is shown translated."""
        return None if self.language == ENGLISH else self.review(self.trial)
