"""The curators' workspace: the Django admin, tuned for staff who keep the records right.

Curators edit a trial and its rows on one page. An edit of a value an import wrote becomes a
correction that later imports keep (trials/curation.py); every save is in the history
(django-simple-history) with who made it, and can be reverted; publishing and withdrawing are
actions; a refresh re-reads the registry and shows what changed; the data quality page lists what
needs a curator. After every save the trial's search columns are rebuilt, in save_related, where
the rows have been saved too. README, "Curating", tells the workflow.
"""

import contextlib
import datetime
import json
from collections import defaultdict

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db import models, transaction
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from simple_history.admin import SimpleHistoryAdmin

from portal.security import LoginForm

from . import curation
from . import models as m
from .cache import catalogue_changed
from .importer import ROW_FIELDS
from .parsing import ValueProblem, age_bounds
from .registry_record import RecordError
from .values import from_json, label, shown
from .vocabularies import Phase, StandardAge

admin.site.site_header = "Blinatumomab trials: curators' workspace"
admin.site.site_title = "Curators' workspace"
admin.site.index_title = "Trials and what belongs to them"
admin.site.login_form = LoginForm
# The trial page's rows (a site: name, place, status, coordinates...) need the page's width.
admin.site.enable_nav_sidebar = False

CHECK_EVERY = datetime.timedelta(days=365)
HISTORY_LIST = "admin/trials/history_list.html"
REFRESH_LIMIT = 50  # trials one refresh action reads live, to stay within a request's time


# Form fields


class RegistryText(forms.CharField):
    """Text kept as given: not stripped, and a browser's CRLF line ends read as LF, so that
    saving a page changes no value the curator did not touch."""

    def __init__(self, *, strip=False, **kwargs):
        super().__init__(strip=False, **kwargs)

    def to_python(self, value):
        value = super().to_python(value)
        return value.replace("\r\n", "\n") if isinstance(value, str) else value


class Lines(forms.CharField):
    """A list of texts, one per line."""

    widget = forms.Textarea(attrs={"rows": 3})

    def __init__(self, *, encoder=None, decoder=None, max_length=None, **kwargs):
        kwargs.setdefault("help_text", "One per line.")
        super().__init__(**kwargs)

    def prepare_value(self, value):
        return "\n".join(value) if isinstance(value, list) else value

    def to_python(self, value):
        return [line.strip() for line in (value or "").splitlines() if line.strip()]


class Choices(forms.MultipleChoiceField):
    """A list of vocabulary values as check boxes, in the vocabulary's order."""

    widget = forms.CheckboxSelectMultiple

    def __init__(self, *, encoder=None, decoder=None, max_length=None, **kwargs):
        super().__init__(**kwargs)

    def clean(self, value):
        order = [choice for choice, _ in self.choices]
        return sorted(super().clean(value), key=order.index)


def with_unknown(choices, values):
    """Choices plus any value a record gave that the vocabulary does not know yet, so that a
    curator can save the page without losing it."""
    known = {choice for choice, _ in choices}
    extra = [value for value in values if value and value not in known]
    return [*choices, *[(value, f"{value} (as the registry gives it)") for value in extra]]


TEXT_FIELDS = {
    models.CharField: {"form_class": RegistryText},
    models.TextField: {"form_class": RegistryText},
    # Links typed without a scheme are taken as https (Django 6's default).
    models.URLField: {"assume_scheme": "https"},
}


