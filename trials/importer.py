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
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from . import geo
from . import models as m
from .cache import catalogue_changed
from .legacy_xml import LegacyXmlError, legacy_xml_to_study
from .registry_record import Reader, RecordError, map_study
from .search import refresh_search_fields
from .values import as_json, from_json, label, shown
from .vocabularies import Status

SUFFIXES = {".json": m.SourceFormat.API_V2_JSON, ".xml": m.SourceFormat.LEGACY_XML}


@dataclass
class SourceRecord:
    """One study read from a source, or the reason it could not be read."""

    name: str
    format: str = ""
    text: str = ""
    study: dict | None = None
    error: str = ""


@dataclass
class ImportReport:
    created: list = field(default_factory=list)
    updated: list = field(default_factory=list)
    unchanged: list = field(default_factory=list)
    failed: list = field(default_factory=list)  # (source name, problem)
    warnings: list = field(default_factory=list)  # (NCT ID, warning)
    changes: dict = field(default_factory=dict)  # NCT ID -> the changes of an updated trial

    @property
    def summary(self):
        return (
            f"{len(self.created)} created, {len(self.updated)} updated, "
            f"{len(self.unchanged)} unchanged, {len(self.failed)} failed"
        )


@dataclass
class StudyResult:
    nct_id: str
    action: str  # "created", "updated" or "unchanged"
    warnings: list
    changes: list = field(default_factory=list)  # see TrialWriter.change


def find_files(paths):
    """Files to read, in a stable order: named files as given, folders walked for .json and .xml."""
    for path in map(Path, paths):
        if path.is_dir():
            yield from sorted(
                p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in SUFFIXES
            )
        else:
            yield path


def read_file(path):
    """SourceRecords from one file: one study, a page of studies, or one legacy XML record."""
    path = Path(path)
    name = str(path)
    source_format = SUFFIXES.get(path.suffix.lower())
    if source_format is None:
        return [SourceRecord(name, error="not a .json or .xml file")]
    try:
        text = path.read_bytes().decode("utf-8")
    except FileNotFoundError:
        return [SourceRecord(name, error="no such file")]
    except UnicodeDecodeError:
        return [SourceRecord(name, error="not UTF-8 text")]
    except OSError as problem:
        return [SourceRecord(name, error=f"cannot be read ({problem.strerror})")]
    return read_text(text, name=name, source_format=source_format)


def read_text(text, *, name, source_format):
    if source_format == m.SourceFormat.LEGACY_XML:
        try:
            return [SourceRecord(name, source_format, text, legacy_xml_to_study(text))]
        except LegacyXmlError as problem:
            return [SourceRecord(name, error=str(problem))]
    try:
        data = json.loads(text)
    except json.JSONDecodeError as problem:
        return [
            SourceRecord(
                name,
                error=f"not valid JSON ({problem.msg}, line {problem.lineno}, col {problem.colno})",
            )
        ]
    if isinstance(data, dict) and "studies" in data:
        studies = data["studies"]
        if not isinstance(studies, list):
            return [SourceRecord(name, error='"studies" must be a list of studies')]
        return [
            SourceRecord(
                f"{name} (study {index} of {len(studies)})",
                source_format,
                json.dumps(study, indent=2, ensure_ascii=False),
                study,
            )
            for index, study in enumerate(studies, start=1)
        ]
    if not isinstance(data, dict) or "protocolSection" not in data:
        return [SourceRecord(name, error="not a ClinicalTrials.gov study (no protocolSection)")]
    return [SourceRecord(name, source_format, text, data)]


def records_from_paths(paths):
    for path in find_files(paths):
        yield from read_file(path)


def import_paths(paths, *, publish=False, dry_run=False):
    return import_records(records_from_paths(paths), publish=publish, dry_run=dry_run)


