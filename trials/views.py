from math import ceil

from django.conf import settings
from django.core.paginator import Paginator
from django.db.models import F, Prefetch
from django.http import HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property

from . import exports, geo, search, trial_page
from .cache import cached
from .eligibility import parse_criteria
from .filters import SORTS, TrialFilter
from .models import Contact, DrugApproval, Publication, Site, Trial, sites_within
from .vocabularies import OPEN_STATUSES

# Past this many matches the list says "10,000+" and offers no deeper pages (500 of 20).
COUNT_CAP = 10_000


def home(request):
    context = {
        **cached("home", (), landing_figures),
        "open_statuses": OPEN_STATUSES,
    }
    return render(request, "trials/home.html", context)


def landing_figures():
    """The landing page's counts and first trials: the same for every visitor, so cached."""
    trials = Trial.objects.published()
    return {
        "trial_count": trials.count(),
        "open_count": trials.open_to_enrolment().count(),
        "country_count": len(trials.site_country_counts()),
        "recent": list(trials.open_first().for_cards()[:6]),
    }


def trial_list(request):
    published = Trial.objects.published()
    trial_filter = TrialFilter(request.GET, queryset=published)
    sort, sort_notes = choose_sort(trial_filter, request.GET.get("sort"))
    page, page_notes = paginate(trial_filter, sort, request.GET.get("page"))
    corrected = None
    if trial_filter.query and not page.paginator.count:
        # Nothing found: perhaps a misspelling. Search again for the nearest known words.
        # Kept like the counts: the same words find the same suggestion until the catalogue
        # changes ("" when there is none, as the cache cannot tell None from a miss).
        corrected = cached(
            "spelling",
            (trial_filter.query.text,),
            lambda: search.suggest_spelling(trial_filter.query, published) or "",
        )
        if corrected:
            data = request.GET.copy()
            data["q"] = corrected.text
            trial_filter = TrialFilter(data, queryset=published)
            page, page_notes = paginate(trial_filter, sort, request.GET.get("page"))
    cards = result_cards(page.object_list, trial_filter)
    context = {
        "filter": trial_filter,
        "page": page,
        "cards": cards,
        "facets": cached("facets", filter_key(trial_filter), trial_filter.facets),
        "count_label": count_label(page.paginator.count),
        "notes": trial_filter.notes() + sort_notes + page_notes,
        "filter_count": trial_filter.active_count(),
        "corrected": corrected,
        "typed_query": request.GET.get("q", "")[:200],
        "sort": sort,
        "sort_label": SORTS[sort],
        "sorts": available_sorts(trial_filter),
        "open_statuses": OPEN_STATUSES,
        "radius": trial_filter.radius_km,
        "export_limit": exports.EXPORT_LIMIT,
        "export_limit_label": f"{exports.EXPORT_LIMIT:,}",
    }
    return render(request, "trials/trial_list.html", context)


def trial_export(request, file_format):
    """The list's trials, filters and order as a CSV or JSON file, up to EXPORT_LIMIT."""
    trial_filter = TrialFilter(request.GET, queryset=Trial.objects.published())
    sort, sort_notes = choose_sort(trial_filter, request.GET.get("sort"))
    trials = sort_trials(trial_filter, sort).values(*exports.FIELDS)
    found = list(trials[: exports.EXPORT_LIMIT + 1])  # one more says whether there are more
    # The address of a trial's page, reversed once rather than a thousand times: the pattern
    # with a stand-in ID, then each trial's ID put in its place.
    pattern = request.build_absolute_uri(reverse("trials:detail", args=["NCT00000000"]))
    rows = exports.rows(
        found[: exports.EXPORT_LIMIT], lambda nct_id: pattern.replace("NCT00000000", nct_id)
    )
    filename = f"blinatumomab-trials-{timezone.localdate().isoformat()}.{file_format}"
    if file_format == "csv":
        response = HttpResponse(exports.as_csv(rows), content_type="text/csv; charset=utf-8")
    else:
        search_url = f"{reverse('trials:list')}?{request.GET.urlencode()}"
        payload = {
            "source": "ClinicalTrials.gov records, as published on this portal",
            "search": request.build_absolute_uri(search_url),
            "exported": timezone.now().isoformat(timespec="seconds"),
            "note": "Information about trials, not medical advice: talk with your care team.",
            "limit": exports.EXPORT_LIMIT,
            "count": len(rows),
            "more_than_limit": len(found) > exports.EXPORT_LIMIT,
            "ignored": trial_filter.notes() + sort_notes,
            "trials": rows,
        }
        response = JsonResponse(payload, json_dumps_params={"ensure_ascii": False, "indent": 1})
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def filter_key(trial_filter):
    """What the counts depend on: every parameter but the page and the sort."""
    return sorted((k, v) for k, v in trial_filter.data.lists() if k not in ("page", "sort"))


def count_label(count):
    return f"{COUNT_CAP:,}+" if count > COUNT_CAP else f"{count:,}"


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
        return default, [f"Sorting by {asked[:30]!r} is not possible here, so the default is used."]
    return default, []


def sort_trials(trial_filter, sort):
    trials = trial_filter.qs
    if sort == "open":
        return trials.open_first()
    if sort == "relevance" and search.is_postgresql():
        return trials.order_by("-rank", "nct_id")
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


