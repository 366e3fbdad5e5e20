"""Who reviewed a translation of curated text, and when: the public pages show a translation
only with its review (trials/translations.py)."""

import hashlib

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone

from .trial import TRANSLATED_FIELDS as TRIAL_FIELDS

# The languages curated text is translated into: every language but the English it is written in.
TRANSLATED_LANGUAGES = [(code, name) for code, name in settings.LANGUAGES if code != "en"]
# The curated fields translated, by model (trials/translation.py gives each its columns).
TRANSLATED = {
    "trial": TRIAL_FIELDS,
    "glossaryterm": ("term", "definition"),
    "drugapproval": ("indications",),
}


def localized(name, language):
    """modeltranslation's column of a field in a language: plain_title, zh-hans ->
    plain_title_zh_hans."""
    return f"{name}_{language.replace('-', '_')}"


def text_digest(obj, language):
    """A fingerprint of an object's translated text in one language: a review holds the one of the
    text reviewed, so that text changed since is not shown as reviewed."""
    fields = TRANSLATED[obj._meta.model_name]
    text = "\x1f".join(getattr(obj, localized(name, language)) or "" for name in fields)
    return hashlib.sha256(text.encode()).hexdigest()


class TranslationReview(models.Model):
    """A reviewer's sign-off of the translation of one trial's, glossary term's or drug approval's
    curated text into one language, as it stood then."""

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.PositiveBigIntegerField()
    subject = GenericForeignKey("content_type", "object_id")
    language = models.CharField(max_length=10, choices=TRANSLATED_LANGUAGES)
    reviewed_by = models.CharField(
        max_length=200,
        help_text='Shown on the page as written, e.g. "María López, pediatric nurse". Someone '
        "who writes the language well and read the translation against the English; never a "
        "machine translation unread.",
    )
    reviewed_on = models.DateField(default=timezone.localdate)
    text_digest = models.CharField(
        max_length=64,
        editable=False,
        help_text="The text as reviewed: a translation changed since is hidden until reviewed "
        "again.",
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        editable=False,
        related_name="+",
    )

    class Meta:
        ordering = ["content_type", "object_id", "language"]
        constraints = [
            # One review per text and language: the page names one reviewer.
            models.UniqueConstraint(
                fields=["content_type", "object_id", "language"],
                name="one_review_per_translation",
            ),
        ]

    def __str__(self):
        return (
            f"{self.get_language_display()}: reviewed by {self.reviewed_by} on {self.reviewed_on}"
        )
