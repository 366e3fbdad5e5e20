"""The site's addresses plus stand-ins for routes other branches add (the API, the feeds), to show
that the path rules of trials/machines/ cover them with nothing more."""

from django.conf.urls.i18n import i18n_patterns
from django.http import HttpResponse, JsonResponse
from django.urls import path

from portal.urls import urlpatterns as site


def stand_in_api(request):
    return JsonResponse({"stand_in": True, "note": "synthetic: not an API of the portal"})


def stand_in_feed(request, nct_id=None):
    return HttpResponse("<feed/>", content_type="application/atom+xml")


urlpatterns = [
    path("api/v1/stand-in/", stand_in_api),
    *i18n_patterns(
        path("trials/feed/", stand_in_feed),
        path("trials/<str:nct_id>/feed/", stand_in_feed),
        prefix_default_language=False,
    ),
    *site,
]