def import_records(records, *, publish=False, dry_run=False, progress=None):
    """Import SourceRecords one by one; returns an ImportReport. `progress`, if given, is
    called with (records done, report) after each record."""
    report = ImportReport()
    for done, record in enumerate(records, start=1):
        import_record(record, publish=publish, dry_run=dry_run, report=report)
        if progress:
            progress(done, report)
    return report


def import_record(record, *, publish, dry_run=False, report):
    if record.error:
        report.failed.append((record.name, record.error))
        return
    try:
        result = import_study(
            record.study,
            source_name=record.name,
            source_format=record.format,
            source_text=record.text,
            publish=publish,
            dry_run=dry_run,
        )
    except RecordError as problem:
        report.failed.append((record.name, str(problem)))
        return
    getattr(report, result.action).append(result.nct_id)
    report.warnings.extend((result.nct_id, warning) for warning in result.warnings)
    if result.changes:
        report.changes[result.nct_id] = result.changes


def import_study(
    study,
    *,
    source_name,
    source_format,
    source_text,
    publish=False,
    dry_run=False,
    reapply=False,
    reason="",
):
    """Write one API v2 study; returns a StudyResult.

    Raises RecordError, having written nothing, when the record is invalid. New trials are drafts
    unless `publish`; an existing trial keeps its publication state and its curated fields.
    `dry_run` rolls everything back and only reports what would change. `reapply` writes the
    record even when it is unchanged (after a curator drops a correction, the registry's value
    comes back) and keeps the trial's diff of its last import. `reason` goes into the history.
    """
    mapped = map_study(study)
    portal = read_portal_section(study.get("portal"), mapped)
    digest = fingerprint(mapped, portal)

    with transaction.atomic():
        trial = m.Trial.objects.select_for_update().filter(nct_id=mapped.nct_id).first()
        if trial is not None and trial.source_digest == digest and not reapply:
            return StudyResult(mapped.nct_id, "unchanged", mapped.warnings)
        created = trial is None
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
        trial.skip_history_when_saving = True  # search columns only, left out of the history
        refresh_search_fields(trial)
        del trial.skip_history_when_saving
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


def study_nct_id(study):
    """The NCT ID a study names, or "" (map_study checks it properly)."""
    ident = (study.get("protocolSection") or {}).get("identificationModule") or {}
    nct_id = ident.get("nctId") if isinstance(ident, dict) else ""
    return nct_id.strip() if isinstance(nct_id, str) else ""


CURATED_TEXT_FIELDS = (
    "plain_title",
    "plain_summary",
    "plain_eligibility",
    "participation_involves",
    "status_note",
    "source_description",
    "curation_note",
)

# The trial fields an import writes: the ones map_study fills, read off an empty record.
TRIAL_REGISTRY_FIELDS = tuple(
    map_study({"protocolSection": {"identificationModule": {"nctId": "NCT00000000"}}}).fields
)

# The fields of each kind of row that an import writes, and how a registry entry is named.
ROW_FIELDS = {
    m.Collaborator: ("name", "agency_class"),
    m.Official: ("name", "affiliation", "role"),
    m.SecondaryId: ("identifier", "type", "domain", "link"),
    m.Outcome: ("kind", "measure", "description", "time_frame"),
    m.Link: ("label", "url"),
    m.TimelineStep: ("stage", "description", "duration", "visits"),
    m.RelatedTrial: ("nct_id", "title", "overall_status", "phases"),
    m.TrialNote: ("kind", "heading", "body"),
    m.Publication: (
        "origin",
        "reference_type",
        "citation",
        "pmid",
        "doi",
        "url",
        "summary",
        "retractions",
    ),
    m.Intervention: ("type", "name", "description", "other_names"),
    m.Arm: ("label", "type", "description", "stated_intervention_count"),
    m.Site: (
        "facility",
        "status",
        "city",
        "state",
        "zip",
        "country",
        "latitude",
        "longitude",
        "coordinates_approximate",
    ),
    m.Contact: ("kind", "site", "name", "role", "phone", "phone_ext", "email"),
}


