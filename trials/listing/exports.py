"""Search results as a file: CSV for a spreadsheet, JSON for a program.

The same trials as the list, in the same order, up to EXPORT_LIMIT: a family can take the list
to their care team, a curator or a researcher can read it elsewhere. Only public facts of
published trials, the same ones the result cards and trial pages show.
"""

import csv
import io

from django.utils import timezone
from django.utils.translation import pgettext, pgettext_lazy

from ..models import LIST_ATTRIBUTES, AttributeState, OutcomeMeasure, PriorTreatmentRule
from ..status import Dates, date_words, dated_badge, staleness
from ..vocabularies import OPEN_STATUSES, OutcomeMeasureType, Sex, StudyType

EXPORT_LIMIT = 1_000

STUDY_TYPE = dict(StudyType.choices)
SEX = dict(Sex.choices)


def title(t):
    """Trial.title, read from a row of values."""
    return t["plain_title_en"] or t["brief_title"] or t["official_title"] or t["nct_id"]


def iso(day):
    return day.isoformat() if day else ""


# (heading, how to read it from a trial's values). The order of the CSV's columns and the JSON's
# keys. The trials are read as values, not model instances: for a thousand rows of a model with
# 150 fields, making the instances took longer than the query (bench/RESULTS.md, the export).
COLUMNS = [
    ("nct_id", lambda t: t["nct_id"]),
    ("title", title),
    ("official_title", lambda t: t["official_title"]),
    # The status in the words of the card and the page (trials/status.py), and as the registry
    # gives it, for programs that read the registry's vocabulary.
    # An old record's present-tense status is dated: "Recruiting as of July 2020".
    ("status", lambda t: dated_badge(Dates.of(t), t["today"], t["status_note"])),
    ("registry_status", lambda t: t["overall_status"]),
    ("open_to_enrolment", lambda t: t["overall_status"] in OPEN_STATUSES),
    ("phases", lambda t: t["phases"]),
    ("study_type", lambda t: t["words"]["study_type"].get(t["study_type"], t["study_type"])),
    ("conditions", lambda t: t["conditions"]),
    ("intervention_types", lambda t: t["intervention_types"]),
    ("minimum_age", lambda t: t["minimum_age"]),
    ("maximum_age", lambda t: t["maximum_age"]),
    ("sex", lambda t: t["words"]["sex"].get(t["sex"], t["sex"])),
    ("lead_sponsor", lambda t: t["lead_sponsor_name"]),
    ("site_count", lambda t: t["site_count"]),
    ("site_countries", lambda t: t["site_countries"]),
    ("start_date", lambda t: iso(t["start_date"])),
    ("end", lambda t: end_words(t)),
    ("last_update_posted", lambda t: iso(t["last_update_post_date"])),
    ("may_be_out_of_date", lambda t: staleness(Dates.of(t), t["today"])),
    # Posted results: when, and what the trial measured first (its primary outcomes' titles).
    ("has_results", lambda t: bool(t["has_results"])),
    ("results_posted_on", lambda t: iso(t["results_first_post_date"])),
    ("primary_outcomes", lambda t: t["primary_outcomes"]),
    # The curated attributes (trials/models/attributes.py) as stored values, an empty list for
    # "not stated"; whether a curator confirmed them; the earlier treatments as "treatment: rule".
    *[(name, lambda t, name=name: t[name]) for name in LIST_ATTRIBUTES],
    ("earlier_treatments", lambda t: t["earlier_treatments"]),
    ("attributes_confirmed", lambda t: t["attributes_state"] == AttributeState.CONFIRMED),
]
# What the rows read (TrialQuerySet.values).
FIELDS = [
    "nct_id",
    "brief_title",
    "official_title",
    "plain_title_en",  # the English, whatever the page's language (translations.py)
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
    "completion_date",
    "completion_date_precision",
    "completion_date_type",
    "has_results",
    "results_first_post_date",
    *LIST_ATTRIBUTES,
    "attributes_state",
]


def end_words(t):
    """The end date as sure as the registry is of it, as the trial page says it."""
    return date_words(
        "completion_date",
        t["completion_date"],
        t["completion_date_precision"],
        t["completion_date_type"],
        t["today"],
    )


def rows(trials, page_url):
    """One dict per trial (a row of values), with the address of its page (page_url(nct_id)).
    Today's date, which the end date's words and staleness read, is taken once for the file."""
    today = timezone.localdate()
    # The vocabularies' labels in the file's language, translated once for the file rather than
    # once a row (a translation lookup is slow next to the rest of a row's work).
    words = {
        "study_type": {value: str(label) for value, label in STUDY_TYPE.items()},
        "sex": {value: str(label) for value, label in SEX.items()},
    }
    outcomes = primary_outcomes([trial["nct_id"] for trial in trials if trial["has_results"]])
    earlier = earlier_treatments([trial["nct_id"] for trial in trials])
    found = []
    for trial in trials:
        trial = {
            **trial,
            "today": today,
            "words": words,
            "primary_outcomes": outcomes.get(trial["nct_id"], []),
            "earlier_treatments": earlier.get(trial["nct_id"], []),
        }
        found.append(
            {**{name: read(trial) for name, read in COLUMNS}, "url": page_url(trial["nct_id"])}
        )
    return found


