"""Legacy ClinicalTrials.gov XML (`<clinical_study>`) -> an API v2 study object.

The registry retired this format in 2023, but many archived records exist only in it. Converting to
the API v2 shape lets one importer serve both. Words become the API v2 enum values ("Active, not
recruiting" -> ACTIVE_NOT_RECRUITING); a word we do not know passes through as given, and the
importer reports it.
"""

import re
import textwrap
import xml.etree.ElementTree as ET

from ..parsing import ValueProblem, legacy_date_to_iso


class LegacyXmlError(ValueError):
    pass


def enum_word(text):
    """'Active, not recruiting' -> 'ACTIVE_NOT_RECRUITING'; 'Non-Randomized' -> 'NON_RANDOMIZED'."""
    return re.sub(r"[^A-Za-z0-9]+", "_", text.strip()).strip("_").upper()


# Where the legacy word is not the API v2 value spelled in capitals.
SPECIAL_WORDS = {
    "UNKNOWN_STATUS": "UNKNOWN",
    "N_A": "NA",
    "SINGLE_GROUP_ASSIGNMENT": "SINGLE_GROUP",
    "PARALLEL_ASSIGNMENT": "PARALLEL",
    "CROSSOVER_ASSIGNMENT": "CROSSOVER",
    "FACTORIAL_ASSIGNMENT": "FACTORIAL",
    "SEQUENTIAL_ASSIGNMENT": "SEQUENTIAL",
    "EDUCATIONAL_COUNSELING_TRAINING": "ECT",
    "U_S_FED": "FED",
    "PROCEDURE_SURGERY": "PROCEDURE",
    "ANTICIPATED": "ESTIMATED",
    "ESTIMATE": "ESTIMATED",
    "SPONSOR_INVESTIGATOR": "SPONSOR_INVESTIGATOR",
    "SUB_INVESTIGATOR": "SUB_INVESTIGATOR",
}


def vocab(text):
    """A legacy word -> its API v2 value; nothing -> ''."""
    if not text.strip():
        return ""
    word = re.sub(r"PHASE_(\d)", r"PHASE\1", enum_word(text))  # "Phase 2" -> PHASE2
    return SPECIAL_WORDS.get(word, word)


def not_applicable(text):
    """Legacy exports write "N/A" where a value does not apply, or was withheld."""
    return text.strip().upper() in {"N/A", "NA", "NOT APPLICABLE"}


def legacy_phases(text):
    """'Phase 1/Phase 2' -> ['PHASE1', 'PHASE2']; 'N/A' is one value, not the phases N and A."""
    if not text.strip():
        return []
    if not_applicable(text):
        return ["NA"]
    return [vocab(part) for part in text.split("/")]


def clean_textblock(text):
    """Legacy text blocks are wrapped and indented for a fixed-width display: undo that, keeping
    paragraphs and list items apart, so the text reads like the API v2 markdown."""
    paragraphs = re.split(r"\n\s*\n", textwrap.dedent(text).strip("\n"))
    cleaned = []
    for paragraph in paragraphs:
        items = []  # a paragraph may hold several list items, one per "-" line
        for line in paragraph.strip().splitlines():
            line = line.strip()
            if re.match(r"-\s+", line):
                items.append(re.sub(r"^-\s+", "* ", line))
            elif items and line:
                items[-1] += " " + line
            elif line:
                items.append(line)
        cleaned.append("\n".join(items))
    return "\n\n".join(item for item in cleaned if item)


class Element:
    """A little help reading optional elements."""

    def __init__(self, element):
        self.element = element

    def text(self, path):
        found = self.element.find(path) if self.element is not None else None
        if found is None:
            return ""
        block = found.find("textblock")
        if block is not None:
            return clean_textblock(block.text or "")
        return (found.text or "").strip()

    def texts(self, path):
        if self.element is None:
            return []
        return [(found.text or "").strip() for found in self.element.findall(path)]

    def all(self, path):
        return (
            [Element(found) for found in self.element.findall(path)]
            if self.element is not None
            else []
        )

    def one(self, path):
        return Element(self.element.find(path) if self.element is not None else None)

    def attr(self, path, name):
        found = self.element.find(path) if self.element is not None else None
        return found.get(name, "") if found is not None else ""