def site_key(values):
    return " | ".join(values[name] for name in ("facility", "city", "state", "country"))


def contact_key(values, site):
    who = values["name"] or values["email"] or values["phone"]
    return f"{values['kind']}: {site} | {who}" if site else f"{values['kind']}: {who}"


REGISTRY_KEYS = {
    m.Collaborator: lambda values: values["name"],
    m.Official: lambda values: values["name"],
    m.SecondaryId: lambda values: values["identifier"],
    m.Outcome: lambda values: f"{values['kind']}: {values['measure']}",
    m.Link: lambda values: values["url"],
    m.TimelineStep: lambda values: values["stage"],
    m.RelatedTrial: lambda values: values["nct_id"],
    m.TrialNote: lambda values: f"{values['kind']}: {values['heading']}",
    m.Publication: lambda values: (
        f"{values['origin']}: {values['pmid'] or values['doi'] or values['citation']}"
    ),
    m.Intervention: lambda values: f"{values['type']}: {values['name']}",
    m.Arm: lambda values: values["label"],
    m.Site: site_key,
}


def keyed(rows, key):
    """(key, values) for each row in record order; a repeated key gets " #2", " #3"..."""
    seen = Counter()
    result = []
    for values in rows:
        name = key(values)
        seen[name] += 1
        result.append((name if seen[name] == 1 else f"{name} #{seen[name]}", values))
    return result


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


def shown_list(names):
    return ", ".join(names) or "(none)"


