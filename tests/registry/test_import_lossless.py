"""Lossless import of the two real records: every arm, intervention, site, reference, outcome and
contact lands in its field.

The expected values are read from the source files here, with json and ElementTree, never through
the importer's own mapping (map_study, legacy_xml_to_study), so a value the importer drops, bends
or puts in the wrong place makes a test fail.
"""

import datetime
import json
import operator
import re
import xml.etree.ElementTree as ET
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from types import SimpleNamespace

import pytest

from tests.conftest import shared_record
from trials.models import Contact, Publication, Trial
from trials.registry.importer import import_paths
from trials.registry.record import RENAMED_COUNTRIES

V2_PATH = shared_record("ctgov-v2/NCT03643276.json")
LEGACY_PATH = shared_record("ctgov-legacy-xml/NCT01207388.xml")


def import_one(path):
    """Import this one file as `make run` does; returns the trial it wrote."""
    report = import_paths([path], publish=True)
    assert not report.failed, report.failed
    assert len(report.created) == 1, report.summary
    return Trial.objects.get(nct_id=report.created[0])


def words(text):
    """Text with its line breaks and indentation ignored: legacy text blocks are re-flowed."""
    return " ".join(text.split())


def partial_date(text):
    """'2018-07-15', '2018-07' or '2018' -> (first day of that period, precision)."""
    parts = [int(part) for part in text.split("-")]
    precision = {1: "YEAR", 2: "MONTH", 3: "DAY"}[len(parts)]
    return datetime.date(*parts, *[1] * (3 - len(parts))), precision


def legacy_date(text):
    """'September 21, 2010' or 'November 2010' -> (first day of that period, precision)."""
    for pattern, precision in (("%B %d, %Y", "DAY"), ("%B %Y", "MONTH")):
        try:
            return datetime.datetime.strptime(text, pattern).date(), precision
        except ValueError:
            continue
    raise AssertionError(f"{text!r} is not a legacy date")


def years_exclusive(age):
    """A registry maximum age counts completed years: '17 Years' admits anyone under 18."""
    number, unit = age.split()
    assert unit in ("Year", "Years"), f"this test reads ages in years only, not {age!r}"
    return Decimal(number) + 1


def intervention_label(intervention):
    """How the registry names an intervention in an arm: 'Drug: Blinatumomab'."""
    return f"{intervention.type.replace('_', ' ').title()}: {intervention.name}"


def values_of(obj, names):
    return {name: getattr(obj, name) for name in names}


# --- The API v2 JSON record ----------------------------------------------------------------------


@pytest.fixture(scope="module")
def v2_record():
    return json.loads(V2_PATH.read_bytes())


@pytest.fixture
def v2_trial(db):
    return import_one(V2_PATH)


@dataclass(frozen=True)
class Leaf:
    """One value of the record: `pattern` is its path with list positions left out, `indices`
    the positions in the lists of objects on the way to it."""

    path: str
    pattern: str
    indices: tuple
    value: object


def leaves(node, path="", pattern="", indices=()):
    """Every value the record carries: each scalar, each list of scalars as one value, and each
    list of objects both as one value (its length is compared) and through its objects' values."""
    if isinstance(node, dict):
        for key, value in node.items():
            yield from leaves(
                value, f"{path}.{key}".lstrip("."), f"{pattern}.{key}".lstrip("."), indices
            )
        return
    yield Leaf(path, pattern, indices, node)
    if isinstance(node, list) and any(isinstance(item, dict) for item in node):
        for index, item in enumerate(node):
            yield from leaves(item, f"{path}[{index}]", f"{pattern}[]", (*indices, index))


@dataclass(frozen=True)
class Field:
    """Where a record value lives in the database: `stored(rows, *indices)` reads it back,
    `expect(value)` is what the record's value must become, `holds(expected, stored)` compares."""

    stored: Callable
    expect: Callable = lambda value: value
    holds: Callable = operator.eq


def on_trial(name):
    return Field(lambda rows: getattr(rows.trial, name))


def partial_date_on_trial(name):
    return Field(
        lambda rows: (getattr(rows.trial, name), getattr(rows.trial, f"{name}_precision")),
        partial_date,
    )


