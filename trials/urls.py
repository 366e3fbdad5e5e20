from django.urls import path, register_converter

from . import feedback, feeds, views
from .alerts import views as alerts


class NctIdConverter:
    """NCT followed by 8 digits, in any case: views redirect lower case to the canonical ID."""

    regex = "[Nn][Cc][Tt][0-9]{8}"

    def to_python(self, value):
        return value

    def to_url(self, value):
        return value


register_converter(NctIdConverter, "nct_id")

app_name = "trials"

urlpatterns = [
    path("", views.home, name="home"),
    path("trials/", views.trial_list, name="list"),
    path("trials/export.csv", views.trial_export, {"file_format": "csv"}, name="export-csv"),
    path("trials/export.json", views.trial_export, {"file_format": "json"}, name="export-json"),
    path("trials/feed/", feeds.search_feed, name="feed"),
    path("trials/export.ris", views.trial_export, {"file_format": "ris"}, name="export-ris"),
    path("embed/", views.trial_embed, name="embed"),
    path("trials/<nct_id:nct_id>/", views.trial_detail, name="detail"),
    path("could-i-join/", views.could_i_join, name="could-i-join"),
    path("trials/<nct_id:nct_id>/feed/", feeds.trial_feed, name="trial-feed"),
    path("trials/<nct_id:nct_id>/report/", feedback.report_problem, name="report-trial"),
    path("report/", feedback.report_problem, name="report"),
    path("report/sent/", feedback.report_sent, name="report-sent"),
    path("accessibility/", feedback.accessibility, name="accessibility"),
    # Alerts by email (trials/alerts/): the follow box's post, then pages reached from emails.
    path("alerts/follow/", alerts.follow, name="alerts-follow"),
    path("alerts/sent/", alerts.sent, name="alerts-sent"),
    path("alerts/privacy/", alerts.privacy, name="alerts-privacy"),
    path("alerts/confirm/<str:token>/", alerts.confirm, name="alerts-confirm"),
    path("alerts/manage/<str:token>/", alerts.manage, name="alerts-manage"),
    path("alerts/unsubscribe/<str:token>/", alerts.unsubscribe, name="alerts-unsubscribe"),
]
