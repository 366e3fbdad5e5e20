"""The data quality page and the trial list's filters by the same problems."""

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.db import models
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone

from .. import models as m
from .corrections import shown_correction
from .site import CHECK_EVERY


class LastCheckedFilter(admin.SimpleListFilter):
    title = "last checked by a curator"
    parameter_name = "checked"

    def lookups(self, request, model_admin):
        return [
            ("never", "Never"),
            ("stale", "Not in the last 12 months"),
            ("recent", "In the last 12 months"),
        ]

    def queryset(self, request, queryset):
        since = timezone.localdate() - CHECK_EVERY
        if self.value() == "never":
            return queryset.filter(last_checked__isnull=True)
        if self.value() == "stale":
            return queryset.not_checked_since(since)
        if self.value() == "recent":
            return queryset.filter(last_checked__gte=since)
        return queryset


# The problems the data quality page lists, as annotated by TrialQuerySet.with_problem_flags.
PROBLEMS = {
    "needs_check": "not checked in 12 months",
    "no_contact": "open, no contact",
    "unlocated_sites": "sites without coordinates",
    "closed_open_sites": "closed, sites recruiting",
    "has_warnings": "import warnings",
}


class ProblemFilter(admin.SimpleListFilter):
    title = "problems"
    parameter_name = "problem"

    def lookups(self, request, model_admin):
        return [("any", "Has problems"), ("none", "No problems"), *PROBLEMS.items()]

    def queryset(self, request, queryset):
        any_problem = models.Q()
        for flag in PROBLEMS:
            any_problem |= models.Q(**{flag: True})
        if self.value() == "any":
            return queryset.filter(any_problem)
        if self.value() == "none":
            return queryset.exclude(any_problem)
        if self.value() in PROBLEMS:
            return queryset.filter(**{self.value(): True})
        return queryset


def quality_sections():
    """The data quality page: each problem, with its count, a few examples linked to the fix,
    and a link to all of them."""
    trials = m.Trial.objects.real()
    since = timezone.localdate() - CHECK_EVERY
    changelist = reverse("admin:trials_trial_changelist")

    def trial_lines(queryset, anchor="", detail=None):
        lines = []
        for trial in queryset.order_by("nct_id")[:50]:
            url = reverse("admin:trials_trial_change", args=[trial.pk]) + anchor
            lines.append(
                {"url": url, "text": str(trial), "detail": detail(trial) if detail else ""}
            )
        return lines

    def section(title, fix, queryset, lines, all_url=""):
        return {
            "title": title,
            "fix": fix,
            "count": queryset.count(),
            "lines": lines,
            "all_url": all_url,
        }

    stale = trials.not_checked_since(since)
    no_contact = trials.open_without_contact()
    unlocated = m.Site.objects.unlocated().filter(trial__is_synthetic=False).select_related("trial")
    closed = trials.closed_with_open_sites()
    warned = trials.with_import_warnings()
    flagged = m.Correction.objects.filter(registry_changed=True, trial__is_synthetic=False)
    drafts = trials.awaiting_review()
    return [
        section(
            "Not checked by a curator in 12 months",
            "Check the trial against the registry, then set “Last checked” (or use the action "
            "“Mark the selected trials as checked today”).",
            stale,
            trial_lines(stale, detail=lambda t: f"last checked {t.last_checked or 'never'}"),
            f"{changelist}?checked=stale",
        ),
        section(
            "Open to enrolment, but nobody to contact",
            "Add a central contact, or a contact at a site, so patients know whom to ask.",
            no_contact,
            trial_lines(no_contact, "#contacts-group", lambda t: t.get_overall_status_display()),
            f"{changelist}?problem=no_contact",
        ),
        section(
            "Sites without coordinates",
            "Add the site's latitude and longitude, so that “near me” searches find it.",
            unlocated,
            [
                {
                    "url": reverse("admin:trials_site_change", args=[site.pk]),
                    "text": str(site) or "(no name)",
                    "detail": site.trial.nct_id,
                }
                for site in unlocated.order_by("trial__nct_id", "order")[:50]
            ],
            f"{changelist}?problem=unlocated_sites",
        ),
        section(
            "Closed trials whose sites still say they are recruiting",
            "Check the registry: correct the sites' statuses, or the trial's.",
            closed,
            trial_lines(closed, "#sites-group", lambda t: t.get_overall_status_display()),
            f"{changelist}?problem=closed_open_sites",
        ),
        section(
            "Import warnings (values kept as the registry gave them)",
            "Read the warning; correct the value if the registry is wrong, or note it.",
            warned,
            trial_lines(warned, "#latest-import", lambda t: "; ".join(t.import_warnings)),
            f"{changelist}?problem=has_warnings",
        ),
        section(
            "Corrections the registry has changed since",
            "Compare the registry's new value with the correction: keep it, or delete the "
            "correction to take the registry's value.",
            flagged,
            [
                {
                    "url": reverse("admin:trials_trial_change", args=[c.trial_id])
                    + "#corrections-group",
                    "text": str(c),
                    "detail": f"the registry now says: {shown_correction(c)}",
                }
                for c in flagged.select_related("trial")[:50]
            ],
            reverse("admin:trials_correction_changelist") + "?registry_changed__exact=1",
        ),
        section(
            "Drafts waiting for review",
            "Read the trial, write the plain-language parts, then publish it.",
            drafts,
            trial_lines(drafts),
            f"{changelist}?publication_state__exact=DRAFT",
        ),
    ]


def quality_view(model_admin, request):
    if not model_admin.has_view_permission(request):
        raise PermissionDenied
    context = {
        **model_admin.admin_site.each_context(request),
        "title": "Data quality",
        "opts": model_admin.model._meta,
        "sections": quality_sections(),
    }
    return TemplateResponse(request, "admin/trials/trial/quality.html", context)
