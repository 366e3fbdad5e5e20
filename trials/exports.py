"""Search results as a file: CSV for a spreadsheet, JSON for a program.

The same trials as the list, in the same order, up to EXPORT_LIMIT: a family can take the list
to their care team, a curator or a researcher can read it elsewhere. Only public facts of
published trials, the same ones the result cards and trial pages show.
"""

import csv
import io

from .vocabularies import Sex

EXPORT_LIMIT = 1_000

# (heading, how to read it from a trial). The order of the CSV's columns and the JSON's keys.
COLUMNS = [
    ("nct_id", lambda t: t.nct_id),
    ("title", lambda t: t.title),
    ("official_title", lambda t: t.official_title),
    ("status", lambda t: t.get_overall_status_display() if t.overall_status else t.status_note),
    ("open_to_enrolment", lambda t: t.is_open),
    ("phases", lambda t: list(t.phases)),
    ("study_type", lambda t: t.get_study_type_display() if t.study_type else ""),
    ("conditions", lambda t: list(t.conditions)),
    ("intervention_types", lambda t: list(t.intervention_types)),
    ("minimum_age", lambda t: t.minimum_age),
    ("maximum_age", lambda t: t.maximum_age),
    ("sex", lambda t: Sex(t.sex).label if t.sex in Sex.values else t.sex),
    ("lead_sponsor", lambda t: t.lead_sponsor_name),
    ("site_count", lambda t: t.site_count),
    ("site_countries", lambda t: list(t.site_countries)),
    ("start_date", lambda t: t.start_date.isoformat() if t.start_date else ""),
    (
        "last_update_posted",
        lambda t: t.last_update_post_date.isoformat() if t.last_update_post_date else "",
    ),
]
# What the rows read: the list's queryset loads these columns only (TrialQuerySet.only).
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
    "publication_state",
    "is_synthetic",
]


def rows(trials, page_url):
    """One dict per trial, with the address of its page (page_url(trial))."""
    return [
        {**{name: read(trial) for name, read in COLUMNS}, "url": page_url(trial)}
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
