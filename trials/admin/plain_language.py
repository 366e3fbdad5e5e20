"""The reading grade of the plain-language fields in the admin: beside each field (after a save,
and live as the curator types, through readability_view and static/js/readability.js), a warning
on saving a field above the target, and a section of the data quality page."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseNotAllowed, JsonResponse
from django.urls import reverse

from .. import models as m
from ..plain_language import PLAIN_FIELDS, TARGET_GRADE, above_target, label, reading

MAX_TEXT = 20_000  # far more than any plain-language field holds


def mark_fields(form):
    """Beside each plain-language field of the trial's form: its grade as saved, and what the
    script needs to measure it live."""
    url = reverse("admin:trials_trial_readability")
    for name in PLAIN_FIELDS:
        field = form.fields.get(name)
        if field is None:
            continue
        field.widget.attrs.update({"data-readability-url": url})
        measured = reading(getattr(form.instance, name, ""))
        saved = f"As saved: {measured.summary()}" if measured else ""
        target = f"Aim for reading grade {TARGET_GRADE} or lower."
        field.help_text = " ".join(part for part in (field.help_text, saved or target) if part)


def warn_if_hard(request, trial):
    """After a save: which plain-language fields are above the target grade."""
    hard = above_target(trial)
    if hard:
        fields = "; ".join(f"{label(name)} (grade {measured.grade:g})" for name, measured in hard)
        messages.warning(
            request,
            f"Above reading grade {TARGET_GRADE}, hard for many families: {fields}. "
            "Shorter sentences and simpler words bring it down.",
        )


def readability_view(model_admin, request):
    """The grade of the text posted ("text"), as JSON, for the live measure beside a field."""
    if not model_admin.has_change_permission(request):
        raise PermissionDenied
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    text = request.POST.get("text", "")
    if len(text) > MAX_TEXT:
        return JsonResponse({"error": f"Longer than {MAX_TEXT:,} characters."}, status=400)
    measured = reading(text)
    return JsonResponse(measured.as_dict() if measured else {"empty": True, "target": TARGET_GRADE})


def hard_fields():
    """Real trials' plain-language fields above the target: (trial, field, its label, grade).
    Measured here, not in SQL: only curated trials have such text, a few hundred at most."""
    curated = m.Trial.objects.real().exclude(**{name: "" for name in PLAIN_FIELDS})
    return [
        (trial, name, label(name), measured.grade)
        for trial in curated.only("pk", "nct_id", "brief_title", *PLAIN_FIELDS).order_by("nct_id")
        for name, measured in above_target(trial)
    ]
