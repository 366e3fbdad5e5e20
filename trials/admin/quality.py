"""The data quality page, and the trial list's filters and column by the same problems: each
problem is defined once, in trials/models/quality.py."""

import csv

from django.apps import apps
from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.db import models
from django.http import HttpResponse
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone

from .. import models as m
from ..models.confirmation import confirmed_open
from ..models.quality import PROBLEMS, Harm, check_due_before, unconfirmed
from ..plain_language import TARGET_GRADE
from ..registry.warnings import in_words
from ..status import Dates, stale_reasons
from ..vocabularies import OPEN_STATUSES
from .corrections import shown_correction
from .plain_language import hard_fields
from .rows import of_the_trial


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


# The data quality page: every problem, grouped by the harm it does to families, most first.
# Each line says the problem in plain words and links to the exact place to fix it. The page
# and its CSV are the same rows (quality_groups).

LINES_SHOWN = 50  # a section's lines on the page; "All N" links to the rest; the CSV has all


def change_url(trial, anchor=""):
    return reverse("admin:trials_trial_change", args=[trial.pk]) + anchor


def field_url(trial, name):
    """The trial's page at a field's input (Django's admin gives each the id "id_<name>")."""
    return change_url(trial, f"#id_{name}")


def line(trial, text, url, link):
    return {"trial": trial.nct_id, "text": text, "url": url, "link": link}


def sites_per_trial(condition, trials):
    """How many of each trial's sites meet the condition, in one query."""
    counts = (
        m.Site.objects.filter(condition, trial__in=trials)
        .order_by()
        .values("trial")
        .annotate(count=models.Count("pk"))
    )
    return {row["trial"]: row["count"] for row in counts}


def still_open(count):
    if count == 1:
        return "1 of its sites still says it is taking people"
    return f"{count} of its sites still say they are taking people"


def closed_open_sites_lines(trials):
    counts = sites_per_trial(models.Q(status__in=OPEN_STATUSES), trials)
    return [
        line(
            t,
            f"{t.nct_id} is “{t.status_badge}”, but {still_open(counts.get(t.pk, 0))}.",
            of_the_trial(m.Site, t),
            "its sites",
        )
        for t in trials
    ]


def stale_lines(trials):
    today = timezone.localdate()
    return [
        line(
            t,
            f"{t.nct_id} says “{t.status_badge}”, but "
            f"{' and '.join(stale_reasons(Dates.of(t), today))}.",
            reverse("admin:trials_trial_refresh", args=[t.pk]),
            "refresh from the registry",
        )
        for t in trials
    ]


def unconfirmed_sites_lines(trials):
    counts = sites_per_trial(unconfirmed(), trials)
    return [
        line(
            t,
            f"{t.nct_id} is open, and {counts.get(t.pk, 0)} of its sites may be open but have "
            "not answered our staff in 90 days.",
            of_the_trial(m.Site, t),
            "its sites",
        )
        for t in trials
    ]


def no_contact_lines(trials):
    return [
        line(
            t,
            f"{t.nct_id} is “{t.status_badge}”, but names nobody a family can ask. Add a contact.",
            reverse("admin:trials_contact_add") + f"?trial={t.pk}",
            "add a contact",
        )
        for t in trials
    ]


def needs_check_lines(trials):
    return [
        line(
            t,
            f"{t.nct_id} was last checked by a curator on {t.last_checked}."
            if t.last_checked
            else f"{t.nct_id} has never been checked by a curator.",
            field_url(t, "last_checked"),
            "last checked",
        )
        for t in trials
    ]


def unconfirmed_attributes_lines(trials):
    return [
        line(
            t,
            f"{t.nct_id}: the attributes are {t.get_attributes_state_display().lower()}."
            if t.attributes_state
            else f"{t.nct_id}: no attributes yet.",
            field_url(t, "diagnoses"),
            "its attributes",
        )
        for t in trials
    ]


def draft_lines(trials):
    return [
        line(
            t,
            f"{t.nct_id} is a draft, not on the public site.",
            field_url(t, "publication_state"),
            "publication state",
        )
        for t in trials
    ]


TRIAL_LINES = {
    "closed_open_sites": closed_open_sites_lines,
    "stale": stale_lines,
    "unconfirmed_sites": unconfirmed_sites_lines,
    "no_contact": no_contact_lines,
    "needs_check": needs_check_lines,
    "unconfirmed_attributes": unconfirmed_attributes_lines,
}


def unlocated_site_lines(limit):
    sites = m.Site.objects.unlocated().filter(trial__is_synthetic=False).select_related("trial")
    lines = [
        line(
            site.trial,
            f"{site.trial.nct_id}: {site.facility or 'a site'}, "
            f"{', '.join(p for p in (site.city, site.country) if p) or 'no place given'}, "
            "has no coordinates, so “near me” searches cannot find it.",
            reverse("admin:trials_site_change", args=[site.pk]) + "#id_latitude",
            "its coordinates",
        )
        for site in sites.order_by("trial__nct_id", "order")[:limit]
    ]
    return sites.count(), lines


def warnings_in_words(trial, read_only=()):
    """The trial's import warnings in words, each with the address of what it is about: a field
    (the trial's page, at the field unless it is one of `read_only`, which has no input) or a
    row (its page, or the trial's rows of its kind)."""
    rows = {}  # (model name, position) -> the registry row at that place in the record
    found = []
    for warning in trial.import_warnings or []:
        worded = in_words(warning)
        url = ""
        if worded.field:
            url = change_url(trial) if worded.field in read_only else field_url(trial, worded.field)
        elif worded.row:
            model = apps.get_model("trials", worded.row)
            key = (worded.row, worded.position)
            if key not in rows:
                rows[key] = (
                    model.objects.filter(trial=trial, order=worded.position)
                    .exclude(registry_key="")
                    .first()
                )
            row = rows[key]
            url = (
                reverse(f"admin:trials_{worded.row}_change", args=[row.pk])
                if row
                else of_the_trial(model, trial)
            )
        found.append({"text": worded.text, "url": url})
    return found