class TrialWriter:
    """Writes one record's values onto a trial and its rows: leaves curators' corrections alone,
    notes what changed, and records every write in the history as the import's (no user)."""

    def __init__(self, trial, *, reason):
        self.trial = trial
        self.reason = reason
        self.changes = []
        self.doomed = []  # rows the registry dropped, deleted last (contacts before their sites)
        corrections = trial.corrections.all() if trial.pk else []
        self.corrections = {(c.part, c.registry_key, c.field): c for c in corrections}
        self.noted = set()
        self.added = set()  # (part, key) of the rows this import created

    def change(self, model, row, name, old, new, *, kept=""):
        """One line of the diff: which row, which field, the value before and after. `kept` is
        the curator's value the import left in place, for a registry change it kept out."""
        self.changes.append(
            {
                "part": str(model._meta.verbose_name).capitalize(),
                "row": "" if row is None else str(row)[:300],
                "field": label(model, name) if name else "",
                "old": old,
                "new": new,
                "kept": kept,
            }
        )

    def set_values(self, obj, values, *, part, key):
        """Set the registry's values on a trial or row, except the ones a curator corrected."""
        model = type(obj)
        row = None if part == "trial" else obj
        for name, value in values.items():
            field = model._meta.get_field(name)
            old = getattr(obj, field.attname)
            new = value.pk if field.is_relation and value is not None else value
            correction = self.corrections.get((part, key, name))
            if correction is not None:
                self.note_registry_value(
                    correction, model, row, name, value, curated=getattr(obj, name)
                )
            elif old != new:
                if obj.pk is not None:
                    old_shown = shown(model, name, getattr(obj, name))
                    self.change(model, row, name, old_shown, shown(model, name, value))
                setattr(obj, name, value)

    def note_registry_value(self, correction, model, row, name, value, *, curated):
        """Keep the curator's value; store the registry's on the correction, and say so in the
        diff when it changed since."""
        self.noted.add(correction)
        correction.in_registry = True
        stored = as_json(value)
        if stored != correction.registry_value:
            self.change(
                model,
                row,
                name,
                shown(model, name, from_json(model, name, correction.registry_value)),
                shown(model, name, value),
                kept=shown(model, name, curated),
            )
            correction.registry_value = stored
            correction.registry_changed = True

    def kept_keys(self, model):
        """Keys of the rows a curator corrected (so an import keeps them)."""
        part = model._meta.model_name
        return {key for (p, key, name) in self.corrections if p == part and name}

    def sync(self, model, rows, *, keep=None):
        """Make the trial's registry rows of `model` match `rows`, (key, values) in record order.
        Returns the rows by key, including the ones kept for curators."""
        part = model._meta.model_name
        existing = {
            row.registry_key: row
            for row in model.objects.filter(trial=self.trial).exclude(registry_key="")
        }
        by_key, new, updated = {}, [], []
        corrected = self.kept_keys(model)
        for order, (key, values) in enumerate(rows):
            row = existing.pop(key, None)
            removal = self.corrections.get((part, key, ""))
            if removal is not None and row is None:
                self.noted.add(removal)
                removal.in_registry = True
                continue
            if row is None:
                row = model(trial=self.trial, registry_key=key, order=order, **values)
                new.append(row)
                self.added.add((part, key))
                self.change(model, row, "", "", "added")
            else:
                before = len(self.changes)
                self.set_values(row, values, part=part, key=key)
                if len(self.changes) > before or row.order != order:
                    row.order = order
                    updated.append(row)
            by_key[key] = row
        for key, row in existing.items():
            if key in corrected or (keep and keep(row)):
                for (p, k, _), correction in self.corrections.items():
                    if (p, k) == (part, key):
                        correction.in_registry = False
                        self.noted.add(correction)
                self.change(model, row, "", "", "no longer in the registry (kept for a curator)")
                by_key[key] = row
            else:
                self.change(model, row, "", "", "removed")
                self.doomed.append(row)
        self.create(model, new)
        if updated:
            for row in updated:
                row._history_user = None
            bulk_update_with_history(
                updated,
                model,
                [*ROW_FIELDS[model], "order"],
                default_user=None,
                default_change_reason=self.reason,
            )
        return by_key

    def create(self, model, rows):
        for row in rows:
            row._history_user = None  # the import, even when a curator asked for it
        bulk_create_with_history(rows, model, default_change_reason=self.reason)

    def link_arms(self, arms, interventions, links):
        """Each arm of the record linked to the interventions the record names for it (`links`:
        arm key -> intervention keys), unless a curator corrected the arm's interventions."""
        for key, wanted_keys in links.items():
            arm = arms.get(key)
            if arm is None:
                continue  # a curator removed the arm
            wanted = {interventions[k] for k in wanted_keys if k in interventions}
            names = sorted(str(i) for i in wanted)
            new = ("arm", key) in self.added
            current = set() if new else set(arm.interventions.all())
            correction = self.corrections.get(("arm", key, "interventions"))
            if correction is not None:
                curated = sorted(str(i) for i in current)
                self.note_registry_value(
                    correction, m.Arm, arm, "interventions", names, curated=curated
                )
            elif wanted != current:
                if not new:
                    old = sorted(str(i) for i in current)
                    self.change(m.Arm, arm, "interventions", shown_list(old), shown_list(names))
                arm._history_user = None
                arm._change_reason = self.reason
                arm.interventions.set(wanted)

    def write_approval(self, values):
        approval = (
            m.DrugApproval.objects.filter(
                drug=values["drug"], jurisdiction=values["jurisdiction"]
            ).first()
            or m.DrugApproval()
        )
        if all(getattr(approval, name) == value for name, value in values.items()):
            return
        for name, value in values.items():
            setattr(approval, name, value)
        self.save(approval)

    def save(self, obj):
        obj._history_user = None
        obj._change_reason = self.reason
        obj.save()

    def finish(self):
        """Delete what the registry dropped, and store the registry's values on corrections."""
        for row in sorted(self.doomed, key=lambda row: not isinstance(row, m.Contact)):
            row._history_user = None
            row._change_reason = self.reason
            row.delete()
        for correction in self.corrections.values():
            if correction not in self.noted and correction.part != "trial":
                correction.in_registry = False  # the record no longer has the row
                self.noted.add(correction)
        if self.noted:
            m.Correction.objects.bulk_update(
                list(self.noted), ["registry_value", "registry_changed", "in_registry"]
            )


