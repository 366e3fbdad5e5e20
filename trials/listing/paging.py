"""The list's pages: counts that stop at COUNT_CAP, and the page asked for, or a note."""

from math import ceil

from django.conf import settings
from django.core.paginator import Paginator
from django.utils.formats import number_format
from django.utils.functional import cached_property
from django.utils.translation import gettext as _

from ..cache import cached
from ..search.query import with_headline
from .sorting import sort_trials

# Past this many matches the list says "10,000+" and offers no deeper pages (500 of 20).
COUNT_CAP = 10_000


def filter_key(trial_filter):
    """What the counts depend on: every parameter but the page and the sort."""
    return sorted((k, v) for k, v in trial_filter.data.lists() if k not in ("page", "sort"))


def count_label(count):
    """The count as the page's language groups digits: "10,000+" in English, "10 000+" in
    Spanish, "10000+" in Chinese."""
    if count > COUNT_CAP:
        return _("%(count)s+") % {"count": number_format(COUNT_CAP, force_grouping=True)}
    return number_format(count, force_grouping=True)


class CappedPaginator(Paginator):
    """Counts matches only up to COUNT_CAP (an exact count of a million rows is slow and helps
    nobody: the page says "10,000+"), and so offers pages only that far."""

    def __init__(self, object_list, per_page, *, count_queryset, count_key, known_count=None):
        super().__init__(object_list, per_page)
        self.count_queryset = count_queryset
        self.count_key = count_key
        self.known_count = known_count

    @cached_property
    def count(self):
        if self.known_count is not None:  # counted already (TrialFilter.facets_and_count)
            return self.known_count
        matches = self.count_queryset.order_by().values("pk")[: COUNT_CAP + 1]
        return cached("count", self.count_key, matches.count)

    @cached_property
    def num_pages(self):
        return max(1, ceil(min(self.count, COUNT_CAP) / self.per_page))


def paginate(trial_filter, sort, number, count=None):
    """The page asked for, and notes; count: how many trials match, when already known."""
    trials = sort_trials(trial_filter, sort).for_cards()
    trials = with_headline(trials, trial_filter.query)
    paginator = CappedPaginator(
        trials,
        settings.TRIALS_PAGE_SIZE,
        count_queryset=trial_filter.qs,
        count_key=filter_key(trial_filter),
        known_count=count,
    )
    page = paginator.get_page(number)
    notes = []
    if number not in (None, "", str(page.number)):
        notes.append(
            _("There is no page %(asked)s; showing page %(page)s.")
            % {"asked": repr(number[:20]), "page": page.number}
        )
    return page, notes