class CuratedForm(forms.ModelForm):
    """Keeps unknown vocabulary values selectable, and marks fields a curator corrected with
    the registry's value beside them."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            if isinstance(field, forms.TypedChoiceField):  # a vocabulary, not another row
                value = getattr(self.instance, name, "")
                if isinstance(value, str):
                    field.choices = with_unknown(list(field.choices), [value])
        for correction in corrections_of(self.instance):
            if correction.field in self.fields:
                field = self.fields[correction.field]
                field.help_text = format_html(
                    '<span class="curated">Corrected by a curator. The registry says: '
                    "<q>{}</q>{}</span> {}",
                    shown_correction(correction),
                    " (changed since the correction)" if correction.registry_changed else "",
                    field.help_text,
                )


LIST_FIELDS = [
    "nct_id_aliases",
    "conditions",
    "keywords",
    "who_masked",
    "ipd_sharing_info_types",
    "condition_meshes",
    "condition_ancestors",
    "intervention_meshes",
    "intervention_ancestors",
]


class TrialForm(CuratedForm):
    class Meta:
        field_classes = {
            **{name: Lines for name in LIST_FIELDS},
            "phases": Choices,
            "std_ages": Choices,
        }
        # Titles are a line or two; the admin's default text box is ten lines.
        widgets = {
            name: forms.Textarea(attrs={"rows": 2, "class": "vLargeTextField"})
            for name in ("brief_title", "official_title", "why_stopped")
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "enrollment_count" in self.fields:
            messages = self.fields["enrollment_count"].error_messages
            messages["min_value"] = "Enrollment cannot be negative."
        for name, vocabulary in (("phases", Phase), ("std_ages", StandardAge)):
            if name in self.fields:
                values = getattr(self.instance, name) or []
                self.fields[name].choices = with_unknown(vocabulary.choices, values)

    def clean(self):
        cleaned = super().clean()
        # The ages in years that searches use follow the ages as written; Trial.clean names
        # an age it cannot read.
        try:
            low, high = age_bounds(
                cleaned.get("minimum_age", self.instance.minimum_age),
                cleaned.get("maximum_age", self.instance.maximum_age),
            )
        except ValueProblem:
            pass
        else:
            self.instance.minimum_age_years = low
            self.instance.maximum_age_years_exclusive = high
        return cleaned


class RowForm(CuratedForm):
    pass


class InterventionForm(RowForm):
    class Meta:
        field_classes = {"other_names": Lines}


class RelatedTrialForm(RowForm):
    class Meta:
        field_classes = {"phases": Lines}


# Corrections, shown where the corrected value is


def corrections_of(obj):
    """The corrections of a trial's own fields, or of one row's; looked up once per trial."""
    if obj is None or obj.pk is None:
        return []
    trial, part, key = curation.where(obj)
    if part != "trial" and not key:
        return []
    cache = trial.__dict__.get("_corrections_by_row")
    if cache is None:
        cache = defaultdict(list)
        for correction in trial.corrections.all():
            cache[(correction.part, correction.registry_key)].append(correction)
        trial.__dict__["_corrections_by_row"] = cache
    return cache[(part, key)]


def row_model(part):
    return next(model for model in ROW_FIELDS if model._meta.model_name == part)


def correction_model(correction):
    return m.Trial if correction.part == "trial" else row_model(correction.part)


def shown_correction(correction):
    """The registry's value a correction keeps out, in words."""
    if correction.removes_row:
        return "the row" if correction.in_registry else "nothing: it dropped the row"
    model = correction_model(correction)
    value = from_json(model, correction.field, correction.registry_value)
    return shown(model, correction.field, value)


def what_is_corrected(correction):
    field = label(correction_model(correction), correction.field) if correction.field else ""
    if correction.part == "trial":
        return field
    row = f"{correction.part.capitalize()}: {correction.row_label}"
    return f"{row}: {field}" if field else f"{row} (removed)"


@admin.display(description="Where it comes from")
def provenance(obj):
    if obj.pk is None:
        return "-"
    if not obj.registry_key:
        return "Added by a curator"
    corrections = corrections_of(obj)
    if any(correction.removes_row for correction in corrections):
        return "From the registry; removed by a curator"
    if not corrections:
        return "From the registry"
    return format_html(
        '<span class="curated">From the registry, corrected: {}</span>',
        format_html_join(
            "; ",
            "{} (registry: {})",
            [(label(type(obj), c.field), shown_correction(c)) for c in corrections],
        ),
    )


# The rows of a trial, inline on its page


class RowFormSet(forms.BaseInlineFormSet):
    def get_queryset(self):
        rows = super().get_queryset()
        if not getattr(self, "rows_linked", False):
            for row in rows:
                # The rows' trial (whose corrections they show) is this one: no query a row.
                row.trial = self.instance
            self.rows_linked = True
        return rows


class RowInline:
    """What every inline of registry rows shares; the trial's admin saves them (save_formset)."""

    extra = 0
    show_change_link = True
    formfield_overrides = TEXT_FIELDS
    form = RowForm
    formset = RowFormSet

    def get_fields(self, request, obj=None):
        return [*super().get_fields(request, obj), "provenance"]

    def get_readonly_fields(self, request, obj=None):
        return [*super().get_readonly_fields(request, obj), "provenance"]

    @admin.display(description="Where it comes from")
    def provenance(self, obj):
        return provenance(obj)


class StackedRowInline(RowInline, admin.StackedInline):
    pass


class TabularRowInline(RowInline, admin.TabularInline):
    pass


class ArmInline(StackedRowInline):
    model = m.Arm
    fields = ["label", "type", "description", "interventions", "stated_intervention_count"]

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        # An arm's interventions are the trial's own: tick them.
        trial_id = request.resolver_match.kwargs.get("object_id")
        kwargs["queryset"] = m.Intervention.objects.filter(trial_id=trial_id)
        kwargs["widget"] = forms.CheckboxSelectMultiple
        return super().formfield_for_manytomany(db_field, request, **kwargs)


class InterventionInline(StackedRowInline):
    model = m.Intervention
    form = InterventionForm
    fields = ["type", "name", "description", "other_names"]


class OutcomeInline(StackedRowInline):
    model = m.Outcome
    fields = ["kind", "measure", "description", "time_frame"]


def narrow(**sizes):
    """Text inputs of these widths (in characters), so that a row of many fits the page."""
    return {name: forms.TextInput(attrs={"size": size}) for name, size in sizes.items()}


