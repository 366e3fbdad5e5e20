"""The search page's filters: one FilterSet reads every parameter of /trials/ against an allow-list.

A bad value never breaks the page: unknown choices are dropped (the good ones beside them kept),
values that do not parse are ignored, and `notes()` says what was ignored, for the page to show.
"""

import django_filters as filters
from django import forms
from django.db.models import Count, Exists, OuterRef, Q
from django.utils.functional import cached_property
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from ..models import (
    BlinatumomabRole,
    BlinatumomabRoute,
    Diagnosis,
    DiseaseSetting,
    PhStatus,
    Population,
    PriorRule,
    PriorTreatment,
    PriorTreatmentRule,
    Site,
    Trial,
)
from ..models.confirmation import confirmed_open
from ..models.managers import in_age_group
from ..places import gazetteer
from ..places.units import Unit, choose_unit, say_radius, to_km
from ..search import query as search
from ..search.languages import other_language_terms
from ..search.medical import split_age_words
from ..status import lazy_badge
from ..vocabularies import (
    AgencyClass,
    InterventionType,
    Phase,
    Sex,
    StandardAge,
    Status,
    StudyType,
)

# In the visitor's unit: "within 100 km" or "within 100 mi", a round number either way.
DEFAULT_RADIUS = 100
# The status filter names each status in the words of the cards (trials/status.py).
STATUS_CHOICES = [(value, lazy_badge(value)) for value in Status.values]
MAX_RADIUS = 5000  # km or mi


class LenientMultipleChoiceField(forms.MultipleChoiceField):
    """Keeps the known values and drops the rest: one bad value should not undo the good ones."""

    def clean(self, value):
        known = [item for item in (value or []) if self.valid_value(item)]
        return super().clean(known)


class LenientMultipleChoiceFilter(filters.MultipleChoiceFilter):
    field_class = LenientMultipleChoiceField

    def __init__(self, *args, **kwargs):
        # These filters join nothing, so DISTINCT would only make the database sort whole rows
        # (much slower facets at registry scale; bench/RESULTS.md has the current figures).
        kwargs.setdefault("distinct", False)
        super().__init__(*args, **kwargs)

    def filter(self, qs, value):
        # One IN (...), not django-filter's a = x OR a = y: the index on the column can look up
        # the values of an IN list directly, while an OR of equalities is checked row by row.
        if not value:
            return qs
        return qs.filter(**{f"{self.field_name}__in": value})


class JsonListChoiceFilter(LenientMultipleChoiceFilter):
    """Trials whose JSON list field holds any of the chosen values (phases, age groups)."""

    def condition(self, item):
        return Q(**{f"{self.field_name}__has_item": item})

    def filter(self, qs, value):
        if not value:
            return qs
        condition = Q()
        for item in value:
            condition |= self.condition(item)
        return qs.filter(condition)


class WhoMayJoinFilter(JsonListChoiceFilter):
    """A curated attribute that says who may join (disease, setting, Ph status, population):
    a trial whose record does not say (an empty list) may take the person too, so it stays in."""

    def condition(self, item):
        return super().condition(item) | Q(**{self.field_name: []})


class OpenAfterFilter(LenientMultipleChoiceFilter):
    """Trials open to someone who has had each chosen earlier treatment (or CNS disease): those
    whose criteria do not exclude it. Required, allowed and not stated all leave a trial in."""

    def condition(self, item):
        # NOT IN an uncorrelated subquery, not NOT EXISTS: PostgreSQL reads the few excluding
        # rules once into a hash and probes it per trial, where NOT EXISTS probed the rules'
        # index once per trial and per option (5 options x 11,000 open trials took about half
        # of a 500,000-trial search's facet counts). trial_id is never NULL, so NOT IN is safe.
        excluded = PriorTreatmentRule.objects.filter(treatment=item, rule=PriorRule.EXCLUDED)
        return ~Q(pk__in=excluded.values("trial_id"))

    def filter(self, qs, value):
        for item in value or []:
            qs = qs.filter(self.condition(item))
        return qs


YES_NO = [("yes", _("Yes")), ("no", _("No"))]