def full_date_on_trial(name):
    return Field(lambda rows: getattr(rows.trial, name), datetime.date.fromisoformat)


NO_ROW = "<no such row in the database>"


def row_value(rows_name, read):
    """Reads the index-th row of a stored list with `read`; NO_ROW where the list is too short."""

    def stored(rows, index):
        found = getattr(rows, rows_name)
        return read(found[index]) if index < len(found) else NO_ROW

    return stored


def on_row(rows_name, name):
    return Field(row_value(rows_name, operator.attrgetter(name)))


def linked_on_row(rows_name, read):
    """What a row is linked to: each name the record gives must be among the links."""
    return Field(
        row_value(rows_name, read),
        expect=set,
        holds=lambda expected, stored: isinstance(stored, set) and expected <= stored,
    )


def row_count(rows_name):
    return Field(lambda rows: len(getattr(rows, rows_name)), expect=len)


def under(prefix, fields):
    return {f"{prefix}.{key}": field for key, field in fields.items()}


# Every path of the record -> its home in the database. A path the record gains that is not here
# fails test_every_value_of_the_api_record_has_a_home_in_the_database.
V2_FIELDS = {
    "hasResults": on_trial("has_results"),
    **under(
        "protocolSection.identificationModule",
        {
            "nctId": on_trial("nct_id"),
            "orgStudyIdInfo.id": on_trial("org_study_id"),
            "organization.fullName": on_trial("organization_name"),
            "organization.class": on_trial("organization_class"),
            "briefTitle": on_trial("brief_title"),
            "officialTitle": on_trial("official_title"),
        },
    ),
    **under(
        "protocolSection.statusModule",
        {
            "startDateStruct.date": partial_date_on_trial("start_date"),
            "startDateStruct.type": on_trial("start_date_type"),
            "completionDateStruct.date": partial_date_on_trial("completion_date"),
            "completionDateStruct.type": on_trial("completion_date_type"),
            "studyFirstPostDateStruct.date": full_date_on_trial("study_first_post_date"),
            "studyFirstPostDateStruct.type": on_trial("study_first_post_date_type"),
            "lastUpdatePostDateStruct.date": full_date_on_trial("last_update_post_date"),
            "lastUpdatePostDateStruct.type": on_trial("last_update_post_date_type"),
        },
    ),
    **under(
        "protocolSection.sponsorCollaboratorsModule",
        {
            "responsibleParty.type": on_trial("responsible_party_type"),
            "responsibleParty.investigatorFullName": on_trial(
                "responsible_party_investigator_name"
            ),
            "responsibleParty.investigatorTitle": on_trial("responsible_party_investigator_title"),
            "responsibleParty.investigatorAffiliation": on_trial(
                "responsible_party_investigator_affiliation"
            ),
            "leadSponsor.name": on_trial("lead_sponsor_name"),
            "leadSponsor.class": on_trial("lead_sponsor_class"),
            "collaborators": row_count("collaborators"),
            "collaborators[].name": on_row("collaborators", "name"),
            "collaborators[].class": on_row("collaborators", "agency_class"),
        },
    ),
    **under(
        "protocolSection.descriptionModule",
        {
            "briefSummary": on_trial("brief_summary"),
            "detailedDescription": on_trial("detailed_description"),
        },
    ),
    **under(
        "protocolSection.conditionsModule",
        {"conditions": on_trial("conditions"), "keywords": on_trial("keywords")},
    ),
    **under(
        "protocolSection.designModule",
        {
            "studyType": on_trial("study_type"),
            "phases": on_trial("phases"),
            "designInfo.allocation": on_trial("allocation"),
            "designInfo.interventionModel": on_trial("intervention_model"),
            "designInfo.interventionModelDescription": on_trial("intervention_model_description"),
            "designInfo.primaryPurpose": on_trial("primary_purpose"),
            "designInfo.maskingInfo.masking": on_trial("masking"),
            "enrollmentInfo.count": on_trial("enrollment_count"),
            "enrollmentInfo.type": on_trial("enrollment_type"),
        },
    ),
    **under(
        "protocolSection.armsInterventionsModule",
        {
            "armGroups": row_count("arms"),
            "armGroups[].label": on_row("arms", "label"),
            "armGroups[].type": on_row("arms", "type"),
            "armGroups[].description": on_row("arms", "description"),
            # An arm's interventions are the union of what it names and what names it, so what it
            # names is a subset; test_arm_intervention_links_are_the_union_the_record_gives checks
            # the whole.
            "armGroups[].interventionNames": linked_on_row(
                "arms", lambda arm: {intervention_label(i) for i in arm.interventions.all()}
            ),
            "interventions": row_count("interventions"),
            "interventions[].type": on_row("interventions", "type"),
            "interventions[].name": on_row("interventions", "name"),
            "interventions[].description": on_row("interventions", "description"),
            "interventions[].otherNames": on_row("interventions", "other_names"),
            "interventions[].armGroupLabels": linked_on_row(
                "interventions", lambda intervention: {arm.label for arm in intervention.arms.all()}
            ),
        },
    ),
    **under(
        "protocolSection.eligibilityModule",
        {
            "eligibilityCriteria": on_trial("eligibility_criteria"),
            "healthyVolunteers": on_trial("healthy_volunteers"),
            "sex": on_trial("sex"),
            "maximumAge": Field(
                lambda rows: (rows.trial.maximum_age, rows.trial.maximum_age_years_exclusive),
                expect=lambda age: (age, years_exclusive(age)),
            ),
            "stdAges": on_trial("std_ages"),
        },
    ),
    **under(
        "protocolSection.contactsLocationsModule",
        {
            "centralContacts": row_count("central_contacts"),
            "centralContacts[].name": on_row("central_contacts", "name"),
            "centralContacts[].role": on_row("central_contacts", "role"),
            "centralContacts[].phone": on_row("central_contacts", "phone"),
            "centralContacts[].email": on_row("central_contacts", "email"),
            "overallOfficials": row_count("officials"),
            "overallOfficials[].name": on_row("officials", "name"),
            "overallOfficials[].affiliation": on_row("officials", "affiliation"),
            "overallOfficials[].role": on_row("officials", "role"),
        },
    ),
    **under(
        "protocolSection.referencesModule",
        {
            "references": row_count("references"),
            "references[].pmid": on_row("references", "pmid"),
            "references[].type": on_row("references", "reference_type"),
            "references[].citation": on_row("references", "citation"),
        },
    ),
}