class SiteForm(RowForm):
    class Meta:
        widgets = {
            **narrow(facility=24, city=12, state=12, zip=7, country=10),
            "latitude": forms.NumberInput(attrs={"style": "width: 7em"}),
            "longitude": forms.NumberInput(attrs={"style": "width: 7em"}),
        }


class ContactForm(RowForm):
    class Meta:
        widgets = narrow(name=20, role=14, phone=14, phone_ext=5, email=22)


class SiteInline(TabularRowInline):
    # The state and postal code are on each site's own page ("Change"), so that a row fits.
    model = m.Site
    form = SiteForm
    fields = [
        "facility",
        "city",
        "country",
        "status",
        "latitude",
        "longitude",
        "coordinates_approximate",
    ]


class ContactInline(TabularRowInline):
    model = m.Contact
    form = ContactForm
    fields = ["kind", "site", "name", "role", "phone", "phone_ext", "email"]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "site":
            # A contact's site is one of this trial's.
            trial_id = request.resolver_match.kwargs.get("object_id")
            kwargs["queryset"] = m.Site.objects.filter(trial_id=trial_id)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class PublicationInline(StackedRowInline):
    model = m.Publication
    fields = ["origin", "reference_type", "citation", "pmid", "doi", "url", "summary"]


class SecondaryIdInline(TabularRowInline):
    model = m.SecondaryId
    fields = ["identifier", "type", "domain", "link"]
    verbose_name_plural = "identifiers (other than the NCT ID)"


class CorrectionInline(admin.TabularInline):
    """The trial's corrections; ticking Delete gives the registry's value back."""

    model = m.Correction
    extra = 0
    fields = ["what", "curated_value", "registry_says", "to_check", "who"]
    readonly_fields = fields
    verbose_name = "correction kept from imports (tick Delete to take the registry's value back)"
    verbose_name_plural = (
        "corrections kept from imports (tick Delete to take the registry's value back)"
    )

    def has_add_permission(self, request, obj=None):
        return False  # made by editing a value

    def has_change_permission(self, request, obj=None):
        return False

    @admin.display(description="What")
    def what(self, correction):
        return what_is_corrected(correction)

    @admin.display(description="Value kept")
    def curated_value(self, correction):
        if correction.removes_row:
            return "(removed)"
        value = curation.current_value(correction)
        return shown(correction_model(correction), correction.field, value)

    @admin.display(description="The registry says")
    def registry_says(self, correction):
        return shown_correction(correction)

    @admin.display(description="To check")
    def to_check(self, correction):
        notes = []
        if correction.registry_changed:
            notes.append("The registry changed its value since: does the correction still hold?")
        if not correction.in_registry:
            notes.append("The registry no longer has this row.")
        return format_html('<span class="curated">{}</span>', " ".join(notes)) if notes else ""

    @admin.display(description="By")
    def who(self, correction):
        name = correction.corrected_by.get_username() if correction.corrected_by else "?"
        return f"{name}, {correction.corrected_at:%Y-%m-%d}"


# Trial list filters


class PhaseFilter(admin.SimpleListFilter):
    title = "phase"
    parameter_name = "phase"

    def lookups(self, request, model_admin):
        return Phase.choices

    def queryset(self, request, queryset):
        return queryset.in_phase(self.value()) if self.value() in Phase.values else queryset


class LastCheckedFilter(admin.SimpleListFilter):
    title = "last checked by a curator"
    parameter_name = "checked"

    def lookups(self, request, model_admin):
        return [
            ("never", "Never"),
            ("stale", "Not in the last 12 months"),
            ("recent", "In the last 12 months"),
        ]

    def queryset(self, request, queryset):
        since = timezone.localdate() - CHECK_EVERY
        if self.value() == "never":
            return queryset.filter(last_checked__isnull=True)
        if self.value() == "stale":
            return queryset.not_checked_since(since)
        if self.value() == "recent":
            return queryset.filter(last_checked__gte=since)
        return queryset


# The problems the data quality page lists, as annotated by TrialQuerySet.with_problem_flags.
PROBLEMS = {
    "needs_check": "not checked in 12 months",
    "no_contact": "open, no contact",
    "unlocated_sites": "sites without coordinates",
    "closed_open_sites": "closed, sites recruiting",
    "has_warnings": "import warnings",
}


class ProblemFilter(admin.SimpleListFilter):
    title = "problems"
    parameter_name = "problem"

    def lookups(self, request, model_admin):
        return [("any", "Has problems"), ("none", "No problems"), *PROBLEMS.items()]

    def queryset(self, request, queryset):
        any_problem = models.Q()
        for flag in PROBLEMS:
            any_problem |= models.Q(**{flag: True})
        if self.value() == "any":
            return queryset.filter(any_problem)
        if self.value() == "none":
            return queryset.exclude(any_problem)
        if self.value() in PROBLEMS:
            return queryset.filter(**{self.value(): True})
        return queryset


