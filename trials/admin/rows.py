"""A trial's registry rows (arms, sites, contacts...): inline on the trial's page, and each kind on
its own pages. Editing a row an import wrote records a correction (trials/curation/); removing
one does too, so that imports do not bring it back."""

from django import forms
from django.contrib import admin
from django.db import models
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.html import format_html

from .. import curation
from .. import models as m
from .corrections import provenance
from .forms import (
    TEXT_FIELDS,
    ContactForm,
    InterventionForm,
    PublicationForm,
    RelatedTrialForm,
    RowForm,
    SiteForm,
)
from .site import FIRST_SCREEN, HistoryAdmin

# A trial with more rows of a kind than this edits them on their own screen (the kind's list,
# filtered to the trial, with search and pages), not inline on the trial's page: 117 sites
# inline made that page 40,000 px tall and slow to open and save.
INLINE_ROWS_AT_MOST = 10
# The kinds of rows the trial's page links to, with their counts, in this order.
ROW_KINDS = [
    m.Site,
    m.Contact,
    m.Outcome,
    m.Publication,
    m.Arm,
    m.Intervention,
    m.SecondaryId,
    m.Collaborator,
    m.Official,
    m.Link,
    m.TimelineStep,
    m.RelatedTrial,
    m.TrialNote,
]


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
    classes = ["collapse"]
    fields = ["label", "type", "description", "interventions", "stated_intervention_count"]

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        # An arm's interventions are the trial's own: tick them.
        trial_id = request.resolver_match.kwargs.get("object_id")
        kwargs["queryset"] = m.Intervention.objects.filter(trial_id=trial_id)
        kwargs["widget"] = forms.CheckboxSelectMultiple
        return super().formfield_for_manytomany(db_field, request, **kwargs)


class InterventionInline(StackedRowInline):
    model = m.Intervention
    classes = ["collapse"]
    form = InterventionForm
    fields = ["type", "name", "description", "other_names"]


class OutcomeInline(StackedRowInline):
    model = m.Outcome
    classes = ["collapse"]
    fields = ["kind", "measure", "description", "time_frame"]


