"""Legacy XML `<clinical_results>` -> the API v2 `resultsSection`, so one importer reads both.

Every value is carried over as the record gives it. Where the legacy format says something API v2
has no field for, it travels under a key of ours, which registry/results.py reads:

- the scope of an analysed count ("Overall", "Measure", "Class") as `scope` beside its units;
- an outcome's <measure> title, description and population as `legacyMeasure...` where they are
  not the outcome's own words;
- the certain agreements as `legacyPiEmployeeStatement` and `legacyRestrictiveAgreementStatement`
  (API v2 has booleans; we derive only the clear one, "Principal Investigators are NOT employed").

An outcome without a <measure> is one whose results are not posted yet: its reportingStatus says
so. The "Total" category of the serious and other events (all-cause mortality, serious and other
adverse events) becomes the event groups' numbers affected and at risk, where API v2 keeps them;
a section's default vocabulary and assessment go onto each of its events, as API v2 has them.
"""

import re

from .legacy_xml import vocab

# Legacy words whose API v2 value is not the word spelled in capitals.
RESULTS_WORDS = {
    "2_SIDED": "TWO_SIDED",
    "1_SIDED": "ONE_SIDED",
    "STANDARD_ERROR_OF_THE_MEAN": "STANDARD_ERROR_OF_MEAN",
    "GEOMETRIC_COEFFICIENT_OF_VARIATION": "GEOMETRIC_COEFFICIENT",
}
CONFIDENCE = re.compile(r"(\d+(?:\.\d+)?)\s*% Confidence Interval", re.IGNORECASE)


def results_vocab(text):
    confidence = CONFIDENCE.fullmatch(text.strip())
    if confidence:  # "95% Confidence Interval" -> CONFIDENCE_95, "97.5%" -> CONFIDENCE_975
        return "CONFIDENCE_" + confidence.group(1).replace(".", "")
    word = vocab(text)
    return RESULTS_WORDS.get(word, word)


def count(text):
    """A count as a number, as API v2 gives it; anything else is passed on, and refused there."""
    return int(text) if text.strip().isdigit() else text or None


def groups(element):
    return [
        {"id": group.element.get("group_id", ""), "title": group.text("title"),
         "description": group.text("description")}
        for group in element.all("group_list/group")
    ]  # fmt: skip


def denoms(element):
    return [
        {
            "units": analyzed.text("units"),
            "scope": analyzed.text("scope"),
            "counts": [
                {"groupId": c.element.get("group_id", ""), "value": c.element.get("value", "")}
                for c in analyzed.all("count_list/count")
            ],
        }
        for analyzed in element.all("analyzed_list/analyzed")
    ]


def classes(measure):
    return [
        {
            "title": measure_class.text("title"),
            "denoms": denoms(measure_class),
            "categories": [
                {
                    "title": category.text("title"),
                    "measurements": [
                        {
                            "groupId": m.element.get("group_id", ""),
                            "value": m.element.get("value", ""),
                            "spread": m.element.get("spread", ""),
                            "lowerLimit": m.element.get("lower_limit", ""),
                            "upperLimit": m.element.get("upper_limit", ""),
                            "comment": (m.element.text or "").strip(),
                        }
                        for m in category.all("measurement_list/measurement")
                    ],
                }
                for category in measure_class.all("category_list/category")
            ],
        }
        for measure_class in measure.all("class_list/class")
    ]


def flow_stats(element):
    return [
        {
            "groupId": p.element.get("group_id", ""),
            "numSubjects": p.element.get("count", ""),
            "comment": (p.element.text or "").strip(),
        }
        for p in element.all("participants_list/participants")
    ]


def participant_flow(flow):
    return {
        "recruitmentDetails": flow.text("recruitment_details"),
        "preAssignmentDetails": flow.text("pre_assignment_details"),
        "typeUnitsAnalyzed": flow.text("units_analyzed"),
        "groups": groups(flow),
        "periods": [
            {
                "title": period.text("title"),
                "milestones": [
                    {"type": milestone.text("title"), "achievements": flow_stats(milestone)}
                    for milestone in period.all("milestone_list/milestone")
                ],
                "dropWithdraws": [
                    {"type": reason.text("title"), "reasons": flow_stats(reason)}
                    for reason in period.all("drop_withdraw_reason_list/drop_withdraw_reason")
                ],
            }
            for period in flow.all("period_list/period")
        ],
    }


def baseline(section):
    return {
        "populationDescription": section.text("population"),
        "typeUnitsAnalyzed": section.text("units_analyzed"),
        "groups": groups(section),
        "denoms": denoms(section),
        "measures": [
            {
                "title": measure.text("title"),
                "description": measure.text("description"),
                "populationDescription": measure.text("population"),
                "paramType": results_vocab(measure.text("param")),
                "dispersionType": results_vocab(measure.text("dispersion")),
                "unitOfMeasure": measure.text("units"),
                "denoms": denoms(measure),
                "classes": classes(measure),
            }
            for measure in section.all("measure_list/measure")
        ],
    }


def analysis(item):
    return {
        "groupIds": item.texts("group_id_list/group_id"),
        "groupDescription": item.text("groups_desc"),
        "nonInferiorityType": results_vocab(item.text("non_inferiority_type")),
        "nonInferiorityComment": item.text("non_inferiority_desc"),
        "pValue": item.text("p_value"),
        "pValueComment": item.text("p_value_desc"),
        "statisticalMethod": item.text("method"),
        "statisticalComment": item.text("method_desc"),
        "paramType": item.text("param_type"),
        "paramValue": item.text("param_value"),
        "dispersionType": results_vocab(item.text("dispersion_type")),
        "dispersionValue": item.text("dispersion_value"),
        "ciPctValue": item.text("ci_percent"),
        "ciNumSides": results_vocab(item.text("ci_n_sides")),
        "ciLowerLimit": item.text("ci_lower_limit"),
        "ciUpperLimit": item.text("ci_upper_limit"),
        "ciLowerLimitComment": item.text("ci_lower_limit_na_comment"),
        "ciUpperLimitComment": item.text("ci_upper_limit_na_comment"),
        "estimateComment": item.text("estimate_desc"),
        "otherAnalysisDescription": item.text("other_analysis_desc"),
    }


