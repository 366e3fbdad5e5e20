"""The public pages: the landing page, the list of trials and its exports, a trial's page. Each
view builds its queryset and context here; what they prepare lives in trials/listing/ (the list)
and trials/trial_page.py (a trial's page)."""

from django.conf import settings
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.views.decorators.vary import vary_on_headers

from . import trial_page
from .cache import cached, stored_figures
from .eligibility import parse_criteria
from .findings.build import for_trial_page as findings_for_trial_page
from .listing import exports
from .listing.cards import result_cards, trial_page_query
from .listing.chips import applied_chips
from .listing.filters import SORTS, TrialFilter
from .listing.paging import count_label, filter_key, paginate
from .listing.querystrings import unit_switch
from .listing.sorting import available_sorts, choose_sort, sort_trials
from .listing.ways_out import dead_end, open_in_results
from .models import Trial
from .places import gazetteer
from .places.countries import is_english
from .places.units import choose_unit, say_distance
from .search.spelling import suggest_spelling
from .translations import Reviews
from .vocabularies import OPEN_STATUSES


# The radius box reads miles or kilometres by the browser's language (places/units.py), and "/"
# sends a first visit on by its language and a returning one by its cookie: a shared cache must
# keep one copy per language and cookie.
@vary_on_headers("Accept-Language", "Cookie")
def home(request):
    elsewhere = first_visit_language(request)
    if elsewhere:
        return redirect(elsewhere)
    today = timezone.localdate()
    context = {
        # Kept per day: which records count as old changes with the date.
        **cached("home", (today.isoformat(),), lambda: landing_figures(today)),
        "open_statuses": OPEN_STATUSES,
        # The radius box's unit: no place is typed yet, so the browser's language says.
        "unit": choose_unit(accept_language=request.headers.get("Accept-Language", "")),
    }
    return render(request, "trials/home.html", context)


def first_visit_language(request):
    """The start page in the visitor's language when "/" is asked for and that is not English:
    the language chosen with the switcher (its cookie), else on a first visit the browser's
    (Accept-Language). Only "/": a deep link keeps the language of its address."""
    if translation.get_language_from_path(request.path_info):
        return None
    language = translation.get_language_from_request(request)  # the cookie, else the browser's
    if language == settings.LANGUAGE_CODE:
        return None
    with translation.override(language):
        url = reverse("trials:home")
    query = request.META.get("QUERY_STRING", "")
    return f"{url}?{query}" if query else url


def landing_figures(today):
    """The landing page's counts and first trials: the same for every visitor, so cached. The
    counts, aggregates over the whole catalogue, are kept in the database between changes too."""
    trials = Trial.objects.published()
    return {
        **stored_figures(today, lambda: landing_counts(trials, today)),
        "recent": list(trials.open_first().for_cards()[:6]),  # read off the open-first index
    }


def landing_counts(trials, today):
    opened = trials.open_to_enrolment().count_by_old_record(today)
    return {
        "trial_count": trials.count(),
        "open_count": opened["all"],
        "open_by_old_record_count": opened["old"],
        "country_count": len(trials.site_country_counts()),
    }


@vary_on_headers("Accept-Language")
def trial_list(request):
    published = Trial.objects.published()
    trial_filter = TrialFilter(request.GET, queryset=published, request=request)
    sort, sort_notes = choose_sort(trial_filter, request.GET.get("sort"))
    page, page_notes = paginate(trial_filter, sort, request.GET.get("page"))
    corrected = None
    if trial_filter.query and not page.paginator.count:
        # Nothing found: perhaps a misspelling. Search again for the nearest known words.
        # Kept like the counts: the same words find the same suggestion until the catalogue
        # changes ("" when there is none, as the cache cannot tell None from a miss).
        corrected = cached(
            "spelling",
            (trial_filter.query.typed,),
            lambda: suggest_spelling(trial_filter.query, published) or "",
        )
        if corrected:
            # The filter's own data: age words it read stay the age filter they became.
            data = trial_filter.data.copy()
            data["q"] = corrected.typed
            trial_filter = TrialFilter(data, queryset=published, request=request)
            page, page_notes = paginate(trial_filter, sort, request.GET.get("page"))
    cards = result_cards(page.object_list, trial_filter)
    facets = cached("facets", filter_key(trial_filter), trial_filter.facets)
    # No open trial listed: say so plainly, and offer searches that find some.
    stuck = dead_end(trial_filter, found=page.paginator.count, open_found=open_in_results(facets))
    context = {
        "filter": trial_filter,
        "page": page,
        "cards": cards,
        "facets": facets,
        "dead_end": stuck,
        "chips": applied_chips(trial_filter),
        "count_label": count_label(page.paginator.count),
        "notes": trial_filter.notes() + sort_notes + page_notes,
        "filter_count": trial_filter.active_count(),
        "corrected": corrected,
        # The text as searched: age words in it became the age filter (listing/filters.py).
        "typed_query": trial_filter.data.get("q", "")[:200],
        "sort": sort,
        "sort_label": SORTS[sort],
        "sorts": available_sorts(trial_filter),
        "open_statuses": OPEN_STATUSES,
        "unit_switch": unit_switch(trial_filter),
        "trial_query": trial_page_query(trial_filter),
        "export_limit": exports.EXPORT_LIMIT,
        "export_limit_label": number_format(exports.EXPORT_LIMIT, force_grouping=True),
    }
    return render(request, "trials/trial_list.html", context)


