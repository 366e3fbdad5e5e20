"""Importing ClinicalTrials.gov records: files and folders of API v2 JSON and legacy XML.

Each record is written in its own transaction, so a broken record writes nothing and the good ones
beside it still land. Importing the same record twice changes nothing: a fingerprint of the
imported values is kept on the trial, and an unchanged record is not rewritten.
"""

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction
from django.utils import timezone

from . import geo
from . import models as m
from .legacy_xml import LegacyXmlError, legacy_xml_to_study
from .registry_record import Reader, RecordError, map_study
from .search import refresh_search_fields
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

    @property
    def summary(self):
        return (
            f"{len(self.created)} created, {len(self.updated)} updated, "
            f"{len(self.unchanged)} unchanged, {len(self.failed)} failed"
        )


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


def import_paths(paths, *, publish=False):
    return import_records(records_from_paths(paths), publish=publish)


def import_records(records, *, publish=False, progress=None):
    """Import SourceRecords one by one; returns an ImportReport. `progress`, if given, is
    called with (records done, report) after each record."""
    report = ImportReport()
    for done, record in enumerate(records, start=1):
        import_record(record, publish=publish, report=report)
        if progress:
            progress(done, report)
    return report


def import_record(record, *, publish, report):
    if record.error:
        report.failed.append((record.name, record.error))
        return
    try:
        nct_id, action, warnings = import_study(
            record.study,
            source_name=record.name,
            source_format=record.format,
            source_text=record.text,
            publish=publish,
        )
    except RecordError as problem:
        report.failed.append((record.name, str(problem)))
        return
    getattr(report, action).append(nct_id)
    report.warnings.extend((nct_id, warning) for warning in warnings)


def import_study(study, *, source_name, source_format, source_text, publish=False):
    """Write one API v2 study; returns (NCT ID, "created" | "updated" | "unchanged", warnings).

    Raises RecordError, having written nothing, when the record is invalid. New trials are drafts
    unless `publish`; an existing trial keeps its publication state and its curated fields.
    """
    mapped = map_study(study)
    portal = read_portal_section(study.get("portal"), mapped)
    digest = fingerprint(mapped, portal)

    with transaction.atomic():
        trial = m.Trial.objects.select_for_update().filter(nct_id=mapped.nct_id).first()
        if trial is not None and trial.source_digest == digest:
            return mapped.nct_id, "unchanged", mapped.warnings
        action = "updated" if trial else "created"
        if trial is None:
            trial = m.Trial(
                nct_id=mapped.nct_id,
                publication_state=m.PublicationState.PUBLISHED
                if publish
                else m.PublicationState.DRAFT,
            )
        for name, value in mapped.fields.items():
            setattr(trial, name, value)
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
        trial.save()
        replace_children(trial, mapped, portal)
        refresh_search_fields(trial)
    return mapped.nct_id, action, mapped.warnings


CURATED_TEXT_FIELDS = (
    "plain_title",
    "plain_summary",
    "plain_eligibility",
    "participation_involves",
    "status_note",
    "source_description",
    "curation_note",
)


def fingerprint(mapped, portal):
    values = {"mapped": mapped.__dict__, "portal": portal}
    encoded = json.dumps(values, sort_keys=True, default=str, ensure_ascii=False)
    return hashlib.sha256(encoded.encode()).hexdigest()


def replace_children(trial, mapped, portal):
    """The record's lists replace what the last import wrote."""
    for related in (
        trial.collaborators,
        trial.officials,
        trial.secondary_ids,
        trial.outcomes,
        trial.arms,
        trial.interventions,
        trial.contacts,
        trial.sites,
        trial.links,
        trial.timeline,
        trial.related_trials,
        trial.notes,
        trial.publications,
    ):
        related.all().delete()

    def numbered(model, rows):
        return model.objects.bulk_create(
            [model(trial=trial, order=order, **row) for order, row in enumerate(rows)]
        )

    numbered(m.Collaborator, mapped.collaborators)
    numbered(m.Official, mapped.officials)
    numbered(m.SecondaryId, mapped.secondary_ids)
    numbered(m.Outcome, mapped.outcomes)
    numbered(m.Link, mapped.links)
    numbered(m.TimelineStep, portal["timeline"])
    numbered(m.RelatedTrial, portal["related_trials"])
    numbered(m.TrialNote, portal["notes"])
    numbered(
        m.Publication,
        [{**row, "origin": m.Publication.Origin.REGISTRY} for row in mapped.publications]
        + [{**row, "origin": m.Publication.Origin.CURATED} for row in portal["publications"]],
    )

    interventions = numbered(m.Intervention, mapped.interventions)
    counts = portal["arm_intervention_counts"]
    arms = numbered(
        m.Arm,
        [{**arm, "stated_intervention_count": counts.get(arm["label"])} for arm in mapped.arms],
    )
    m.Arm.interventions.through.objects.bulk_create(
        [
            m.Arm.interventions.through(arm_id=arms[a].pk, intervention_id=interventions[i].pk)
            for a, i in mapped.arm_links
        ]
    )

    sites = numbered(m.Site, [located(site) for site in mapped.sites])
    contacts = [
        m.Contact(trial=trial, kind=m.Contact.Kind.CENTRAL, order=order, **contact)
        for order, contact in enumerate(mapped.central_contacts)
    ]
    for site, values in zip(sites, mapped.sites, strict=True):
        contacts += [
            m.Contact(trial=trial, site=site, kind=m.Contact.Kind.SITE, order=order, **contact)
            for order, contact in enumerate(values["contacts"])
        ]
    contacts += [
        m.Contact(trial=trial, kind=m.Contact.Kind.SITE, order=order, **contact)
        for order, contact in enumerate(portal["facility_contacts"])
    ]
    m.Contact.objects.bulk_create(contacts)

    for approval in portal["drug_approvals"]:
        m.DrugApproval.objects.update_or_create(
            drug=approval["drug"], jurisdiction=approval["jurisdiction"], defaults=approval
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
    counts = portal._get("armInterventionCounts") or {}
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
