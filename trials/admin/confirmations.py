"""Every site's confirmations by our staff in one list, to see who was asked when. They are
recorded on each site's page (rows.SiteConfirmationInline); this list is for looking across."""

from django.contrib import admin
from django.db import transaction

from .. import models as m
from ..cache import catalogue_changed
from .site import HistoryAdmin


@admin.register(m.SiteConfirmation)
class SiteConfirmationAdmin(HistoryAdmin):
    list_display = ["__str__", "site", "trial", "method", "public_note", "recorded_by"]
    list_filter = ["answer", "method", ("confirmed_on", admin.DateFieldListFilter)]
    list_select_related = ["site__trial", "recorded_by"]
    search_fields = ["site__trial__nct_id", "site__facility", "site__city"]
    autocomplete_fields = ["site"]
    readonly_fields = ["recorded_by", "recorded_at"]
    date_hierarchy = "confirmed_on"

    @admin.display(description="Trial", ordering="site__trial__nct_id")
    def trial(self, confirmation):
        return confirmation.site.trial.nct_id

    def save_model(self, request, obj, form, change):
        if not change:
            obj.recorded_by = request.user
        super().save_model(request, obj, form, change)
        transaction.on_commit(catalogue_changed)  # the trial page and the list's counts show it

    def delete_model(self, request, obj):
        super().delete_model(request, obj)
        transaction.on_commit(catalogue_changed)

    def delete_queryset(self, request, queryset):
        super().delete_queryset(request, queryset)
        transaction.on_commit(catalogue_changed)