def stored_rows(trial):
    """The trial and its rows as the database holds them, each list in its stored order."""
    return SimpleNamespace(
        trial=trial,
        collaborators=list(trial.collaborators.order_by("order")),
        officials=list(trial.officials.order_by("order")),
        central_contacts=list(trial.contacts.filter(kind=Contact.Kind.CENTRAL).order_by("order")),
        arms=list(trial.arms.order_by("order").prefetch_related("interventions")),
        interventions=list(trial.interventions.order_by("order").prefetch_related("arms")),
        references=list(
            trial.publications.filter(origin=Publication.Origin.REGISTRY).order_by("order")
        ),
    )


def test_every_value_of_the_api_record_has_a_home_in_the_database(v2_record):
    unmapped = sorted({leaf.pattern for leaf in leaves(v2_record)} - V2_FIELDS.keys())
    assert unmapped == [], "record values this test does not know where to find"


def test_every_value_of_the_api_record_is_imported_unchanged(v2_record, v2_trial):
    rows = stored_rows(v2_trial)
    differences, checked = [], set()
    for leaf in leaves(v2_record):
        field = V2_FIELDS.get(leaf.pattern)
        if field is None:
            continue  # reported by test_every_value_of_the_api_record_has_a_home_in_the_database
        expected, stored = field.expect(leaf.value), field.stored(rows, *leaf.indices)
        if not field.holds(expected, stored):
            differences.append(f"{leaf.path}: record {expected!r}, database {stored!r}")
        checked.add(leaf.pattern)
    assert differences == []
    assert checked == V2_FIELDS.keys()  # every entry of the table was put to use


