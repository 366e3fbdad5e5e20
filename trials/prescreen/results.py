"""The pre-screener's list: every published trial with its verdict, ranked."""

import math
from dataclasses import dataclass

from django.db.models import Min

from ..models import Site
from ..places.distance import distance_expression
from .answers import Answers
from .facts import facts_for
from .match import Fit, Verdict, match


@dataclass(frozen=True)
class Result:
    trial: object  # a Trial
    verdict: Verdict
    distance_km: float | None = None  # to its nearest located site, when a place was given
    in_region: bool = False  # a site in the country or state given

    @property
    def can_ask_now(self):
        """Open to enrolment and not "probably not": a trial the person could ask to join now."""
        return self.trial.is_open and self.verdict.fit != Fit.PROBABLY_NOT


def ranked(trials, answers: Answers, *, distances=None, in_region=frozenset()):
    """First the trials the person could ask to join now: open to enrolment and not "probably
    not" (may fit before ask). Then the rest, for information: may fit, ask, probably not, open
    ones first within each (a closed trial that may fit cannot be joined, so it never comes before
    an open one worth asking about). Within each, those in the region or nearest the place, then
    by NCT ID (a stable order for sharing)."""
    distances = distances or {}
    results = [
        Result(
            trial=trial,
            verdict=match(answers, facts_for(trial)),
            distance_km=distances.get(trial.pk),
            in_region=trial.pk in in_region,
        )
        for trial in trials
    ]
    results.sort(
        key=lambda result: (
            not result.can_ask_now,
            result.verdict.rank,
            not result.trial.is_open,
            not result.in_region,
            math.inf if result.distance_km is None else result.distance_km,
            result.trial.nct_id,
        )
    )
    return results


def nearest_site_km(trials, place):
    """{trial id: km to its nearest located site from the place}, in one query."""
    sites = (
        Site.objects.filter(trial__in=trials, latitude__isnull=False, longitude__isnull=False)
        .order_by()
        .values("trial_id")
        .annotate(km=Min(distance_expression(place.latitude, place.longitude)))
    )
    return {row["trial_id"]: row["km"] for row in sites}
