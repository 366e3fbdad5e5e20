"""Importing ClinicalTrials.gov records: files and folders of API v2 JSON and legacy XML.

Each record is written in its own transaction, so a broken record writes nothing and the good ones
beside it still land. Importing the same record twice changes nothing: a fingerprint of the
imported values is kept on the trial, and an unchanged record is not rewritten.

A changed record updates the trial in place, and curators' work survives it:

- Rows of a trial (arms, sites, contacts...) carry a `registry_key` naming the registry entry they
  came from (a site by facility and place, an arm by its label). A re-import matches rows by key:
  it updates them field by field, adds the new entries and removes the ones the registry dropped.
  Rows a curator added have no key; imports leave them alone.
- A field a curator corrected, on the trial or on a row, has a trials.Correction. The import does
  not overwrite it: it stores the registry's value on the correction, flagged when it changed. A
  row a curator removed is not brought back; a row the registry dropped is kept while a curator's
  correction rests on it.
- What an import changed, field by field, is kept on the trial (`import_changes`) for the admin;
  `dry_run` computes it without writing anything, for a preview.
- Every write is in the history as the import's: no user, and the source as the reason.
"""

import hashlib
import json
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from .. import changes
from .. import models as m
from ..cache import catalogue_changed
from ..models.trial import CURATED_TEXT_FIELDS
from ..search.columns import refresh_search_fields
from .attributes import write_suggestions
from .fields import REGISTRY_KEYS, ROW_FIELDS, contact_key, keyed, site_key
from .portal_section import read_portal_section
from .record import RecordError, map_study
from .results import write_results
from .sources import read_text, records_from_paths, study_nct_id
from .writer import TrialWriter, located


@dataclass
class ImportReport:
    created: list = field(default_factory=list)
    updated: list = field(default_factory=list)
    unchanged: list = field(default_factory=list)
    failed: list = field(default_factory=list)  # (source name, problem)
    older: list = field(default_factory=list)  # (source name, why): refused, the newer one kept
    warnings: list = field(default_factory=list)  # (NCT ID, warning)
    changes: dict = field(default_factory=dict)  # NCT ID -> the changes of an updated trial

    @property
    def summary(self):
        return (
            f"{len(self.created)} created, {len(self.updated)} updated, "
            f"{len(self.unchanged)} unchanged, {len(self.failed)} failed"
            + (
                f", {len(self.older)} older than the stored record (kept the newer)"
                if self.older
                else ""
            )
        )


@dataclass
class StudyResult:
    nct_id: str
    action: str  # "created", "updated" or "unchanged"
    warnings: list
    changes: list = field(default_factory=list)  # see TrialWriter.change


def import_paths(paths, *, publish=False, dry_run=False):
    return import_records(records_from_paths(paths), publish=publish, dry_run=dry_run)


def import_records(records, *, publish=False, dry_run=False, progress=None, reason=""):
    """Import SourceRecords one by one; returns an ImportReport. `progress`, if given, is
    called with (records done, report) after each record. `reason`, if given, goes into the
    history instead of the source's name."""
    report = ImportReport()
    for done, record in enumerate(records, start=1):
        import_record(record, publish=publish, dry_run=dry_run, report=report, reason=reason)
        if progress:
            progress(done, report)
    return report


def import_record(record, *, publish, dry_run=False, report, reason=""):
    if record.error:
        report.failed.append((record.name, record.error))
        return
    try:
        result = import_source(record, publish=publish, dry_run=dry_run, reason=reason)
    except OlderRecordError as problem:
        # Not a broken file: the newer record stays, and a re-run of a deployment does not fail.
        report.older.append((record.name, str(problem)))
        return
    except RecordError as problem:
        report.failed.append((record.name, str(problem)))
        return
    getattr(report, result.action).append(result.nct_id)
    report.warnings.extend((result.nct_id, warning) for warning in result.warnings)
    if result.changes:
        report.changes[result.nct_id] = result.changes


def import_source(record, **options):
    """import_study() for a record read from a source (a SourceRecord without error)."""
    return import_study(
        record.study,
        source_name=record.name,
        source_format=record.format,
        source_text=record.text,
        **options,
    )