# Trials


class HistoryAdmin(SimpleHistoryAdmin):
    object_history_list_template = HISTORY_LIST
    formfield_overrides = TEXT_FIELDS


@admin.register(m.Trial)
class TrialAdmin(HistoryAdmin):
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
        "overall_status",
        PhaseFilter,
        ("last_update_post_date", admin.DateFieldListFilter),
        LastCheckedFilter,
        ProblemFilter,
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
    actions = ["publish", "withdraw", "mark_checked", "refresh_from_registry"]
    save_on_top = True
    inlines = [
        CorrectionInline,
        ArmInline,
        InterventionInline,
        SiteInline,
        ContactInline,
        PublicationInline,
        OutcomeInline,
        SecondaryIdInline,
    ]
    readonly_fields = [
        "is_synthetic",
        "minimum_age_years",
        "maximum_age_years_exclusive",
        "latest_import",
        "other_rows",
        "source_format",
        "source_name",
        "imported_at",
        "warnings",
        "registry_record",
    ]
    fieldsets = [
        (
            "Publication and checking",
            {
                "fields": [
                    "publication_state",
                    "last_checked",
                    "curation_note",
                    "is_synthetic",
                ]
            },
        ),
        (
            "For patients, in plain words",
            {
                "description": "Written by curators. Imports never change these.",
                "fields": [
                    "plain_title",
                    "plain_summary",
                    "plain_eligibility",
                    "participation_involves",
                    "status_note",
                    "source_description",
                ],
            },
        ),
        (
            "What the latest import changed",
            {"fields": ["latest_import", "warnings"]},
        ),
        (
            "Identification",
            {
                "description": (
                    "From here on, the registry's fields. A value you change is kept as a "
                    "correction: imports leave it alone, and show the registry's value beside it."
                ),
                "fields": [
                    "nct_id",
                    "brief_title",
                    "official_title",
                    "acronym",
                    "nct_id_aliases",
                    ("org_study_id", "org_study_id_type"),
                    "org_study_id_link",
                    ("organization_name", "organization_class"),
                ],
            },
        ),
        (
            "Status and dates",
            {
                "fields": [
                    "overall_status",
                    "last_known_status",
                    "why_stopped",
                    ("status_verified_date", "status_verified_date_precision"),
                    ("start_date", "start_date_precision", "start_date_type"),
                    (
                        "primary_completion_date",
                        "primary_completion_date_precision",
                        "primary_completion_date_type",
                    ),
                    ("completion_date", "completion_date_precision", "completion_date_type"),
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
                ]
            },
        ),
        (
            "Sponsor and responsibility",
            {
                "fields": [
                    ("lead_sponsor_name", "lead_sponsor_class"),
                    "responsible_party_type",
                    "responsible_party_investigator_name",
                    "responsible_party_investigator_title",
                    "responsible_party_investigator_affiliation",
                    "responsible_party_old_name_title",
                    "responsible_party_old_organization",
                ]
            },
        ),
        ("Description", {"fields": ["brief_summary", "detailed_description"]}),
        ("Conditions", {"fields": ["conditions", "keywords"]}),
        (
            "Design",
            {
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
                ]
            },
        ),
        (
            "Eligibility",
            {
                "fields": [
                    "eligibility_criteria",
                    ("healthy_volunteers", "sex"),
                    ("gender_based", "gender_description"),
                    ("minimum_age", "minimum_age_years"),
                    ("maximum_age", "maximum_age_years_exclusive"),
                    "std_ages",
                    "study_population",
                    "sampling_method",
                ]
            },
        ),
        (
            "Oversight and results",
            {
                "fields": [
                    "oversight_has_dmc",
                    ("is_fda_regulated_drug", "is_fda_regulated_device"),
                    ("is_unapproved_device", "is_ppsd", "is_us_export"),
                    ("has_expanded_access", "has_results"),
                ]
            },
        ),
        (
            "Sharing individual participant data",
            {
                "classes": ["collapse"],
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
            "Medical subject headings (the registry's)",
            {
                "classes": ["collapse"],
                "fields": [
                    "condition_meshes",
                    "condition_ancestors",
                    "intervention_meshes",
                    "intervention_ancestors",
                ],
            },
        ),
        ("Other parts of this trial", {"fields": ["other_rows"]}),
        (
            "The registry record as last imported",
            {
                "classes": ["collapse"],
                "fields": ["source_format", "source_name", "imported_at", "registry_record"],
            },
        ),
    ]

    def get_queryset(self, request):
        since = timezone.localdate() - CHECK_EVERY
        return super().get_queryset(request).with_problem_flags(checked_since=since)

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if obj is not None:
            fields.append("nct_id")  # the registry's key: a different trial is a new record
        if not self.has_publish_permission(request):
            fields.append("publication_state")
        return fields

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
        return "; ".join(text for flag, text in PROBLEMS.items() if getattr(trial, flag, False))

    # Read-only parts of the page

    @admin.display(description="Changes")
    def latest_import(self, trial):
        if not trial.imported_at:
            return "Not imported from the registry."
        if not trial.import_changes:
            text = "Nothing has changed since the first import."
        else:
            text = changes_table(trial.import_changes)
        when = timezone.localtime(trial.imported_at)
        return format_html(
            '<div id="latest-import">{}<p class="help">Last imported {} from {}.</p></div>',
            text,
            f"{when:%Y-%m-%d %H:%M}",
            trial.source_name,
        )

    @admin.display(description="Import warnings")
    def warnings(self, trial):
        if not trial.import_warnings:
            return "None."
        return format_html(
            "<ul>{}</ul>",
            format_html_join("", "<li>{}</li>", ((w,) for w in trial.import_warnings)),
        )

    @admin.display(description="Edit on their own pages")
    def other_rows(self, trial):
        if trial.pk is None:
            return "-"
        parts = []
        for model in (
            m.Collaborator,
            m.Official,
            m.Link,
            m.TimelineStep,
            m.RelatedTrial,
            m.TrialNote,
        ):
            url = reverse(f"admin:trials_{model._meta.model_name}_changelist")
            count = model.objects.filter(trial=trial).count()
            parts.append((url, trial.nct_id, model._meta.verbose_name_plural, count))
        return format_html_join(" · ", '<a href="{}?q={}">{}</a> ({})', parts)

    @admin.display(description="Record")
    def registry_record(self, trial):
        text = trial.source_record
        if trial.source_format == m.SourceFormat.API_V2_JSON:
            with contextlib.suppress(ValueError):
                text = json.dumps(json.loads(text), indent=2, ensure_ascii=False)
        return format_html('<pre class="registry-record">{}</pre>', text or "-")

    # Saving: corrections, rows, search

    def save_model(self, request, obj, form, change):
        before = m.Trial.objects.filter(pk=obj.pk).first() if change else None
        super().save_model(request, obj, form, change)
        if before is not None:
            curation.record_corrections(obj, before=before, user=request.user)

    def save_formset(self, request, form, formset, change):
        if formset.model is m.Correction:
            formset.save(commit=False)
            request.dropped_corrections = list(formset.deleted_objects)
            return
        save_rows(request, formset)

    def save_related(self, request, form, formsets, change):
        request.dropped_corrections = []
        super().save_related(request, form, formsets, change)
        trial = form.instance
        if request.dropped_corrections:
            curation.drop_corrections(request.dropped_corrections, user=request.user)
            trial.refresh_from_db()
        curation.refresh_search(trial)

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
        changed, _ = curation.set_publication_state(
            queryset, m.PublicationState.WITHDRAWN, user=request.user
        )
        self.message_user(request, f"{len(changed)} trial(s) withdrawn.", messages.SUCCESS)

    @admin.action(description="Mark the selected trials as checked today", permissions=["change"])
    def mark_checked(self, request, queryset):
        curation.mark_checked(queryset, user=request.user, day=timezone.localdate())
        self.message_user(request, f"{queryset.count()} trial(s) marked as checked today.")

    @admin.action(
        description="Refresh the selected trials from the registry (live)", permissions=["change"]
    )
    def refresh_from_registry(self, request, queryset):
        trials = list(queryset[: REFRESH_LIMIT + 1])
        if len(trials) > REFRESH_LIMIT:
            self.message_user(
                request,
                f"Select at most {REFRESH_LIMIT} trials to refresh at once, "
                "or use `manage.py import_trials --fetch`.",
                messages.ERROR,
            )
            return
        for trial in trials:
            try:
                record = curation.registry_record(trial)
                result = curation.refresh(record, user=request.user, dry_run=False)
            except (curation.RefreshError, RecordError) as problem:
                self.message_user(
                    request, f"{trial.nct_id}: not refreshed: {problem}", messages.ERROR
                )
                continue
            url = reverse("admin:trials_trial_change", args=[trial.pk])
            self.message_user(
                request,
                format_html(
                    '<a href="{}#latest-import">{}</a>: {}',
                    url,
                    trial.nct_id,
                    f"{len(result.changes)} change(s)"
                    if result.action == "updated"
                    else "the registry's record has not changed",
                ),
            )

    # Extra pages: refresh one trial with a preview, and the data quality page

    def get_urls(self):
        return [
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
            *super().get_urls(),
        ]

    def refresh_view(self, request, object_id):
        trial = get_object_or_404(m.Trial, pk=object_id)
        if not self.has_change_permission(request, trial):
            raise PermissionDenied
        form = RefreshForm(request.POST or None, request.FILES or None)
        result = record = None
        if request.method == "POST" and form.is_valid():
            apply = "_apply" in request.POST
            try:
                record = curation.registry_record(
                    trial, text=form.record_text(), name=form.source_name()
                )
                result = curation.refresh(record, user=request.user, dry_run=not apply)
            except (curation.RefreshError, RecordError) as problem:
                form.add_error(None, f"Nothing was changed: {problem}")
            else:
                if apply:
                    self.message_user(
                        request,
                        f"Refreshed {trial.nct_id} from {record.name}: "
                        f"{len(result.changes)} change(s), shown below.",
                        messages.SUCCESS,
                    )
                    return redirect(
                        reverse("admin:trials_trial_change", args=[trial.pk]) + "#latest-import"
                    )
        context = {
            **self.admin_site.each_context(request),
            "title": f"Refresh {trial.nct_id} from the registry",
            "opts": self.model._meta,
            "original": trial,
            "form": form,
            "result": result,
            "record": record,
            "changes": changes_table(result.changes) if result and result.changes else "",
        }
        return TemplateResponse(request, "admin/trials/trial/refresh.html", context)

    def quality_view(self, request):
        if not self.has_view_permission(request):
            raise PermissionDenied
        context = {
            **self.admin_site.each_context(request),
            "title": "Data quality",
            "opts": self.model._meta,
            "sections": quality_sections(),
        }
        return TemplateResponse(request, "admin/trials/trial/quality.html", context)