class AgeGroupFilter(LenientMultipleChoiceFilter):
    """Trials in any of the chosen age groups (models.managers.in_age_group)."""

    def filter(self, qs, value):
        if not value:
            return qs
        condition = Q()
        for group in value:
            condition |= in_age_group(group)
        return qs.filter(condition)


class ConfirmedOpenFilter(LenientMultipleChoiceFilter):
    """One checkbox ("yes"): a list of one choice, so that the facet shows a checkbox that can be
    unticked, not a lone radio button."""

    def filter(self, qs, value):
        return qs.filter(confirmed_open()) if "yes" in (value or []) else qs


def open_to_sex(sex):
    """Trials open to this sex: a trial open to all sexes, or one that does not say, is too."""
    return Q(sex__in=[sex, Sex.ALL, ""])


SORTS = {
    "open": _("Open to enrolment first, then last updated"),
    "relevance": _("Best match, open to enrolment first"),
    "updated": _("Last updated"),
    "start": _("Start date (newest first)"),
    "enrollment": _("Enrollment (largest first)"),
    "distance": _("Distance"),
}


class TrialFilter(filters.FilterSet):
    q = filters.CharFilter(method="filter_text", label=_("Search"), max_length=5000)
    status = LenientMultipleChoiceFilter(
        field_name="overall_status", choices=STATUS_CHOICES, label=_("Status")
    )
    phase = JsonListChoiceFilter(field_name="phases", choices=Phase.choices, label=_("Phase"))
    study_type = LenientMultipleChoiceFilter(choices=StudyType.choices, label=_("Type of study"))
    age = filters.NumberFilter(
        method="filter_age",
        label=_("Age (years)"),
        min_value=0,
        max_value=130,
        max_digits=6,
        decimal_places=3,
    )
    age_group = AgeGroupFilter(choices=StandardAge.choices, label=_("Age group"))
    # The curated attributes (trials/models/attributes.py), in plain words.
    diagnosis = WhoMayJoinFilter(
        field_name="diagnoses", choices=Diagnosis.choices, label=_("Disease")
    )
    setting = WhoMayJoinFilter(
        field_name="disease_settings",
        choices=DiseaseSetting.choices,
        label=_("Where the disease stands"),
    )
    ph = WhoMayJoinFilter(
        field_name="ph_statuses", choices=PhStatus.choices, label=_("Philadelphia chromosome")
    )
    population = WhoMayJoinFilter(
        field_name="populations", choices=Population.choices, label=_("Who it is for")
    )
    had = OpenAfterFilter(choices=PriorTreatment.choices, label=_("Open to people with"))
    role = JsonListChoiceFilter(
        field_name="blinatumomab_roles",
        choices=BlinatumomabRole.choices,
        label=_("How blinatumomab is used"),
    )
    route = JsonListChoiceFilter(
        field_name="blinatumomab_routes",
        choices=BlinatumomabRoute.choices,
        label=_("How blinatumomab is given"),
    )
    sex = filters.ChoiceFilter(
        method="filter_sex",
        choices=[(Sex.FEMALE, _("Female")), (Sex.MALE, _("Male"))],
        label=_("Sex"),
    )
    healthy_volunteers = filters.ChoiceFilter(
        method="filter_yes_no", choices=YES_NO, label=_("Accepts healthy volunteers")
    )
    country = filters.CharFilter(method="filter_country", label=_("Country"), max_length=100)
    city = filters.CharFilter(method="filter_city", label=_("City"), max_length=100)
    near = filters.CharFilter(
        method="filter_near", label=_("Near (city or postal code)"), max_length=100
    )
    radius = filters.NumberFilter(
        method="filter_nothing",
        label=_("Within"),
        min_value=1,
        max_value=MAX_RADIUS,
        max_digits=6,
        decimal_places=1,
    )
    units = filters.ChoiceFilter(
        method="filter_nothing", choices=Unit.choices, label=_("Distances in")
    )
    sponsor_class = LenientMultipleChoiceFilter(
        field_name="lead_sponsor_class", choices=AgencyClass.choices, label=_("Lead sponsor")
    )
    intervention_type = JsonListChoiceFilter(
        field_name="intervention_types",
        choices=InterventionType.choices,
        label=_("Intervention type"),
    )
    has_results = filters.ChoiceFilter(
        method="filter_yes_no", choices=YES_NO, label=_("Results posted")
    )
    confirmed = ConfirmedOpenFilter(
        choices=[("yes", _("A site confirmed it is recruiting, in the last 90 days"))],
        label=_("Confirmed by our staff"),
    )
    start = filters.DateFromToRangeFilter(field_name="start_date", label=_("Start date"))
    updated_since = filters.DateFilter(
        field_name="last_update_post_date", lookup_expr="gte", label=_("Updated since")
    )
    sort = filters.ChoiceFilter(
        method="filter_nothing", choices=list(SORTS.items()), label=_("Sort by")
    )

    class Meta:
        model = Trial
        fields = []

    def __init__(self, data=None, *args, **kwargs):
        data, self.age_words, self.age_groups = age_words_as_filter(data)
        super().__init__(data, *args, **kwargs)

    # Text, place and radius are read once, because the page needs them beyond filtering.

    def cleaned(self, name):
        self.is_valid()  # cleans the form once; invalid values are left out of cleaned_data
        return self.form.cleaned_data.get(name)

    @cached_property
    def query(self):
        return search.clean_query(self.cleaned("q") or "")

    @cached_property
    def near_text(self):
        return (self.cleaned("near") or "").strip()

    @cached_property
    def region(self):
        """A country or state typed as the place: trials with a site anywhere in it."""
        return gazetteer.resolve_region(self.near_text) if self.near_text else None

    @cached_property
    def place(self):
        """A city or postal code typed as the place: trials with a site within the radius."""
        if not self.near_text or self.region:
            return None
        return gazetteer.resolve_place(self.near_text)

    @cached_property
    def unit(self):
        """km or mi (places/units.py). The browser's language decides only when no place was
        typed, where no radius applies: so the same query string always searches the same
        area, and the cached counts (keyed by it) hold for every visitor."""
        found = self.place or self.region
        language = self.request.headers.get("Accept-Language", "") if self.request else ""
        return choose_unit(
            self.cleaned("units") or "",
            country=found.country if found else "",
            accept_language=language,
        )

    @cached_property
    def radius_in_unit(self):
        """The radius in the visitor's unit, as the page says it."""
        return float(self.cleaned("radius") or DEFAULT_RADIUS)

    @cached_property
    def radius_label(self):
        return say_radius(self.radius_in_unit, self.unit)

    @cached_property
    def radius_km(self):
        return to_km(self.radius_in_unit, self.unit)

    def filter_text(self, queryset, name, value):
        return search.search(queryset, self.query)

    def filter_age(self, queryset, name, value):
        return queryset.eligible_at_age(value)

    def filter_sex(self, queryset, name, value):
        return queryset.filter(open_to_sex(value))

    def filter_yes_no(self, queryset, name, value):
        return queryset.filter(**{name: value == "yes"})

    def filter_country(self, queryset, name, value):
        # The trial's list of site countries, not its sites: no join with millions of rows.
        return queryset.filter(site_countries__has_item_iexact=value)

    def filter_city(self, queryset, name, value):
        return queryset.filter(
            Exists(Site.objects.filter(trial=OuterRef("pk"), city__iexact=value))
        )

    def filter_near(self, queryset, name, value):
        if self.region:
            return queryset.in_region(self.region)
        if self.place is None:
            return queryset  # the page says the place was not found
        return queryset.within(self.place.latitude, self.place.longitude, self.radius_km)

    def filter_nothing(self, queryset, name, value):
        return queryset  # read by the view (sort) or by another filter (radius)

    def active_count(self):
        """How many filters narrow the list (the text, the place and the sort are not counted)."""
        self.is_valid()
        return sum(
            1
            for name, value in self.form.cleaned_data.items()
            if name not in {"q", "near", "radius", "units", "sort"} and not is_empty(value)
        )

    # What the page tells the visitor

    def notes(self):
        """Plain sentences about parameters that were ignored or changed."""
        notes = list(self.query.notes)
        if not self.is_bound:
            return notes
        ignored = self.ignored()
        notes += [sentence for name, sentence in ignored if name != "near"]
        if self.age_words:
            words = and_list(gettext("“%(text)s”") % {"text": word} for word in self.age_words)
            groups = and_list(str(StandardAge(group).label) for group in self.age_groups)
            notes.append(
                gettext(
                    "We read %(words)s as the age group %(groups)s: untick it under “Age group” "
                    "to see trials for every age."
                )
                % {"words": words, "groups": groups}
            )
        if self.region and self.cleaned("radius"):
            notes.append(
                gettext(
                    "%(region)s is searched as a whole (every site in it), so the distance of "
                    "%(radius)s does not apply. To search around a town, type the town."
                )
                % {"region": self.region.full_name, "radius": self.radius_label}
            )
        notes += [sentence for name, sentence in ignored if name == "near"]
        return notes

    def ignored(self):
        """[(parameter, sentence)] for each value given that could not be used: the page ignores
        it with a note, the API (trials/api/) refuses it with a 400 naming the parameter."""
        if not self.is_bound:
            return []
        self.is_valid()
        found = []
        for name, errors in self.form.errors.items():
            label = self.filters[name].label if name in self.filters else name
            found.append(
                (
                    name,
                    gettext("%(filter)s: the value given was ignored (%(errors)s)")
                    % {"filter": label, "errors": " ".join(errors)},
                )
            )
        for name, flt in self.filters.items():
            if isinstance(flt, LenientMultipleChoiceFilter):
                known = dict(flt.extra["choices"])
                unknown = [v for v in self.data.getlist(name) if v not in known]
                if unknown:
                    shown = ", ".join(repr(v[:40]) for v in unknown[:3])
                    found.append(
                        (
                            name,
                            gettext(
                                "%(filter)s: %(values)s is not a value we know, so it was ignored."
                            )
                            % {"filter": flt.label, "values": shown},
                        )
                    )
        if self.near_text and not self.place and not self.region:
            found.append(
                (
                    "near",
                    gettext(
                        "We could not find the place “%(place)s”. Try a city name or a U.S. ZIP "
                        "code; the results are not limited by place."
                    )
                    % {"place": self.near_text[:60]},
                )
            )
        return found

    # Facet counts: for each filter, the number of trials per option under the *other* filters.

    def without(self, name):
        """The trials matching every active filter but `name` (and its companions)."""
        skip = {name, *COMPANIONS.get(name, ())}
        queryset = self.queryset.all()
        for filter_name, value in self.form.cleaned_data.items():
            if filter_name in skip or is_empty(value):
                continue
            queryset = self.filters[filter_name].filter(queryset, value)
        return queryset

    def facets_and_count(self):
        """(facets, how many trials match). The count comes from the facets' first pass, which
        reads every matching trial anyway: a list page needs no statement of its own for it."""
        facets = self.facets()
        return facets, self.qs.count() if self.matched is None else self.matched

    def facets(self):
        """[{name, label, single, options: [(value, label, count, selected)]}], in page order.

        The facets on the trial's own columns are counted together: every facet whose own filter
        is not in use has the same trials under "the other filters", so one pass over them counts
        them all (COUNT ... FILTER per option); a facet whose filter is in use needs a pass of its
        own. Countries come from each trial's list of site countries, not from its sites. So 2
        queries with no filter chosen, one more per chosen column facet: the same at any size
        of catalogue."""
        self.is_valid()  # cleans the form, if nothing has yet
        passes = {}
        for name in COLUMN_FACETS:
            skipped = name if not is_empty(self.form.cleaned_data.get(name)) else None
            passes.setdefault(skipped, []).append(name)
        counts = {name: {} for name in COLUMN_FACETS}
        self.matched = None  # how many trials match every filter: the pass that skips none
        for skipped, names in passes.items():
            # One COUNT(...) FILTER (WHERE condition) per option, named c0, c1, ...
            options = [
                (name, value, condition)
                for name in names
                for value, condition in self.option_conditions(name)
            ]
            aggregates = {
                f"c{i}": Count("pk", filter=condition)
                for i, (_, _, condition) in enumerate(options)
            }
            if skipped is None:
                aggregates["matched"] = Count("pk")
            found = self.without(skipped).aggregate(**aggregates)
            self.matched = found.get("matched", self.matched)
            for i, (name, value, _condition) in enumerate(options):
                counts[name][value] = found[f"c{i}"]
        facets = {name: self.options(name, counts[name]) for name in COLUMN_FACETS}
        selected = (self.form.cleaned_data.get("country") or "").lower()
        facets["country"] = sorted(
            [
                (country, country, n, country.lower() == selected)
                for country, n in self.without("country").site_country_counts()
            ],
            key=lambda option: (-option[2], option[0]),
        )
        return [
            {
                "name": name,
                "label": self.filters[name].label,
                "single": name in SINGLE_CHOICE_FACETS,
                "chosen": any(option[3] for option in facets[name]),
                "options": facets[name],
            }
            for name in FACET_ORDER
        ]

    def option_conditions(self, name):
        """(value, condition) for each option of a facet on the trial's own columns."""
        if name in ("healthy_volunteers", "has_results"):
            return [("yes", Q(**{name: True})), ("no", Q(**{name: False}))]
        if name == "sex":
            return [(sex, open_to_sex(sex)) for sex in (Sex.FEMALE, Sex.MALE)]
        if name == "confirmed":
            return [("yes", confirmed_open())]
        if name == "age_group":
            return [(group, in_age_group(group)) for group, _ in StandardAge.choices]
        flt = self.filters[name]
        values = [value for value, _ in flt.extra["choices"]]
        if isinstance(flt, JsonListChoiceFilter | OpenAfterFilter):
            return [(v, flt.condition(v)) for v in values]
        return [(v, Q(**{flt.field_name: v})) for v in values]

    def options(self, name, counts):
        selected = self.form.cleaned_data.get(name) or []
        selected = selected if isinstance(selected, list) else [selected]
        return [
            (value, label, counts.get(value, 0), value in selected)
            for value, label in self.filters[name].extra["choices"]
            if counts.get(value, 0) or value in selected
        ]