class SiteInline(TabularRowInline):
    # The state and postal code are on each site's own page ("Change"), so that a row fits.
    model = m.Site
    form = SiteForm
    classes = [FIRST_SCREEN]
    fields = [
        "facility",
        "city",
        "country",
        "status",
        "latitude",
        "longitude",
        "coordinates_approximate",
        "confirmation",
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("confirmations")

    def get_readonly_fields(self, request, obj=None):
        return [*super().get_readonly_fields(request, obj), "confirmation"]

    @admin.display(description="Confirmed by our staff")
    def confirmation(self, site):
        """The site's latest confirmation, linked to its page, where confirmations are recorded."""
        if site.pk is None:
            return "-"
        latest = site.latest_confirmation
        url = reverse("admin:trials_site_change", args=[site.pk]) + "#confirmations-group"
        return format_html('<a href="{}">{}</a>', url, latest or "Record one")


class SiteConfirmationInline(admin.TabularInline):
    """A site's confirmations by our staff, latest first; a new one is added, never the last one
    overwritten, so that the earlier answers stay as its history."""

    model = m.SiteConfirmation
    extra = 1
    fields = ["answer", "confirmed_on", "method", "public_note", "recorded_by", "recorded_at"]
    readonly_fields = ["recorded_by", "recorded_at"]
    verbose_name = "confirmation by our staff"
    verbose_name_plural = "confirmations by our staff"


class ContactInline(TabularRowInline):
    model = m.Contact
    form = ContactForm
    classes = [FIRST_SCREEN]
    fields = ["kind", "site", "name", "role", "phone", "phone_ext", "email"]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "site":
            # A contact's site is one of this trial's.
            trial_id = request.resolver_match.kwargs.get("object_id")
            kwargs["queryset"] = m.Site.objects.filter(trial_id=trial_id)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class PublicationInline(StackedRowInline):
    model = m.Publication
    form = PublicationForm
    classes = ["collapse"]
    fields = ["origin", "reference_type", "citation", "pmid", "doi", "url", "summary"]


class SecondaryIdInline(TabularRowInline):
    model = m.SecondaryId
    classes = ["collapse"]
    fields = ["identifier", "type", "domain", "link"]
    verbose_name_plural = "identifiers (other than the NCT ID)"


def row_counts(trial):
    """How many rows of each kind (ROW_KINDS, by model name) the trial has, in one query, kept
    on the trial: its page asks twice (which inlines, and the links with counts)."""
    if "_row_counts" not in trial.__dict__:
        trial._row_counts = count_rows(trial)
    return trial._row_counts


def count_rows(trial):
    counts = {
        model._meta.model_name: Coalesce(
            models.Subquery(
                model.objects.filter(trial=models.OuterRef("pk"))
                .order_by()
                .values("trial")
                .annotate(count=models.Count("pk"))
                .values("count")
            ),
            0,
        )
        for model in ROW_KINDS
    }
    return m.Trial.objects.filter(pk=trial.pk).values(**counts).get()


def inline_kinds(trial):
    """The kinds of rows the trial's page edits inline: those it has few of (all, for a new
    trial)."""
    if trial is None or trial.pk is None:
        return set(ROW_KINDS)
    counts = row_counts(trial)
    return {model for model in ROW_KINDS if counts[model._meta.model_name] <= INLINE_ROWS_AT_MOST}


def screens_of(trial, inline):
    """Each kind of row with the trial's count, the address of its screen, and whether it is also
    on the trial's page (one of the models `inline`), for the trial's page."""
    counts = row_counts(trial)
    screens = []
    for model in ROW_KINDS:
        count = counts[model._meta.model_name]
        names = model._meta.verbose_name_plural
        screens.append(
            {
                "count": count,
                "counted": model._meta.verbose_name if count == 1 else names,
                "names": names,
                "url": of_the_trial(model, trial),
                "inline": model in inline,
                "many": count > INLINE_ROWS_AT_MOST,
            }
        )
    return screens


def of_the_trial(model, trial):
    """The kind's list, filtered to the trial's rows."""
    return reverse(f"admin:trials_{model._meta.model_name}_changelist") + (
        f"?trial__id__exact={trial.pk}"
    )


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
        links = {pk: interventions_of(row) for pk, row in stored.items()}
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


def interventions_of(arm):
    """An arm's interventions as stored, in words: what a correction of its links keeps."""
    return [str(i) for i in arm.interventions.all()]


def without_the_trial(request, columns):
    """A list filtered to one trial's rows does without the trial's column (its title)."""
    if "trial__id__exact" in request.GET:
        return [column for column in columns if column != "trial"]
    return columns


class RowAdmin(HistoryAdmin):
    form = RowForm
    autocomplete_fields = ["trial"]
    list_select_related = ["trial"]
    list_per_page = 50
    search_fields = ["trial__nct_id"]
    readonly_fields = ["provenance"]
    change_list_template = "admin/trials/row_change_list.html"

    def changelist_view(self, request, extra_context=None):
        """Filtered to one trial (?trial__id__exact=, as the trial's page links to it): says
        which, and links back to it and to adding a row to it."""
        context = dict(extra_context or {})
        trial_id = request.GET.get("trial__id__exact", "")
        if trial_id.isdigit():
            trial = get_object_or_404(m.Trial, pk=trial_id)
            name = self.model._meta.verbose_name_plural
            context.update(
                title=f"{name.capitalize()} of {trial.nct_id}",
                trial=trial,
                add_url=reverse(f"admin:trials_{self.model._meta.model_name}_add")
                + f"?trial={trial.pk}",
            )
        return super().changelist_view(request, extra_context=context)

    @admin.display(description="Where it comes from")
    def provenance(self, obj):
        return provenance(obj)

    def get_list_display(self, request):
        return without_the_trial(request, ["__str__", "trial", "provenance"])

    def save_model(self, request, obj, form, change):
        before = type(obj).objects.filter(pk=obj.pk).first() if change else None
        if not change:
            obj.order = next_order(obj)
        super().save_model(request, obj, form, change)
        if change:
            curation.record_corrections(obj, before=before, user=request.user)

    def save_related(self, request, form, formsets, change):
        row = form.instance
        # An arm's interventions are saved here, not in save_model: what they were is still stored.
        links_before = interventions_of(row) if change and isinstance(row, m.Arm) else None
        super().save_related(request, form, formsets, change)
        if links_before is not None:
            curation.record_link_correction(row, before=links_before, user=request.user)
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
    inlines = [SiteConfirmationInline]

    def get_list_display(self, request):
        return without_the_trial(request, self.list_display)

    def save_formset(self, request, form, formset, change):
        if formset.model is not m.SiteConfirmation:
            return super().save_formset(request, form, formset, change)
        confirmations = formset.save(commit=False)
        for confirmation in formset.deleted_objects:
            confirmation.delete()
        for confirmation in confirmations:
            if confirmation.pk is None:
                confirmation.recorded_by = request.user
            confirmation.save()
        # save_related then refreshes the trial's search columns and the public pages' cache.


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
    form = PublicationForm
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
