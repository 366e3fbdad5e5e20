"""A record's results section: read from the API v2 `resultsSection` (a legacy XML record is turned
into that shape first, by legacy_results.py) and written onto the trial's results rows.

Reading checks each value's type as record.py does (a wrong one refuses the record with its path)
and reports a value outside a known vocabulary as a warning, kept as given. Values stay text as the
registry gives them. Writing replaces the trial's results whole, inside the import's transaction,
and only when they changed (a fingerprint of them is kept on TrialResults).
"""

import hashlib
import json

from .. import models as m
from .. import vocabularies as v


def map_results(section):
    """A Reader over resultsSection -> the values the writer needs, or None when there are none."""
    if not section.data:
        return None
    flow = section.obj("participantFlowModule")
    baseline = section.obj("baselineCharacteristicsModule")
    events = section.obj("adverseEventsModule")
    more = section.obj("moreInfoModule")
    agreement = more.obj("certainAgreement")
    contact = more.obj("pointOfContact")
    return {
        "fields": {
            "flow_recruitment_details": flow.text("recruitmentDetails"),
            "flow_pre_assignment_details": flow.text("preAssignmentDetails"),
            "flow_type_units_analyzed": flow.text("typeUnitsAnalyzed"),
            "baseline_population_description": baseline.text("populationDescription"),
            "baseline_type_units_analyzed": baseline.text("typeUnitsAnalyzed"),
            "baseline_denoms": denoms(baseline),
            "events_frequency_threshold": events.text("frequencyThreshold"),
            "events_time_frame": events.text("timeFrame"),
            "events_description": events.text("description"),
            "events_all_cause_mortality_comment": events.text("allCauseMortalityComment"),
            "limitations_and_caveats": more.obj("limitationsAndCaveats").text("description"),
            "pi_sponsor_employee": agreement.boolean("piSponsorEmployee"),
            "restrictive_agreement": agreement.boolean("restrictiveAgreement"),
            "restriction_type": agreement.choice("restrictionType", v.AgreementRestrictionType),
            "agreement_other_details": agreement.text("otherDetails"),
            "pi_employee_statement": agreement.text("legacyPiEmployeeStatement"),
            "restrictive_agreement_statement": agreement.text(
                "legacyRestrictiveAgreementStatement"
            ),
            "contact_title": contact.text("title"),
            "contact_organization": contact.text("organization"),
            "contact_email": contact.text("email"),
            "contact_phone": contact.text("phone"),
            "contact_phone_ext": contact.text("phoneExt"),
        },
        "flow_groups": [group(g) for g in flow.objs("groups")],
        "flow_periods": [flow_period(period) for period in flow.objs("periods")],
        "baseline_groups": [group(g) for g in baseline.objs("groups")],
        "baseline_measures": [baseline_measure(item) for item in baseline.objs("measures")],
        "outcomes": [
            outcome(item) for item in section.obj("outcomeMeasuresModule").objs("outcomeMeasures")
        ],
        "event_groups": [event_group(g) for g in events.objs("eventGroups")],
        "adverse_events": [
            adverse_event(item, v.EventSeriousness.SERIOUS) for item in events.objs("seriousEvents")
        ]
        + [adverse_event(item, v.EventSeriousness.OTHER) for item in events.objs("otherEvents")],
    }


def group(item):
    return {
        "group_id": item.text("id"),
        "title": item.text("title"),
        "description": item.text("description"),
    }


def denoms(item):
    """Denoms as JSON: units, the legacy scope where there is one, and the counts per group."""
    found = []
    for denom in item.objs("denoms"):
        values = {"units": denom.text("units")}
        if denom.text("scope"):
            values["scope"] = denom.text("scope")
        values["counts"] = [
            {"group_id": c.text("groupId"), "value": c.text("value")} for c in denom.objs("counts")
        ]
        found.append(values)
    return found


def flow_stats(item):
    return {
        "group_id": item.text("groupId"),
        "num_subjects": item.text("numSubjects"),
        "num_units": item.text("numUnits"),
        "comment": item.text("comment"),
    }


def flow_period(period):
    steps = [
        {
            "kind": v.FlowStepKind.MILESTONE,
            "type": step.text("type"),
            "comment": step.text("comment"),
            "counts": [flow_stats(s) for s in step.objs("achievements")],
        }
        for step in period.objs("milestones")
    ] + [
        {
            "kind": v.FlowStepKind.DROP_WITHDRAW,
            "type": step.text("type"),
            "comment": step.text("comment"),
            "counts": [flow_stats(s) for s in step.objs("reasons")],
        }
        for step in period.objs("dropWithdraws")
    ]
    return {"title": period.text("title"), "steps": steps}


