"""A first admin for curators; the curation workspace issue builds on it."""

from django.contrib import admin
from django.db import models

from . import models as m

# Links typed without a scheme are taken as https (Django 6's default).
URL_FIELDS = {models.URLField: {"assume_scheme": "https"}}


class ChildInline(admin.StackedInline):
    extra = 0
    show_change_link = True
    formfield_overrides = URL_FIELDS


class ArmInline(ChildInline):
    model = m.Arm
    filter_horizontal = ["interventions"]


class InterventionInline(ChildInline):
    model = m.Intervention


class SiteInline(admin.TabularInline):
    model = m.Site
    extra = 0
    fields = ["facility", "city", "state", "zip", "country", "status", "latitude", "longitude"]


class ContactInline(admin.TabularInline):
    model = m.Contact
    extra = 0
    fields = ["kind", "site", "name", "role", "phone", "phone_ext", "email"]
    raw_id_fields = ["site"]


class PublicationInline(ChildInline):
    model = m.Publication


class OutcomeInline(ChildInline):
    model = m.Outcome


@admin.register(m.Trial)
class TrialAdmin(admin.ModelAdmin):
    formfield_overrides = URL_FIELDS
    list_display = [
        "nct_id",
        "brief_title",
        "overall_status",
        "publication_state",
        "last_update_post_date",
    ]
    list_filter = ["publication_state", "overall_status", "study_type"]
    search_fields = ["nct_id", "brief_title", "acronym", "lead_sponsor_name", "sites__city"]
    readonly_fields = [
        "source_format",
        "source_name",
        "source_record",
        "imported_at",
        "import_warnings",
    ]
    inlines = [
        ArmInline,
        InterventionInline,
        OutcomeInline,
        SiteInline,
        ContactInline,
        PublicationInline,
    ]


admin.site.register(m.DrugApproval)