class CappedPaginator(Paginator):
    """Counts matches only up to COUNT_CAP (an exact count of a million rows is slow and helps
    nobody: the page says "10,000+"), and so offers pages only that far."""

    def __init__(self, object_list, per_page, *, count_queryset, count_key):
        super().__init__(object_list, per_page)
        self.count_queryset = count_queryset
        self.count_key = count_key

    @cached_property
    def count(self):
        matches = self.count_queryset.order_by().values("pk")[: COUNT_CAP + 1]
        return cached("count", self.count_key, matches.count)

    @cached_property
    def num_pages(self):
        return max(1, ceil(min(self.count, COUNT_CAP) / self.per_page))


def paginate(trial_filter, sort, number):
    trials = sort_trials(trial_filter, sort).for_cards()
    trials = search.with_headline(trials, trial_filter.query)
    paginator = CappedPaginator(
        trials,
        settings.TRIALS_PAGE_SIZE,
        count_queryset=trial_filter.qs,
        count_key=filter_key(trial_filter),
    )
    page = paginator.get_page(number)
    notes = []
    if number not in (None, "", str(page.number)):
        notes.append(f"There is no page {number[:20]!r}; showing page {page.number}.")
    return page, notes


def result_cards(trials, trial_filter):
    """What each result card shows beyond the trial itself: its nearest sites to the place."""
    trials = list(trials)
    place, radius = trial_filter.place, trial_filter.radius_km
    nearby = {}
    if place and trials:
        sites = sites_within(place.latitude, place.longitude, radius).filter(trial__in=trials)
        for site in sites.order_by("distance"):
            nearby.setdefault(site.trial_id, []).append(site)
    return [
        {
            "trial": trial,
            "excerpt": search.excerpt(trial, trial_filter.query),
            "nearby": nearby.get(trial.pk, []),
        }
        for trial in trials
    ]


def trial_detail(request, nct_id):
    if nct_id != nct_id.upper():
        return redirect("trials:detail", nct_id=nct_id.upper(), permanent=True)
    near = request.GET.get("near", "")[:100]
    if near:  # sites ordered from the visitor's place: made for this visit
        return HttpResponse(trial_page_html(request, nct_id, near))
    # The same for every visitor until the catalogue changes (a curator's edit, an import, a
    # glossary term): kept whole, per address, since its links carry the host.
    html = cached(
        "trial-page",
        (nct_id, request.scheme, request.get_host()),
        lambda: trial_page_html(request, nct_id, ""),
    )
    return HttpResponse(html)


def trial_page_html(request, nct_id, near):
    trial = get_object_or_404(
        Trial.objects.published().prefetch_related(
            "collaborators",
            "officials",
            "secondary_ids",
            "outcomes",
            "arms__interventions",
            "interventions",
            Prefetch("sites", queryset=Site.objects.prefetch_related("contacts")),
            Prefetch(
                "contacts",
                queryset=Contact.objects.filter(kind=Contact.Kind.CENTRAL),
                to_attr="central_contacts",
            ),
            Prefetch(
                "contacts",
                queryset=Contact.objects.filter(kind=Contact.Kind.SITE, site=None),
                to_attr="unplaced_site_contacts",
            ),
            "publications",
            "links",
            "timeline",
            "related_trials",
            "notes",
        ),
        nct_id=nct_id,
    )
    place = geo.resolve_place(near) if near else None
    distances = site_distances(trial, place)
    drugs = {i.name.lower() for i in trial.interventions.all()} | {
        word.lower() for word in (trial.brief_title + " " + trial.official_title).split()
    }
    page_url = request.build_absolute_uri(trial.get_absolute_url())
    context = {
        "trial": trial,
        "status_line": trial_page.status_line(trial),
        "phases": trial_page.phase_lines(trial),
        "criteria": parse_criteria(trial.eligibility_criteria),
        "places": trial_page.sites_by_place(trial.sites.all(), distances),
        "distances": distances,
        "map_points": map_points(trial),
        "place": place,
        "near_typed": near,
        "publications": group_publications(trial.publications.all()),
        "approvals": [a for a in DrugApproval.objects.all() if a.drug.lower() in drugs],
        "related": trial_page.related_trials(trial),
        "glossary": trial_page.Glossary.load(),
        "json_ld": trial_page.json_ld(trial, page_url),
        "page_url": page_url,
        "map_tiles": settings.MAP_TILE_URL,
        "map_attribution": settings.MAP_TILE_ATTRIBUTION,
    }
    return render_to_string("trials/trial_detail.html", context, request)


def map_points(trial):
    """The sites with coordinates, for the map (read by static/js/trial-page.js)."""
    return [
        {
            "lat": site.latitude,
            "lon": site.longitude,
            "name": ", ".join(part for part in (site.facility, site.city, site.country) if part),
            "status": site.get_status_display() if site.status else "",
        }
        for site in trial.sites.all()
        if site.latitude is not None and site.longitude is not None
    ]


def site_distances(trial, place):
    """{site pk: km from the place} for the trial's sites with coordinates."""
    if place is None:
        return {}
    return {
        site.pk: geo.distance_km(place.latitude, place.longitude, site.latitude, site.longitude)
        for site in trial.sites.all()
        if site.latitude is not None and site.longitude is not None
    }


def group_publications(publications):
    """Results, background and derived papers apart; papers a source page cites come last."""
    groups = {"RESULT": [], "BACKGROUND": [], "DERIVED": [], "CITED": []}
    for publication in publications:
        if publication.origin == Publication.Origin.CURATED:
            groups["CITED"].append(publication)
        else:
            groups.get(publication.reference_type, groups["BACKGROUND"]).append(publication)
    titles = {
        "RESULT": "Results of this trial",
        "BACKGROUND": "Background reading",
        "DERIVED": "Papers drawn from this trial",
        "CITED": "Cited by the source page",
    }
    return [(titles[key], items) for key, items in groups.items() if items]
