"""The `portal` section of a hand-transcribed record: what a trial's page states and the registry
has no place for (data/trials/README.md)."""

from .. import models as m
from ..models.trial import CURATED_TEXT_FIELDS
from ..vocabularies import Status
from .record import Reader, RecordError


def portal_key(name):
    """The `portal` section's key for a curated text field: plain_title -> plainTitle."""
    if name == "source_description":
        return "source"
    first, *rest = name.split("_")
    return first + "".join(word.capitalize() for word in rest)


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
        "fields": {name: portal.text(portal_key(name)) for name in CURATED_TEXT_FIELDS},
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