def save_rows(request, formset):
    """Save an inline formset of a trial's rows: new rows go last, removed registry rows and
    changed registry values are recorded as corrections."""
    model = formset.model
    stored = {
        row.pk: row
        for row in model.objects.filter(pk__in=[f.instance.pk for f in formset.initial_forms])
    }
    links = {}
    if model is m.Arm:
        links = {pk: [str(i) for i in row.interventions.all()] for pk, row in stored.items()}
    rows = formset.save(commit=False)
    for row in formset.deleted_objects:
        curation.record_removal(row, user=request.user)
        row.delete()
    for row in rows:
        if row.pk is None:
            row.order = next_order(row)
        row.save()
        if row.pk in stored:
            curation.record_corrections(row, before=stored[row.pk], user=request.user)
    formset.save_m2m()
    for pk, before in links.items():
        arm = m.Arm.objects.filter(pk=pk).first()
        if arm is not None:
            curation.record_link_correction(arm, before=before, user=request.user)


def next_order(row):
    """A new row goes after the trial's others of its kind."""
    last = type(row).objects.filter(trial=row.trial).aggregate(last=models.Max("order"))["last"]
    return 0 if last is None else last + 1


class RefreshForm(forms.Form):
    file = forms.FileField(
        required=False,
        label="A record file",
        help_text=(
            "Optional: a ClinicalTrials.gov record (API v2 JSON or legacy XML). "
            "Without a file, the record is read live from the registry."
        ),
    )
    # The record a preview showed, so that applying writes exactly what was previewed.
    record = forms.CharField(required=False, widget=forms.HiddenInput, strip=False)
    record_name = forms.CharField(required=False, widget=forms.HiddenInput)

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload:
            try:
                self.cleaned_data["file_text"] = upload.read().decode("utf-8")
            except UnicodeDecodeError:
                raise forms.ValidationError("The file is not UTF-8 text.") from None
        return upload

    def record_text(self):
        """The record's text to use: the previewed one, an uploaded file's, or None (live)."""
        # Browsers send a form's line ends as CRLF; the record had LF.
        previewed = self.cleaned_data["record"].replace("\r\n", "\n")
        return previewed or self.cleaned_data.get("file_text")

    def source_name(self):
        upload = self.cleaned_data.get("file")
        return self.cleaned_data["record_name"] or (upload.name if upload else "")


