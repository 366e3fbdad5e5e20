"""What all trials share: the glossary, the drug approvals, and the words spelling is checked
against."""

from django.contrib import admin

from .. import models as m
from .forms import GlossaryTermForm
from .site import HistoryAdmin


@admin.register(m.GlossaryTerm)
class GlossaryTermAdmin(HistoryAdmin):
    form = GlossaryTermForm
    list_display = ["term", "definition"]
    search_fields = ["term", "definition"]


@admin.register(m.DrugApproval)
class DrugApprovalAdmin(HistoryAdmin):
    list_display = ["drug", "jurisdiction", "brand_name"]
    search_fields = ["drug", "jurisdiction", "brand_name"]


@admin.register(m.SearchTerm)
class SearchTermAdmin(admin.ModelAdmin):
    """The words misspelled searches are corrected against; rebuilt from the trials."""

    search_fields = ["word"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
