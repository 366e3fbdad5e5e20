"""The trial's admin: its list (columns, filters, actions) and its page (fieldsets, rows inline,
what the latest import changed, the record as imported)."""

import contextlib
import json

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import flatten
from django.db import models, transaction
from django.shortcuts import get_object_or_404
from django.urls import path
from django.utils import timezone

from .. import changes, curation
from .. import models as m
from ..cache import catalogue_changed
from ..models.trial import PATIENT_TEXT_FIELDS
from ..vocabularies import Phase
from .add_from_registry import add_view
from .corrections import CorrectionInline
from .forms import TrialForm
from .fragments import fragment
from .history import row_changes
from .plain_language import readability_view, warn_if_hard
from .quality import (
    ConfirmedOpenFilter,
    LastCheckedFilter,
    ProblemFilter,
    problem_labels,
    quality_csv_view,
    quality_view,
    warnings_in_words,
)
from .refresh import refresh_selected, refresh_view
from .rows import (
    ROW_KINDS,
    ArmInline,
    ContactInline,
    InterventionInline,
    OutcomeInline,
    PublicationInline,
    SecondaryIdInline,
    SiteInline,
    inline_kinds,
    save_rows,
    screens_of,
)
from .site import FIRST_SCREEN, HistoryAdmin
from .translations import (
    TranslatedAdmin,
    TranslationReviewInline,
    language_fieldsets,
    warn_if_unreviewed,
)
from .withdraw import withdraw_selected, withdraw_view


class PriorTreatmentRuleInline(admin.TabularInline):
    """What the trial says of each earlier treatment; a treatment without a row is not stated."""

    model = m.PriorTreatmentRule
    extra = 0
    fields = ["treatment", "rule", "evidence"]
    verbose_name = "earlier treatment the trial requires, allows or excludes"
    verbose_name_plural = "Attributes: earlier treatments (a treatment not listed is not stated)"
    formfield_overrides = {models.TextField: {"widget": forms.Textarea(attrs={"rows": 2})}}


# A class of fieldsets: facts only the registry may state (its own dates, identifiers, headings),
# read-only, since a "correction" of them would misstate what the registry said.
REGISTRY_ONLY = "registry-only"


class PhaseFilter(admin.SimpleListFilter):
    title = "phase"
    parameter_name = "phase"

    def lookups(self, request, model_admin):
        return Phase.choices

    def queryset(self, request, queryset):
        return queryset.in_phase(self.value()) if self.value() in Phase.values else queryset


def unfolded_where(fieldsets, errors):
    """The fieldsets, with those holding a field in `errors` no longer folded."""
    unfolded = []
    for name, options in fieldsets:
        if set(flatten(options["fields"])) & set(errors):
            classes = [c for c in options.get("classes", []) if c != "collapse"]
            options = {**options, "classes": classes}
        unfolded.append((name, options))
    return unfolded