def import_study(
    study,
    *,
    source_name,
    source_format,
    source_text,
    publish=False,
    dry_run=False,
    reapply=False,
    allow_older=False,
    reason="",
):
    """Write one API v2 study; returns a StudyResult.

    Raises RecordError, having written nothing, when the record is invalid, and OlderRecordError
    when it is older than the one stored, unless `allow_older` (a curator's decision, with a
    reason). New trials are drafts unless `publish`; an existing trial keeps its publication state
    and its curated fields. `dry_run` rolls everything back and only reports what would change.
    `reapply` writes the record even when it is unchanged (after a curator drops a correction,
    the registry's value comes back) and keeps the trial's diff of its last import. `reason` goes
    into the history.
    """
    if not reapply:
        stored = stored_unchanged(study, source_text=source_text, source_format=source_format)
        if stored is not None:
            return StudyResult(stored[0], "unchanged", stored[1])
    mapped = map_study(study)
    portal = read_portal_section(study.get("portal"), mapped)
    digest = fingerprint(mapped, portal)

    with transaction.atomic():
        trial = m.Trial.objects.select_for_update().filter(nct_id=mapped.nct_id).first()
        if trial is not None and trial.source_digest == digest and not reapply:
            if not dry_run:
                remember_text(trial, source_text, source_format)
            return StudyResult(mapped.nct_id, "unchanged", mapped.warnings)
        if trial is not None and not reapply and not allow_older:
            refuse_older(study, mapped, trial)
        created = trial is None
        before = changes.snapshot(trial)  # what families saw, to say what changed
        if created:
            trial = m.Trial(
                nct_id=mapped.nct_id,
                publication_state=m.PublicationState.PUBLISHED
                if publish
                else m.PublicationState.DRAFT,
            )
        writer = TrialWriter(trial, reason=reason or f"Import from {source_name}"[:500])
        writer.set_values(trial, mapped.fields, part="trial", key="")
        for name in CURATED_TEXT_FIELDS:
            # A curator's words win over the bundled ones: fill only what is empty.
            if portal["fields"].get(name) and not getattr(trial, name):
                setattr(trial, name, portal["fields"][name])
        trial.source_format = source_format
        trial.source_name = source_name[:500]
        trial.source_record = source_text
        trial.source_digest = digest
        trial.source_text_digest = text_digest(source_text, source_format, digest)
        trial.imported_at = timezone.now()
        trial.import_warnings = mapped.warnings
        if created:
            writer.save(trial)  # its rows need its id
        write_rows(writer, mapped, portal)
        if not created:
            if not reapply:
                trial.import_changes = writer.changes
            writer.save(trial)
        writer.finish()
        # The curated attributes the record suggests, until confirmed, are written with the
        # search columns: one statement for both.
        suggested = write_suggestions(trial, created=created)
        changes.record_import(trial, before)
        refresh_search_fields(trial, also=suggested)
        if dry_run:
            transaction.set_rollback(True)
        else:
            transaction.on_commit(catalogue_changed)
    return StudyResult(
        mapped.nct_id,
        "created" if created else "updated",
        mapped.warnings,
        [] if created else writer.changes,
    )


class OlderRecordError(RecordError):
    """A record older than the one a trial holds: an older file must not undo newer data."""


def refuse_older(study, mapped, trial):
    """Raise OlderRecordError when the record is older than the trial's: by the registry's
    last-update date, then (the same day) by the registry's data version."""
    incoming, stored = mapped.fields.get("last_update_post_date"), trial.last_update_post_date
    if stored and not incoming:
        raise OlderRecordError(
            f"{trial.nct_id}: this record gives no last-update date, while the record already "
            f"imported was last updated on {long_date(stored)}; it was not imported. A curator "
            "can apply it anyway from the trial's refresh page, with a reason."
        )
    if incoming and stored and incoming < stored:
        raise OlderRecordError(
            f"{trial.nct_id}: this record was last updated on {long_date(incoming)}, before the "
            f"record already imported ({long_date(stored)}); it was not imported. A curator can "
            "apply it anyway from the trial's refresh page, with a reason."
        )
    if incoming and incoming == stored:
        new_version, old_version = record_version(study), stored_version(trial)
        if new_version and old_version and new_version < old_version:
            raise OlderRecordError(
                f"{trial.nct_id}: this record is the registry's version of {new_version}, older "
                f"than the one already imported ({old_version}); it was not imported. A curator "
                "can apply it anyway from the trial's refresh page, with a reason."
            )


def long_date(day):
    return f"{day.day} {day:%B %Y}"


def record_version(study):
    """The registry's data version of an API v2 record (a date, as ISO text), or ""."""
    misc = (study.get("derivedSection") or {}).get("miscInfoModule") or {}
    version = misc.get("versionHolder")
    return version if isinstance(version, str) else ""


def stored_version(trial):
    if not trial.source_record:
        return ""
    records = read_text(
        trial.source_record, name=trial.source_name, source_format=trial.source_format
    )
    study = next((r.study for r in records if r.study), None)
    return record_version(study) if study else ""


def reapply_stored_record(trial, *, reason):
    """Write the registry record stored on the trial again: fields and rows whose correction a
    curator dropped get the registry's value back. Does nothing for a trial never imported."""
    if not trial.source_record:
        return None
    records = read_text(
        trial.source_record, name=trial.source_name, source_format=trial.source_format
    )
    record = next((r for r in records if r.study and study_nct_id(r.study) == trial.nct_id), None)
    if record is None:
        raise RecordError(f"the stored record of {trial.nct_id} cannot be read again")
    return import_study(
        record.study,
        source_name=trial.source_name,
        source_format=trial.source_format,
        source_text=trial.source_record,
        reapply=True,
        reason=reason,
    )


