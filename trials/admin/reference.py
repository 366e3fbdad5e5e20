"""What all trials share: the glossary, the drug approvals, and the words spelling is checked
against."""

from django.contrib import admin

from .. import models as m
from .forms import GlossaryTermForm
from .site import HistoryAdmin
from .translations import TranslatedAdmin, TranslationReviewInline, language_fieldsets


@admin.register(m.GlossaryTerm)
class GlossaryTermAdmin(TranslatedAdmin, HistoryAdmin):
    form = GlossaryTermForm
    list_display = ["term", "definition"]
    search_fields = ["term_en", "definition_en", "term_es", "term_zh_hans"]
    fieldsets = [
        (None, {"fields": ["term", "also_matches", "definition"]}),
        *language_fieldsets("glossaryterm"),
    ]
    inlines = [TranslationReviewInline]


@admin.register(m.DrugApproval)
class DrugApprovalAdmin(TranslatedAdmin, HistoryAdmin):
    list_display = ["drug", "jurisdiction", "brand_name"]
    search_fields = ["drug", "jurisdiction", "brand_name"]
    fieldsets = [
        (None, {"fields": ["drug", "jurisdiction", "brand_name", "indications", "source"]}),
        *language_fieldsets("drugapproval"),
    ]
    inlines = [TranslationReviewInline]


@admin.register(m.SearchTerm)
class SearchTermAdmin(admin.ModelAdmin):
    """The words searches know. Curators keep those in other languages, each with the English it
    means (README, "Curating"); the English ones, the spelling vocabulary, are rebuilt from the
    trials and only seen here."""

    list_display = ["word", "language", "means", "source"]
    list_filter = ["language"]
    search_fields = ["word", "means"]
    fields = ["word", "language", "means", "source"]

    def has_change_permission(self, request, obj=None):
        english = obj is not None and obj.language == "en"
        return not english and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        english = obj is not None and obj.language == "en"
        return not english and super().has_delete_permission(request, obj)