def outcome(item):
    measure = item.one("measure")
    own = {
        "title": item.text("title"),
        "description": item.text("description"),
        "populationDescription": item.text("population"),
    }
    legacy_measure = {
        "legacyMeasureTitle": measure.text("title"),
        "legacyMeasureDescription": measure.text("description"),
        "legacyMeasurePopulationDescription": measure.text("population"),
    }
    return {
        "type": results_vocab(item.text("type")),
        # An outcome whose results are not posted yet has no <measure>, only a posting date.
        "reportingStatus": "POSTED" if measure.element is not None else "NOT_POSTED",
        **own,
        **{
            key: value
            for (key, value), mine in zip(legacy_measure.items(), own.values(), strict=True)
            if value != mine and measure.element is not None
        },
        "timeFrame": item.text("time_frame"),
        "anticipatedPostingDate": item.text("posting_date"),
        "groups": groups(item),
        "paramType": results_vocab(measure.text("param")),
        "dispersionType": results_vocab(measure.text("dispersion")),
        "unitOfMeasure": measure.text("units"),
        "typeUnitsAnalyzed": measure.text("units_analyzed"),
        "denoms": denoms(measure),
        "classes": classes(measure),
        "analyses": [analysis(a) for a in item.all("analysis_list/analysis")],
    }


TOTALS = {  # the "Total" category's rows, and whose numbers they are on the event groups
    "total, all-cause mortality": "deaths",
    "total, serious adverse events": "serious",
    "total, other adverse events": "other",
}


def adverse_events(section, event_groups):
    """One list of events (serious or other). The "Total" category's rows become the groups'
    `deathsNumAffected`, `seriousNumAtRisk`...; a total we do not know stays an event."""
    vocabulary = section.text("default_vocab")
    assessment = section.text("default_assessment")
    by_id = {group["id"]: group for group in event_groups}
    events = []
    for category in section.all("category_list/category"):
        for event in category.all("event_list/event"):
            total = TOTALS.get(event.text("sub_title").lower())
            if category.text("title").lower() == "total" and total:
                for c in event.all("counts"):
                    group_id = c.element.get("group_id", "")
                    if group_id not in by_id:  # a total for a group the list does not name
                        by_id[group_id] = {"id": group_id}
                        event_groups.append(by_id[group_id])
                    group = by_id[group_id]
                    group[f"{total}NumAffected"] = count(c.element.get("subjects_affected", ""))
                    group[f"{total}NumAtRisk"] = count(c.element.get("subjects_at_risk", ""))
                continue
            events.append(
                {
                    "term": event.text("sub_title"),
                    "organSystem": category.text("title"),
                    "sourceVocabulary": event.attr("sub_title", "vocab") or vocabulary,
                    "assessmentType": results_vocab(event.text("assessment") or assessment),
                    "notes": event.text("description"),
                    "stats": [
                        {
                            "groupId": c.element.get("group_id", ""),
                            "numEvents": count(c.element.get("events", "")),
                            "numAffected": count(c.element.get("subjects_affected", "")),
                            "numAtRisk": count(c.element.get("subjects_at_risk", "")),
                        }
                        for c in event.all("counts")
                    ],
                }
            )
    return events


def reported_events(section):
    event_groups = groups(section)
    serious = adverse_events(section.one("serious_events"), event_groups)
    other = adverse_events(section.one("other_events"), event_groups)
    return {
        "frequencyThreshold": section.text("other_events/frequency_threshold"),
        "timeFrame": section.text("time_frame"),
        "description": section.text("desc"),
        "eventGroups": event_groups,
        "seriousEvents": serious,
        "otherEvents": other,
    }


def pi_employee(statement):
    """The legacy sentence -> API v2's piSponsorEmployee, only where it is unmistakable."""
    if re.search(r"\bare NOT employed\b", statement):
        return False
    if re.search(r"\bare employed\b", statement):
        return True
    return None


def more_info(results):
    agreements = results.one("certain_agreements")
    contact = results.one("point_of_contact")
    statement = agreements.text("pi_employee")
    return {
        "limitationsAndCaveats": {"description": results.text("limitations_and_caveats")},
        "certainAgreement": {
            "piSponsorEmployee": pi_employee(statement),
            "legacyPiEmployeeStatement": statement,
            "legacyRestrictiveAgreementStatement": agreements.text("restrictive_agreement"),
        },
        "pointOfContact": {
            "title": contact.text("name_or_title"),
            "organization": contact.text("organization"),
            "email": contact.text("email"),
            "phone": contact.text("phone"),
            "phoneExt": contact.text("phone_ext"),
        },
    }


def results_section(results):
    """<clinical_results> (an Element) -> resultsSection."""
    return {
        "participantFlowModule": participant_flow(results.one("participant_flow")),
        "baselineCharacteristicsModule": baseline(results.one("baseline")),
        "outcomeMeasuresModule": {
            "outcomeMeasures": [outcome(item) for item in results.all("outcome_list/outcome")]
        },
        "adverseEventsModule": reported_events(results.one("reported_events")),
        "moreInfoModule": more_info(results),
    }