def located(site):
    """A site's values, with approximate coordinates from its city when the record has none."""
    values = {key: value for key, value in site.items() if key != "contacts"}
    if values["latitude"] is None or values["longitude"] is None:
        point = geo.locate_site(values["city"], values["state"], values["country"])
        by_zip = geo.resolve_place(values["zip"]) if values["zip"] else None
        if by_zip and by_zip.kind == "postal code" and by_zip.country == values["country"]:
            point = (by_zip.latitude, by_zip.longitude)  # nearer the site than the city centre
        if point:
            values["latitude"], values["longitude"] = point
            values["coordinates_approximate"] = True
    return values


def read_portal_section(data, mapped):
    """Our own `portal` key of a hand-transcribed record (data/trials/README.md)."""
    portal = Reader(data or {}, "portal", mapped.warnings)
    if data is not None and not isinstance(data, dict):
        raise RecordError("portal must be an object")
    source = portal.text("source")
    counts = portal.raw("armInterventionCounts") or {}
    if not isinstance(counts, dict) or not all(
        isinstance(n, int) and not isinstance(n, bool) and n >= 0 for n in counts.values()
    ):
        raise RecordError("portal.armInterventionCounts must map arm labels to whole numbers")
    related = []
    for item in portal.objs("relatedTrials"):
        nct_id = item.text("nctId")
        if not m.nct_id_validator.regex.match(nct_id):
            raise RecordError(f"{item.path}.nctId: malformed NCT ID {nct_id!r}")
        related.append(
            {
                "nct_id": nct_id,
                "title": item.text("title"),
                "overall_status": item.choice("overallStatus", Status),
                "phases": item.texts("phases"),
            }
        )
    notes = []
    for item in portal.objs("notes"):
        kind = item.text("kind")
        if kind not in m.TrialNote.Kind.values:
            raise RecordError(
                f"{item.path}.kind must be one of {', '.join(m.TrialNote.Kind.values)}"
            )
        notes.append({"kind": kind, "heading": item.text("heading"), "body": item.text("body")})
    publications = []
    for item in portal.objs("publications"):
        pmid = item.text("pmid")
        if pmid and not pmid.isdigit():
            raise RecordError(f"{item.path}.pmid must be digits only, got {pmid!r}")
        publications.append(
            {
                "citation": item.text("citation"),
                "summary": item.text("summary"),
                "pmid": pmid,
                "url": item.text("url"),
                "reference_type": item.text("type"),
            }
        )
    return {
        "fields": {
            "source_description": source,
            "curation_note": portal.text("curationNote"),
            "status_note": portal.text("statusNote"),
            "plain_title": portal.text("plainTitle"),
            "plain_summary": portal.text("plainSummary"),
            "plain_eligibility": portal.text("plainEligibility"),
            "participation_involves": portal.text("participationInvolves"),
        },
        "timeline": [
            {
                "stage": item.text("stage"),
                "description": item.text("description"),
                "duration": item.text("duration"),
                "visits": item.text("visits"),
            }
            for item in portal.objs("participantTimeline")
        ],
        "arm_intervention_counts": counts,
        "facility_contacts": [
            {
                "name": item.text("name"),
                "role": item.text("role"),
                "phone": item.text("phone"),
                "phone_ext": item.text("phoneExt"),
                "email": item.text("email"),
            }
            for item in portal.objs("facilityContacts")
        ],
        "related_trials": related,
        "drug_approvals": [
            {
                "drug": item.text("drug"),
                "jurisdiction": item.text("jurisdiction"),
                "brand_name": item.text("brandName"),
                "indications": item.text("indications"),
                "source": source,
            }
            for item in portal.objs("drugApprovals")
        ],
        "notes": notes,
        "publications": publications,
    }
