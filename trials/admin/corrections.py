"""Corrections, shown where the corrected value is: beside the field, on the row, in the trial's
list of corrections, and on their own list (where dropping one gives the registry's value back)."""

from collections import defaultdict

from django.contrib import admin

from .. import curation
from .. import models as m
from ..registry.fields import ROW_FIELDS
from ..values import from_json, label, shown
from .fragments import fragment


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
    return fragment(
        "provenance",
        corrections=[(label(type(obj), c.field), shown_correction(c)) for c in corrections],
    )


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
        return fragment("curated", text=" ".join(notes)) if notes else ""

    @admin.display(description="By")
    def who(self, correction):
        name = correction.corrected_by.get_username() if correction.corrected_by else "?"
        return f"{name}, {correction.corrected_at:%Y-%m-%d}"


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
