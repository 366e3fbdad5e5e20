"""The read-only JSON API, /api/v1/: the list's trials by the page's own FilterSet and sorts, a
whole published trial, the glossary, and the OpenAPI document with a page that shows it.

Parameters are checked as the page checks them, with one difference: where the page ignores a
value it cannot use and says so in a note, the API answers 400 and names the parameter, since a
program cannot read a note and would take the wider list for what it asked."""

from django.conf import settings
from django.core.cache import cache
from django.db.models import Prefetch
from django.http import HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework.decorators import api_view
from rest_framework.exceptions import NotFound
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response

from ..cache import cache_key, cached, per_address
from ..listing.filters import TrialFilter
from ..listing.paging import COUNT_CAP, CappedPaginator, filter_key
from ..listing.sorting import choose_sort, sort_trials
from ..models import Contact, GlossaryTerm, Site, Trial
from . import cursor
from .parameters import PAGE_SIZE_MAX, accepted_names, list_parameters
from .serializers import (
    ErrorSerializer,
    GlossaryTermSerializer,
    TrialItemSerializer,
    TrialListSerializer,
    TrialSerializer,
)

# The API's own parameters, beside the filters the page shares.
OWN_PARAMETERS = ("cursor", "page_size", "facets")


class Refused(Exception):
    """Parameters that could not be used: [(parameter, message)], for a 400."""

    def __init__(self, errors):
        super().__init__(errors)
        self.errors = errors


def bad_parameters(errors):
    """400, naming each parameter that could not be used and why."""
    return Response(
        {
            "detail": _("Some parameters could not be used; nothing was searched."),
            "errors": [{"parameter": name, "message": message} for name, message in errors],
        },
        status=400,
    )


@extend_schema(
    operation_id="trials_list",
    summary="Published trials, by the list page's filters and in its order",
    parameters=list_parameters(),
    responses={
        200: OpenApiResponse(TrialListSerializer, description="A page of matching trials."),
        400: OpenApiResponse(ErrorSerializer, description="A parameter could not be used."),
    },
)
@api_view(["GET", "HEAD"])  # HEAD: link checkers and caches ask it
def trial_list(request):
    # The same for every caller who asks for this address until the catalogue changes, like the
    # list page: kept whole, as the JSON sent, and looked up before anything else is read.
    # Per address, host (its links are absolute), day and browser language (its notes are in
    # that language, as the response's Vary says). A refused parameter is never kept.
    try:
        body = cached(
            "api-list",
            per_address(request),
            lambda: JSONRenderer().render(list_answer(request)),
        )
    except Refused as refused:
        return bad_parameters(refused.errors)
    return HttpResponse(body, content_type="application/json")


def list_answer(request):
    params = request.query_params
    errors = [
        (name, _("%(name)s is not a parameter of this list.") % {"name": name[:40]})
        for name in sorted(set(params) - accepted_names())
    ]
    # The filters read what the page reads: the API's own parameters are not theirs, so the
    # cached counts and facets are shared with the page for the same search.
    data = params.copy()
    for name in OWN_PARAMETERS:
        data.pop(name, None)
    trial_filter = TrialFilter(data, queryset=Trial.objects.published(), request=request)
    sort, sort_notes = choose_sort(trial_filter, params.get("sort"))
    errors += trial_filter.ignored() + [("sort", note) for note in sort_notes]
    page_size = params.get("page_size", str(settings.TRIALS_PAGE_SIZE))
    if not page_size.isdigit() or not 1 <= int(page_size) <= PAGE_SIZE_MAX:
        errors.append(
            (
                "page_size",
                _("page_size must be a whole number from 1 to %(max)s.") % {"max": PAGE_SIZE_MAX},
            )
        )
    if params.get("facets", "0") not in ("0", "1"):
        errors.append(("facets", _("facets must be 0 or 1.")))
    if errors:
        raise Refused(errors)

    trials = sort_trials(trial_filter, sort).for_cards()
    if params.get("cursor"):
        try:
            trials = cursor.after(trials, params["cursor"])
        except cursor.BadCursor:
            message = _("This is not a cursor of this search: start again without one.")
            raise Refused([("cursor", message)]) from None
    page_size = int(page_size)
    found = list(trials[: page_size + 1])  # one more says whether there is a next page
    shown = found[:page_size]
    facets = None
    if params.get("facets") == "1":  # with their count, as the page has them (cached alike)
        facets, count = cached(
            "facets-and-count", filter_key(trial_filter), trial_filter.facets_and_count
        )
    else:
        count = CappedPaginator(
            trials, 1, count_queryset=trial_filter.qs, count_key=filter_key(trial_filter)
        ).count
    following = None
    if len(found) > len(shown):
        query = params.copy()
        query["cursor"] = cursor.encode(trials, shown[-1])
        following = request.build_absolute_uri(f"{request.path}?{query.urlencode()}")
    answer = {
        "count": min(count, COUNT_CAP),
        "count_is_lower_bound": count > COUNT_CAP,
        "sort": sort,
        "next": following,
        "notes": trial_filter.notes(),  # no value was ignored (that was a 400): how it was read
    }
    if facets is not None:
        answer["facets"] = [
            {
                "name": facet["name"],
                "label": str(facet["label"]),
                "options": [
                    {"value": value, "label": str(label), "count": n, "selected": chosen}
                    for value, label, n, chosen in facet["options"]
                ],
            }
            for facet in facets
        ]
    answer["results"] = TrialItemSerializer(shown, many=True, context={"request": request}).data
    return answer


