"""The curated text that curators translate: one column per language beside the English
(plain_title_en, plain_title_es, plain_title_zh_hans), made by django-modeltranslation.

Registry text is never translated: it is shown as the registry gives it. The public pages read a
translation only through trials/translations.py, which shows it once a reviewer signed it off.
The history models get the same columns, so that simple_history records every language.
"""

from modeltranslation.translator import TranslationOptions, register

from .models import DrugApproval, GlossaryTerm, Trial
from .models.trial import TRANSLATED_FIELDS


class Options(TranslationOptions):
    pass


@register(Trial)
class TrialTranslation(Options):
    fields = TRANSLATED_FIELDS


@register(GlossaryTerm)
class GlossaryTermTranslation(Options):
    fields = ("term", "definition")


@register(DrugApproval)
class DrugApprovalTranslation(Options):
    fields = ("indications",)


@register(Trial.history.model)
class HistoricalTrialTranslation(Options):
    fields = TRANSLATED_FIELDS


@register(GlossaryTerm.history.model)
class HistoricalGlossaryTermTranslation(Options):
    fields = ("term", "definition")


@register(DrugApproval.history.model)
class HistoricalDrugApprovalTranslation(Options):
    fields = ("indications",)
