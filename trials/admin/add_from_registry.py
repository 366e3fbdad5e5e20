"""Add from ClinicalTrials.gov: NCT IDs, a registry search or record files -> a preview of each
record (and, for a stored trial, what would change) -> the import the curator confirms.

Between the preview and the confirmation the records read are kept in the curator's session
under a one-time token, rather than read again: an uploaded file cannot be sent again by the
browser, a live record may change in between (the import must be what was shown), and the
session lives in the database, so that any app server can take the confirmation (the cache is
each process's own without Redis). One batch per session: a new preview replaces it, confirming
uses it up, and its size is bounded by ADD_LIMIT and UPLOAD_LIMIT_MB.
"""

import re
import secrets

from django import forms
from django.core.exceptions import PermissionDenied
from django.template.response import TemplateResponse

from .. import curation
from .. import models as m
from ..registry.client import FetchError
from ..registry.sources import read_text

SESSION_KEY = "add_from_registry"
SEPARATORS = re.compile(r"[\s,;]+")


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one field (Django's documented way): a list of uploads."""

    widget = MultipleFileInput

    def clean(self, data, initial=None):
        files = data if isinstance(data, list | tuple) else [data] if data else []
        return [super(MultipleFileField, self).clean(upload, initial) for upload in files]


class AddForm(forms.Form):
    nct_ids = forms.CharField(
        label="NCT IDs",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3, "cols": 40}),
        help_text="One or more, separated by spaces, commas or new lines, e.g. NCT02013167.",
    )
    query = forms.CharField(
        label="Or search the registry for",
        required=False,
        max_length=200,
        help_text=f"Words as on ClinicalTrials.gov; the first {curation.ADD_LIMIT} "
        "studies found are shown.",
    )
    files = MultipleFileField(
        label="Or record files",
        required=False,
        help_text=f"ClinicalTrials.gov API v2 JSON (one study or a page of studies) or legacy "
        f"XML, up to {curation.UPLOAD_LIMIT_MB} MB each.",
    )

    def clean_nct_ids(self):
        words = [word for word in SEPARATORS.split(self.cleaned_data["nct_ids"]) if word]
        malformed = [word for word in words if not re.fullmatch(m.NCT_ID_PATTERN, word.upper())]
        if malformed:
            raise forms.ValidationError(
                f"Not an NCT ID (NCT and 8 digits, e.g. NCT02013167): {', '.join(malformed)}."
            )
        nct_ids = list(dict.fromkeys(word.upper() for word in words))  # once each, in order
        if len(nct_ids) > curation.ADD_LIMIT:
            raise forms.ValidationError(
                f"At most {curation.ADD_LIMIT} NCT IDs at once; for more, use "
                "manage.py import_trials --fetch."
            )
        return nct_ids

    def clean_files(self):
        files = self.cleaned_data["files"]
        if len(files) > curation.ADD_LIMIT:
            raise forms.ValidationError(f"At most {curation.ADD_LIMIT} files at once.")
        return files

    def clean(self):
        data = super().clean()
        if not self.errors and not (data["nct_ids"] or data["query"] or data["files"]):
            raise forms.ValidationError("Give one or more NCT IDs, a search, or record files.")
        return data


def add_view(model_admin, request):
    """The add screen: the form; its preview (POST without a token); the import (POST with the
    token of the preview shown)."""
    if not model_admin.has_add_permission(request):
        raise PermissionDenied
    if request.method == "POST" and "token" in request.POST:
        return confirm(model_admin, request)
    form = AddForm(request.POST or None, request.FILES or None)
    candidates, more = [], False
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                records, more = curation.records_to_add(
                    nct_ids=form.cleaned_data["nct_ids"],
                    query=form.cleaned_data["query"],
                    uploads=form.cleaned_data["files"],
                )
            except FetchError as problem:
                # The registry's trouble, not the curator's: the form again, as typed.
                form.add_error(
                    None,
                    f"ClinicalTrials.gov could not be reached, so nothing was read ({problem}). "
                    "Try again in a while, or upload the records as files.",
                )
            else:
                may_update = model_admin.has_change_permission(request)
                candidates = curation.preview_additions(records, may_update=may_update)
        else:
            status = 400
    token = keep(request, [c.record for c in candidates if c.importable])
    return page(
        model_admin, request, form, candidates=candidates, more=more, token=token, status=status
    )


def confirm(model_admin, request):
    """Import the previewed records the curator kept ticked, and list what became of each."""
    pending = request.session.get(SESSION_KEY)
    if not pending or pending["token"] != request.POST["token"]:  # kept for its own page
        problem = (
            "This preview is no longer current (another one replaced it, or it was already "
            "imported): nothing was imported. Read the records again."
        )
        return page(model_admin, request, AddForm(), problem=problem, status=409)
    del request.session[SESSION_KEY]  # used up: a second post imports nothing
    chosen = set(request.POST.getlist("take"))
    records = [
        record
        for index, kept in enumerate(pending["records"])
        if str(index) in chosen
        for record in read_text(kept["text"], name=kept["name"], source_format=kept["format"])
    ]
    publish = "publish" in request.POST and request.user.has_perm("trials.publish_trial")
    report = curation.add_from_registry(records, user=request.user, publish=publish)
    done = report.created + report.updated + report.unchanged
    trials = {trial.nct_id: trial for trial in m.Trial.objects.filter(nct_id__in=done)}
    context = {
        **model_admin.admin_site.each_context(request),
        "title": "Added from ClinicalTrials.gov",
        "opts": model_admin.model._meta,
        "report": report,
        "created": [trials[nct_id] for nct_id in report.created],
        "updated": [trials[nct_id] for nct_id in report.updated],
        "unchanged": [trials[nct_id] for nct_id in report.unchanged],
        "refused": [why for _, why in report.older]
        + [f"{name}: {why}" for name, why in report.failed],
        "published": publish,
        "chosen_none": not records,
    }
    return TemplateResponse(request, "admin/trials/trial/add_from_registry_done.html", context)


def keep(request, records):
    """Keep the records to import in the session, under a new token (see the module's doc)."""
    if not records:
        request.session.pop(SESSION_KEY, None)
        return ""
    token = secrets.token_urlsafe(16)
    request.session[SESSION_KEY] = {
        "token": token,
        "records": [
            {"name": record.name, "format": record.format, "text": record.text}
            for record in records
        ],
    }
    return token


def page(
    model_admin, request, form, *, candidates=(), more=False, token="", problem="", status=200
):
    # Each importable record's place in the session's list names its tick box.
    takes = iter(range(len(candidates)))
    rows = [{"candidate": c, "take": next(takes) if c.importable else None} for c in candidates]
    context = {
        **model_admin.admin_site.each_context(request),
        "title": "Add trials from ClinicalTrials.gov",
        "opts": model_admin.model._meta,
        "form": form,
        "problem": problem,
        "rows": rows,
        "importable_count": sum(c.importable for c in candidates),
        "more": more,
        "token": token,
        "limit": curation.ADD_LIMIT,
        "may_publish": request.user.has_perm("trials.publish_trial"),
    }
    return TemplateResponse(
        request, "admin/trials/trial/add_from_registry.html", context, status=status
    )
