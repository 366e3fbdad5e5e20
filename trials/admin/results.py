"""Posted results: the registry's, read-only for curators (an import replaces them whole); and the
lay summary of them, which curators write and review, one per trial and language."""

from django.contrib import admin
from django.urls import reverse

from .. import models as m
from .fragments import fragment
from .site import HistoryAdmin


@admin.register(m.ResultsSummary)
class ResultsSummaryAdmin(HistoryAdmin):
    list_display = ["trial", "language", "reviewed_by", "reviewed_on"]
    list_filter = ["language", "reviewed_on"]
    list_select_related = ["trial"]
    search_fields = ["trial__nct_id", "trial__brief_title", "text", "reviewed_by"]
    search_help_text = "NCT ID, title, the summary's words or its reviewer."
    autocomplete_fields = ["trial"]
    fields = ["trial", "language", "text", "reviewed_by", "reviewed_on", "registry_results"]
    readonly_fields = ["registry_results"]

    @admin.display(description="The registry's results")
    def registry_results(self, summary):
        """What the summary must not go beyond: a link to the results it summarises."""
        results = m.TrialResults.objects.filter(trial_id=summary.trial_id).first()
        if results is None:
            return "No posted results for this trial yet."
        url = reverse("admin:trials_trialresults_change", args=[results.pk])
        return fragment("admin_link", url=url, text=results)


@admin.register(m.TrialResults)
class TrialResultsAdmin(admin.ModelAdmin):
    """The registry's words and numbers, shown as imported: to change them, the registry's record
    changes, and the next import brings it."""

    list_display = ["trial", "outcome_count", "event_group_count", "summaries"]
    list_select_related = ["trial"]
    search_fields = ["trial__nct_id", "trial__brief_title", "outcomes__title"]
    search_help_text = "NCT ID, title or an outcome's title."
    exclude = ["digest"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_readonly_fields(self, request, obj=None):
        fields = [f.name for f in m.TrialResults._meta.fields if f.name not in ("id", "digest")]
        return [*fields, "outcome_titles"]

    @admin.display(description="Outcomes")
    def outcome_count(self, results):
        return results.outcomes.count()

    @admin.display(description="Event groups")
    def event_group_count(self, results):
        return results.event_groups.count()

    @admin.display(description="Outcome measures")
    def outcome_titles(self, results):
        return fragment("results_outcomes", outcomes=results.outcomes.all())

    @admin.display(description="Lay summaries")
    def summaries(self, results):
        url = reverse("admin:trials_resultssummary_changelist") + f"?q={results.trial.nct_id}"
        count = results.trial.results_summaries.count()
        return fragment("admin_link", url=url, text=count)
