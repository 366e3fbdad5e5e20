"""The public pages: the landing page, the list of trials and its exports, a trial's page. Each
view builds its queryset and context here; what they prepare lives in trials/listing/ (the list)
and trials/trial_page.py (a trial's page)."""

from functools import cache

from django.conf import settings
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.views.decorators.vary import vary_on_headers

from . import changes, trial_page
from .cache import cached, per_address, stored_figures
from .eligibility import parse_criteria
from .findings.build import for_trial_page as findings_for_trial_page
from .listing import exports, ris
from .listing.cards import result_cards, trial_page_query
from .listing.chips import applied_chips
from .listing.filters import SORTS, TrialFilter
from .listing.paging import count_label, filter_key, paginate
from .listing.querystrings import canonical_query, edited, unit_switch
from .listing.sorting import available_sorts, choose_sort, sort_trials
from .listing.ways_out import dead_end, open_in_results
from .machines.framing import embeddable
from .models import Trial
from .places import gazetteer
from .places.countries import is_english
from .places.units import choose_unit, say_distance
from .prescreen.answers import Answers, blank_form, read_answers, summary
from .prescreen.checklist import checklist
from .prescreen.facts import facts_for
from .prescreen.match import Fit, match
from .prescreen.results import nearest_site_km, ranked
from .search.spelling import suggest_spelling
from .templatetags.alerts import fill_csrf_slot
from .translations import Reviews
from .vocabularies import OPEN_STATUSES

PRESCREEN_PAGE_SIZE = 20


# The radius box reads miles or kilometres by the browser's language (places/units.py), and "/"
# sends a first visit on by its language and a returning one by its cookie: a shared cache must
# keep one copy per language and cookie.
@vary_on_headers("Accept-Language", "Cookie")
def home(request):
    elsewhere = first_visit_language(request)
    if elsewhere:
        return redirect(elsewhere)
    today = timezone.localdate()
    # The same for every visitor who is shown this address until the catalogue changes: kept
    # whole, as the bytes sent, like the list page (rendering it was most of its time once its
    # figures were cached). Per address (its language), host, day and browser language (the
    # radius box's unit); the cookie only decides the redirect above.
    page = cached(
        "home-page",
        per_address(request),
        lambda: home_html(request, today).encode(),
    )
    return HttpResponse(page)


def home_html(request, today):
    context = {
        # Kept per day: which records count as old changes with the date.
        **cached("home", (today.isoformat(),), lambda: landing_figures(today)),
        "open_statuses": OPEN_STATUSES,
        # The radius box's unit: no place is typed yet, so the browser's language says.
        "unit": choose_unit(accept_language=request.headers.get("Accept-Language", "")),
    }
    return render_to_string("trials/home.html", context, request)


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
    # The same for every visitor who asks for this address until the catalogue changes, like a
    # trial's page: kept whole, as the bytes sent (rendering the filters and cards took most of
    # the time of a list page whose counts and cards were cached). Per host (absolute links),
    # day (what the cards say of dates) and browser language (it may choose km or miles, as the
    # page's Vary says).
    page = cached(
        "list-page",
        per_address(request),
        lambda: list_page_html(request).encode(),
    )
    # The follow box's CSRF token is each visitor's own, never the cached page's.
    return HttpResponse(fill_csrf_slot(request, page))


def list_page_html(request):
    published = Trial.objects.published()
    trial_filter = TrialFilter(request.GET, queryset=published, request=request)
    sort, sort_notes = choose_sort(trial_filter, request.GET.get("sort"))
    # The facets, and the count from their first pass; kept until the catalogue changes.
    facets, found = cached(
        "facets-and-count", filter_key(trial_filter), trial_filter.facets_and_count
    )
    page, page_notes = paginate(trial_filter, sort, request.GET.get("page"), found)
    corrected = None
    if trial_filter.query and not found:
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
            facets, found = cached(
                "facets-and-count", filter_key(trial_filter), trial_filter.facets_and_count
            )
            page, page_notes = paginate(trial_filter, sort, request.GET.get("page"), found)
    # The page's cards, kept like the counts: the same search, order and page show the same
    # trials until the catalogue changes. Their query (ranking every match of a text search, or
    # measuring every site in reach) was most of the time of a list page otherwise cached.
    cards = cached(
        "cards",
        (filter_key(trial_filter), sort, page.number),
        lambda: result_cards(page.object_list, trial_filter),
    )
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
        "canonical_query": canonical_query(trial_filter),
        # The widget of this search, for another site to show (includes/embed_snippet.html).
        "embed_url": request.build_absolute_uri(
            f"{reverse('trials:embed')}?{edited(trial_filter.data)}"
        ),
    }
    return render_to_string("trials/trial_list.html", context, request)


