"""What each result card shows beyond the trial itself."""

from django.http import QueryDict

from ..models import Site
from ..search.query import excerpt


def result_cards(trials, trial_filter):
    """What each result card shows beyond the trial itself: its nearest sites to the place."""
    trials = list(trials)
    place, radius = trial_filter.place, trial_filter.radius_km
    nearby = {}
    if place and trials:
        sites = Site.objects.within(place.latitude, place.longitude, radius).filter(
            trial__in=trials
        )
        for site in sites.order_by("distance"):
            nearby.setdefault(site.trial_id, []).append(site)
    elif trial_filter.region and trials:
        # In a state or country there is no "nearest": its sites, by city.
        region = trial_filter.region
        sites = Site.objects.filter(trial__in=trials, country__iexact=region.country)
        if region.kind == "state":
            sites = sites.filter(state__in=region.state_names)
        for site in sites.order_by("city", "facility"):
            nearby.setdefault(site.trial_id, []).append(site)
    return [
        {
            "trial": trial,
            "excerpt": excerpt(trial, trial_filter.query),
            "nearby": nearby.get(trial.pk, []),
        }
        for trial in trials
    ]


def trial_page_query(trial_filter):
    """What the cards' links carry to a trial's page, so that it lists the same sites first: the
    place, and the unit when the visitor chose one; or else the country chosen, as the registry
    writes it (not as a place to look up: "Turkey (Türkiye)" is no place name, and was once read
    as a town in New Jersey)."""
    query = QueryDict(mutable=True)
    if trial_filter.near_text:
        query["near"] = trial_filter.near_text
        if trial_filter.cleaned("units"):
            query["units"] = trial_filter.cleaned("units")
    elif trial_filter.data.get("country", ""):
        query["country"] = trial_filter.data["country"]
    return query.urlencode()