def legacy_xml_to_study(xml_text):
    try:
        root = ET.fromstring(xml_text)
    except ET.ParseError as problem:
        raise LegacyXmlError(f"not well-formed XML ({problem})") from None
    if root.tag != "clinical_study":
        raise LegacyXmlError(
            f"not a ClinicalTrials.gov record (root <{root.tag}>, expected <clinical_study>)"
        )
    try:
        return convert(Element(root))
    except ValueProblem as problem:
        raise LegacyXmlError(str(problem)) from None


def drop_empty(value):
    """Leave out what the record does not give, as the API v2 does."""
    if isinstance(value, dict):
        cleaned = {k: drop_empty(v) for k, v in value.items()}
        return {k: v for k, v in cleaned.items() if v not in ("", None, [], {})}
    if isinstance(value, list):
        return [drop_empty(item) for item in value if drop_empty(item) not in ("", None, [], {})]
    return value


def yes_no(text):
    return {"yes": True, "no": False}.get(text.strip().lower())


def date(text):
    return legacy_date_to_iso(text) if text else ""


def date_struct(study, path):
    return {
        "date": date(study.text(path)),
        "type": vocab(study.attr(path, "type")),
    }


def person_name(person):
    return " ".join(
        part
        for part in (
            person.text("first_name"),
            person.text("middle_name"),
            person.text("last_name"),
        )
        if part
    )


def contact(person, role="CONTACT"):
    return {
        "name": person_name(person),
        "role": role,
        "phone": person.text("phone"),
        "phoneExt": person.text("phone_ext"),
        "email": person.text("email"),
    }


def masking_block(text):
    """'Double (Participant, Investigator)' -> DOUBLE, whoMasked [PARTICIPANT, INVESTIGATOR]."""
    match = re.fullmatch(r"\s*([^()]*?)\s*(?:\((.*)\))?\s*", text)
    level, who = match.groups() if match else (text, None)
    if level.strip().lower() == "none":
        return {"masking": "NONE"}
    who_masked = [vocab(part) for part in (who or "").split(",") if part.strip()]
    return {"masking": vocab(level), "whoMasked": who_masked}