def measure_classes(item):
    return [
        {
            "title": measure_class.text("title"),
            "denoms": denoms(measure_class),
            "categories": [
                {
                    "title": category.text("title"),
                    "measurements": [
                        {
                            "group_id": x.text("groupId"),
                            "value": x.text("value"),
                            "spread": x.text("spread"),
                            "lower_limit": x.text("lowerLimit"),
                            "upper_limit": x.text("upperLimit"),
                            "comment": x.text("comment"),
                        }
                        for x in category.objs("measurements")
                    ],
                }
                for category in measure_class.objs("categories")
            ],
        }
        for measure_class in item.objs("classes")
    ]


def measure_values(item):
    """What baseline and outcome measures share."""
    return {
        "title": item.text("title"),
        "description": item.text("description"),
        "population_description": item.text("populationDescription"),
        "param_type": item.choice("paramType", v.MeasureParam),
        "dispersion_type": item.choice("dispersionType", v.MeasureDispersionType),
        "unit_of_measure": item.text("unitOfMeasure"),
        "calculate_pct": item.boolean("calculatePct"),
        "denom_units_selected": item.text("denomUnitsSelected"),
        "denoms": denoms(item),
        "classes": measure_classes(item),
    }


def baseline_measure(item):
    return measure_values(item)


def outcome(item):
    posting = item.raw("anticipatedPostingDate")
    if posting is not None and not isinstance(posting, str):
        posting = item.obj("anticipatedPostingDate").text("date")  # a PartialDate struct
    return {
        **measure_values(item),
        "type": item.choice("type", v.OutcomeMeasureType),
        "reporting_status": item.choice("reportingStatus", v.ReportingStatus),
        "anticipated_posting_date": posting or "",
        "time_frame": item.text("timeFrame"),
        "type_units_analyzed": item.text("typeUnitsAnalyzed"),
        "measure_title": item.text("legacyMeasureTitle"),
        "measure_description": item.text("legacyMeasureDescription"),
        "measure_population_description": item.text("legacyMeasurePopulationDescription"),
        "groups": [group(g) for g in item.objs("groups")],
        "analyses": [analysis(a) for a in item.objs("analyses")],
    }


def analysis(item):
    return {
        "group_ids": item.texts("groupIds"),
        "group_description": item.text("groupDescription"),
        "param_type": item.text("paramType"),
        "param_value": item.text("paramValue"),
        "dispersion_type": item.choice("dispersionType", v.AnalysisDispersionType),
        "dispersion_value": item.text("dispersionValue"),
        "statistical_method": item.text("statisticalMethod"),
        "statistical_comment": item.text("statisticalComment"),
        "p_value": item.text("pValue"),
        "p_value_comment": item.text("pValueComment"),
        "ci_num_sides": item.choice("ciNumSides", v.ConfidenceIntervalNumSides),
        "ci_pct_value": item.text("ciPctValue"),
        "ci_lower_limit": item.text("ciLowerLimit"),
        "ci_upper_limit": item.text("ciUpperLimit"),
        "ci_lower_limit_comment": item.text("ciLowerLimitComment"),
        "ci_upper_limit_comment": item.text("ciUpperLimitComment"),
        "estimate_comment": item.text("estimateComment"),
        "tested_non_inferiority": item.boolean("testedNonInferiority"),
        "non_inferiority_type": item.choice("nonInferiorityType", v.NonInferiorityType),
        "non_inferiority_comment": item.text("nonInferiorityComment"),
        "other_analysis_description": item.text("otherAnalysisDescription"),
    }


def event_group(item):
    return {
        **group(item),
        **{
            f"{kind}_{name}": item.integer(f"{kind}{key}")
            for kind in ("deaths", "serious", "other")
            for name, key in (("num_affected", "NumAffected"), ("num_at_risk", "NumAtRisk"))
        },
    }


def adverse_event(item, seriousness):
    return {
        "seriousness": seriousness,
        "term": item.text("term"),
        "organ_system": item.text("organSystem"),
        "source_vocabulary": item.text("sourceVocabulary"),
        "assessment_type": item.choice("assessmentType", v.EventAssessment),
        "notes": item.text("notes"),
        "stats": [
            {
                "group_id": s.text("groupId"),
                "num_events": s.integer("numEvents"),
                "num_affected": s.integer("numAffected"),
                "num_at_risk": s.integer("numAtRisk"),
            }
            for s in item.objs("stats")
        ],
    }


