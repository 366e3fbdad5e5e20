"""The curated text that curators translate: one column per language beside the English
(plain_title_en, plain_title_es, plain_title_zh_hans), made by django-modeltranslation.

Registry text is never translated: it is shown as the registry gives it. The public pages read a
translation only through trials/translations.py, which shows it once a reviewer signed it off.
The history models get the same columns, so that simple_history records every language.
"""

from modeltranslation.translator import TranslationOptions, register

from .models import DrugApproval, GlossaryTerm, Trial
from .models.translation import TRANSLATED


class Options(TranslationOptions):
    # A translation not written is "", as the English fields are (never NULL: one empty value).
    empty_values = ""


@register(Trial)
class TrialTranslation(Options):
    fields = TRANSLATED["trial"]


@register(GlossaryTerm)
class GlossaryTermTranslation(Options):
    fields = TRANSLATED["glossaryterm"]
    # A term is unique in each language: one not translated is NULL, not one more "".
    empty_values = {"term": None, "definition": ""}


@register(DrugApproval)
class DrugApprovalTranslation(Options):
    fields = TRANSLATED["drugapproval"]


@register(Trial.history.model)
class HistoricalTrialTranslation(Options):
    fields = TRANSLATED["trial"]


@register(GlossaryTerm.history.model)
class HistoricalGlossaryTermTranslation(Options):
    fields = TRANSLATED["glossaryterm"]


@register(DrugApproval.history.model)
class HistoricalDrugApprovalTranslation(Options):
    fields = TRANSLATED["drugapproval"]
