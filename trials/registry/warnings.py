"""An import's warnings in a curator's words: the record's JSON paths (record.py's Reader names
every value by its path, "protocolSection.contactsLocationsModule.locations[3].status") become
what they are ("a site's status") and the field or row where a curator fixes them. The stored
warnings keep the paths, for whoever reads the record itself."""

import re
from dataclasses import dataclass

from .. import models as m
from .record import ROW_MODELS

# A path without "protocolSection." and with its list positions as "[]" -> what it is, and where
# it is fixed: a trial field's name, or for a path through a list, the kind of row (a model
# name); the first position in the path is the row's place in the record.
PLACES = {
    "identificationModule.orgStudyIdInfo.type": (
        "the type of the sponsor's study ID",
        "org_study_id_type",
    ),
    "identificationModule.organization.class": ("the kind of organization", "organization_class"),
    "identificationModule.secondaryIdInfos[].type": (
        "the type of an other identifier",
        "secondaryid",
    ),
    "statusModule.overallStatus": ("the trial's status", "overall_status"),
    "statusModule.lastKnownStatus": ("the last known status", "last_known_status"),
    "statusModule.startDateStruct.type": (
        "whether the start date is actual or expected",
        "start_date_type",
    ),
    "statusModule.primaryCompletionDateStruct.type": (
        "whether the primary completion date is actual or expected",
        "primary_completion_date_type",
    ),
    "statusModule.completionDateStruct.type": (
        "whether the completion date is actual or expected",
        "completion_date_type",
    ),
    "statusModule.studyFirstPostDateStruct.type": (
        "the type of the first posted date",
        "study_first_post_date_type",
    ),
    "statusModule.resultsFirstPostDateStruct.type": (
        "the type of the results' first posted date",
        "results_first_post_date_type",
    ),
    "statusModule.lastUpdatePostDateStruct.type": (
        "the type of the last update date",
        "last_update_post_date_type",
    ),
    "statusModule": ("the trial's dates", "start_date"),
    "sponsorCollaboratorsModule.leadSponsor.class": (
        "the kind of lead sponsor",
        "lead_sponsor_class",
    ),
    "sponsorCollaboratorsModule.responsibleParty.type": (
        "the kind of responsible party",
        "responsible_party_type",
    ),
    "sponsorCollaboratorsModule.collaborators[].class": (
        "the kind of a collaborator",
        "collaborator",
    ),
    "designModule.studyType": ("the study type", "study_type"),
    "designModule.phases": ("the phases", "phases"),
    "designModule.designInfo.allocation": ("the allocation", "allocation"),
    "designModule.designInfo.interventionModel": ("the intervention model", "intervention_model"),
    "designModule.designInfo.primaryPurpose": ("the primary purpose", "primary_purpose"),
    "designModule.designInfo.observationalModel": (
        "the observational model",
        "observational_model",
    ),
    "designModule.designInfo.timePerspective": ("the time perspective", "time_perspective"),
    "designModule.designInfo.maskingInfo.masking": ("the masking", "masking"),
    "designModule.designInfo.maskingInfo.whoMasked": ("who is masked", "who_masked"),
    "designModule.enrollmentInfo.type": (
        "whether the enrollment is actual or expected",
        "enrollment_type",
    ),
    "eligibilityModule.sex": ("the sex who may join", "sex"),
    "eligibilityModule.stdAges": ("the age groups", "std_ages"),
    "eligibilityModule.samplingMethod": ("the sampling method", "sampling_method"),
    "ipdSharingStatementModule.ipdSharing": ("whether participant data are shared", "ipd_sharing"),
    "contactsLocationsModule.centralContacts[].role": ("the role of a central contact", "contact"),
    "contactsLocationsModule.overallOfficials[].role": ("the role of an official", "official"),
    "contactsLocationsModule.locations[].status": ("a site's status", "site"),
    "contactsLocationsModule.locations[].contacts[].role": ("the role of a site's contact", "site"),
    "armsInterventionsModule.armGroups[].type": ("the type of an arm", "arm"),
    "armsInterventionsModule.interventions[].type": ("the type of a treatment", "intervention"),
    "referencesModule.references[].pmid": ("a publication's PubMed ID", "publication"),
    "referencesModule.references[].type": ("the type of a publication", "publication"),
    "portal.relatedTrials[].overallStatus": ("the status of a related trial", "relatedtrial"),
    # Results are the registry's alone (curators write only the lay summary): these are fixed at
    # the registry, and point at the trial's "has results".
    **{
        f"resultsSection.{path}": (what, "has_results")
        for path, what in [
            (
                "baselineCharacteristicsModule.measures[].paramType",
                "the kind of number of a baseline measure",
            ),
            (
                "baselineCharacteristicsModule.measures[].dispersionType",
                "the kind of spread of a baseline measure",
            ),
            ("outcomeMeasuresModule.outcomeMeasures[].type", "the type of an outcome's results"),
            (
                "outcomeMeasuresModule.outcomeMeasures[].reportingStatus",
                "whether an outcome's results are posted",
            ),
            (
                "outcomeMeasuresModule.outcomeMeasures[].paramType",
                "the kind of number of an outcome's results",
            ),
            (
                "outcomeMeasuresModule.outcomeMeasures[].dispersionType",
                "the kind of spread of an outcome's results",
            ),
            (
                "outcomeMeasuresModule.outcomeMeasures[].analyses[].dispersionType",
                "the kind of spread of an outcome's analysis",
            ),
            (
                "outcomeMeasuresModule.outcomeMeasures[].analyses[].ciNumSides",
                "the sides of an analysis' confidence interval",
            ),
            (
                "outcomeMeasuresModule.outcomeMeasures[].analyses[].nonInferiorityType",
                "the kind of comparison of an analysis",
            ),
            (
                "adverseEventsModule.seriousEvents[].assessmentType",
                "how a serious adverse event was assessed",
            ),
            (
                "adverseEventsModule.otherEvents[].assessmentType",
                "how an adverse event was assessed",
            ),
            (
                "moreInfoModule.certainAgreement.restrictionType",
                "the kind of restriction on the investigators' publishing",
            ),
        ]
    },
}

