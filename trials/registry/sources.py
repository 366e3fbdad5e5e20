"""Reading records from files, folders and text: API v2 JSON (one study, or a page of them) and
legacy XML (converted to an API v2 study). A record that cannot be read carries its reason."""

import json
from dataclasses import dataclass
from pathlib import Path

from .. import models as m
from .legacy_xml import LegacyXmlError, legacy_xml_to_study

SUFFIXES = {".json": m.SourceFormat.API_V2_JSON, ".xml": m.SourceFormat.LEGACY_XML}


@dataclass
class SourceRecord:
    """One study read from a source, or the reason it could not be read."""

    name: str
    format: str = ""
    text: str = ""
    study: dict | None = None
    error: str = ""


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


def read_upload(data, *, name):
    """SourceRecords from the bytes of a file a curator uploaded: its format by its suffix, or,
    without a known one, by its first character (XML starts with "<")."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return [SourceRecord(name, error="not UTF-8 text")]
    source_format = SUFFIXES.get(Path(name).suffix.lower()) or guess_format(text)
    return read_text(text, name=name, source_format=source_format)


def guess_format(text):
    return (
        m.SourceFormat.LEGACY_XML if text.lstrip().startswith("<") else m.SourceFormat.API_V2_JSON
    )


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


def study_nct_id(study):
    """The NCT ID a study names, or "" (map_study checks it properly). It is read before that
    check (the importer's fast skip of unchanged records), so any part may be of the wrong type."""
    nct_id = study
    for key in ("protocolSection", "identificationModule", "nctId"):
        nct_id = nct_id.get(key) if isinstance(nct_id, dict) else None
    return nct_id.strip() if isinstance(nct_id, str) else ""
