"""Search results as RIS, the format reference managers (EndNote, Zotero, Covidence) import, as
ClinicalTrials.gov offers for its own search results: one record per trial, each a database entry
(TY  - DBASE) citing the registry record, with the portal's page beside it.

The same trials, filters and order as the CSV and JSON exports (views.trial_export). The text is
the registry's, in English, whatever the page's language: it is what a reference cites."""

import re

from .exports import FIELDS

# What a record reads besides the exports' fields (TrialQuerySet.values).
RIS_FIELDS = [*FIELDS, "acronym", "study_first_post_date", "brief_summary"]

REGISTRY_URL = "https://clinicaltrials.gov/study/{}"


def one_line(text):
    """RIS is read line by line: a value's own line breaks would start a field of their own."""
    return re.sub(r"\s+", " ", str(text)).strip()


def ris_date(day):
    return day.strftime("%Y/%m/%d") if day else ""


def record(trial, page_url, today):
    """[(tag, value)] of one trial, empty values left out."""
    fields = [
        ("TY", "DBASE"),
        ("TI", trial["brief_title"] or trial["official_title"] or trial["nct_id"]),
        ("ST", trial["acronym"]),
        ("AN", trial["nct_id"]),
        ("DB", "ClinicalTrials.gov"),
        ("DP", "U.S. National Library of Medicine"),
        ("PB", trial["lead_sponsor_name"]),
        ("PY", trial["study_first_post_date"].year if trial["study_first_post_date"] else ""),
        ("DA", ris_date(trial["last_update_post_date"])),
        ("Y2", ris_date(today)),  # when it was read here: "accessed on"
        *(("KW", condition) for condition in trial["conditions"] or []),
        ("AB", trial["brief_summary"]),
        ("N1", f"Overall status: {trial['overall_status']}" if trial["overall_status"] else ""),
        ("N1", "Phase: " + ", ".join(trial["phases"]) if trial["phases"] else ""),
        ("UR", REGISTRY_URL.format(trial["nct_id"])),
        ("UR", page_url(trial["nct_id"])),
        ("ER", ""),
    ]
    kept = [(tag, value) for tag, value in fields if tag == "ER" or value not in ("", None)]
    return [(tag, one_line(value)) for tag, value in kept]


def as_ris(trials, page_url, today):
    """The file's text: "TAG  - value" lines ending in CRLF, as the format asks, a blank line
    between records."""
    lines = []
    for trial in trials:
        lines.extend(f"{tag}  - {value}" for tag, value in record(trial, page_url, today))
        lines.append("")
    return "\r\n".join(lines)