@extend_schema(
    operation_id="trial_retrieve",
    summary="A published trial, whole",
    parameters=[
        OpenApiParameter(
            "nct_id",
            {"type": "string", "pattern": "^[Nn][Cc][Tt][0-9]{8}$"},
            OpenApiParameter.PATH,
            description="The trial's ClinicalTrials.gov ID.",
            examples=[OpenApiExample("A bundled trial", value="NCT01207388")],
        )
    ],
    responses={
        200: OpenApiResponse(TrialSerializer, description="The trial."),
        404: OpenApiResponse(ErrorSerializer, description="No published trial has this ID."),
    },
)
@api_view(["GET", "HEAD"])  # HEAD: link checkers and caches ask it
def trial_detail_api(request, nct_id):
    nct_id = nct_id.upper()
    # The same for every caller until the catalogue changes, like the trial's page: kept as
    # the JSON sent (a trial with hundreds of sites took longer to render again than its page
    # to be read from the cache), per address, since it holds the page's absolute URL. An
    # unknown ID raises: never kept.
    body = cached(
        KEPT_TRIAL,
        kept_trial(request, nct_id),
        lambda: JSONRenderer().render(trial_data(request, nct_id)),
    )
    return HttpResponse(body, content_type="application/json")


# The name a trial's JSON is kept under in the cache: trial_detail reads what this view keeps.
KEPT_TRIAL = "api-trial"


def kept_trial(request, nct_id):
    """What a trial's JSON kept in the cache depends on: its ID, and the scheme and host of the
    page's absolute URL in it."""
    return (nct_id, request.scheme, request.get_host())


@csrf_exempt  # as DRF's views are: a POST gets DRF's 405, not the CSRF page
def trial_detail(request, nct_id):
    """A trial's JSON, sent straight from the cache when it is kept there (most requests).
    DRF's handling of the request (negotiating the format, authenticating, throttling: none of
    which this answer depends on) made it a tenth of a millisecond slower than the trial's own
    page served from the cache (bench/RESULTS.md, issue 20). Anything else, a first request, an
    unknown ID, another method, goes to DRF's view, trial_detail_api."""
    if request.method in ("GET", "HEAD"):
        body = cache.get(cache_key(KEPT_TRIAL, kept_trial(request, nct_id.upper())))
        if body is not None:
            response = HttpResponse(body, content_type="application/json")
            response["Allow"] = ALLOWED  # as DRF's answer says it
            return response
    return trial_detail_api(request, nct_id)


# The OpenAPI document is made from the URLs' views: this one is documented as the DRF view it
# hands over to (DRF's as_view() marks its views with these two attributes).
trial_detail.cls = trial_detail_api.cls
trial_detail.initkwargs = trial_detail_api.initkwargs
ALLOWED = ", ".join(trial_detail_api.cls().allowed_methods)


def trial_data(request, nct_id):
    # Each kind of row read once, whatever the trial's size: a constant number of queries.
    trials = Trial.objects.published().prefetch_related(
        "arms__interventions",
        "interventions",
        "outcomes",
        "publications",
        "secondary_ids",
        "collaborators",
        Prefetch(
            "sites",
            # As a plain list on each site (to_attr): Django makes no queryset per site for it,
            # which cost a trial of 900 sites more than reading them.
            queryset=Site.objects.prefetch_related(
                Prefetch("contacts", to_attr="contact_list")
            ).order_by("order", "pk"),
        ),
        Prefetch(
            "contacts",
            queryset=Contact.objects.filter(kind=Contact.Kind.CENTRAL),
            to_attr="central_contacts",
        ),
    )
    trial = trials.filter(nct_id=nct_id).first()
    if trial is None:
        raise NotFound(_("No published trial has the ID %(nct_id)s.") % {"nct_id": nct_id})
    return TrialSerializer(trial, context={"request": request}).data


@extend_schema(
    operation_id="glossary_list",
    summary="The glossary: words families meet on trial pages, explained",
    responses={200: OpenApiResponse(GlossaryTermSerializer(many=True), description="Every term.")},
)
@api_view(["GET", "HEAD"])  # HEAD: link checkers and caches ask it
def glossary(request):
    terms = GlossaryTerm.objects.order_by("term")
    return Response(GlossaryTermSerializer(terms, many=True).data)


@extend_schema(exclude=True)
@api_view(["GET", "HEAD"])  # HEAD: link checkers and caches ask it
def not_found(request, rest):
    """Any other address under /api/: a JSON 404, as a program expects, not the HTML page."""
    raise NotFound(_("There is nothing at this address of the API."))


def docs(request):
    """The OpenAPI document as a page: every operation, its parameters and its answers. Ours,
    plain HTML: it works without JavaScript and under the site's CSP (Redoc and Swagger UI need
    inline script and styles)."""
    schema = SchemaGenerator(patterns=None).get_schema(request=None, public=True)
    operations = [
        {"path": path, "method": method.upper(), **operation}
        for path, methods in schema["paths"].items()
        for method, operation in methods.items()
    ]
    return render(request, "api/docs.html", {"schema": schema, "operations": operations})
