from django.urls import path, register_converter

from . import feedback, views


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
    path("trials/export.ris", views.trial_export, {"file_format": "ris"}, name="export-ris"),
    path("embed/", views.trial_embed, name="embed"),
    path("trials/<nct_id:nct_id>/", views.trial_detail, name="detail"),
    path("trials/<nct_id:nct_id>/report/", feedback.report_problem, name="report-trial"),
    path("report/", feedback.report_problem, name="report"),
    path("report/sent/", feedback.report_sent, name="report-sent"),
    path("accessibility/", feedback.accessibility, name="accessibility"),
]