def warning_lines(trials, limit, read_only):
    lines = [
        line(trial, f"{trial.nct_id}: {worded['text']}", worded["url"] or change_url(trial), "")
        for trial in trials.order_by("nct_id")
        for worded in warnings_in_words(trial, read_only)
    ]
    return len(lines), lines[:limit]


def correction_lines(limit):
    flagged = m.Correction.objects.filter(registry_changed=True, trial__is_synthetic=False)
    lines = [
        line(
            c.trial,
            f"{c.trial.nct_id}: {c}. The registry now says “{shown_correction(c)}”.",
            change_url(c.trial, "#corrections-group"),
            "its corrections",
        )
        for c in flagged.select_related("trial").order_by("trial__nct_id")[:limit]
    ]
    return flagged.count(), lines


def readability_lines(limit):
    lines = [
        line(
            trial,
            f"{trial.nct_id}: {label} is at reading grade {grade:g}, hard for many families.",
            field_url(trial, name),
            label,
        )
        for trial, name, label, grade in hard_fields()
    ]
    return len(lines), lines[:limit]


def section(name, title, fix, count, lines, all_url=""):
    return {
        "name": name,
        "title": title,
        "fix": fix,
        "count": count,
        "lines": lines,
        "all_url": all_url,
    }


def quality_groups(limit=LINES_SHOWN, read_only=()):
    """The data quality page's groups (by harm, most first), each with its sections (one a
    problem, with its count and up to `limit` lines); the CSV takes them all (limit=None).
    `read_only`: the trial's fields its page shows without an input, to link no anchor to."""
    trials = m.Trial.objects.real()
    changelist = reverse("admin:trials_trial_changelist")
    sections = {harm: [] for harm in Harm}
    for name, problem in PROBLEMS.items():
        all_url = f"{changelist}?{ALL_OF.get(name, f'problem={name}')}"
        if name == "unlocated_sites":
            count, lines = unlocated_site_lines(limit)
        elif name == "has_warnings":
            count, lines = warning_lines(trials.with_problem(name), limit, read_only)
        else:
            found = trials.with_problem(name).order_by("nct_id")
            count, lines = found.count(), TRIAL_LINES[name](found[:limit])
        sections[problem.harm].append(
            section(name, problem.title, problem.fix, count, lines, all_url)
        )
    count, lines = readability_lines(limit)
    sections[Harm.INCOMPLETE].append(
        section(
            "hard_to_read",
            f"Plain-language text above reading grade {TARGET_GRADE}",
            "Rewrite the field with shorter sentences and simpler words; the grade beside it "
            "changes as you type.",
            count,
            lines,
        )
    )
    count, lines = correction_lines(limit)
    sections[Harm.HOUSEKEEPING].insert(
        0,
        section(
            "registry_changed",
            "Corrections the registry has changed since",
            "Compare the registry's new value with the correction: keep it, or delete the "
            "correction to take the registry's value.",
            count,
            lines,
            reverse("admin:trials_correction_changelist") + "?registry_changed__exact=1",
        ),
    )
    drafts = trials.awaiting_review().order_by("nct_id")
    sections[Harm.HOUSEKEEPING].append(
        section(
            "drafts",
            "Drafts waiting for review",
            "Read the trial, write the plain-language parts, then publish it.",
            drafts.count(),
            draft_lines(drafts[:limit]),
            f"{changelist}?publication_state__exact=DRAFT",
        )
    )
    return [
        {
            "title": harm.label,
            "about": HARM_ABOUT[harm],
            "count": sum(s["count"] for s in sections[harm]),
            "sections": sections[harm],
        }
        for harm in Harm
    ]


HARM_ABOUT = {
    Harm.MISLEADS: "A family may travel or wait on the word of these records: fix them first.",
    Harm.INCOMPLETE: "Families miss something, or cannot find the trial by its place.",
    Harm.HOUSEKEEPING: "Nothing wrong for families yet: keep the records current.",
}
# The trial list's filter that shows all of a problem: ?problem=<name>, but for this one.
ALL_OF = {"needs_check": "checked=stale"}


def quality_view(model_admin, request):
    if not model_admin.has_view_permission(request):
        raise PermissionDenied
    context = {
        **model_admin.admin_site.each_context(request),
        "title": "Data quality",
        "opts": model_admin.model._meta,
        "groups": quality_groups(read_only=model_admin.registry_only_fields()),
    }
    return TemplateResponse(request, "admin/trials/trial/quality.html", context)


def quality_csv_view(model_admin, request):
    """The data quality page's list as a spreadsheet: every line, not only the first 50."""
    if not model_admin.has_view_permission(request):
        raise PermissionDenied
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    day = timezone.localdate()
    response["Content-Disposition"] = f'attachment; filename="data-quality-{day}.csv"'
    writer = csv.writer(response)
    writer.writerow(["harm", "problem", "trial", "what is wrong", "where to fix it"])
    groups = quality_groups(limit=None, read_only=model_admin.registry_only_fields())
    for group in groups:
        for part in group["sections"]:
            for row in part["lines"]:
                url = request.build_absolute_uri(row["url"]) if row["url"] else ""
                writer.writerow([group["title"], part["title"], row["trial"], row["text"], url])
    return response