def test_arm_intervention_links_are_the_union_the_record_gives(v2_record, v2_trial):
    module = v2_record["protocolSection"]["armsInterventionsModule"]
    expected = {arm["label"]: set() for arm in module["armGroups"]}
    for arm in module["armGroups"]:
        expected[arm["label"]] |= {
            name.partition(": ")[2] for name in arm.get("interventionNames", [])
        }
    for intervention in module["interventions"]:
        for label in intervention.get("armGroupLabels", []):
            expected[label].add(intervention["name"])
    stored = {
        arm.label: {intervention.name for intervention in arm.interventions.all()}
        for arm in v2_trial.arms.all()
    }
    assert stored == expected


def test_api_record_landmarks_are_in_their_fields(v2_trial):
    """A few values spelled out, so a reader sees what the walk above compares."""
    assert values_of(
        v2_trial,
        ["start_date", "start_date_precision", "start_date_type", "maximum_age"],
    ) == {
        "start_date": datetime.date(2018, 7, 15),
        "start_date_precision": "DAY",
        "start_date_type": "ACTUAL",
        "maximum_age": "17 Years",
    }
    assert v2_trial.maximum_age_years_exclusive == Decimal("18")
    assert v2_trial.arms.count() == 12
    assert v2_trial.interventions.count() == 19
    assert v2_trial.publications.count() == 3
    assert v2_trial.contacts.filter(kind=Contact.Kind.CENTRAL).count() == 2


# --- The legacy XML record -----------------------------------------------------------------------

# Legacy words -> the API v2 values, from the registry's data element definitions.
LEGACY_WORDS = {
    "Industry": "INDUSTRY",
    "Sponsor": "SPONSOR",
    "Active, not recruiting": "ACTIVE_NOT_RECRUITING",
    "Actual": "ACTUAL",
    "Anticipated": "ESTIMATED",
    "Estimate": "ESTIMATED",
    "Phase 2": "PHASE2",
    "Interventional": "INTERVENTIONAL",
    "Single Group Assignment": "SINGLE_GROUP",
    "Treatment": "TREATMENT",
    "None (Open Label)": "NONE",
    "Experimental": "EXPERIMENTAL",
    "Drug": "DRUG",
    "All": "ALL",
    "Principal Investigator": "PRINCIPAL_INVESTIGATOR",
    "Yes": True,
    "No": False,
    "": "",
}


@pytest.fixture(scope="module")
def xml():
    return ET.parse(LEGACY_PATH).getroot()


@pytest.fixture
def legacy_trial(db):
    return import_one(LEGACY_PATH)


def text(element, path):
    """An element's text as the XML gives it, stripped; a text block's raw, wrapped lines."""
    found = element.find(path)
    if found is None:
        return ""
    block = found.find("textblock")
    return ((block if block is not None else found).text or "").strip()


def word(element, path):
    """A legacy vocabulary word as its API v2 value."""
    return LEGACY_WORDS[text(element, path)]


def texts(element, path):
    return [(found.text or "").strip() for found in element.findall(path)]


def test_legacy_identification_sponsor_and_oversight_are_imported(xml, legacy_trial):
    expected = {
        "nct_id": text(xml, "id_info/nct_id"),
        "org_study_id": text(xml, "id_info/org_study_id"),
        "brief_title": text(xml, "brief_title"),
        "official_title": text(xml, "official_title"),
        "acronym": text(xml, "acronym"),
        "lead_sponsor_name": text(xml, "sponsors/lead_sponsor/agency"),
        "lead_sponsor_class": word(xml, "sponsors/lead_sponsor/agency_class"),
        "organization_name": text(xml, "source"),
        "oversight_has_dmc": word(xml, "oversight_info/has_dmc"),
        "responsible_party_type": word(xml, "responsible_party/responsible_party_type"),
    }
    assert values_of(legacy_trial, expected) == expected
    assert legacy_trial.lead_sponsor_class == "INDUSTRY"
    assert legacy_trial.collaborators.count() == len(xml.findall("sponsors/collaborator"))