def results_digest(results):
    encoded = json.dumps(results, sort_keys=True, default=str, ensure_ascii=False)
    return hashlib.sha256(encoded.encode()).hexdigest()


def write_results(writer, results):
    """Make the trial's results rows match `results` (map_results' values, or None): replaced
    whole when they changed, removed when the record no longer has any. Notes it in the diff."""
    trial = writer.trial
    current = None if writer.new_trial else m.TrialResults.objects.filter(trial=trial).first()
    digest = results_digest(results) if results else ""
    if (current.digest if current else "") == digest:
        return  # the same results, or none before and none now
    if current is not None:
        current.delete()  # its rows go with it
    if results:
        create_results(trial, results, digest)
    what = "replaced" if current and results else "added" if results else "removed"
    writer.change(m.TrialResults, None, "", "", what)


def positioned(model, items, parent, exclude=(), **extra):
    """Unsaved rows of `model`, one per item in order, each with its parent and position."""
    return [
        model(
            position=position,
            **parent,
            **extra,
            **{key: value for key, value in item.items() if key not in exclude},
        )
        for position, item in enumerate(items)
    ]


def create(model, rows):
    return model.objects.bulk_create(rows)


def create_results(trial, results, digest):
    """Every row of the results, level by level: a few bulk inserts however large they are."""
    row = m.TrialResults.objects.create(trial=trial, digest=digest, **results["fields"])
    parent = {"results": row}
    create(m.FlowGroup, positioned(m.FlowGroup, results["flow_groups"], parent))
    create(m.BaselineGroup, positioned(m.BaselineGroup, results["baseline_groups"], parent))
    create(m.EventGroup, positioned(m.EventGroup, results["event_groups"], parent))

    periods = create(
        m.FlowPeriod, positioned(m.FlowPeriod, results["flow_periods"], parent, ("steps",))
    )
    steps, step_items = [], []
    for period, item in zip(periods, results["flow_periods"], strict=True):
        for kind in v.FlowStepKind:
            of_kind = [step for step in item["steps"] if step["kind"] == kind]
            steps += positioned(m.FlowStep, of_kind, {"period": period}, ("counts",))
            step_items += of_kind
    steps = create(m.FlowStep, steps)
    counts = []
    for step, item in zip(steps, step_items, strict=True):
        counts += positioned(m.FlowCount, item["counts"], {"step": step})
    create(m.FlowCount, counts)

    measures = create(
        m.BaselineMeasure,
        positioned(m.BaselineMeasure, results["baseline_measures"], parent, ("classes",)),
    )
    outcomes = create(
        m.OutcomeMeasure,
        positioned(
            m.OutcomeMeasure, results["outcomes"], parent, ("classes", "groups", "analyses")
        ),
    )
    groups, analyses, classes, class_items = [], [], [], []
    for measure, item in zip(measures, results["baseline_measures"], strict=True):
        classes += positioned(
            m.MeasureClass, item["classes"], {"baseline_measure": measure}, ("categories",)
        )
        class_items += item["classes"]
    for measure, item in zip(outcomes, results["outcomes"], strict=True):
        groups += positioned(m.OutcomeGroup, item["groups"], {"outcome": measure})
        analyses += positioned(m.OutcomeAnalysis, item["analyses"], {"outcome": measure})
        classes += positioned(
            m.MeasureClass, item["classes"], {"outcome": measure}, ("categories",)
        )
        class_items += item["classes"]
    create(m.OutcomeGroup, groups)
    create(m.OutcomeAnalysis, analyses)
    classes = create(m.MeasureClass, classes)
    categories, category_items = [], []
    for measure_class, item in zip(classes, class_items, strict=True):
        categories += positioned(
            m.MeasureCategory,
            item["categories"],
            {"measure_class": measure_class},
            ("measurements",),
        )
        category_items += item["categories"]
    categories = create(m.MeasureCategory, categories)
    measurements = []
    for category, item in zip(categories, category_items, strict=True):
        measurements += positioned(m.Measurement, item["measurements"], {"category": category})
    create(m.Measurement, measurements)

    events, event_items = [], []
    for seriousness in v.EventSeriousness:
        of_kind = [e for e in results["adverse_events"] if e["seriousness"] == seriousness]
        events += positioned(m.AdverseEvent, of_kind, parent, ("stats",))
        event_items += of_kind
    events = create(m.AdverseEvent, events)
    stats = []
    for event, item in zip(events, event_items, strict=True):
        stats += positioned(m.EventStats, item["stats"], {"event": event})
    create(m.EventStats, stats)
