"""/api/v1/: outside the language prefixes, in English only (portal/urls.py)."""

from django.urls import path, re_path
from drf_spectacular.views import SpectacularJSONAPIView

from .. import urls as page_urls  # noqa: F401 (registers the nct_id converter the pages use)
from . import views

app_name = "api"

urlpatterns = [
    path("trials/", views.trial_list, name="trials"),
    path("trials/<nct_id:nct_id>/", views.trial_detail, name="trial"),
    path("glossary/", views.glossary, name="glossary"),
    path("schema/", SpectacularJSONAPIView.as_view(), name="schema"),
    path("docs/", views.docs, name="docs"),
    # Any other address under /api/v1/, newlines and all (which "." would not match).
    re_path(r"^(?P<rest>[\s\S]*)$", views.not_found),
]