def convert(study):
    # Here, not at the top: the results converter reads this module's vocabulary words.
    from .legacy_results import results_section

    ids = study.one("id_info")
    sponsors = study.one("sponsors")
    design = study.one("study_design_info")
    eligibility = study.one("eligibility")
    party = study.one("responsible_party")
    study_type = study.text("study_type")
    phase = study.text("phase")
    enrollment_type = study.attr("enrollment", "type")
    enrollment = study.text("enrollment")
    ipd = study.one("patient_data")

    statuses = {
        "statusVerifiedDate": date(study.text("verification_date")),
        "overallStatus": vocab(study.text("overall_status")),
        "lastKnownStatus": vocab(study.text("last_known_status")),
        "whyStopped": study.text("why_stopped"),
        "expandedAccessInfo": {"hasExpandedAccess": yes_no(study.text("has_expanded_access"))},
        "startDateStruct": date_struct(study, "start_date"),
        "primaryCompletionDateStruct": date_struct(study, "primary_completion_date"),
        "completionDateStruct": date_struct(study, "completion_date"),
        "studyFirstSubmitDate": date(study.text("study_first_submitted")),
        "studyFirstSubmitQcDate": date(study.text("study_first_submitted_qc")),
        "studyFirstPostDateStruct": date_struct(study, "study_first_posted"),
        "resultsFirstSubmitDate": date(study.text("results_first_submitted")),
        "resultsFirstSubmitQcDate": date(study.text("results_first_submitted_qc")),
        "resultsFirstPostDateStruct": date_struct(study, "results_first_posted"),
        "lastUpdateSubmitDate": date(study.text("last_update_submitted")),
        "lastUpdatePostDateStruct": date_struct(study, "last_update_posted"),
    }

    interventions = [
        {
            "type": vocab(item.text("intervention_type")),
            "name": item.text("intervention_name"),
            "description": item.text("description"),
            "armGroupLabels": item.texts("arm_group_label"),
            "otherNames": item.texts("other_name"),
        }
        for item in study.all("intervention")
    ]

    locations = []
    for location in study.all("location"):
        address = location.one("facility/address")
        contacts = (
            [contact(location.one("contact"))]
            if location.one("contact").element is not None
            else []
        )
        if location.one("contact_backup").element is not None:
            contacts.append(contact(location.one("contact_backup")))
        for investigator in location.all("investigator"):
            contacts.append(
                {
                    "name": person_name(investigator),
                    "role": vocab(investigator.text("role") or "Principal Investigator"),
                }
            )
        locations.append(
            {
                "facility": location.text("facility/name"),
                "status": vocab(location.text("status")),
                "city": address.text("city"),
                "state": address.text("state"),
                "zip": address.text("zip"),
                "country": address.text("country"),
                "contacts": contacts,
            }
        )

    central = []
    for path in ("overall_contact", "overall_contact_backup"):
        if study.one(path).element is not None:
            central.append(contact(study.one(path)))

    references = [
        {"pmid": ref.text("PMID"), "type": "BACKGROUND", "citation": ref.text("citation")}
        for ref in study.all("reference")
    ] + [
        {"pmid": ref.text("PMID"), "type": "RESULT", "citation": ref.text("citation")}
        for ref in study.all("results_reference")
    ]

    converted = {
        "protocolSection": {
            "identificationModule": {
                "nctId": ids.text("nct_id"),
                "nctIdAliases": ids.texts("nct_alias"),
                "orgStudyIdInfo": {"id": ids.text("org_study_id")},
                "secondaryIdInfos": [{"id": text} for text in ids.texts("secondary_id")],
                "briefTitle": study.text("brief_title"),
                "officialTitle": study.text("official_title"),
                "acronym": study.text("acronym"),
                "organization": {"fullName": study.text("source")},
            },
            "statusModule": statuses,
            "sponsorCollaboratorsModule": {
                "responsibleParty": {
                    "type": vocab(party.text("responsible_party_type")),
                    "investigatorFullName": party.text("investigator_full_name"),
                    "investigatorTitle": party.text("investigator_title"),
                    "investigatorAffiliation": party.text("investigator_affiliation"),
                    "oldNameTitle": party.text("name_title"),
                    "oldOrganization": party.text("organization"),
                },
                "leadSponsor": {
                    "name": sponsors.text("lead_sponsor/agency"),
                    "class": vocab(sponsors.text("lead_sponsor/agency_class")),
                },
                "collaborators": [
                    {
                        "name": item.text("agency"),
                        "class": vocab(item.text("agency_class")),
                    }
                    for item in sponsors.all("collaborator")
                ],
            },
            "oversightModule": {
                "oversightHasDmc": yes_no(study.text("oversight_info/has_dmc")),
                "isFdaRegulatedDrug": yes_no(study.text("oversight_info/is_fda_regulated_drug")),
                "isFdaRegulatedDevice": yes_no(
                    study.text("oversight_info/is_fda_regulated_device")
                ),
                "isUnapprovedDevice": yes_no(study.text("oversight_info/is_unapproved_device")),
                "isPpsd": yes_no(study.text("oversight_info/is_ppsd")),
                "isUsExport": yes_no(study.text("oversight_info/is_us_export")),
            },
            "descriptionModule": {
                "briefSummary": study.text("brief_summary"),
                "detailedDescription": study.text("detailed_description"),
            },
            "conditionsModule": {
                "conditions": study.texts("condition"),
                "keywords": study.texts("keyword"),
            },
            "designModule": {
                "studyType": ""
                if not_applicable(study_type)
                else vocab(re.sub(r"\s*\[.*\]", "", study_type)),
                "patientRegistry": True if "Patient Registry" in study_type else None,
                "phases": legacy_phases(phase),
                "designInfo": {
                    "allocation": vocab(design.text("allocation")),
                    "interventionModel": vocab(design.text("intervention_model")),
                    "interventionModelDescription": design.text("intervention_model_description"),
                    "primaryPurpose": vocab(design.text("primary_purpose")),
                    "observationalModel": vocab(design.text("observational_model")),
                    "timePerspective": vocab(design.text("time_perspective")),
                    "maskingInfo": {
                        **(masking_block(design.text("masking")) if design.text("masking") else {}),
                        "maskingDescription": design.text("masking_description"),
                    },
                },
                "enrollmentInfo": {
                    "count": int(enrollment) if enrollment.isdigit() else enrollment or None,
                    "type": vocab(enrollment_type),
                },
            },
            "armsInterventionsModule": {
                "armGroups": [
                    {
                        "label": arm.text("arm_group_label"),
                        "type": vocab(arm.text("arm_group_type")),
                        "description": arm.text("description"),
                    }
                    for arm in study.all("arm_group")
                ],
                "interventions": interventions,
            },
            "outcomesModule": {
                key: [
                    {
                        "measure": item.text("measure"),
                        "description": item.text("description"),
                        "timeFrame": item.text("time_frame"),
                    }
                    for item in study.all(tag)
                ]
                for key, tag in [
                    ("primaryOutcomes", "primary_outcome"),
                    ("secondaryOutcomes", "secondary_outcome"),
                    ("otherOutcomes", "other_outcome"),
                ]
            },
            "eligibilityModule": {
                "eligibilityCriteria": eligibility.text("criteria"),
                "healthyVolunteers": {
                    "no": False,
                    "accepts healthy volunteers": True,
                    "yes": True,
                }.get(eligibility.text("healthy_volunteers").lower()),
                "sex": vocab(eligibility.text("gender")),
                "genderBased": yes_no(eligibility.text("gender_based")),
                "genderDescription": eligibility.text("gender_description"),
                "minimumAge": ""
                if eligibility.text("minimum_age") == "N/A"
                else eligibility.text("minimum_age"),
                "maximumAge": ""
                if eligibility.text("maximum_age") == "N/A"
                else eligibility.text("maximum_age"),
                "studyPopulation": eligibility.text("study_pop"),
                "samplingMethod": vocab(eligibility.text("sampling_method")),
            },
            "contactsLocationsModule": {
                "centralContacts": central,
                "overallOfficials": [
                    {
                        "name": person_name(official),
                        "affiliation": official.text("affiliation"),
                        "role": vocab(official.text("role")),
                    }
                    for official in study.all("overall_official")
                ],
                "locations": locations,
            },
            "referencesModule": {
                "references": references,
                "seeAlsoLinks": [
                    {"label": link.text("description"), "url": link.text("url")}
                    for link in study.all("link")
                ],
            },
            "ipdSharingStatementModule": {
                "ipdSharing": vocab(ipd.text("sharing_ipd")),
                "description": ipd.text("ipd_description"),
                "infoTypes": [vocab(text) for text in ipd.texts("ipd_info_type")],
                "timeFrame": ipd.text("ipd_time_frame"),
                "accessCriteria": ipd.text("ipd_access_criteria"),
                "url": ipd.text("ipd_url"),
            },
        },
        "derivedSection": {
            "conditionBrowseModule": {
                "meshes": [{"term": t} for t in study.texts("condition_browse/mesh_term")]
            },
            "interventionBrowseModule": {
                "meshes": [{"term": t} for t in study.texts("intervention_browse/mesh_term")]
            },
        },
        "hasResults": study.one("clinical_results").element is not None,
    }
    if converted["hasResults"]:
        converted["resultsSection"] = results_section(study.one("clinical_results"))
    return drop_empty(converted)