def primary_outcomes(nct_ids):
    """NCT ID -> the titles of its posted results' primary outcomes, in the record's order: one
    query for the whole file, none when no trial in it has results."""
    titles = {}
    if not nct_ids:
        return titles
    found = (
        OutcomeMeasure.objects.filter(
            results__trial__nct_id__in=nct_ids, type=OutcomeMeasureType.PRIMARY
        )
        .order_by("results_id", "position")
        .values_list("results__trial__nct_id", "title")
    )
    for nct_id, title in found:
        titles.setdefault(nct_id, []).append(title)
    return titles


def earlier_treatments(nct_ids):
    """NCT ID -> ["blinatumomab: excluded", ...]: one query for the whole file, none when it is
    empty. A treatment a trial does not mention is left out (not stated)."""
    said = {}
    if not nct_ids:
        return said
    found = (
        PriorTreatmentRule.objects.filter(trial__nct_id__in=nct_ids)
        .order_by("trial_id", "treatment")
        .values_list("trial__nct_id", "treatment", "rule")
    )
    for nct_id, treatment, rule in found:
        said.setdefault(nct_id, []).append(f"{treatment}: {rule}")
    return said


# The CSV's first row in the page's language, for the people who read the spreadsheet. In English
# it is the machine names themselves (the JSON's keys), as before translations, so that programs
# reading the English file keep working; the JSON's keys are the same in every language.
HEADINGS = {
    "nct_id": pgettext_lazy("export column", "nct_id"),
    "title": pgettext_lazy("export column", "title"),
    "official_title": pgettext_lazy("export column", "official_title"),
    "status": pgettext_lazy("export column", "status"),
    "registry_status": pgettext_lazy("export column", "registry_status"),
    "open_to_enrolment": pgettext_lazy("export column", "open_to_enrolment"),
    "phases": pgettext_lazy("export column", "phases"),
    "study_type": pgettext_lazy("export column", "study_type"),
    "conditions": pgettext_lazy("export column", "conditions"),
    "intervention_types": pgettext_lazy("export column", "intervention_types"),
    "minimum_age": pgettext_lazy("export column", "minimum_age"),
    "maximum_age": pgettext_lazy("export column", "maximum_age"),
    "sex": pgettext_lazy("export column", "sex"),
    "lead_sponsor": pgettext_lazy("export column", "lead_sponsor"),
    "site_count": pgettext_lazy("export column", "site_count"),
    "site_countries": pgettext_lazy("export column", "site_countries"),
    "start_date": pgettext_lazy("export column", "start_date"),
    "end": pgettext_lazy("export column", "end"),
    "last_update_posted": pgettext_lazy("export column", "last_update_posted"),
    "may_be_out_of_date": pgettext_lazy("export column", "may_be_out_of_date"),
    "url": pgettext_lazy("export column", "url"),
    "has_results": pgettext_lazy("export column", "has_results"),
    "results_posted_on": pgettext_lazy("export column", "results_posted_on"),
    "primary_outcomes": pgettext_lazy("export column", "primary_outcomes"),
    "diagnoses": pgettext_lazy("export column", "diagnoses"),
    "disease_settings": pgettext_lazy("export column", "disease_settings"),
    "ph_statuses": pgettext_lazy("export column", "ph_statuses"),
    "populations": pgettext_lazy("export column", "populations"),
    "blinatumomab_roles": pgettext_lazy("export column", "blinatumomab_roles"),
    "blinatumomab_routes": pgettext_lazy("export column", "blinatumomab_routes"),
    "earlier_treatments": pgettext_lazy("export column", "earlier_treatments"),
    "attributes_confirmed": pgettext_lazy("export column", "attributes_confirmed"),
}


def as_csv(found):
    """The rows as CSV text. Lists are joined with "; ". A cell that a spreadsheet would run as a
    formula (=, +, -, @ first) is kept as text with a leading apostrophe. The text starts with a
    byte order mark, without which Excel reads UTF-8 as another encoding ("CÃ´te d'Ivoire")."""
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out)
    headings = [name for name, _ in COLUMNS] + ["url"]
    writer.writerow([HEADINGS[name] for name in headings])
    # Translated once for the file, not once a cell.
    yes_no = {True: pgettext("export value", "yes"), False: pgettext("export value", "no")}
    for row in found:
        writer.writerow([cell(row[name], yes_no) for name in headings])
    return out.getvalue()


def cell(value, yes_no):
    if isinstance(value, list):
        value = "; ".join(str(item) for item in value)
    elif isinstance(value, bool):
        value = yes_no[value]
    value = "" if value is None else str(value)
    if value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value