PATH = re.compile(r"^(?P<path>[A-Za-z][\w.\[\]]*)(?P<rest>:? .*)$", re.DOTALL)
UNKNOWN = re.compile(r"^: unknown value (?P<value>.*) kept as given$", re.DOTALL)
NOT_PMID = re.compile(r"^ is not a PubMed number \((?P<value>.*)\): kept as given", re.DOTALL)
# record.fit_to_columns names what it shortened by our own fields: "trial.sex", "sites[2].city".
SHORTENED = re.compile(
    r"^(?P<list>trial|(?P<rows>[a-z_]+)\[(?P<position>\d+)\](?P<contact>\.contacts\[\d+\])?)"
    r"\.(?P<field>\w+): (?P<length>\d+) characters, more than the (?P<limit>\d+) it holds"
)
SHORTENED_IN_RESULTS = re.compile(
    r"^results[\w.\[\]]*\.(?P<field>\w+): (?P<length>\d+) characters, more than the "
    r"(?P<limit>\d+) it holds"
)


@dataclass(frozen=True)
class InWords:
    text: str  # in words
    field: str = ""  # the trial's field where it is fixed
    row: str = ""  # or the kind of row (a model name)
    position: int | None = None  # and the row's place in the record (its order)


def in_words(warning):
    """One stored warning in words, with where to fix it; a warning without a known path (an arm
    naming a treatment the record lacks) is already in words and stays as it is."""
    if shortened := SHORTENED.match(warning):
        return shortened_in_words(shortened)
    if in_results := SHORTENED_IN_RESULTS.match(warning):
        return InWords(
            f"A value in the posted results ({in_results['field'].replace('_', ' ')}) is "
            f"{in_results['length']} characters long, more than the {in_results['limit']} the "
            "portal keeps: shortened here (the stored record keeps it whole)."
        )
    match = PATH.match(warning)
    key = match and re.sub(r"\[\d+\]", "[]", match["path"].removeprefix("protocolSection."))
    if key not in PLACES:
        return InWords(warning)
    what, where = PLACES[key]
    what = what[0].upper() + what[1:]
    rest = match["rest"]
    if unknown := UNKNOWN.match(rest):
        text = (
            f"{what} is {unknown['value']}, a value the portal does not know yet "
            "(kept as the registry gave it)."
        )
    elif not_pmid := NOT_PMID.match(rest):
        text = (
            f"{what} is {not_pmid['value']}, not a PubMed number (kept as given, "
            "shown without a PubMed link)."
        )
    else:
        text = f"{what}{rest}."
    if "[]" not in key or key.startswith("resultsSection."):
        return InWords(text, field=where)
    first = re.search(r"\[(\d+)\]", match["path"])
    return InWords(text, row=where, position=int(first[1]))


def shortened_in_words(match):
    rows = match["rows"]
    model = m.Contact if match["contact"] else ROW_MODELS[rows] if rows else m.Trial
    what = str(model._meta.get_field(match["field"]).verbose_name)
    owner = "The trial's" if model is m.Trial else f"A {model._meta.verbose_name}'s"
    text = (
        f"{owner} {what} is {match['length']} characters long, more than the {match['limit']} "
        "the portal keeps: shortened here (the stored record keeps it whole)."
    )
    if not rows:
        return InWords(text, field=match["field"])
    return InWords(text, row=ROW_MODELS[rows]._meta.model_name, position=int(match["position"]))
