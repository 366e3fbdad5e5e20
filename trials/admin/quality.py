"""The data quality page, and the trial list's filters and column by the same problems: each
problem is defined once, in trials/models/quality.py."""

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.db import models
from django.template.response import TemplateResponse
from django.urls import reverse

from .. import models as m
from ..models.confirmation import confirmed_open
from ..models.quality import PROBLEMS, check_due_before
from .corrections import shown_correction
from .plain_language import readability_section


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
        if self.value() == "never":
            return queryset.filter(last_checked__isnull=True)
        if self.value() == "stale":
            return queryset.with_problem("needs_check")
        if self.value() == "recent":
            return queryset.filter(last_checked__gte=check_due_before())
        return queryset


class ConfirmedOpenFilter(admin.SimpleListFilter):
    title = "confirmed open by our staff"
    parameter_name = "confirmed"

    def lookups(self, request, model_admin):
        return [("yes", "In the last 90 days"), ("no", "Not in the last 90 days")]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.confirmed_open()
        if self.value() == "no":
            return queryset.exclude(confirmed_open())
        return queryset


class ProblemFilter(admin.SimpleListFilter):
    """The problems of quality.PROBLEMS, as flagged by TrialQuerySet.with_problem_flags."""

    title = "problems"
    parameter_name = "problem"

    def lookups(self, request, model_admin):
        problems = [(name, problem.label) for name, problem in PROBLEMS.items()]
        return [("any", "Has problems"), ("none", "No problems"), *problems]

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


def problem_labels(trial):
    """The trial's problems in words, for the list's column (its flags from with_problem_flags)."""
    return "; ".join(
        problem.label for name, problem in PROBLEMS.items() if getattr(trial, name, False)
    )


# What a data quality line shows beside a trial, for each problem listed trial by trial.
DETAILS = {
    "stale": lambda t: t.staleness or t.status_badge,
    "needs_check": lambda t: f"last checked {t.last_checked or 'never'}",
    "no_contact": lambda t: t.get_overall_status_display(),
    "closed_open_sites": lambda t: t.get_overall_status_display(),
    "unconfirmed_sites": lambda t: t.get_overall_status_display(),
    "has_warnings": lambda t: "; ".join(t.import_warnings),
}
# The trial list's filter that shows all of a problem: ?problem=<name>, but for this one.
ALL_OF = {"needs_check": "checked=stale"}


def quality_sections():
    """The data quality page: each problem, with its count, a few examples linked to the fix,
    and a link to all of them."""
    trials = m.Trial.objects.real()
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

    sections = []
    for name, problem in PROBLEMS.items():
        all_url = f"{changelist}?{ALL_OF.get(name, f'problem={name}')}"
        if name == "unlocated_sites":  # listed site by site: each opens the site's page
            sites = m.Site.objects.unlocated().filter(trial__is_synthetic=False)
            lines = [
                {
                    "url": reverse("admin:trials_site_change", args=[site.pk]),
                    "text": str(site) or "(no name)",
                    "detail": site.trial.nct_id,
                }
                for site in sites.select_related("trial").order_by("trial__nct_id", "order")[:50]
            ]
            sections.append(section(problem.title, problem.fix, sites, lines, all_url))
            continue
        found = trials.with_problem(name)
        lines = trial_lines(found, problem.anchor, DETAILS.get(name))
        sections.append(section(problem.title, problem.fix, found, lines, all_url))
    flagged = m.Correction.objects.filter(registry_changed=True, trial__is_synthetic=False)
    drafts = trials.awaiting_review()
    return [
        *sections,
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
        readability_section(),
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