def test_legacy_status_and_design_are_translated_to_registry_values(xml, legacy_trial):
    expected = {
        "overall_status": word(xml, "overall_status"),
        "phases": [LEGACY_WORDS[phase.strip()] for phase in text(xml, "phase").split("/")],
        "study_type": word(xml, "study_type"),
        "allocation": word(xml, "study_design_info/allocation"),
        "intervention_model": word(xml, "study_design_info/intervention_model"),
        "primary_purpose": word(xml, "study_design_info/primary_purpose"),
        "masking": word(xml, "study_design_info/masking"),
        "enrollment_count": int(text(xml, "enrollment")),
        "enrollment_type": LEGACY_WORDS[xml.find("enrollment").get("type")],
    }
    assert values_of(legacy_trial, expected) == expected
    assert expected["overall_status"] == "ACTIVE_NOT_RECRUITING"
    assert (expected["enrollment_count"], expected["enrollment_type"]) == (116, "ACTUAL")


# Legacy date element -> the Trial field holding it (with its _precision and _type, if any).
LEGACY_DATES = {
    "start_date": "start_date",
    "primary_completion_date": "primary_completion_date",
    "completion_date": "completion_date",
    "verification_date": "status_verified_date",
    "study_first_submitted": "study_first_submit_date",
    "study_first_posted": "study_first_post_date",
    "results_first_posted": "results_first_post_date",
    "last_update_submitted": "last_update_submit_date",
    "last_update_posted": "last_update_post_date",
}


@pytest.mark.parametrize("tag", LEGACY_DATES)
def test_legacy_dates_keep_their_precision_and_type(xml, legacy_trial, tag):
    field = LEGACY_DATES[tag]
    element = xml.find(tag)
    value, precision = legacy_date(element.text.strip())
    expected = {field: value}
    if hasattr(legacy_trial, f"{field}_precision"):
        expected[f"{field}_precision"] = precision
    if hasattr(legacy_trial, f"{field}_type"):
        expected[f"{field}_type"] = LEGACY_WORDS[element.get("type", "")]
    assert values_of(legacy_trial, expected) == expected


def test_legacy_descriptions_are_imported_word_for_word(xml, legacy_trial):
    assert words(legacy_trial.brief_summary) == words(text(xml, "brief_summary"))
    assert words(legacy_trial.detailed_description) == words(text(xml, "detailed_description"))


@pytest.mark.parametrize("kind", ["PRIMARY", "SECONDARY", "OTHER"])
def test_every_legacy_outcome_is_imported_in_order(xml, legacy_trial, kind):
    def outcome(measure, time_frame, description):
        return {"measure": measure, "time_frame": time_frame, "description": words(description)}

    expected = [
        outcome(text(item, "measure"), text(item, "time_frame"), text(item, "description"))
        for item in xml.findall(f"{kind.lower()}_outcome")
    ]
    stored = [
        outcome(item.measure, item.time_frame, item.description)
        for item in legacy_trial.outcomes.filter(kind=kind).order_by("order")
    ]
    assert stored == expected


def test_legacy_conditions_keywords_and_mesh_terms_are_imported_exactly(xml, legacy_trial):
    expected = {
        "conditions": texts(xml, "condition"),
        "keywords": texts(xml, "keyword"),
        "condition_meshes": texts(xml, "condition_browse/mesh_term"),
        "intervention_meshes": texts(xml, "intervention_browse/mesh_term"),
    }
    assert values_of(legacy_trial, expected) == expected
    assert len(expected["keywords"]) == 12


def test_legacy_arm_and_intervention_are_imported_with_other_names_and_link(xml, legacy_trial):
    arms = [
        {
            "label": text(arm, "arm_group_label"),
            "type": word(arm, "arm_group_type"),
            "description": words(text(arm, "description")),
            "interventions": sorted(
                text(item, "intervention_name")
                for item in xml.findall("intervention")
                if text(arm, "arm_group_label") in texts(item, "arm_group_label")
            ),
        }
        for arm in xml.findall("arm_group")
    ]
    interventions = [
        {
            "type": word(item, "intervention_type"),
            "name": text(item, "intervention_name"),
            "description": words(text(item, "description")),
            "other_names": texts(item, "other_name"),
        }
        for item in xml.findall("intervention")
    ]
    assert [
        {
            **values_of(arm, ["label", "type"]),
            "description": words(arm.description),
            "interventions": sorted(i.name for i in arm.interventions.all()),
        }
        for arm in legacy_trial.arms.order_by("order")
    ] == arms
    assert [
        {
            **values_of(item, ["type", "name", "other_names"]),
            "description": words(item.description),
        }
        for item in legacy_trial.interventions.order_by("order")
    ] == interventions
    assert len(interventions[0]["other_names"]) == 3