@embeddable
def trial_embed(request):
    """The widget: the first page of the list's trials for the same parameters, small enough for
    another site's frame; its links open the portal in a new tab."""
    published = Trial.objects.published()
    trial_filter = TrialFilter(request.GET, queryset=published, request=request)
    sort, sort_notes = choose_sort(trial_filter, request.GET.get("sort"))
    page = paginate(trial_filter, sort, "1")[0]  # the first page: no note about the page asked
    query = edited(trial_filter.data)
    context = {
        "filter": trial_filter,
        "trials": page.object_list,
        "count": page.paginator.count,
        "count_label": count_label(page.paginator.count),
        "notes": trial_filter.notes() + sort_notes,
        "list_url": request.build_absolute_uri(f"{reverse('trials:list')}?{query}"),
        "canonical_query": canonical_query(trial_filter),
        "canonical_path": reverse("trials:list"),
    }
    return render(request, "trials/embed.html", context)


def robots_txt(request):
    prefixes = [""] + [
        f"/{code}" for code, _name in settings.LANGUAGES if code != settings.LANGUAGE_CODE
    ]
    context = {
        "admin_url": settings.ADMIN_URL,
        "prefixes": prefixes,
        "sitemap_url": request.build_absolute_uri(reverse("sitemap")),
    }
    return render(request, "machines/robots.txt", context, content_type="text/plain; charset=utf-8")


def trial_export(request, file_format):
    """The list's trials, filters and order as a CSV, JSON or RIS file, up to EXPORT_LIMIT."""
    trial_filter = TrialFilter(request.GET, queryset=Trial.objects.published(), request=request)
    sort, sort_notes = choose_sort(trial_filter, request.GET.get("sort"))
    # The address of a trial's page, reversed once rather than a thousand times: the pattern
    # with a stand-in ID, then each trial's ID put in its place.
    pattern = request.build_absolute_uri(reverse("trials:detail", args=["NCT00000000"]))
    today = timezone.localdate()

    def page_url(nct_id):
        return pattern.replace("NCT00000000", nct_id)

    def make_file():
        fields = ris.RIS_FIELDS if file_format == "ris" else exports.FIELDS
        trials = sort_trials(trial_filter, sort).values(*fields)
        found = list(trials[: exports.EXPORT_LIMIT + 1])  # one more says whether there are more
        kept = found[: exports.EXPORT_LIMIT]
        if file_format == "ris":
            return {"text": ris.as_ris(kept, page_url, today)}
        rows = exports.rows(kept, page_url)
        if file_format == "csv":
            return {"text": exports.as_csv(rows)}
        return {"rows": rows, "more": len(found) > exports.EXPORT_LIMIT}

    # The same for everyone who asks for this search until the catalogue changes (or the day
    # does: the rows say how near an end date is), kept like the list's counts. Per address,
    # as the rows hold the trials' page URLs.
    made = cached(
        "export",
        (file_format, filter_key(trial_filter), sort, request.scheme, request.get_host(), today),
        make_file,
    )
    filename = f"blinatumomab-trials-{today.isoformat()}.{file_format}"
    if file_format == "ris":
        response = HttpResponse(made["text"], content_type="application/x-research-info-systems")
    elif file_format == "csv":
        response = HttpResponse(made["text"], content_type="text/csv; charset=utf-8")
    else:
        search_url = f"{reverse('trials:list')}?{request.GET.urlencode()}"
        payload = {
            "source": _("ClinicalTrials.gov records, as published on this portal"),
            "search": request.build_absolute_uri(search_url),
            "exported": timezone.now().isoformat(timespec="seconds"),
            "note": _("Information about trials, not medical advice: talk with your care team."),
            "limit": exports.EXPORT_LIMIT,
            "count": len(made["rows"]),
            "more_than_limit": made["more"],
            "ignored": trial_filter.notes() + sort_notes,
            "trials": made["rows"],
        }
        response = JsonResponse(payload, json_dumps_params={"ensure_ascii": False, "indent": 1})
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def trial_detail(request, nct_id):
    if nct_id != nct_id.upper():
        return redirect("trials:detail", nct_id=nct_id.upper(), permanent=True)
    near = request.GET.get("near", "")[:100]
    # Read only when the address has a query string: reading the form costs more than the rest
    # of a page served from the cache.
    answered = bool(request.GET) and read_answers(request.GET)[0].given
    try:
        # Sites ordered from the visitor's place, or the quick check's answers: made for this
        # visit, and never kept (the answers are about someone's health).
        if near or answered:
            page = trial_page_html(request, nct_id, near).encode()
            return HttpResponse(fill_csrf_slot(request, page))
        # The same for every visitor until the catalogue changes (a curator's edit, an import, a
        # glossary term): kept whole, per address, since its links carry the host. And per day:
        # what it says of estimated dates and staleness depends on today's date. (cached() keeps
        # one per language.) Kept as the bytes sent: neither decoded nor encoded again (under
        # a name of its own: a shared cache may still hold the text kept by an earlier release).
        page = cached(
            "trial-page-bytes",
            (
                nct_id,
                request.scheme,
                request.get_host(),
                timezone.localdate(),
                translation.get_language(),
                # The language switcher returns to this address, query string and all.
                request.GET.urlencode(),
            ),
            lambda: trial_page_html(request, nct_id, "").encode(),
        )
    except Http404:
        # Looked for only when the trial is not listed, so listed pages cost no query more.
        trial = Trial.objects.no_longer_listed().filter(nct_id=nct_id).first()
        if trial is None:
            raise
        return render(request, "trials/trial_gone.html", {"trial": trial}, status=410)
    # The follow box's CSRF token is each visitor's own, never the cached page's.
    return HttpResponse(fill_csrf_slot(request, page))


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
    # A country chosen: from the list's country filter, or among a large trial's countries.
    chosen = request.GET.get("country")
    sites, by_country = trial_page.listed_sites(
        trial, from_place=bool(place or region), country=chosen
    )
    country_first = (
        chosen
        if chosen is not None
        and not (place or region or by_country)
        and any(trial_page.in_country(site, chosen) for site in sites)
        else None
    )
    places = trial_page.sites_by_place(sites, distances, region, country_first)
    # With a place, the country of the nearest sites (or the one named or chosen) first, the
    # rest folded.
    first, rest, rest_count = (
        trial_page.first_and_rest(places)
        if place or region or country_first is not None
        else (places, [], 0)
    )
    page_url = request.build_absolute_uri(trial.get_absolute_url())
    # The site listed first near the visitor's place, for the email to a doctor.
    nearest = trial_page.first_site(first) if place or region else None
    # The curated text in the page's language once reviewed, else in English (translations.py).
    curated = Reviews(trial)
    since, since_unread = changes.read_since(request.GET.get("since"))
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
        # A trial of many sites seen from no place: its countries, each a link to its sites.
        "countries": trial_page.site_countries(trial.sites.all()),
        "by_country": by_country,
        "country_chosen": chosen,
        "country_first": country_first,
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
        "changes": changes.for_trial_page(trial, since),
        "since": since,
        "since_unread": since_unread,
        "glossary": trial_page.Glossary.load(curated),
        "curated": curated,
        "json_ld": trial_page.json_ld(trial, page_url),
        "page_url": page_url,
        "map_tiles": settings.MAP_TILE_URL,
        "map_attribution": settings.MAP_TILE_ATTRIBUTION,
        # Said once, above the registry's English, on a page in another language (item 3).
        "registry_lang_note": not is_english(),
        **quick_check(request, trial),
    }
    return render_to_string("trials/trial_detail.html", context, request)