def stored_unchanged(study, *, source_text, source_format):
    """(NCT ID, warnings) of the trial when it holds this very record already, imported by this
    code, else None: one indexed query instead of reading and mapping the record, so that a
    refresh of the whole registry skips the records that did not change (most of them) at
    hundreds a second. A record whose text changed in any way (a new version date, a field), or
    one imported by other code, goes through the whole import."""
    stored = (
        m.Trial.objects.filter(nct_id=study_nct_id(study))
        .values_list("nct_id", "import_warnings", "source_digest", "source_text_digest")
        .first()
    )
    if stored and stored[3] == text_digest(source_text, source_format, stored[2]):
        return stored[:2]
    return None


def remember_text(trial, source_text, source_format):
    """Note that this text gives the values the trial holds (after a release, or a record written
    differently), so that the next import of it is skipped before it is read."""
    found = text_digest(source_text, source_format, trial.source_digest)
    if trial.source_text_digest != found:
        m.Trial.objects.filter(pk=trial.pk).update(source_text_digest=found)


@cache
def code_version():
    """A fingerprint of the trials package's code: what a record maps to depends on it, so a
    release that changes it has every record read again once (the values' fingerprint then
    decides whether anything is rewritten)."""
    digest = hashlib.sha256()
    for path in sorted(Path(__file__).resolve().parent.parent.rglob("*.py")):
        if "migrations" not in path.parts:
            digest.update(path.read_bytes())
    return digest.hexdigest()


def text_digest(source_text, source_format, values_digest):
    """The fingerprint of a record's text, of the code that read it and of the values it gave."""
    header = f"{code_version()}\n{source_format}\n{values_digest}\n"
    return hashlib.sha256((header + source_text).encode()).hexdigest()


def fingerprint(mapped, portal):
    values = {"mapped": mapped.__dict__, "portal": portal}
    encoded = json.dumps(values, sort_keys=True, default=str, ensure_ascii=False)
    return hashlib.sha256(encoded.encode()).hexdigest()


def write_rows(writer, mapped, portal):
    """The record's lists, written onto the trial's rows by registry key."""

    def complete(model, rows, **extra):
        """Each row with every field the import writes, defaults where the source has none."""
        defaults = {name: model._meta.get_field(name).get_default() for name in ROW_FIELDS[model]}
        return [{**defaults, **row, **extra} for row in rows]

    def simple(model, rows, **extra):
        return writer.sync(model, keyed(complete(model, rows, **extra), REGISTRY_KEYS[model]))

    simple(m.Collaborator, mapped.collaborators)
    simple(m.Official, mapped.officials)
    simple(m.SecondaryId, mapped.secondary_ids)
    simple(m.Outcome, mapped.outcomes)
    simple(m.Link, mapped.links)
    simple(m.TimelineStep, portal["timeline"])
    simple(m.RelatedTrial, portal["related_trials"])
    simple(m.TrialNote, portal["notes"])
    publications = complete(
        m.Publication, mapped.publications, origin=m.Publication.Origin.REGISTRY
    ) + complete(m.Publication, portal["publications"], origin=m.Publication.Origin.CURATED)
    writer.sync(m.Publication, keyed(publications, REGISTRY_KEYS[m.Publication]))

    interventions = keyed(
        complete(m.Intervention, mapped.interventions), REGISTRY_KEYS[m.Intervention]
    )
    intervention_rows = writer.sync(m.Intervention, interventions)
    counts = portal["arm_intervention_counts"]
    arms = keyed(
        complete(
            m.Arm,
            [{**arm, "stated_intervention_count": counts.get(arm["label"])} for arm in mapped.arms],
        ),
        REGISTRY_KEYS[m.Arm],
    )
    arm_rows = writer.sync(m.Arm, arms)
    links = {key: set() for key, _ in arms}
    for a, i in mapped.arm_links:
        links[arms[a][0]].add(interventions[i][0])
    writer.link_arms(arm_rows, intervention_rows, links)

    sites = keyed(complete(m.Site, [located(site) for site in mapped.sites]), site_key)
    kept_contacts = writer.kept_keys(m.Contact)
    site_rows = writer.sync(
        m.Site,
        sites,
        # A site the registry dropped stays while a contact a curator added or corrected is on it.
        keep=lambda row: row.contacts.filter(
            Q(registry_key="") | Q(registry_key__in=kept_contacts)
        ).exists(),
    )
    contacts = complete(m.Contact, mapped.central_contacts, kind=m.Contact.Kind.CENTRAL)
    contact_sites = [""] * len(contacts)
    for (key, _), site in zip(sites, mapped.sites, strict=True):
        if key not in site_rows:
            continue  # a curator removed the site: its contacts go with it
        rows = complete(m.Contact, site["contacts"], kind=m.Contact.Kind.SITE, site=site_rows[key])
        contacts += rows
        contact_sites += [key] * len(rows)
    contacts += complete(m.Contact, portal["facility_contacts"], kind=m.Contact.Kind.SITE)
    contact_sites += [""] * len(portal["facility_contacts"])
    pairs = keyed(
        list(zip(contact_sites, contacts, strict=True)), lambda pair: contact_key(pair[1], pair[0])
    )
    writer.sync(m.Contact, [(key, values) for key, (_, values) in pairs])

    for approval in portal["drug_approvals"]:
        writer.write_approval(approval)
    write_results(writer, mapped.results)
