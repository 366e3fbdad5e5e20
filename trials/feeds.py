"""Atom feeds of what changed (trials/models/changes.py), on django.contrib.syndication:

- /trials/feed/?<the list page's parameters>: the trials a search finds (the same TrialFilter as
  the page, so a filter written once works here too), new or changed in the ways families follow;
- /trials/<NCT ID>/feed/: every change of one trial.

Each entry is one change, said in words by the same template per kind as the trial page, in the
language of the address (/es/trials/feed/ is in Spanish). An entry's id is the change's own and
never changes, so a feed reader shows each change once.
"""

from django.contrib.syndication.views import Feed
from django.shortcuts import get_object_or_404
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _

from .listing.filters import TrialFilter
from .models import ChangeKind, Trial, TrialChange

# A search's feed follows what a family watching a search waits for: a new trial, one opening or
# closing, a site added, opening or closing, who can join, results. (A trial's own feed has all.)
SEARCH_KINDS = [
    ChangeKind.FIRST_LISTED,
    ChangeKind.STATUS,
    ChangeKind.SITE_ADDED,
    ChangeKind.SITE_OPENED,
    ChangeKind.SITE_CLOSED,
    ChangeKind.ELIGIBILITY,
    ChangeKind.AGES,
    ChangeKind.RESULTS_POSTED,
]
# Entries a feed holds: readers poll often, and keep what they have read.
FEED_LENGTH = 50
# What an entry reads of a change and of its trial (the title and address): at registry scale
# a search's feed joins thousands of changes before it keeps the latest, so whole trial rows cost.
ENTRY_FIELDS = [
    *("kind", "subject", "old_value", "new_value", "registry_posted_on", "seen_at"),
    *("trial__nct_id", "trial__plain_title_en", "trial__brief_title", "trial__official_title"),
]


class ChangesFeed(Feed):
    feed_type = Atom1Feed

    def __init__(self, request):
        super().__init__()
        # A feed object per request (search_feed, trial_feed): the query string and the host in
        # entry ids are this request's, and no other thread's.
        self.request = request

    def item_title(self, change):
        return f"{change.trial.nct_id}: {change.get_kind_display()}. {change.trial.title}"

    def item_description(self, change):
        return render_to_string(
            f"trials/changes/{change.kind}.html", {"change": change, "trial": change.trial}
        ).strip()

    def item_link(self, change):
        return f"{change.trial.get_absolute_url()}#changes"

    def item_guid(self, change):
        # A tag URI (RFC 4151) of the change's own number: the same in every language and
        # however the trial's address or words change.
        return f"tag:{self.request.get_host().split(':')[0]},2026:trial-change-{change.pk}"

    item_guid_is_permalink = False

    def item_pubdate(self, change):
        return change.seen_at

    def item_updateddate(self, change):
        return change.seen_at


class SearchFeed(ChangesFeed):
    def get_object(self, request):
        return TrialFilter(request.GET, queryset=Trial.objects.published(), request=request)

    def title(self, trial_filter):
        return _("Blinatumomab trials: what changed in this search")

    def subtitle(self, trial_filter):
        return _(
            "New trials, and trials that opened or closed, added or closed a site, changed who "
            "can join or posted results, among the trials this search finds. Information, not "
            "medical advice: talk with your care team."
        )

    def link(self, trial_filter):
        query = self.request.GET.urlencode()
        return f"{reverse('trials:list')}?{query}" if query else reverse("trials:list")

    def items(self, trial_filter):
        found = trial_filter.qs.order_by().values("pk")
        changes = TrialChange.objects.filter(trial__in=found).of_kinds(SEARCH_KINDS)
        changes = changes.select_related("trial").only(*ENTRY_FIELDS)
        return changes.latest_first()[:FEED_LENGTH]


class TrialFeed(ChangesFeed):
    def get_object(self, request, nct_id):
        return get_object_or_404(Trial.objects.published(), nct_id=nct_id.upper())

    def title(self, trial):
        return _("What changed: %(title)s (%(nct_id)s)") % {
            "title": trial.title,
            "nct_id": trial.nct_id,
        }

    def subtitle(self, trial):
        return _(
            "Changes to this trial that matter to families, as ClinicalTrials.gov posted them "
            "and as we saw them. Information, not medical advice: talk with your care team."
        )

    def link(self, trial):
        return trial.get_absolute_url()

    def items(self, trial):
        changes = trial.changes.select_related("trial").latest_first()
        return changes[:FEED_LENGTH]


def search_feed(request):
    return SearchFeed(request)(request)


def trial_feed(request, nct_id):
    return TrialFeed(request)(request, nct_id=nct_id)
