"""The admin's forms and form fields: registry text kept as given, lists one per line,
vocabularies as check boxes, and the registry's value beside a field a curator corrected."""

from django import forms
from django.db import models

from .. import models as m
from ..parsing import ValueProblem, age_bounds
from ..vocabularies import Phase, StandardAge
from .corrections import corrections_of, shown_correction
from .fragments import fragment
from .locking import VersionCheckedForm
from .plain_language import mark_fields


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
                field.help_text = fragment(
                    "corrected_help",
                    registry_value=shown_correction(correction),
                    changed=correction.registry_changed,
                    help_text=field.help_text,
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


class TrialForm(VersionCheckedForm, CuratedForm):
    confirm_attributes = forms.BooleanField(
        label="Confirm these attributes",
        required=False,
        help_text="Tick once you have read them, and the earlier treatments below, against the "
        "record: they are then confirmed in your name, and imports no longer change them.",
    )

    class Meta:
        field_classes = {
            **{name: Lines for name in LIST_FIELDS},
            **{name: Choices for name in m.LIST_ATTRIBUTES},
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
        vocabularies = {"phases": Phase, "std_ages": StandardAge, **m.LIST_ATTRIBUTES}
        for name, vocabulary in vocabularies.items():
            if name in self.fields:
                values = getattr(self.instance, name) or []
                self.fields[name].choices = with_unknown(vocabulary.choices, values)
        mark_fields(self)  # the reading grade beside each plain-language field

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


def narrow(**sizes):
    """Text inputs of these widths (in characters), so that a row of many fits the page."""
    return {name: forms.TextInput(attrs={"size": size}) for name, size in sizes.items()}


class PublicationForm(RowForm):
    def clean_pmid(self):
        """A PubMed ID a curator types is digits; one the registry gave, left as it was, stays."""
        value = self.cleaned_data["pmid"].strip()
        if value and value != self.initial.get("pmid"):
            m.pmid_validator(value)
        return value


class SiteForm(RowForm):
    class Meta:
        widgets = {
            **narrow(facility=24, city=12, state=12, zip=7, country=10),
            "latitude": forms.NumberInput(attrs={"class": "coordinate"}),
            "longitude": forms.NumberInput(attrs={"class": "coordinate"}),
        }


class ContactForm(RowForm):
    class Meta:
        widgets = narrow(name=20, role=14, phone=14, phone_ext=5, email=22)


class GlossaryTermForm(forms.ModelForm):
    class Meta:
        field_classes = {"also_matches": Lines}
