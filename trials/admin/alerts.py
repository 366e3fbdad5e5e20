"""Alerts by email, as curators see them: how many follow each trial and each search, and the
outbox with its failures; all read-only. No address is shown: curators need the counts and
whether mail goes out, not who follows what (README, "Alerts", privacy)."""

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.template.response import TemplateResponse

from .. import models as m
from ..alerts.searches import describe


class ReadOnly(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(m.Follow)
class FollowAdmin(ReadOnly):
    """Its list is the counts (confirmed follows only): per trial, then per search."""

    # One follow's page, without its address.
    fields = ["trial", "query", "frequency", "created_at", "confirmed_at", "last_digest_at"]
    readonly_fields = fields

    def changelist_view(self, request, extra_context=None):
        if not self.has_view_permission(request):
            raise PermissionDenied
        confirmed = m.Follow.objects.confirmed()
        per_trial = (
            confirmed.of_trials()
            .values("trial__nct_id", "trial__brief_title", "trial__publication_state")
            .annotate(follows=Count("id"))
            .order_by("-follows", "trial__nct_id")
        )
        per_search = (
            confirmed.of_searches()
            .values("query")
            .annotate(follows=Count("id"))
            .order_by("-follows", "query")
        )
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": "Follows by email: how many, per trial and per search",
            "per_trial": per_trial,
            "per_search": [{**row, "words": describe(row["query"])} for row in per_search],
            "addresses": m.Subscriber.objects.exclude(confirmed_at=None).count(),
            "unconfirmed": m.Follow.objects.filter(confirmed_at=None).count(),
            "failed": m.OutboxMessage.objects.filter(state=m.OutboxMessage.State.FAILED).count(),
        }
        return TemplateResponse(request, "admin/trials/follow_counts.html", context)


@admin.register(m.OutboxMessage)
class OutboxMessageAdmin(ReadOnly):
    list_display = [
        "created_at",
        "kind",
        "state",
        "attempts",
        "next_attempt_at",
        "sent_at",
        "short_error",
    ]
    list_filter = ["state", "kind"]
    date_hierarchy = "created_at"
    # Not the recipient, the text or the headers: they hold the address and links that act for it.
    fields = [
        "kind",
        "subject",
        "state",
        "attempts",
        "next_attempt_at",
        "claimed_at",
        "last_error",
        "created_at",
        "sent_at",
    ]
    readonly_fields = fields

    @admin.display(description="Last error")
    def short_error(self, message):
        error = message.last_error
        return error if len(error) <= 120 else error[:117] + "..."
