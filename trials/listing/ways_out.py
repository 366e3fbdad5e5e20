"""When a search finds no trial a family could join: what was found, said plainly, and one-click
searches built from the visitor's own choices that do find trials (each counted before it is
offered, so no way out is itself a dead end).

Only a page with no open trial pays for this: one query counts every way out, and one more finds
the nearest open trial when a place was given.
"""

from dataclasses import dataclass

from django.db.models import Count, Q
from django.http import QueryDict
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from ..cache import cached
from ..models import Site, Trial
from ..places.distance import distance_expression
from ..places.units import say_distance, say_radius
from ..vocabularies import OPEN_STATUSES
from .filters import COMPANIONS, TrialFilter, is_empty
from .paging import filter_key
from .querystrings import edited

WIDER = (250, 500)  # in the visitor's unit
CLOSED_TOO = gettext_lazy("Show closed trials too")
# Parameters that are not filters a visitor set, or that other ways out already handle.
NOT_FILTERS = {"q", "near", "radius", "units", "sort", "page"}


@dataclass
class WayOut:
    label: str
    query: str  # the query string of the search it opens
    found: int  # trials it finds
    open: int  # of which open to enrolment


@dataclass
class DeadEnd:
    statement: str
    nearest: str  # where the nearest open trial is, when a place was given
    ways: list


def open_in_results(facets):
    """How many of the listed trials are open to enrolment, read off the status facet (counted
    anyway, under the other filters): the page's own query count does not grow."""
    status = next(facet for facet in facets if facet["name"] == "status")
    any_chosen = any(selected for _, _, _, selected in status["options"])
    return sum(
        count
        for value, _, count, selected in status["options"]
        if value in OPEN_STATUSES and (selected or not any_chosen)
    )


def dead_end(trial_filter, *, found, open_found):
    """None while the list holds an open trial; else what to tell the visitor and offer."""
    if open_found:
        return None
    statement = dead_end_statement(trial_filter, found)
    # Kept until the catalogue changes, like the facets and the count: building a FilterSet per
    # candidate search and counting them all, or measuring the way to every open site, costs far
    # more than the page it sits on.
    nearest = (
        cached("nearest-open", filter_key(trial_filter), lambda: nearest_open(trial_filter))
        if trial_filter.place
        else ""
    )
    ways = cached("ways-out", filter_key(trial_filter), lambda: ways_out(trial_filter))
    return DeadEnd(statement=statement, nearest=nearest, ways=ways)


def dead_end_statement(trial_filter, found):
    """What was found, said plainly, with the place when one was given: each sentence whole, so
    that each language can word it (and its plural) in its own order."""
    place, region = trial_filter.place, trial_filter.region
    values = {
        "count": found,
        "radius": trial_filter.radius_label,
        "place": place.name if place else "",
        "region": region.full_name if region else "",
    }
    if not found:
        if place:
            sentence = _("No trial matches all of your choices within %(radius)s of %(place)s.")
            return sentence % values
        if region:
            return _("No trial matches all of your choices in %(region)s.") % values
        return _("No trial matches all of your choices.")
    if place:
        sentence = ngettext(
            "The one trial found within %(radius)s of %(place)s is not open to enrolment: it has "
            "finished or is not taking new people.",
            "None of the %(count)s trials found within %(radius)s of %(place)s is open to "
            "enrolment: they have finished or are not taking new people.",
            found,
        )
    elif region:
        sentence = ngettext(
            "The one trial found in %(region)s is not open to enrolment: it has finished or is "
            "not taking new people.",
            "None of the %(count)s trials found in %(region)s is open to enrolment: they have "
            "finished or are not taking new people.",
            found,
        )
    else:
        sentence = ngettext(
            "The one trial found is not open to enrolment: it has finished or is not taking new "
            "people.",
            "None of the %(count)s trials found is open to enrolment: they have finished or are "
            "not taking new people.",
            found,
        )
    return sentence % values


def nearest_open(trial_filter):
    """Where the nearest trial open to enrolment is, under the visitor's other choices."""
    place = trial_filter.place
    others = trial_filter.without("near").open_to_enrolment()
    site = (
        Site.objects.filter(trial__in=others.values("pk"), latitude__isnull=False)
        .filter(Q(status__in=OPEN_STATUSES) | Q(status=""))
        .annotate(distance=distance_expression(place.latitude, place.longitude))
        .order_by("distance", "pk")
        .first()
    )
    if site is None:
        return _("No open trial matching your other choices has a site we can place on a map.")
    town = ", ".join(part for part in (site.city, site.country) if part)
    return _(
        "The nearest open trial matching your other choices is %(distance)s away, in %(town)s."
    ) % {"distance": say_distance(site.distance, trial_filter.unit), "town": town}


def ways_out(trial_filter):
    data = trial_filter.data
    candidates = []
    words = (data.get("q") or "").split()
    if len(words) > 1:
        for i, word in enumerate(words[:5]):
            kept = " ".join(words[:i] + words[i + 1 :])
            candidates.append((without_word(word), edited(data, q=kept)))
    elif words:
        candidates.append((without_word(words[0]), edited(data, q=None)))
    if trial_filter.place:
        for wider in WIDER:
            if wider > trial_filter.radius_in_unit:
                # In the same unit: a place decides it, and the place stays (or units= does).
                label = _("Search within %(radius)s") % {
                    "radius": say_radius(wider, trial_filter.unit)
                }
                candidates.append((label, edited(data, radius=str(wider))))
    if trial_filter.place or trial_filter.region:
        candidates.append((_("Search anywhere"), edited(data, near=None, radius=None)))
    for name, flt in trial_filter.filters.items():
        if name in NOT_FILTERS or is_empty(trial_filter.form.cleaned_data.get(name)):
            continue
        label = _("Remove the filter “%(filter)s”") % {"filter": flt.label}
        if name == "status":
            label = CLOSED_TOO
        candidates.append((label, edited(data, drop=COMPANIONS.get(name, ()), **{name: None})))
    # A way out finds a trial a family could join; only "closed trials too" may show none.
    counted_ways = counted(candidates)
    return [way for way in counted_ways if way.open or (way.label == CLOSED_TOO and way.found)]


def without_word(word):
    return _("Search without “%(word)s”") % {"word": word}


def counted(candidates):
    """Each candidate search with how many trials it finds, and how many of them are open: all
    counted in one query, each candidate's trials a subquery."""
    if not candidates:
        return []
    is_open = Q(overall_status__in=OPEN_STATUSES)
    aggregates = {}
    for i, (_label, query) in enumerate(candidates):
        found = Q(
            pk__in=TrialFilter(QueryDict(query), queryset=Trial.objects.published()).qs.values("pk")
        )
        aggregates[f"found{i}"] = Count("pk", filter=found)
        aggregates[f"open{i}"] = Count("pk", filter=found & is_open)
    totals = Trial.objects.published().aggregate(**aggregates)
    return [
        WayOut(label=label, query=query, found=totals[f"found{i}"], open=totals[f"open{i}"])
        for i, (label, query) in enumerate(candidates)
    ]