def changes_table(changes):
    rows = []
    for change in changes:
        what = " · ".join(part for part in (change["part"], change["row"]) if part)
        if change["kept"]:
            note = format_html(
                '<span class="curated">Kept the curator\'s value: <q>{}</q></span>', change["kept"]
            )
        else:
            note = ""
        rows.append((what, change["field"] or "-", change["old"], change["new"], note))
    return format_html(
        '<table class="changes"><thead><tr><th>What</th><th>Field</th><th>Before</th>'
        "<th>Now in the registry</th><th></th></tr></thead><tbody>{}</tbody></table>",
        format_html_join(
            "",
            '<tr><td>{}</td><td>{}</td><td class="value">{}</td><td class="value">{}</td>'
            "<td>{}</td></tr>",
            rows,
        ),
    )


def row_changes(trial, limit=100):
    """The latest changes to the trial's rows, newest first, for its history page: who, what,
    and a link to the row's own history, where a change can be reverted."""
    records = []
    for model in ROW_FIELDS:
        history = model.history.filter(trial_id=trial.pk).select_related("history_user")
        records += history.order_by("-history_date")[:limit]
    records.sort(key=lambda record: record.history_date, reverse=True)
    rows = []
    for record in records[:limit]:
        model = record.instance_type
        delta = []
        previous = record.prev_record if record.history_type == "~" else None
        if previous is not None:
            for change in record.diff_against(previous).changes:
                if change.field in ("order",):
                    continue
                delta.append(
                    (
                        label(model, change.field),
                        shown(model, change.field, change.old),
                        shown(model, change.field, change.new),
                    )
                )
        name = model._meta.model_name
        rows.append(
            {
                "record": record,
                "part": model._meta.verbose_name.capitalize(),
                "delta": delta,
                "revert_url": reverse(
                    f"admin:trials_{name}_simple_history", args=[record.id, record.history_id]
                ),
                "history_url": reverse(f"admin:trials_{name}_history", args=[record.id]),
            }
        )
    return rows


