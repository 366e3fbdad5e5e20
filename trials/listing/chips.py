"""The choices that narrow the list, shown above the results as chips, each a link to the same
search without it: on a phone the filter panel is closed after applying, so the chips are where a
visitor sees, and undoes, what was chosen."""

from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_filters import MultipleChoiceFilter

from .filters import COMPANIONS
from .querystrings import edited

# Shown as chips in this order; the text and place first, as the visitor typed them.
CHIP_ORDER = [
    "q",
    "near",
    "status",
    "confirmed",
    "age",
    "age_group",
    "diagnosis",
    "setting",
    "ph",
    "population",
    "had",
    "role",
    "route",
    "phase",
    "study_type",
    "sex",
    "healthy_volunteers",
    "country",
    "city",
    "sponsor_class",
    "intervention_type",
    "has_results",
    "start_after",
    "start_before",
    "updated_since",
]


@dataclass
class Chip:
    label: str
    remove: str  # the query string of this search without the choice


def applied_chips(trial_filter):
    trial_filter.is_valid()
    data, cleaned = trial_filter.data, trial_filter.form.cleaned_data
    chips = []
    for name in CHIP_ORDER:
        # A repeated single-value parameter filters by its last value (QueryDict.get): so the chip.
        several = isinstance(trial_filter.filters.get(name), MultipleChoiceFilter)
        several = several and hasattr(data, "getlist")
        values = data.getlist(name) if several else [data.get(name)]
        values = [value for value in values if value]
        if not values or not valid(trial_filter, name, cleaned):
            continue
        choices = choice_labels(trial_filter, name)
        if choices:  # one chip per value chosen, each removed on its own
            for value in values:
                if value in choices:
                    rest = [other for other in values if other != value]
                    label = chip_label(label_of(trial_filter, name), choices[value])
                    chips.append(Chip(label, edited(data, **{name: rest})))
            continue
        label = chip_label(label_of(trial_filter, name), shown(trial_filter, name, values[0]))
        chips.append(Chip(label, edited(data, drop=COMPANIONS.get(name, ()), **{name: None})))
    return chips


def chip_label(name, value):
    # Translators: a chosen filter above the results, e.g. "Phase: Phase 2".
    return _("%(filter)s: %(value)s") % {"filter": name, "value": value}


def valid(trial_filter, name, cleaned):
    """A value the list filters by (one it ignored is in the page's notes, not a chip)."""
    if name in ("q",):
        return bool(trial_filter.query)
    if name == "near":
        return trial_filter.place is not None or trial_filter.region is not None
    if name in ("start_after", "start_before"):
        return cleaned.get("start") is not None
    return cleaned.get(name) not in (None, "", [])


def choice_labels(trial_filter, name):
    flt = trial_filter.filters.get(name)
    choices = flt.extra.get("choices") if flt is not None else None
    return dict(choices) if choices else {}


# The chips of parameters whose filter's own label would read wrongly above the results.
CHIP_NAMES = {
    "q": gettext_lazy("Search"),
    "near": gettext_lazy("Near"),
    "start_after": gettext_lazy("Starting on or after"),
    "start_before": gettext_lazy("Starting on or before"),
    "age": gettext_lazy("Age"),
}


def label_of(trial_filter, name):
    return CHIP_NAMES.get(name) or trial_filter.filters[name].label


def shown(trial_filter, name, value):
    if name == "q":
        return _("“%(text)s”") % {"text": value}
    if name == "near" and trial_filter.region:
        return _("whole of %(region)s") % {"region": trial_filter.region.full_name}
    if name == "near":
        return _("%(place)s, within %(radius)s") % {
            "place": trial_filter.place.name,
            "radius": trial_filter.radius_label,
        }
    if name == "age":
        return _("%(age)s years") % {"age": value}
    return value