@admin.register(m.Trial)
class TrialAdmin(TranslatedAdmin, HistoryAdmin):
    form = TrialForm
    object_history_template = "admin/trials/trial/object_history.html"
    list_display = [
        "nct_id",
        "title_column",
        "overall_status",
        "phases_column",
        "publication_state",
        "last_update_post_date",
        "last_checked",
        "problems_column",
    ]
    list_filter = [
        "publication_state",
        "attributes_state",
        "overall_status",
        PhaseFilter,
        ("last_update_post_date", admin.DateFieldListFilter),
        LastCheckedFilter,
        ProblemFilter,
        ConfirmedOpenFilter,
        "study_type",
    ]
    search_fields = [
        "nct_id",
        "brief_title",
        "official_title",
        "plain_title",
        "acronym",
        "lead_sponsor_name",
        "sites__city",
    ]
    search_help_text = "NCT ID, title, acronym, sponsor or a site's city."
    list_per_page = 50
    actions = [
        "publish",
        "withdraw",
        "mark_checked",
        "confirm_attributes",
        "refresh_from_registry",
    ]
    save_on_top = True
    inlines = [
        ContactInline,
        SiteInline,
        CorrectionInline,
        ArmInline,
        InterventionInline,
        PublicationInline,
        OutcomeInline,
        SecondaryIdInline,
        TranslationReviewInline,
        PriorTreatmentRuleInline,
    ]
    readonly_fields = [
        "attributes_state",
        "attributes_confirmed_by",
        "attributes_confirmed_on",
        "attributes_evidence_shown",
        "is_synthetic",
        "minimum_age_years",
        "maximum_age_years_exclusive",
        "row_screens",
        "latest_import",
        "warnings",
        "source_format",
        "source_name",
        "imported_at",
        "registry_record",
    ]
    # The first screen holds what curators correct most (FIRST_SCREEN: these fieldsets and the
    # contacts); the registry's fields follow, folded by section, those only the registry may
    # state (REGISTRY_ONLY) read-only.
    fieldsets = [
        (
            "Publication and checking",
            {
                "classes": [FIRST_SCREEN],
                "fields": [
                    "publication_state",
                    "last_checked",
                    "curation_note",
                    "is_synthetic",
                ],
            },
        ),
        (
            "For patients, in plain words",
            {
                "classes": [FIRST_SCREEN],
                "description": "Written by curators. Imports never change these.",
                "fields": list(PATIENT_TEXT_FIELDS),
            },
        ),
        *language_fieldsets("trial"),
        (
            "Status and dates",
            {
                "classes": [FIRST_SCREEN],
                "description": (
                    "From here on, the registry's fields. A value you change is kept as a "
                    "correction: imports leave it alone, and show the registry's value beside it."
                ),
                "fields": [
                    "overall_status",
                    "why_stopped",
                    ("start_date", "start_date_precision", "start_date_type"),
                    (
                        "primary_completion_date",
                        "primary_completion_date_precision",
                        "primary_completion_date_type",
                    ),
                    ("completion_date", "completion_date_precision", "completion_date_type"),
                ],
            },
        ),
        (
            "Sites, outcomes and other parts, on their own screens",
            {"classes": [FIRST_SCREEN], "fields": ["row_screens"]},
        ),
        (
            "Titles",
            {"fields": ["nct_id", "brief_title", "official_title", "acronym"]},
        ),
        (
            "What the latest import changed",
            {"fields": ["latest_import", "warnings"]},
        ),
        (
            "Who the trial is for (curated attributes)",
            {
                # Folded, so the first screen stays short; the data quality page links to it,
                # which opens it.
                "classes": ["collapse"],
                "description": (
                    "What the filters and the pre-screener read. The import suggests them from "
                    "the record; check each against the record's words (below), correct it, "
                    "and confirm. Leave a list empty where the record does not say: empty means "
                    "“not stated”, which never rules a family out. The earlier treatments are in "
                    "their own table at the foot of the page."
                ),
                "fields": [
                    ("attributes_state", "attributes_confirmed_by", "attributes_confirmed_on"),
                    *m.LIST_ATTRIBUTES,
                    "attributes_evidence_shown",
                    "confirm_attributes",
                ],
            },
        ),
        (
            "Sponsor",
            {"classes": ["collapse"], "fields": [("lead_sponsor_name", "lead_sponsor_class")]},
        ),
        (
            "Description",
            {"classes": ["collapse"], "fields": ["brief_summary", "detailed_description"]},
        ),
        ("Conditions", {"classes": ["collapse"], "fields": ["conditions", "keywords"]}),
        (
            "Design",
            {
                "classes": ["collapse"],
                "fields": [
                    "study_type",
                    "phases",
                    ("allocation", "intervention_model"),
                    "intervention_model_description",
                    "primary_purpose",
                    ("observational_model", "time_perspective"),
                    "masking",
                    "masking_description",
                    "who_masked",
                    ("enrollment_count", "enrollment_type"),
                    ("patient_registry", "target_duration"),
                ],
            },
        ),
        (
            "Eligibility",
            {
                "classes": ["collapse"],
                "fields": [
                    "eligibility_criteria",
                    ("healthy_volunteers", "sex"),
                    ("gender_based", "gender_description"),
                    ("minimum_age", "minimum_age_years"),
                    ("maximum_age", "maximum_age_years_exclusive"),
                    "std_ages",
                    "study_population",
                    "sampling_method",
                ],
            },
        ),
        (
            "The registry's identifiers (read-only)",
            {
                "classes": ["collapse", REGISTRY_ONLY],
                "fields": [
                    "nct_id_aliases",
                    ("org_study_id", "org_study_id_type"),
                    "org_study_id_link",
                    ("organization_name", "organization_class"),
                ],
            },
        ),
        (
            "The registry's own dates (read-only)",
            {
                "classes": ["collapse", REGISTRY_ONLY],
                "fields": [
                    "last_known_status",
                    ("status_verified_date", "status_verified_date_precision"),
                    (
                        "study_first_submit_date",
                        "study_first_post_date",
                        "study_first_post_date_type",
                    ),
                    (
                        "results_first_submit_date",
                        "results_first_post_date",
                        "results_first_post_date_type",
                    ),
                    (
                        "last_update_submit_date",
                        "last_update_post_date",
                        "last_update_post_date_type",
                    ),
                ],
            },
        ),
        (
            "Responsibility (read-only)",
            {
                "classes": ["collapse", REGISTRY_ONLY],
                "fields": [
                    "responsible_party_type",
                    "responsible_party_investigator_name",
                    "responsible_party_investigator_title",
                    "responsible_party_investigator_affiliation",
                    "responsible_party_old_name_title",
                    "responsible_party_old_organization",
                ],
            },
        ),
        (
            "Oversight and results (read-only)",
            {
                "classes": ["collapse", REGISTRY_ONLY],
                "fields": [
                    "oversight_has_dmc",
                    ("is_fda_regulated_drug", "is_fda_regulated_device"),
                    ("is_unapproved_device", "is_ppsd", "is_us_export"),
                    ("has_expanded_access", "has_results"),
                ],
            },
        ),
        (
            "Sharing individual participant data (read-only)",
            {
                "classes": ["collapse", REGISTRY_ONLY],
                "fields": [
                    "ipd_sharing",
                    "ipd_sharing_description",
                    "ipd_sharing_info_types",
                    "ipd_sharing_time_frame",
                    "ipd_sharing_access_criteria",
                    "ipd_sharing_url",
                ],
            },
        ),
        (
            "Medical subject headings (the registry's, read-only)",
            {
                "classes": ["collapse", REGISTRY_ONLY],
                "fields": [
                    "condition_meshes",
                    "condition_ancestors",
                    "intervention_meshes",
                    "intervention_ancestors",
                ],
            },
        ),
        (
            "The registry record as last imported",
            {
                "classes": ["collapse"],
                "fields": ["source_format", "source_name", "imported_at", "registry_record"],
            },
        ),
    ]

    class Media:
        # The live reading grade beside the plain-language fields.
        css = {"all": ["css/readability.css"]}
        js = ["js/readability.js"]

    def get_queryset(self, request):
        return super().get_queryset(request).with_problem_flags()

    def get_inlines(self, request, obj):
        kinds = inline_kinds(obj)
        return [i for i in self.inlines if i.model in kinds or i.model not in ROW_KINDS]

    def render_change_form(self, request, context, *args, **kwargs):
        # A folded section holding a field with an error opens, so that the message is seen
        # (Django's own check misses fields that share a line).
        adminform = context.get("adminform")
        if adminform is not None and adminform.form.errors:
            adminform.fieldsets = unfolded_where(adminform.fieldsets, adminform.form.errors)
        return super().render_change_form(request, context, *args, **kwargs)

    def get_readonly_fields(self, request, obj=None):
        fields = [*super().get_readonly_fields(request, obj), *self.registry_only_fields()]
        if obj is not None:
            fields.append("nct_id")  # the registry's key: a different trial is a new record
        if not self.has_publish_permission(request):
            fields.append("publication_state")
        return fields

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        state = form.base_fields.get("publication_state")  # a new field for each form class
        if state and (obj is None or obj.publication_state != m.PublicationState.WITHDRAWN):
            # Withdrawing asks why, on its own screen (withdraw.py): it is no choice here.
            state.choices = [c for c in state.choices if c[0] != m.PublicationState.WITHDRAWN]
        return form

    def registry_only_fields(self):
        return [
            name
            for _, options in self.fieldsets
            if REGISTRY_ONLY in options.get("classes", [])
            for name in flatten(options["fields"])
        ]

    def has_publish_permission(self, request):
        return request.user.has_perm("trials.publish_trial")

    # List columns

    @admin.display(description="Title", ordering="brief_title")
    def title_column(self, trial):
        return trial.plain_title or trial.brief_title or trial.official_title

    @admin.display(description="Phases")
    def phases_column(self, trial):
        return ", ".join(trial.phase_labels)

    @admin.display(description="Problems")
    def problems_column(self, trial):
        return problem_labels(trial)

    # Read-only parts of the page

    @admin.display(description="Changes")
    def latest_import(self, trial):
        if not trial.imported_at:
            return "Not imported from the registry."
        return fragment(
            "latest_import",
            changes=trial.import_changes,
            when=f"{timezone.localtime(trial.imported_at):%Y-%m-%d %H:%M}",
            source_name=trial.source_name,
        )

    @admin.display(description="Import warnings")
    def warnings(self, trial):
        if not trial.import_warnings:
            return "None."
        words = warnings_in_words(trial, read_only=self.registry_only_fields())
        return fragment("warnings", warnings=words)

    @admin.display(description="The record's words")
    def attributes_evidence_shown(self, trial):
        # The earlier treatments' own words are also in their table, where a curator edits them.
        said = trial.attributes_evidence or {}
        labels = {
            **{name: m.Trial._meta.get_field(name).verbose_name for name in m.LIST_ATTRIBUTES},
            **dict(m.PriorTreatment.choices),
        }
        evidence = [
            (str(labels.get(name, name)).capitalize(), words) for name, words in said.items()
        ]
        return fragment("attributes_evidence", evidence=evidence)

    @admin.display(description="Rows")
    def row_screens(self, trial):
        if trial.pk is None:
            return "Save the trial first, then add its sites and other parts."
        inline = {inline.model for inline in self.get_inlines(None, trial)}
        return fragment("row_screens", kinds=screens_of(trial, inline))

    @admin.display(description="Record")
    def registry_record(self, trial):
        text = trial.source_record
        if trial.source_format == m.SourceFormat.API_V2_JSON:
            with contextlib.suppress(ValueError):
                text = json.dumps(json.loads(text), indent=2, ensure_ascii=False)
        return fragment("registry_record", text=text or "-")

    # Saving: corrections, rows, search

    def save_model(self, request, obj, form, change):
        before = m.Trial.objects.filter(pk=obj.pk).first() if change else None
        # Published from its form for the first time: "first listed here" is now (changes.py).
        # (The history is asked only when the state changes: a save adds no query.)
        first_publication = obj.publication_state == m.PublicationState.PUBLISHED and (
            before is None
            or (
                before.publication_state != m.PublicationState.PUBLISHED
                and not curation.was_ever_published(before)
            )
        )
        super().save_model(request, obj, form, change)
        if before is not None:
            curation.record_corrections(obj, before=before, user=request.user)
        if first_publication:
            changes.record_first_publication(obj)

    def save_formset(self, request, form, formset, change):
        if formset.model in (m.TranslationReview, m.PriorTreatmentRule):
            return super().save_formset(request, form, formset, change)
        save_rows(request, formset)

    def save_related(self, request, form, formsets, change):
        # Corrections ticked for deletion are dropped last, once the rows are saved: dropping
        # re-applies the registry's record to the trial and its rows.
        dropped = []
        form.save_m2m()
        for formset in formsets:
            if formset.model is m.Correction:
                formset.save(commit=False)
                dropped += formset.deleted_objects
            else:
                self.save_formset(request, form, formset, change=change)
        trial = form.instance
        if dropped:
            curation.drop_corrections(dropped, user=request.user)
            trial.refresh_from_db()
        if form.cleaned_data.get("confirm_attributes"):
            curation.confirm_attributes([trial], user=request.user, day=timezone.localdate())
        curation.refresh_search(trial)
        warn_if_hard(request, trial)
        warn_if_unreviewed(request, trial)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        response = super().history_form_view(request, object_id, version_id, extra_context)
        if request.method == "POST" and response.status_code == 302:
            curation.refresh_search(m.Trial.objects.get(pk=object_id))
        return response

    def delete_model(self, request, obj):
        super().delete_model(request, obj)
        transaction.on_commit(catalogue_changed)  # its page and counts must go at once

    def delete_queryset(self, request, queryset):
        super().delete_queryset(request, queryset)
        transaction.on_commit(catalogue_changed)

    def history_view(self, request, object_id, extra_context=None):
        trial = get_object_or_404(m.Trial, pk=object_id)
        context = {"row_changes": row_changes(trial), **(extra_context or {})}
        return super().history_view(request, object_id, extra_context=context)

    # Actions

    @admin.action(description="Publish the selected trials", permissions=["publish"])
    def publish(self, request, queryset):
        changed, skipped = curation.set_publication_state(
            queryset, m.PublicationState.PUBLISHED, user=request.user
        )
        self.message_user(request, f"{len(changed)} trial(s) published.", messages.SUCCESS)
        if skipped:
            self.message_user(
                request,
                f"Not published, because made up for tests (synthetic trials are never public): "
                f"{', '.join(trial.nct_id for trial in skipped)}.",
                messages.WARNING,
            )

    @admin.action(description="Withdraw the selected trials from the site", permissions=["publish"])
    def withdraw(self, request, queryset):
        return withdraw_selected(self, request, queryset)

    @admin.action(description="Mark the selected trials as checked today", permissions=["change"])
    def mark_checked(self, request, queryset):
        curation.mark_checked(queryset, user=request.user, day=timezone.localdate())
        self.message_user(request, f"{queryset.count()} trial(s) marked as checked today.")

    @admin.action(
        description="Confirm the attributes of the selected trials", permissions=["change"]
    )
    def confirm_attributes(self, request, queryset):
        curation.confirm_attributes(queryset, user=request.user, day=timezone.localdate())
        self.message_user(
            request, f"The attributes of {queryset.count()} trial(s) confirmed in your name."
        )

    @admin.action(
        description="Refresh the selected trials from the registry (live)", permissions=["change"]
    )
    def refresh_from_registry(self, request, queryset):
        refresh_selected(self, request, queryset)

    # Extra pages: refresh one trial with a preview, and the data quality page

    def get_urls(self):
        return [
            path(
                "add-from-registry/",
                self.admin_site.admin_view(self.add_from_registry_view),
                name="trials_trial_add_from_registry",
            ),
            path(
                "<path:object_id>/withdraw/",
                self.admin_site.admin_view(self.withdraw_view),
                name="trials_trial_withdraw",
            ),
            path(
                "<path:object_id>/refresh/",
                self.admin_site.admin_view(self.refresh_view),
                name="trials_trial_refresh",
            ),
            path(
                "quality/",
                self.admin_site.admin_view(self.quality_view),
                name="trials_trial_quality",
            ),
            path(
                "quality/export.csv",
                self.admin_site.admin_view(self.quality_csv_view),
                name="trials_trial_quality_csv",
            ),
            path(
                "readability/",
                self.admin_site.admin_view(self.readability_view),
                name="trials_trial_readability",
            ),
            *super().get_urls(),
        ]

    def refresh_view(self, request, object_id):
        return refresh_view(self, request, object_id)

    def quality_view(self, request):
        return quality_view(self, request)

    def add_from_registry_view(self, request):
        return add_view(self, request)

    def withdraw_view(self, request, object_id):
        return withdraw_view(self, request, object_id)

    def quality_csv_view(self, request):
        return quality_csv_view(self, request)

    def readability_view(self, request):
        return readability_view(self, request)