def quality_sections():
    """The data quality page: each problem, with its count, a few examples linked to the fix,
    and a link to all of them."""
    trials = m.Trial.objects.real()
    since = timezone.localdate() - CHECK_EVERY
    changelist = reverse("admin:trials_trial_changelist")

    def trial_lines(queryset, anchor="", detail=None):
        lines = []
        for trial in queryset.order_by("nct_id")[:50]:
            url = reverse("admin:trials_trial_change", args=[trial.pk]) + anchor
            lines.append(
                {"url": url, "text": str(trial), "detail": detail(trial) if detail else ""}
            )
        return lines

    def section(title, fix, queryset, lines, all_url=""):
        return {
            "title": title,
            "fix": fix,
            "count": queryset.count(),
            "lines": lines,
            "all_url": all_url,
        }

    stale = trials.not_checked_since(since)
    no_contact = trials.open_without_contact()
    unlocated = m.Site.objects.unlocated().filter(trial__is_synthetic=False).select_related("trial")
    closed = trials.closed_with_open_sites()
    warned = trials.with_import_warnings()
    flagged = m.Correction.objects.filter(registry_changed=True, trial__is_synthetic=False)
    drafts = trials.awaiting_review()
    return [
        section(
            "Not checked by a curator in 12 months",
            "Check the trial against the registry, then set “Last checked” (or use the action "
            "“Mark the selected trials as checked today”).",
            stale,
            trial_lines(stale, detail=lambda t: f"last checked {t.last_checked or 'never'}"),
            f"{changelist}?checked=stale",
        ),
        section(
            "Open to enrolment, but nobody to contact",
            "Add a central contact, or a contact at a site, so patients know whom to ask.",
            no_contact,
            trial_lines(no_contact, "#contacts-group", lambda t: t.get_overall_status_display()),
            f"{changelist}?problem=no_contact",
        ),
        section(
            "Sites without coordinates",
            "Add the site's latitude and longitude, so that “near me” searches find it.",
            unlocated,
            [
                {
                    "url": reverse("admin:trials_site_change", args=[site.pk]),
                    "text": str(site) or "(no name)",
                    "detail": site.trial.nct_id,
                }
                for site in unlocated.order_by("trial__nct_id", "order")[:50]
            ],
            f"{changelist}?problem=unlocated_sites",
        ),
        section(
            "Closed trials whose sites still say they are recruiting",
            "Check the registry: correct the sites' statuses, or the trial's.",
            closed,
            trial_lines(closed, "#sites-group", lambda t: t.get_overall_status_display()),
            f"{changelist}?problem=closed_open_sites",
        ),
        section(
            "Import warnings (values kept as the registry gave them)",
            "Read the warning; correct the value if the registry is wrong, or note it.",
            warned,
            trial_lines(warned, "#latest-import", lambda t: "; ".join(t.import_warnings)),
            f"{changelist}?problem=has_warnings",
        ),
        section(
            "Corrections the registry has changed since",
            "Compare the registry's new value with the correction: keep it, or delete the "
            "correction to take the registry's value.",
            flagged,
            [
                {
                    "url": reverse("admin:trials_trial_change", args=[c.trial_id])
                    + "#corrections-group",
                    "text": str(c),
                    "detail": f"the registry now says: {shown_correction(c)}",
                }
                for c in flagged.select_related("trial")[:50]
            ],
            reverse("admin:trials_correction_changelist") + "?registry_changed__exact=1",
        ),
        section(
            "Drafts waiting for review",
            "Read the trial, write the plain-language parts, then publish it.",
            drafts,
            trial_lines(drafts),
            f"{changelist}?publication_state__exact=DRAFT",
        ),
    ]


# Corrections


@admin.register(m.Correction)
class CorrectionAdmin(admin.ModelAdmin):
    list_display = [
        "trial",
        "what",
        "registry_says",
        "registry_changed",
        "in_registry",
        "corrected_by",
        "corrected_at",
    ]
    list_filter = ["registry_changed", "in_registry", "part"]
    search_fields = ["trial__nct_id", "row_label", "field"]
    list_select_related = ["trial", "corrected_by"]
    actions = ["keep"]

    def has_add_permission(self, request):
        return False  # made by editing a value

    def get_readonly_fields(self, request, obj=None):
        return [field.name for field in m.Correction._meta.fields]

    @admin.display(description="What")
    def what(self, correction):
        return what_is_corrected(correction)

    @admin.display(description="The registry says")
    def registry_says(self, correction):
        return shown_correction(correction)

    @admin.action(
        description="Keep the selected corrections (the registry's change is seen)",
        permissions=["change"],
    )
    def keep(self, request, queryset):
        count = queryset.update(registry_changed=False)
        self.message_user(request, f"{count} correction(s) kept.")

    def delete_model(self, request, obj):
        curation.drop_corrections([obj], user=request.user)

    def delete_queryset(self, request, queryset):
        curation.drop_corrections(list(queryset.select_related("trial")), user=request.user)


