"""Merging two records of one trial into the record we bundle: an older registry record and a
newer page's transcription (data/trials/README.md, "Merged records").

The newer record wins field by field where it says something; what only one of them says is
kept. A merge plan (data/merge/*.json) names the two files and the fields where the newer page is
not newer (it rewords or shows only part of the field), with the reason; those keep the older
record's value. The plan's own `portal` words (source, public note) describe the merged record.
"""

import json
import re
from pathlib import Path

from .record import RecordError
from .sources import read_file

# Lists whose items are matched between the two records, by these keys: an item both give is
# merged like any object, an item only one gives is kept. Other lists (phases, arm labels of an
# intervention) are one field: the newer record's list wins whole. So are the sites: the registry
# renamed its places in 2023 ("Wien" became "Vienna"), so the same site cannot be matched by name,
# and a newer list is the newer statement of where the trial runs.
ITEM_KEYS = {
    "armGroups": lambda item: item.get("label", "").casefold(),
    "interventions": lambda item: item.get("name", "").casefold(),
    "references": lambda item: item.get("pmid") or item.get("citation", "").casefold(),
    "seeAlsoLinks": lambda item: item.get("url", ""),
    "overallOfficials": lambda item: item.get("name", "").casefold(),
    "centralContacts": lambda item: item.get("name", "").casefold(),
    "collaborators": lambda item: item.get("name", "").casefold(),
    "secondaryIdInfos": lambda item: item.get("id", "").casefold(),
    "primaryOutcomes": lambda item: item.get("measure", "").casefold(),
    "secondaryOutcomes": lambda item: item.get("measure", "").casefold(),
    "otherOutcomes": lambda item: item.get("measure", "").casefold(),
    "meshes": lambda item: item.get("id", ""),
    "conditions": str.casefold,
    "keywords": str.casefold,
}
# A value with its type (a date and whether it is estimated; an enrollment count and whether it is
# actual) is one fact: the older record's type is kept only where both give the same value.
VALUE_WITH_TYPE = {"enrollmentInfo": "count"}

# What a record that says nothing of a field holds there.
EMPTY = (None, "", [], {})
SECTION_HEADING = re.compile(r"^\s*(inclusion|exclusion) criteria:?\s*$", re.IGNORECASE)


def merge_studies(older, newer, *, keep_older=()):
    """One API v2 study from two: returns (study, provenance), where provenance maps each dotted
    field path to "newer", "older", "both" (the same value) or "older, kept" (keep_older)."""
    provenance = {}
    study = merge_value(older, newer, "", set(keep_older), provenance)
    return study, provenance


def merge_value(older, newer, path, keep_older, provenance):
    if path in keep_older and older not in EMPTY:
        provenance[path] = "older, kept"
        return older
    if newer in EMPTY:
        if older not in EMPTY:
            provenance[path] = "older"
        return older
    if older in EMPTY:
        provenance[path] = "newer"
        return newer
    name = path.rsplit(".", 1)[-1]
    if isinstance(older, dict) and isinstance(newer, dict):
        if not same_value_of_typed(name, older, newer):
            provenance[path] = "newer"
            return newer
        merged = {}
        for key in [*newer, *(k for k in older if k not in newer)]:
            value = merge_value(
                older.get(key), newer.get(key), f"{path}.{key}".lstrip("."), keep_older, provenance
            )
            if value is not None:
                merged[key] = value
        return merged
    if isinstance(older, list) and isinstance(newer, list) and name in ITEM_KEYS:
        return merge_items(older, newer, path, ITEM_KEYS[name], keep_older, provenance)
    if name == "eligibilityCriteria":
        return merge_criteria(older, newer, path, provenance)
    provenance[path] = "both" if older == newer else "newer"
    return newer


def same_value_of_typed(name, older, newer):
    """False where a value-with-type differs between the records (then the newer wins whole)."""
    value = "date" if name.endswith("DateStruct") else VALUE_WITH_TYPE.get(name)
    return value is None or older.get(value) == newer.get(value)


def merge_items(older, newer, path, key, keep_older, provenance):
    """The newer record's items in its order, each merged with the older's item of the same key
    (the n-th with the n-th where a key repeats, as "Research Site" does), then the older's
    items the newer does not give."""
    waiting = {}
    for item in older:
        waiting.setdefault(key(item), []).append(item)
    merged = []
    for index, item in enumerate(newer):
        same = waiting.get(key(item))
        match = same.pop(0) if same else None
        merged.append(merge_value(match, item, f"{path}[{index}]", keep_older, provenance))
    for item in older:
        if item in waiting.get(key(item), []):
            waiting[key(item)].remove(item)
            provenance[f"{path}[{len(merged)}]"] = "older"
            merged.append(item)
    return merged


def criteria_sections(text):
    """{"inclusion": ..., "exclusion": ...} of a criteria text; what comes before any heading is
    inclusion, as the registry writes it (its legacy XML often gives no first heading)."""
    sections, current = {}, "inclusion"
    for line in text.replace("\r\n", "\n").split("\n"):
        heading = SECTION_HEADING.match(line)
        if heading:
            current = heading.group(1).lower()
            continue
        sections.setdefault(current, []).append(line)
    return {name: "\n".join(lines).strip() for name, lines in sections.items()}


def merge_criteria(older, newer, path, provenance):
    """The criteria section by section: the newer record's section where it gives one."""
    old, new = criteria_sections(older), criteria_sections(newer)
    parts = []
    for name in ("inclusion", "exclusion"):
        text = new.get(name) or old.get(name)
        if not text:
            continue
        provenance[f"{path}:{name}"] = (
            "newer" if new.get(name) and new.get(name) != old.get(name) else "both"
        )
        if not new.get(name):
            provenance[f"{path}:{name}"] = "older"
        parts.append(f"{name.capitalize()} Criteria:\n\n{text}")
    return "\n\n".join(parts)


def merge_plan(plan_path):
    """The merged study a plan (data/merge/*.json) describes, with its provenance."""
    plan_path = Path(plan_path)
    plan = json.loads(plan_path.read_text(encoding="utf-8"))
    older = read_study(plan_path.parent / plan["older"])
    newer = read_study(plan_path.parent / plan["newer"])
    keep_older = plan.get("keepOlder", {})
    study, provenance = merge_studies(older, newer, keep_older=keep_older)
    portal = {**newer.get("portal", {}), **plan.get("portal", {})}
    # The transcription's note for curators stays; the plan's says how the two were merged.
    notes = [part.get("portal", {}).get("curationNote") for part in (newer, plan)]
    portal["curationNote"] = " ".join(note for note in notes if note)
    study["portal"] = portal
    return study, provenance


def read_study(path):
    records = read_file(path)
    if len(records) != 1 or records[0].error:
        problem = records[0].error if records else "no study"
        raise RecordError(f"{path}: {problem}")
    return records[0].study


def merged_text(study):
    """The bundled file's text: stable, so that a merge run again changes nothing."""
    return json.dumps(study, indent=2, ensure_ascii=False) + "\n"
