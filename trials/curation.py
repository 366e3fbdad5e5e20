"""What curators do besides typing, as plain functions the admin calls (trials/admin/).

Corrections: when a curator changes a value an import wrote (a trial field, or a field of one of
its registry rows), the change is recorded as a trials.Correction holding the registry's value;
imports then keep the curator's value (trials/registry/importer.py). Changing a value back to the
registry's drops the correction. Removing a registry row records a correction with no field, so
imports do not bring the row back. Dropping corrections re-applies the stored registry record, so
the registry's values come back at once.
"""

from dataclasses import dataclass
from datetime import date

from django.db import transaction
from django.utils import timezone

from . import changes
from . import models as m
from .cache import catalogue_changed
from .registry.client import UnknownStudyError, fetch_studies, fetch_study, found_studies
from .registry.fields import ROW_FIELDS, TRIAL_REGISTRY_FIELDS
from .registry.importer import (
    OlderRecordError,
    StudyResult,
    import_records,
    import_source,
    reapply_stored_record,
)
from .registry.record import RecordError, map_study
from .registry.sources import SourceRecord, guess_format, read_text, read_upload, study_nct_id
from .search.columns import refresh_search_fields
from .values import as_json, label, shown
from .vocabularies import Status


def refresh_search(trial):
    """Rebuild a trial's search columns after curators changed it (the columns are left out of
    the history: this write is no change of its own), and let the public pages count afresh."""
    refresh_search_fields(trial)
    transaction.on_commit(catalogue_changed)


def where(obj):
    """(trial, part, registry key) of a trial or one of its rows."""
    if isinstance(obj, m.Trial):
        return obj, "trial", ""
    return obj.trial, obj._meta.model_name, obj.registry_key


def is_correctable(obj):
    """Whether an edit of `obj` corrects the registry: a trial an import wrote, or a row that came
    from the registry. Trials and rows curators made themselves are theirs alone."""
    if isinstance(obj, m.Trial):
        return obj.imported_at is not None
    return bool(obj.registry_key)


def registry_fields(obj):
    return TRIAL_REGISTRY_FIELDS if isinstance(obj, m.Trial) else ROW_FIELDS[type(obj)]


def record_corrections(obj, *, before, user):
    """Record each registry field a curator changed on `obj`, compared with `before` (the same
    trial or row as stored before the edit; None when the row did not exist, as when a curator
    brings back a removed row from its history)."""
    if not is_correctable(obj):
        return
    trial, part, key = where(obj)
    if before is None:
        m.Correction.objects.filter(trial=trial, part=part, registry_key=key, field="").delete()
        return
    for name in registry_fields(obj):
        attname = obj._meta.get_field(name).attname
        if getattr(before, attname) != getattr(obj, attname):
            note_correction(
                obj,
                name,
                before_value=getattr(before, name),
                after_value=getattr(obj, name),
                user=user,
            )
            changes.record_correction(
                trial,
                what=corrected_what(obj, name),
                old=shown(type(obj), name, getattr(before, name)),
                new=shown(type(obj), name, getattr(obj, name)),
            )


def corrected_what(obj, name=""):
    """What a curator corrected, as the admin names it: "Overall status", "Site: Hospital,
    City: Status" (a removed row: its name alone)."""
    if isinstance(obj, m.Trial):
        return label(m.Trial, name)
    row = f"{str(obj._meta.verbose_name).capitalize()}: {obj}"
    return f"{row}: {label(type(obj), name)}" if name else row


def record_link_correction(arm, *, before, user):
    """An arm's interventions changed by a curator: `before` lists their names before the edit."""
    after = sorted(str(intervention) for intervention in arm.interventions.all())
    if is_correctable(arm) and sorted(before) != after:
        note_correction(
            arm, "interventions", before_value=sorted(before), after_value=after, user=user
        )


def note_correction(obj, name, *, before_value, after_value, user):
    trial, part, key = where(obj)
    correction = m.Correction.objects.filter(
        trial=trial, part=part, registry_key=key, field=name
    ).first()
    if correction is None:
        m.Correction.objects.create(
            trial=trial,
            part=part,
            registry_key=key,
            row_label="" if part == "trial" else str(obj)[:300],
            field=name,
            registry_value=as_json(before_value),
            corrected_by=user,
        )
    elif as_json(after_value) == correction.registry_value:
        correction.delete()  # the curator gave the registry's value back
    else:
        correction.corrected_by = user
        correction.corrected_at = timezone.now()
        correction.registry_changed = False
        correction.save()