def trial_export(request, file_format):
    """The list's trials, filters and order as a CSV or JSON file, up to EXPORT_LIMIT."""
    trial_filter = TrialFilter(request.GET, queryset=Trial.objects.published(), request=request)
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
            "source": _("ClinicalTrials.gov records, as published on this portal"),
            "search": request.build_absolute_uri(search_url),
            "exported": timezone.now().isoformat(timespec="seconds"),
            "note": _("Information about trials, not medical advice: talk with your care team."),
            "limit": exports.EXPORT_LIMIT,
            "count": len(rows),
            "more_than_limit": len(found) > exports.EXPORT_LIMIT,
            "ignored": trial_filter.notes() + sort_notes,
            "trials": rows,
        }
        response = JsonResponse(payload, json_dumps_params={"ensure_ascii": False, "indent": 1})
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def trial_detail(request, nct_id):
    if nct_id != nct_id.upper():
        return redirect("trials:detail", nct_id=nct_id.upper(), permanent=True)
    near = request.GET.get("near", "")[:100]
    try:
        if near:  # sites ordered from the visitor's place: made for this visit
            return HttpResponse(trial_page_html(request, nct_id, near))
        # The same for every visitor until the catalogue changes (a curator's edit, an import, a
        # glossary term): kept whole, per address, since its links carry the host. And per day:
        # what it says of estimated dates and staleness depends on today's date. (cached() keeps
        # one per language.)
        html = cached(
            "trial-page",
            (
                nct_id,
                request.scheme,
                request.get_host(),
                timezone.localdate(),
                translation.get_language(),
                # The language switcher returns to this address, query string and all.
                request.GET.urlencode(),
            ),
            lambda: trial_page_html(request, nct_id, ""),
        )
    except Http404:
        # Looked for only when the trial is not listed, so listed pages cost no query more.
        trial = Trial.objects.no_longer_listed().filter(nct_id=nct_id).first()
        if trial is None:
            raise
        return render(request, "trials/trial_gone.html", {"trial": trial}, status=410)
    return HttpResponse(html)


def trial_page_html(request, nct_id, near):
    trial = get_object_or_404(Trial.objects.published().for_trial_page(), nct_id=nct_id)
    region = gazetteer.resolve_region(near) if near else None
    place = gazetteer.resolve_place(near) if near and not region else None
    distances = trial_page.site_distances(trial, place)
    # Kilometres or miles: as chosen (units=), else as the place's country reads them.
    unit = choose_unit(
        request.GET.get("units", ""),
        country=(place or region).country if place or region else "",
        accept_language=request.headers.get("Accept-Language", ""),
    )
    places = trial_page.sites_by_place(trial.sites.all(), distances, region)
    # With a place, the country of the nearest sites (or the one named) first, the rest folded.
    first, rest, rest_count = (
        trial_page.first_and_rest(places) if place or region else (places, [], 0)
    )
    page_url = request.build_absolute_uri(trial.get_absolute_url())
    # The site listed first near the visitor's place, for the email to a doctor.
    nearest = trial_page.first_site(first) if place or region else None
    # The curated text in the page's language once reviewed, else in English (translations.py).
    curated = Reviews(trial)
    email_body = render_to_string(
        "trials/email_to_doctor.txt",
        {
            "trial": trial,
            "curated": curated,
            "place": place,
            "region": region,
            "nearest": nearest,
            "nearest_distance": say_distance(distances[nearest.pk], unit)
            if nearest and nearest.pk in distances
            else "",
            "page_url": page_url,
        },
    )
    context = {
        "trial": trial,
        "email_body": email_body.strip(),
        "phases": trial_page.phase_lines(trial),
        "criteria": parse_criteria(trial.eligibility_criteria),
        "places": places,
        "places_first": first,
        "places_rest": rest,
        "places_rest_count": rest_count,
        "distances": distances,
        "unit": unit,
        "units_chosen": request.GET.get("units", ""),
        "map_points": trial_page.map_points(trial),
        "place": place,
        "region": region,
        "near_typed": near,
        "publications": trial_page.group_publications(trial.publications.all()),
        "approvals": trial_page.drug_approvals(trial),
        "related": trial_page.related_trials(trial),
        # What a finished trial found (None without posted results): its lay summary in the
        # page's language where curators wrote one.
        "findings": findings_for_trial_page(trial, translation.get_language()),
        "glossary": trial_page.Glossary.load(curated),
        "curated": curated,
        "json_ld": trial_page.json_ld(trial, page_url),
        "page_url": page_url,
        "map_tiles": settings.MAP_TILE_URL,
        "map_attribution": settings.MAP_TILE_ATTRIBUTION,
        # Said once, above the registry's English, on a page in another language (item 3).
        "registry_lang_note": not is_english(),
    }
    return render_to_string("trials/trial_detail.html", context, request)