def test_legacy_eligibility_is_imported(xml, legacy_trial):
    eligibility = xml.find("eligibility")
    # Legacy list items start with "-"; the importer may write them as markdown "*".
    criteria = re.sub(r"(?m)^\s*-\s", "* ", text(eligibility, "criteria"))
    assert words(legacy_trial.eligibility_criteria) == words(criteria)
    assert values_of(
        legacy_trial,
        ["sex", "healthy_volunteers", "minimum_age", "minimum_age_years"]
        + ["maximum_age", "maximum_age_years_exclusive"],
    ) == {
        "sex": word(eligibility, "gender"),
        "healthy_volunteers": word(eligibility, "healthy_volunteers"),
        "minimum_age": text(eligibility, "minimum_age"),
        "minimum_age_years": Decimal("18"),
        "maximum_age": "",  # the XML's "N/A": no upper limit
        "maximum_age_years_exclusive": None,
    }
    assert (text(eligibility, "minimum_age"), text(eligibility, "maximum_age")) == (
        "18 Years",
        "N/A",
    )


def test_legacy_overall_officials_are_imported_in_order(xml, legacy_trial):
    def full_name(person):
        parts = (text(person, part) for part in ("first_name", "middle_name", "last_name"))
        return " ".join(part for part in parts if part)

    expected = [
        {
            "name": full_name(official),
            "role": word(official, "role"),
            "affiliation": text(official, "affiliation"),
        }
        for official in xml.findall("overall_official")
    ]
    stored = [
        values_of(official, ["name", "role", "affiliation"])
        for official in legacy_trial.officials.order_by("order")
    ]
    assert stored == expected
    assert len(stored) == 2


def current_country(name):
    return RENAMED_COUNTRIES.get(name, name)


def test_every_location_of_the_legacy_record_is_imported_in_order(xml, legacy_trial):
    expected = [
        {
            "facility": text(location, "facility/name"),
            "city": text(location, "facility/address/city"),
            "state": text(location, "facility/address/state"),
            "zip": text(location, "facility/address/zip"),
            # By the registry's name of today: "Russian Federation" is "Russia".
            "country": current_country(text(location, "facility/address/country")),
        }
        for location in xml.findall("location")
    ]
    stored = [
        values_of(site, ["facility", "city", "state", "zip", "country"])
        for site in legacy_trial.sites.order_by("order")
    ]
    assert stored == expected
    assert len(stored) == 75


def test_legacy_contacts_references_and_links_match_the_xml(xml, legacy_trial):
    """The record names no contact, reference or link: the import invents none either."""
    people = ["overall_contact", "overall_contact_backup"] + [
        f"location/{tag}" for tag in ("contact", "contact_backup", "investigator")
    ]
    assert legacy_trial.contacts.count() == sum(len(xml.findall(path)) for path in people)
    references = xml.findall("reference") + xml.findall("results_reference")
    assert legacy_trial.publications.count() == len(references)
    assert legacy_trial.links.count() == len(xml.findall("link"))


def test_legacy_record_with_clinical_results_is_marked_as_having_results(xml, legacy_trial):
    assert xml.find("clinical_results") is not None
    assert legacy_trial.has_results is True


# --- Both records --------------------------------------------------------------------------------


@pytest.mark.parametrize("path", [V2_PATH, LEGACY_PATH], ids=["api-v2-json", "legacy-xml"])
def test_both_records_import_without_warnings(db, path):
    report = import_paths([path], publish=True)
    assert (report.failed, report.warnings, len(report.created)) == ([], [], 1)


@pytest.mark.parametrize("path", [V2_PATH, LEGACY_PATH], ids=["api-v2-json", "legacy-xml"])
def test_the_raw_source_record_is_kept_verbatim(db, path):
    trial = import_one(path)
    # Bytes decoded as they are: the legacy file's CRLF line ends must survive too.
    assert trial.source_record == path.read_bytes().decode("utf-8")