def record_removal(row, *, user):
    """A curator removed a registry row: the next import must not bring it back."""
    if not is_correctable(row):
        return
    trial, part, key = where(row)
    m.Correction.objects.filter(trial=trial, part=part, registry_key=key).exclude(field="").delete()
    m.Correction.objects.update_or_create(
        trial=trial,
        part=part,
        registry_key=key,
        field="",
        defaults={"row_label": str(row)[:300], "corrected_by": user, "registry_value": None},
    )
    changes.record_correction(trial, what=corrected_what(row), new="removed")


def drop_corrections(corrections, *, user):
    """Delete corrections and give their fields (or rows) back to the registry's values."""
    trials = {correction.trial_id: correction.trial for correction in corrections}
    with transaction.atomic():
        for correction in corrections:
            correction.delete()
        for trial in trials.values():
            reapply_stored_record(
                trial,
                reason=f"{user.get_username()} dropped a correction: the registry's value is back",
            )
    return len(trials)


def current_value(correction):
    """The value a correction keeps in place: the trial's or the row's field as it is now."""
    if correction.part == "trial":
        return getattr(correction.trial, correction.field)
    model = next(model for model in ROW_FIELDS if model._meta.model_name == correction.part)
    row = model.objects.filter(trial=correction.trial, registry_key=correction.registry_key).first()
    if row is None or not correction.field:
        return None
    if correction.field == "interventions":
        return sorted(str(intervention) for intervention in row.interventions.all())
    return getattr(row, correction.field)


# Refreshing from the registry


class RefreshError(Exception):
    """The record to refresh from cannot be had or is not this trial's; the message says why."""


def registry_record(trial, *, text=None, name=""):
    """The trial's registry record: live from the registry, or from the text of a file a curator
    uploaded (API v2 JSON, a page of studies, or legacy XML). Returns a SourceRecord."""
    if text is None:
        records = list(fetch_studies([trial.nct_id]))
    else:
        records = read_text(text, name=name or "uploaded file", source_format=guess_format(text))
    for record in records:
        if record.study is not None and study_nct_id(record.study) == trial.nct_id:
            return record
    problems = [record.error for record in records if record.error]
    if problems:
        raise RefreshError(problems[0])
    found = ", ".join(study_nct_id(record.study) or "no NCT ID" for record in records)
    raise RefreshError(f"This record is not {trial.nct_id}'s (it is {found}).")


def refresh(record, *, user, dry_run, older_reason=""):
    """Import a trial's record as a refresh a curator asked for; with `dry_run`, write nothing
    and only say what would change. Returns the importer's StudyResult. A record older than the
    trial's is refused (OlderRecordError) unless the curator gives `older_reason`, which goes into
    the history with the change."""
    reason = f"Refresh from the registry, asked for by {user.get_username()}"
    if older_reason:
        reason = f"{reason}, with an older record: {older_reason}"
    return import_source(
        record, dry_run=dry_run, allow_older=bool(older_reason), reason=reason[:500]
    )


# Publishing and checking


def set_publication_state(trials, state, *, user, reason=""):
    """Publish, withdraw or return trials to draft, each saved so the history has it, with
    `reason` as the change's reason. Synthetic trials are never published: returns (changed
    trials, synthetic trials skipped)."""
    changed, skipped = [], []
    for trial in trials:
        if state == m.PublicationState.PUBLISHED and trial.is_synthetic:
            skipped.append(trial)
            continue
        if trial.publication_state == state:
            continue
        was_public = trial.publication_state == m.PublicationState.PUBLISHED
        first_publication = state == m.PublicationState.PUBLISHED and not was_ever_published(trial)
        trial.publication_state = state
        trial._history_user = user
        trial._change_reason = reason
        trial.save(update_fields=["publication_state", "updated_at"])
        if was_public and state == m.PublicationState.WITHDRAWN and not trial.is_synthetic:
            changes.record_withdrawal(trial)
        if first_publication:
            changes.record_first_publication(trial)
        changed.append(trial)
    if changed:
        transaction.on_commit(catalogue_changed)
    return changed, skipped


def was_ever_published(trial):
    """Whether a stored trial was public at some time (its history says so)."""
    return trial.history.filter(publication_state=m.PublicationState.PUBLISHED).exists()


def mark_checked(trials, *, user, day):
    for trial in trials:
        trial.last_checked = day
        trial._history_user = user
        trial.save(update_fields=["last_checked", "updated_at"])
    transaction.on_commit(catalogue_changed)  # the trial page says when it was last checked


