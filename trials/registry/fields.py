"""What an import writes: the trial's registry fields, each kind of row's fields, and the key that
names a row after its registry entry (so a re-import updates it in place)."""

from collections import Counter

from .. import models as m
from .record import map_study

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
