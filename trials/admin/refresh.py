"""Refresh from the registry: one trial with a preview of what would change (its own page), or
the selected trials at once (an action on the trial list)."""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse

from .. import curation
from .. import models as m
from ..registry.importer import OlderRecordError
from ..registry.record import RecordError
from .fragments import fragment

REFRESH_LIMIT = 50  # trials one refresh action reads live, to stay within a request's time


class RefreshForm(forms.Form):
    file = forms.FileField(
        required=False,
        label="A record file",
        help_text=(
            "Optional: a ClinicalTrials.gov record (API v2 JSON or legacy XML). "
            "Without a file, the record is read live from the registry."
        ),
    )
    # The record a preview showed, so that applying writes exactly what was previewed.
    record = forms.CharField(required=False, widget=forms.HiddenInput, strip=False)
    record_name = forms.CharField(required=False, widget=forms.HiddenInput)
    # Required to apply a record older than the trial's: kept in the history with the change.
    older_reason = forms.CharField(required=False, max_length=400, strip=True)

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload:
            try:
                self.cleaned_data["file_text"] = upload.read().decode("utf-8")
            except UnicodeDecodeError:
                raise forms.ValidationError("The file is not UTF-8 text.") from None
        return upload

    def record_text(self):
        """The record's text to use: the previewed one, an uploaded file's, or None (live)."""
        # Browsers send a form's line ends as CRLF; the record had LF.
        previewed = self.cleaned_data["record"].replace("\r\n", "\n")
        return previewed or self.cleaned_data.get("file_text")

    def source_name(self):
        upload = self.cleaned_data.get("file")
        return self.cleaned_data["record_name"] or (upload.name if upload else "")


def refresh_view(model_admin, request, object_id):
    """Read a trial's record again (live, or an uploaded file), show what would change, and
    write exactly that when the curator applies it."""
    trial = get_object_or_404(m.Trial, pk=object_id)
    if not model_admin.has_change_permission(request, trial):
        raise PermissionDenied
    form = RefreshForm(request.POST or None, request.FILES or None)
    result = record = older = None
    if request.method == "POST" and form.is_valid():
        apply = "_apply" in request.POST
        reason = form.cleaned_data["older_reason"] if apply else ""
        try:
            record = curation.registry_record(
                trial, text=form.record_text(), name=form.source_name()
            )
            try:
                result = curation.refresh(
                    record, user=request.user, dry_run=not apply, older_reason=reason
                )
            except OlderRecordError as problem:
                # Say so, and show what it would change: the curator decides, with a reason.
                older, apply = str(problem), False
                result = curation.refresh(
                    record, user=request.user, dry_run=True, older_reason="preview"
                )
        except (curation.RefreshError, RecordError) as problem:
            form.add_error(None, f"Nothing was changed: {problem}")
        else:
            if apply:
                model_admin.message_user(
                    request,
                    f"Refreshed {trial.nct_id} from {record.name}: "
                    f"{len(result.changes)} change(s), shown below.",
                    messages.SUCCESS,
                )
                return redirect(
                    reverse("admin:trials_trial_change", args=[trial.pk]) + "#latest-import"
                )
    context = {
        **model_admin.admin_site.each_context(request),
        "title": f"Refresh {trial.nct_id} from the registry",
        "opts": model_admin.model._meta,
        "original": trial,
        "form": form,
        "result": result,
        "record": record,
        "older": older,
        "changes": result.changes if result else [],
    }
    return TemplateResponse(request, "admin/trials/trial/refresh.html", context)


def refresh_selected(model_admin, request, queryset):
    """The list's action: refresh each selected trial live, and say what changed in each."""
    trials = list(queryset[: REFRESH_LIMIT + 1])
    if len(trials) > REFRESH_LIMIT:
        model_admin.message_user(
            request,
            f"Select at most {REFRESH_LIMIT} trials to refresh at once, "
            "or use `manage.py import_trials --fetch`.",
            messages.ERROR,
        )
        return
    for trial in trials:
        try:
            record = curation.registry_record(trial)
            result = curation.refresh(record, user=request.user, dry_run=False)
        except (curation.RefreshError, RecordError) as problem:
            model_admin.message_user(
                request, f"{trial.nct_id}: not refreshed: {problem}", messages.ERROR
            )
            continue
        model_admin.message_user(
            request,
            fragment(
                "refreshed",
                url=reverse("admin:trials_trial_change", args=[trial.pk]),
                nct_id=trial.nct_id,
                outcome=f"{len(result.changes)} change(s)"
                if result.action == "updated"
                else "the registry's record has not changed",
            ),
        )