FACET_ORDER = [
    "status",
    "confirmed",
    "phase",
    "study_type",
    "age_group",
    "diagnosis",
    "setting",
    "ph",
    "population",
    "had",
    "role",
    "route",
    "sex",
    "healthy_volunteers",
    "country",
    "sponsor_class",
    "intervention_type",
    "has_results",
]
# Facets counted from the trial's own columns, together (TrialFilter.facets); countries apart.
COLUMN_FACETS = [name for name in FACET_ORDER if name != "country"]
# Facets where one option is chosen at a time (radio buttons); the others take several.
SINGLE_CHOICE_FACETS = {"sex", "healthy_volunteers", "country", "has_results"}


def and_list(items):
    """["a", "b", "c"] -> "a, b and c", in the page's language."""
    items = list(items)
    if len(items) < 2:
        return "".join(items)
    return gettext("%(items)s and %(last)s") % {"items": ", ".join(items[:-1]), "last": items[-1]}


def is_empty(value):
    if isinstance(value, slice):  # a date range with neither end
        return value.start is None and value.stop is None
    return value in (None, "", [])


# Filters that count as one for facets: the radius goes with the place.
COMPANIONS = {"near": ("radius",)}


def age_words_as_filter(data):
    """Age words in the text ("leukemia child") become the age-group filter, shown ticked on the
    page where the visitor can untick it; the text keeps the other words. Not when the visitor
    chose age groups already. Returns the data to filter by, the age words read and their groups."""
    if data is None or not data.get("q"):
        return data, [], []
    chosen = data.getlist("age_group") if hasattr(data, "getlist") else data.get("age_group")
    text, groups, words = split_age_words(data["q"], other_language_terms())
    if chosen or not groups:
        return data, [], []
    if hasattr(data, "setlist"):  # the request's QueryDict
        data = data.copy()
        data["q"] = text
        data.setlist("age_group", groups)
        return data, words, groups
    return {**data, "q": text, "age_group": groups}, words, groups
