"""A followed search is the list page's query string, kept normalised: only the list's own
filters, no page or sort, each value once, in one order; so the same search typed twice is one
follow, and a hostile string keeps nothing the list would not read."""

from django.http import QueryDict
from django.utils.translation import gettext as _

from ..listing.chips import applied_chips
from ..listing.filters import TrialFilter
from ..models import Trial

MAX_LENGTH = 500
# What does not change which trials a search finds.
NOT_THE_SEARCH = {"page", "sort", "units"}


def normalise(query_string):
    """The query string as followed, or None when it is too long to be a search of ours."""
    data = QueryDict(query_string or "")
    known = set(TrialFilter.base_filters) - NOT_THE_SEARCH
    kept = QueryDict(mutable=True)
    for name in sorted(data):
        if name not in known:
            continue
        values = sorted({value.strip() for value in data.getlist(name) if value.strip()})
        if values:
            kept.setlist(name, values)
    normal = kept.urlencode()
    return normal if len(normal) <= MAX_LENGTH else None


def search_filter(query):
    return TrialFilter(QueryDict(query), queryset=Trial.objects.published())


def matching_ids(query):
    """The published trials the search finds today (the catalogue is hundreds, not millions)."""
    return list(search_filter(query).qs.values_list("pk", flat=True))


def describe(query):
    """The search in words, as its chips say it above the results: "Phase: Phase 2; …"."""
    labels = [chip.label for chip in applied_chips(search_filter(query))]
    return "; ".join(labels) if labels else _("All trials")
