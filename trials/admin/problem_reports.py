"""Problems visitors report ("Report a problem with this page"): listed for curators, what still
needs one first, with a "handled" mark to tick in the list or as an action."""

from django.contrib import admin, messages
from django.utils import timezone

from .. import models as m


def mark_handled(reports, *, user):
    """Mark these reports handled by this curator, now; returns how many changed."""
    return reports.filter(handled=False).update(
        handled=True, handled_at=timezone.now(), handled_by=user
    )


@admin.register(m.ProblemReport)
class ProblemReportAdmin(admin.ModelAdmin):
    list_display = ["received_at", "kind", "about", "short_message", "email", "handled"]
    list_display_links = ["received_at"]
    list_editable = ["handled"]
    list_filter = ["handled", "kind"]
    list_select_related = ["trial"]
    search_fields = ["message", "page", "trial__nct_id", "email"]
    date_hierarchy = "received_at"
    actions = ["mark_selected_handled"]
    fields = [
        "received_at",
        "kind",
        "trial",
        "page",
        "message",
        "email",
        "handled",
        "handled_at",
        "handled_by",
    ]
    # What the visitor sent stays as sent; curators only mark it handled.
    readonly_fields = [name for name in fields if name != "handled"]

    def has_add_permission(self, request):
        return False  # reports come from visitors, through the public form

    @admin.display(description="About")
    def about(self, report):
        return report.trial.nct_id if report.trial_id else report.page or "-"

    @admin.display(description="Message")
    def short_message(self, report):
        return report.message if len(report.message) <= 120 else report.message[:117] + "..."

    @admin.action(description="Mark the selected reports as handled")
    def mark_selected_handled(self, request, queryset):
        changed = mark_handled(queryset, user=request.user)
        self.message_user(request, f"{changed} report(s) marked as handled.", messages.SUCCESS)

    def save_model(self, request, obj, form, change):
        if "handled" in form.changed_data:
            obj.handled_at = timezone.now() if obj.handled else None
            obj.handled_by = request.user if obj.handled else None
        super().save_model(request, obj, form, change)