# A trial's rows on their own pages


class RowAdmin(HistoryAdmin):
    form = RowForm
    autocomplete_fields = ["trial"]
    list_select_related = ["trial"]
    search_fields = ["trial__nct_id"]
    readonly_fields = ["provenance"]

    @admin.display(description="Where it comes from")
    def provenance(self, obj):
        return provenance(obj)

    def get_list_display(self, request):
        return ["__str__", "trial", "provenance"]

    def save_model(self, request, obj, form, change):
        model = type(obj)
        before = model.objects.filter(pk=obj.pk).first() if change else None
        if model is m.Arm and before is not None:
            obj.links_before = [str(i) for i in before.interventions.all()]
        if not change:
            obj.order = next_order(obj)
        super().save_model(request, obj, form, change)
        if change:
            curation.record_corrections(obj, before=before, user=request.user)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        row = form.instance
        if hasattr(row, "links_before"):
            curation.record_link_correction(row, before=row.links_before, user=request.user)
        curation.refresh_search(row.trial)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        response = super().history_form_view(request, object_id, version_id, extra_context)
        if request.method == "POST" and response.status_code == 302:
            row = self.model.objects.filter(pk=object_id).select_related("trial").first()
            if row is not None:
                curation.refresh_search(row.trial)
        return response

    def delete_model(self, request, obj):
        curation.record_removal(obj, user=request.user)
        super().delete_model(request, obj)
        curation.refresh_search(obj.trial)

    def delete_queryset(self, request, queryset):
        rows = list(queryset.select_related("trial"))
        for row in rows:
            curation.record_removal(row, user=request.user)
            row.delete()
        for trial in {row.trial_id: row.trial for row in rows}.values():
            curation.refresh_search(trial)


@admin.register(m.Site)
class SiteAdmin(RowAdmin):
    list_display = ["__str__", "trial", "status", "country", "latitude", "longitude", "provenance"]
    list_filter = ["status", "coordinates_approximate"]
    search_fields = ["trial__nct_id", "facility", "city", "state", "country"]

    def get_list_display(self, request):
        return self.list_display


@admin.register(m.Contact)
class ContactAdmin(RowAdmin):
    autocomplete_fields = ["trial", "site"]
    list_filter = ["kind"]
    search_fields = ["trial__nct_id", "name", "email"]


@admin.register(m.Arm)
class ArmAdmin(RowAdmin):
    autocomplete_fields = ["trial", "interventions"]
    search_fields = ["trial__nct_id", "label"]


@admin.register(m.Intervention)
class InterventionAdmin(RowAdmin):
    form = InterventionForm
    list_filter = ["type"]
    search_fields = ["trial__nct_id", "name"]


@admin.register(m.Publication)
class PublicationAdmin(RowAdmin):
    list_filter = ["origin", "reference_type"]
    search_fields = ["trial__nct_id", "citation", "pmid", "doi"]


@admin.register(m.Outcome)
class OutcomeAdmin(RowAdmin):
    list_filter = ["kind"]
    search_fields = ["trial__nct_id", "measure"]


@admin.register(m.SecondaryId)
class SecondaryIdAdmin(RowAdmin):
    search_fields = ["trial__nct_id", "identifier"]


@admin.register(m.Collaborator)
class CollaboratorAdmin(RowAdmin):
    search_fields = ["trial__nct_id", "name"]


@admin.register(m.Official)
class OfficialAdmin(RowAdmin):
    search_fields = ["trial__nct_id", "name", "affiliation"]


@admin.register(m.Link)
class LinkAdmin(RowAdmin):
    search_fields = ["trial__nct_id", "label", "url"]


@admin.register(m.TimelineStep)
class TimelineStepAdmin(RowAdmin):
    search_fields = ["trial__nct_id", "stage"]


@admin.register(m.RelatedTrial)
class RelatedTrialAdmin(RowAdmin):
    form = RelatedTrialForm
    search_fields = ["trial__nct_id", "nct_id", "title"]


@admin.register(m.TrialNote)
class TrialNoteAdmin(RowAdmin):
    list_filter = ["kind"]
    search_fields = ["trial__nct_id", "heading"]


# Shared by all trials


class GlossaryTermForm(forms.ModelForm):
    class Meta:
        field_classes = {"also_matches": Lines}


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
