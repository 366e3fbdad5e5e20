"""The list's sorts: which make sense for a search, the one asked for or the default, and the
queryset in that order."""

from django.db.models import F
from django.utils.translation import gettext as _

from ..search.query import is_postgresql
from .filters import SORTS


def available_sorts(trial_filter):
    sorts = dict(SORTS)
    if not trial_filter.query:
        del sorts["relevance"]
    if not trial_filter.place:
        del sorts["distance"]
    return sorts


def choose_sort(trial_filter, asked):
    """The sort asked for when it makes sense here, else the default, which the page states."""
    sorts = available_sorts(trial_filter)
    if trial_filter.query:
        default = "relevance"
    elif trial_filter.place:
        default = "distance"
    else:
        default = "open"
    if asked in sorts:
        return asked, []
    if asked:
        note = _("Sorting by %(asked)s is not possible here, so the default is used.")
        return default, [note % {"asked": repr(asked[:30])}]
    return default, []


def sort_trials(trial_filter, sort):
    trials = trial_filter.qs
    if sort == "open":
        return trials.open_first()
    if sort == "relevance" and is_postgresql():
        # Open trials first, the best matches first within each: a family looks for a trial
        # to join, and a closed trial that matches better cannot be joined.
        return trials.open_first().order_by("closed_rank", "-rank", "nct_id")
    if sort == "relevance":
        return trials.open_first()  # SQLite has no ranking: open trials first among the matches
    field = {
        "updated": "last_update_post_date",
        "start": "start_date",
        "enrollment": "enrollment_count",
    }.get(sort)
    if field:
        return trials.order_by(F(field).desc(nulls_last=True), "nct_id")
    # Offered only with a place. Its join with the sites in reach does the place filter's work,
    # so the list is built from every other filter (the count and facets keep the place filter).
    place = trial_filter.place
    others = trial_filter.without("near")
    return others.nearest_first(place.latitude, place.longitude, trial_filter.radius_km)
