"""Search results as a file: CSV for a spreadsheet, JSON for a program.

The same trials as the list, in the same order, up to EXPORT_LIMIT: a family can take the list
to their care team, a curator or a researcher can read it elsewhere. Only public facts of
published trials, the same ones the result cards and trial pages show.
"""

import csv
import io

from ..vocabularies import OPEN_STATUSES, Sex, Status, StudyType

EXPORT_LIMIT = 1_000

STATUS = dict(Status.choices)
STUDY_TYPE = dict(StudyType.choices)
SEX = dict(Sex.choices)


def title(t):
    """Trial.title, read from a row of values."""
    return t["plain_title"] or t["brief_title"] or t["official_title"] or t["nct_id"]


def iso(day):
    return day.isoformat() if day else ""


# (heading, how to read it from a trial's values). The order of the CSV's columns and the JSON's
# keys. The trials are read as values, not model instances: for a thousand rows of a model with
# 150 fields, making the instances took longer than the query (bench/RESULTS.md, the export).
COLUMNS = [
    ("nct_id", lambda t: t["nct_id"]),
    ("title", title),
    ("official_title", lambda t: t["official_title"]),
    ("status", lambda t: STATUS.get(t["overall_status"], t["overall_status"]) or t["status_note"]),
    ("open_to_enrolment", lambda t: t["overall_status"] in OPEN_STATUSES),
    ("phases", lambda t: t["phases"]),
    ("study_type", lambda t: STUDY_TYPE.get(t["study_type"], t["study_type"])),
    ("conditions", lambda t: t["conditions"]),
    ("intervention_types", lambda t: t["intervention_types"]),
    ("minimum_age", lambda t: t["minimum_age"]),
    ("maximum_age", lambda t: t["maximum_age"]),
    ("sex", lambda t: SEX.get(t["sex"], t["sex"])),
    ("lead_sponsor", lambda t: t["lead_sponsor_name"]),
    ("site_count", lambda t: t["site_count"]),
    ("site_countries", lambda t: t["site_countries"]),
    ("start_date", lambda t: iso(t["start_date"])),
    ("last_update_posted", lambda t: iso(t["last_update_post_date"])),
]
# What the rows read (TrialQuerySet.values).
FIELDS = [
    "nct_id",
    "brief_title",
    "official_title",
    "plain_title",
    "overall_status",
    "status_note",
    "phases",
    "study_type",
    "conditions",
    "intervention_types",
    "minimum_age",
    "maximum_age",
    "sex",
    "lead_sponsor_name",
    "site_count",
    "site_countries",
    "start_date",
    "last_update_post_date",
]


def rows(trials, page_url):
    """One dict per trial (a row of values), with the address of its page (page_url(nct_id))."""
    return [
        {**{name: read(trial) for name, read in COLUMNS}, "url": page_url(trial["nct_id"])}
        for trial in trials
    ]


def as_csv(found):
    """The rows as CSV text. Lists are joined with "; ". A cell that a spreadsheet would run as a
    formula (=, +, -, @ first) is kept as text with a leading apostrophe. The text starts with a
    byte order mark, without which Excel reads UTF-8 as another encoding ("CÃ´te d'Ivoire")."""
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out)
    headings = [name for name, _ in COLUMNS] + ["url"]
    writer.writerow(headings)
    for row in found:
        writer.writerow([cell(row[name]) for name in headings])
    return out.getvalue()


def cell(value):
    if isinstance(value, list):
        value = "; ".join(str(item) for item in value)
    elif isinstance(value, bool):
        value = "yes" if value else "no"
    value = "" if value is None else str(value)
    if value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value