def confirm_attributes(trials, *, user, day):
    """A curator read the trials' attributes against their records: they are confirmed, by whom
    and when (the history keeps each confirmation), and imports no longer change them."""
    for trial in trials:
        trial.attributes_state = m.AttributeState.CONFIRMED
        trial.attributes_confirmed_by = user.get_username()
        trial.attributes_confirmed_on = day
        trial._history_user = user
        trial._change_reason = "Attributes confirmed"
        trial.save(
            update_fields=[
                "attributes_state",
                "attributes_confirmed_by",
                "attributes_confirmed_on",
                "updated_at",
            ]
        )
    transaction.on_commit(catalogue_changed)  # the filters' counts read confirmed values


# Adding trials from the registry (the admin's "Add from ClinicalTrials.gov")

# Records one screen reads: each is previewed as an import rolled back, within one request.
ADD_LIMIT = 20
# A registry record is rarely over 1 MB; a page of studies a curator saved may be a few.
UPLOAD_LIMIT_MB = 5


def records_to_add(*, nct_ids=(), query="", uploads=()):
    """SourceRecords to add: each NCT ID read live, the studies a registry search finds, and
    uploaded files (objects with .name, .size and .read()). Returns (at most ADD_LIMIT records,
    whether there were more). An unknown NCT ID or a broken file is a record with its error; a
    registry that cannot answer raises FetchError, so that nothing is half read."""
    records = []
    for nct_id in nct_ids:
        try:
            records.append(fetch_study(nct_id))
        except UnknownStudyError:
            records.append(SourceRecord(nct_id, error=f"ClinicalTrials.gov has no study {nct_id}."))
    if query:
        records += found_studies(query, limit=ADD_LIMIT + 1)
    for upload in uploads:
        if upload.size > UPLOAD_LIMIT_MB * 1024 * 1024:
            problem = f"larger than {UPLOAD_LIMIT_MB} MB; import it with manage.py import_trials."
            records.append(SourceRecord(upload.name, error=problem))
        else:
            records += read_upload(upload.read(), name=upload.name)
    return records[:ADD_LIMIT], len(records) > ADD_LIMIT


@dataclass
class Candidate:
    """A record on the add screen: what it is, and what importing it would do."""

    record: SourceRecord
    nct_id: str = ""
    title: str = ""
    status: str = ""
    site_count: int = 0
    last_update: date | None = None
    stored: m.Trial | None = None
    result: StudyResult | None = None  # the rolled-back import's: created, updated, unchanged
    problem: str = ""  # why this screen will not import it
    older: bool = False  # refused as older than the stored record: the refresh page can apply it

    @property
    def importable(self):
        return not self.problem and self.result.action != "unchanged"


def preview_additions(records, *, may_update):
    """A Candidate per record, each imported and rolled back to see what it would do. Stored
    trials are updated only when `may_update` (the curator may change trials); a trial read
    twice is imported once."""
    candidates, seen = [], set()
    for record in records:
        candidate = preview_addition(record, may_update=may_update)
        if candidate.nct_id in seen and not candidate.problem:
            candidate.problem = f"{candidate.nct_id} is already above: it is imported once."
        seen.add(candidate.nct_id)
        candidates.append(candidate)
    return candidates


def preview_addition(record, *, may_update):
    candidate = Candidate(record)
    if record.error:
        candidate.problem = record.error
        return candidate
    try:
        mapped = map_study(record.study)
    except RecordError as problem:
        candidate.problem = str(problem)
        return candidate
    status = mapped.fields.get("overall_status", "")
    candidate.nct_id = mapped.nct_id
    candidate.title = mapped.fields.get("brief_title") or mapped.fields.get("official_title", "")
    candidate.status = Status(status).label if status in Status.values else status
    candidate.site_count = len(mapped.sites)
    candidate.last_update = mapped.fields.get("last_update_post_date")
    candidate.stored = m.Trial.objects.filter(nct_id=mapped.nct_id).first()
    if candidate.stored and not may_update:
        candidate.problem = f"{mapped.nct_id} is already stored, and you may only add trials."
        return candidate
    try:
        candidate.result = import_source(record, dry_run=True)
    except OlderRecordError as problem:
        candidate.problem, candidate.older = str(problem), True
    except RecordError as problem:
        candidate.problem = str(problem)
    return candidate


def add_from_registry(records, *, user, publish):
    """Import the records a curator confirmed, new trials published when `publish`; returns the
    ImportReport. A record that has become older than the stored one since the preview (another
    import in between) is refused then, as anywhere."""
    reason = f"Added from ClinicalTrials.gov by {user.get_username()}"
    return import_records(records, publish=publish, reason=reason)