def quick_check(request, trial):
    """The trial page's "Quick check": the pre-screener's questions for this trial alone, and
    its criteria as a checklist."""
    answers, notes = read_answers(request.GET) if request.GET else (Answers(), [])
    return {
        "quick_questions": quick_questions(answers)
        if answers.given
        else unanswered_quick_questions(translation.get_language()),
        "quick_verdict": match(answers, facts_for(trial)) if answers.given else None,
        "quick_notes": notes,
        # The same answers carried to the pre-screener, for every trial.
        "quick_query": request.GET.urlencode() if answers.given else "",
        "checklist": checklist(trial),
    }


def quick_questions(answers):
    """The quick check's questions, filled in with the answers read."""
    form = blank_form(answers, auto_id="quick-%s")
    return render_to_string("includes/prescreen_questions.html", {"form": form})


@cache
def unanswered_quick_questions(language):
    """The questions before any answer: the same on every trial page in a language, so rendered
    once a process. Their 28 widgets were a tenth of a trial page's time without the cache."""
    return quick_questions(Answers())


@vary_on_headers("Accept-Language")
def could_i_join(request):
    """The pre-screener: a few questions, then every published trial marked "may fit", "ask
    your care team" or "probably does not fit", with its reasons. The answers stay in the
    address (to share or print) and are never stored."""
    answers, notes = read_answers(request.GET)
    region = gazetteer.resolve_region(answers.near) if answers.near else None
    place = gazetteer.resolve_place(answers.near) if answers.near and not region else None
    if answers.near and not (place or region):
        notes.append(
            _("We could not find the place “%(place)s”, so the trials are not ordered by distance.")
            % {"place": answers.near}
        )
    page, counts = None, {}
    if answers.given:
        trials = Trial.objects.published().for_prescreen()
        results = ranked(
            trials,
            answers,
            distances=nearest_site_km(trials, place) if place else None,
            in_region=set(trials.in_region(region).values_list("pk", flat=True)) if region else (),
        )
        counts = {fit: sum(r.verdict.fit == fit for r in results) for fit in Fit}
        page = Paginator(results, PRESCREEN_PAGE_SIZE).get_page(request.GET.get("page"))
    unit = choose_unit(
        request.GET.get("units", ""),
        country=(place or region).country if place or region else "",
        accept_language=request.headers.get("Accept-Language", ""),
    )
    context = {
        "form": blank_form(answers),
        "answers": answers,
        "summary": summary(answers),
        "notes": notes,
        "page": page,
        "counts": [(Fit(fit), count) for fit, count in counts.items()],
        "place": place,
        "region": region,
        "unit": unit,
    }
    return render(request, "trials/could_i_join.html", context)
