"""Posted results import losslessly, idempotently and whole, from both formats.

Each real record with results is walked here by the test's own readers (ElementTree over the
legacy XML, plain dict walking over the API v2 JSON), never through the importer's mapping, and
every value found is looked for where it belongs in the models. The legacy walker also marks each
element and attribute it reads: one left unread is a value the test (and so the importer) missed.
"""

import copy
import hashlib
import json
import re
import xml.etree.ElementTree as ET

import pytest

from tests.conftest import BUNDLED, SHARED_DATA
from trials import models as m
from trials import vocabularies as v
from trials.registry.importer import import_paths
from trials.registry.legacy_xml import legacy_xml_to_study
from trials.registry.portal_section import read_portal_section
from trials.registry.record import map_study

LEGACY_WITH_RESULTS = sorted(
    path
    for folder in (SHARED_DATA / "ctgov-legacy-xml", BUNDLED)
    if folder.exists()
    for path in folder.glob("*.xml")
    if b"<clinical_results>" in path.read_bytes()
)
V2_WITH_RESULTS = sorted(
    path
    for folder in (SHARED_DATA / "ctgov-v2", BUNDLED)
    if folder.exists()
    for path in folder.glob("*.json")
    if "resultsSection" in json.loads(path.read_bytes())
)
TOWER = "NCT02013167"
TOWER_XML = SHARED_DATA / "ctgov-legacy-xml" / f"{TOWER}.xml"
needs_shared = pytest.mark.skipif(not TOWER_XML.exists(), reason="../shared/data not beside")


def import_one(path):
    report = import_paths([path], publish=True)
    assert not report.failed, report.failed
    assert len(report.created + report.updated) == 1, report.summary
    return m.Trial.objects.get(nct_id=(report.created + report.updated)[0]), report


def test_the_real_records_with_results_are_all_found():
    """The issue names seven trials with posted results; each is walked below."""
    ids = {path.stem for path in LEGACY_WITH_RESULTS}
    if SHARED_DATA.exists():
        assert ids >= {
            "NCT02013167",  # TOWER
            "NCT01207388",  # BLAST
            "NCT00560794",  # MT103-202
            "NCT01466179",  # MT103-211
            "NCT01471782",  # MT103-205
            "NCT02393859",  # Amgen 20120215
            "NCT03023878",  # the lymphoma trial
        }
    assert TOWER in {path.stem for path in V2_WITH_RESULTS}  # the bundled, merged TOWER


# --- The legacy XML walker ----------------------------------------------------------------------


class Reading:
    """Reads an XML tree and remembers which texts and attributes it read."""

    def __init__(self, root):
        self.root = root
        self.read = set()

    def text(self, element, tag):
        """The stripped text of `element`'s child `tag` ("" if absent), marked read."""
        child = element.find(tag) if element is not None else None
        if child is None:
            return ""
        self.read.add((id(child), None))
        return (child.text or "").strip()

    def own(self, element):
        self.read.add((id(element), None))
        return (element.text or "").strip()

    def attr(self, element, name):
        self.read.add((id(element), name))
        return element.get(name, "")

    def unread(self):
        """Every non-blank text and attribute under the root that nothing read."""
        missed = []
        for element in self.root.iter():
            if (element.text or "").strip() and (id(element), None) not in self.read:
                missed.append(f"<{element.tag}> {element.text.strip()[:60]!r}")
            for name in element.attrib:
                if (id(element), name) not in self.read:
                    missed.append(f"<{element.tag} {name}=...>")
        return missed


# Legacy words spelled differently from our labels of the API v2 values.
LEGACY_SPELLINGS = {"2-sided": "two-sided", "1-sided": "one-sided", "post-hoc": "post hoc"}


def same_word(legacy, code, choices):
    """A legacy vocabulary word and the stored API v2 value say the same thing."""
    if not legacy:
        return code == ""
    label = str(choices(code).label).lower() if code in choices.values else code
    return LEGACY_SPELLINGS.get(legacy.lower(), legacy.lower()) == label


def check_groups(reading, element, rows):
    groups = element.findall("group_list/group")
    assert len(groups) == len(rows)
    for group, row in zip(groups, rows, strict=True):
        assert row.group_id == reading.attr(group, "group_id")
        assert row.title == reading.text(group, "title")
        assert row.description == reading.text(group, "description")


def check_denoms(reading, element, denoms):
    analyzed = element.findall("analyzed_list/analyzed")
    assert len(analyzed) == len(denoms)
    for item, denom in zip(analyzed, denoms, strict=True):
        assert denom["units"] == reading.text(item, "units")
        assert denom.get("scope", "") == reading.text(item, "scope")
        counts = item.findall("count_list/count")
        assert [(c["group_id"], c["value"]) for c in denom["counts"]] == [
            (reading.attr(c, "group_id"), reading.attr(c, "value")) for c in counts
        ]


def check_classes(reading, measure, rows):
    classes = measure.findall("class_list/class")
    assert len(classes) == len(rows)
    for measure_class, row in zip(classes, rows, strict=True):
        assert row.title == reading.text(measure_class, "title")
        check_denoms(reading, measure_class, row.denoms)
        categories = measure_class.findall("category_list/category")
        assert len(categories) == len(row.categories.all())
        for category, category_row in zip(categories, row.categories.all(), strict=True):
            assert category_row.title == reading.text(category, "title")
            found = [
                (x.group_id, x.value, x.spread, x.lower_limit, x.upper_limit, x.comment)
                for x in category_row.measurements.all()
            ]
            assert found == [
                (
                    reading.attr(x, "group_id"),
                    reading.attr(x, "value"),
                    reading.attr(x, "spread") if "spread" in x.attrib else "",
                    reading.attr(x, "lower_limit") if "lower_limit" in x.attrib else "",
                    reading.attr(x, "upper_limit") if "upper_limit" in x.attrib else "",
                    reading.own(x),
                )
                for x in category.findall("measurement_list/measurement")
            ]


def check_flow(reading, flow, results):
    assert results.flow_recruitment_details == reading.text(flow, "recruitment_details")
    assert results.flow_pre_assignment_details == reading.text(flow, "pre_assignment_details")
    check_groups(reading, flow, list(results.flow_groups.all()))
    periods = flow.findall("period_list/period")
    assert len(periods) == len(results.flow_periods.all())
    for period, row in zip(periods, results.flow_periods.all(), strict=True):
        assert row.title == reading.text(period, "title")
        for kind, path in [
            (v.FlowStepKind.MILESTONE, "milestone_list/milestone"),
            (v.FlowStepKind.DROP_WITHDRAW, "drop_withdraw_reason_list/drop_withdraw_reason"),
        ]:
            steps = [step for step in row.steps.all() if step.kind == kind]
            assert len(steps) == len(period.findall(path))
            for item, step in zip(period.findall(path), steps, strict=True):
                assert step.type == reading.text(item, "title")
                assert [(c.group_id, c.num_subjects, c.comment) for c in step.counts.all()] == [
                    (reading.attr(p, "group_id"), reading.attr(p, "count"), reading.own(p))
                    for p in item.findall("participants_list/participants")
                ]


def check_baseline(reading, baseline, results):
    assert results.baseline_population_description == reading.text(baseline, "population")
    check_groups(reading, baseline, list(results.baseline_groups.all()))
    check_denoms(reading, baseline, results.baseline_denoms)
    measures = baseline.findall("measure_list/measure")
    assert len(measures) == len(results.baseline_measures.all())
    for measure, row in zip(measures, results.baseline_measures.all(), strict=True):
        assert row.title == reading.text(measure, "title")
        assert row.description == reading.text(measure, "description")
        assert row.population_description == reading.text(measure, "population")
        assert row.unit_of_measure == reading.text(measure, "units")
        assert same_word(reading.text(measure, "param"), row.param_type, v.MeasureParam)
        assert same_word(
            reading.text(measure, "dispersion"), row.dispersion_type, v.MeasureDispersionType
        )
        check_denoms(reading, measure, row.denoms)
        check_classes(reading, measure, list(row.classes.all()))


# An analysis' texts and where they are kept; a tag not here is left unread, and fails the test.
ANALYSIS_TEXTS = {
    "groups_desc": "group_description",
    "non_inferiority_desc": "non_inferiority_comment",
    "p_value": "p_value",
    "p_value_desc": "p_value_comment",
    "method": "statistical_method",
    "method_desc": "statistical_comment",
    "param_type": "param_type",
    "param_value": "param_value",
    "dispersion_value": "dispersion_value",
    "ci_percent": "ci_pct_value",
    "ci_lower_limit": "ci_lower_limit",
    "ci_upper_limit": "ci_upper_limit",
    "estimate_desc": "estimate_comment",
    "other_analysis_desc": "other_analysis_description",
}
ANALYSIS_WORDS = {
    "non_inferiority_type": ("non_inferiority_type", v.NonInferiorityType),
    "ci_n_sides": ("ci_num_sides", v.ConfidenceIntervalNumSides),
    "dispersion_type": ("dispersion_type", v.AnalysisDispersionType),
}


def check_outcomes(reading, outcomes, results):
    items = outcomes.findall("outcome")
    rows = list(results.outcomes.all())
    assert len(items) == len(rows)
    for item, row in zip(items, rows, strict=True):
        assert same_word(reading.text(item, "type"), row.type, v.OutcomeMeasureType)
        assert row.title == reading.text(item, "title")
        assert row.description == reading.text(item, "description")
        assert row.time_frame == reading.text(item, "time_frame")
        assert row.population_description == reading.text(item, "population")
        assert row.anticipated_posting_date == reading.text(item, "posting_date")
        check_groups(reading, item, list(row.groups.all()))
        measure = item.find("measure")
        if measure is None:  # results not posted yet
            assert row.reporting_status == v.ReportingStatus.NOT_POSTED
            assert not row.classes.all() and not row.analyses.all()
            continue
        assert row.reporting_status == v.ReportingStatus.POSTED
        # The measure's own words, kept apart only where they are not the outcome's.
        assert (row.measure_title or row.title) == reading.text(measure, "title")
        assert (row.measure_description or row.description) == reading.text(measure, "description")
        assert (row.measure_population_description or row.population_description) == reading.text(
            measure, "population"
        )
        assert row.unit_of_measure == reading.text(measure, "units")
        assert same_word(reading.text(measure, "param"), row.param_type, v.MeasureParam)
        assert same_word(
            reading.text(measure, "dispersion"), row.dispersion_type, v.MeasureDispersionType
        )
        check_denoms(reading, measure, row.denoms)
        check_classes(reading, measure, list(row.classes.all()))
        analyses = item.findall("analysis_list/analysis")
        assert len(analyses) == len(row.analyses.all())
        for analysis, stored in zip(analyses, row.analyses.all(), strict=True):
            assert stored.group_ids == [
                reading.own(g) for g in analysis.findall("group_id_list/group_id")
            ]
            for tag, name in ANALYSIS_TEXTS.items():
                assert getattr(stored, name) == reading.text(analysis, tag), tag
            for tag, (name, choices) in ANALYSIS_WORDS.items():
                assert same_word(reading.text(analysis, tag), getattr(stored, name), choices)


def check_events(reading, events, results):
    assert results.events_time_frame == reading.text(events, "time_frame")
    assert results.events_description == reading.text(events, "desc")
    groups = {group.group_id: group for group in results.event_groups.all()}
    check_groups(reading, events, list(results.event_groups.all()))
    for tag, seriousness in [
        ("serious_events", v.EventSeriousness.SERIOUS),
        ("other_events", v.EventSeriousness.OTHER),
    ]:
        section = events.find(tag)
        rows = [e for e in results.adverse_events.all() if e.seriousness == seriousness]
        vocabulary = reading.text(section, "default_vocab")
        assessment = reading.text(section, "default_assessment")
        if tag == "other_events":
            threshold = reading.text(section, "frequency_threshold")
            assert results.events_frequency_threshold == threshold
        expected = []
        for category in section.findall("category_list/category"):
            organ_system = reading.text(category, "title")
            for event in category.findall("event_list/event"):
                counts = event.findall("counts")
                if organ_system == "Total":
                    # A totals row: its numbers are the groups' numbers who died, or had a
                    # serious or another adverse event.
                    title = reading.text(event, "sub_title")
                    prefix = "deaths" if "mortality" in title else title.split()[1]
                    for c in counts:
                        group = groups[reading.attr(c, "group_id")]
                        affected = getattr(group, f"{prefix}_num_affected")
                        at_risk = getattr(group, f"{prefix}_num_at_risk")
                        assert str(affected) == reading.attr(c, "subjects_affected")
                        assert str(at_risk) == reading.attr(c, "subjects_at_risk")
                    continue
                expected.append(
                    (
                        reading.text(event, "sub_title"),
                        organ_system,
                        reading.text(event, "description"),
                        [
                            (
                                reading.attr(c, "group_id"),
                                reading.attr(c, "events") if "events" in c.attrib else "None",
                                reading.attr(c, "subjects_affected"),
                                reading.attr(c, "subjects_at_risk"),
                            )
                            for c in counts
                        ],
                    )
                )
        assert [
            (
                e.term,
                e.organ_system,
                e.notes,
                [
                    (s.group_id, str(s.num_events), str(s.num_affected), str(s.num_at_risk))
                    for s in e.stats.all()
                ],
            )
            for e in rows
        ] == expected
        # The section's default vocabulary and assessment are each of its events'.
        assert all(e.source_vocabulary == vocabulary for e in rows)
        assert all(same_word(assessment, e.assessment_type, v.EventAssessment) for e in rows)


def check_more_info(reading, clinical_results, results):
    agreements = clinical_results.find("certain_agreements")
    assert results.pi_employee_statement == reading.text(agreements, "pi_employee")
    assert results.restrictive_agreement_statement == reading.text(
        agreements, "restrictive_agreement"
    )
    contact = clinical_results.find("point_of_contact")
    assert results.contact_title == reading.text(contact, "name_or_title")
    assert results.contact_organization == reading.text(contact, "organization")
    assert results.contact_email == reading.text(contact, "email")
    assert results.contact_phone == reading.text(contact, "phone")
    assert results.contact_phone_ext == reading.text(contact, "phone_ext")
    assert results.limitations_and_caveats == reading.text(
        clinical_results, "limitations_and_caveats"
    )


@pytest.mark.django_db
@pytest.mark.parametrize("path", LEGACY_WITH_RESULTS, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_every_value_of_a_legacy_records_results_is_in_the_models(path):
    trial, report = import_one(path)
    assert report.warnings == []
    clinical_results = ET.parse(path).getroot().find("clinical_results")
    reading = Reading(clinical_results)
    results = m.load_results(trial)
    check_flow(reading, clinical_results.find("participant_flow"), results)
    check_baseline(reading, clinical_results.find("baseline"), results)
    check_outcomes(reading, clinical_results.find("outcome_list"), results)
    check_events(reading, clinical_results.find("reported_events"), results)
    check_more_info(reading, clinical_results, results)
    assert reading.unread() == []


# --- The API v2 JSON walker ---------------------------------------------------------------------


def snake(key):
    """An API v2 key -> our field's name: 'lowerLimit' -> 'lower_limit', 'id' -> 'group_id'; our
    own legacy keys ('legacyMeasureTitle') lose their prefix."""
    if key == "id":
        return "group_id"
    return re.sub(r"(?<!^)([A-Z])", r"_\1", key.removeprefix("legacy")).lower()


def snake_denoms(denoms):
    return [
        {
            **{key: value for key, value in denom.items() if key != "counts"},
            "counts": [{snake(k): value for k, value in c.items()} for c in denom["counts"]],
        }
        for denom in denoms
    ]


def children(row, key, obj):
    """The rows a JSON list of objects is kept in, in order."""
    steps = {"milestones": v.FlowStepKind.MILESTONE, "dropWithdraws": v.FlowStepKind.DROP_WITHDRAW}
    events = {"seriousEvents": v.EventSeriousness.SERIOUS, "otherEvents": v.EventSeriousness.OTHER}
    if key in steps:
        return [step for step in row.steps.all() if step.kind == steps[key]]
    if key in events:
        return [e for e in row.adverse_events.all() if e.seriousness == events[key]]
    name = {"achievements": "counts", "reasons": "counts", "outcomeMeasures": "outcomes"}.get(
        key, snake(key)
    )
    return list(getattr(row, name).all())


def check_object(obj, row, prefix=""):
    """Every value of a JSON object is on `row`, each list of objects in its rows, in order."""
    for key, value in obj.items():
        if isinstance(value, list) and value and isinstance(value[0], dict) and key != "denoms":
            rows = children(row, key, obj)
            assert len(rows) == len(value), key
            for item, child in zip(value, rows, strict=True):
                check_object(item, child)
        elif key == "denoms":
            assert getattr(row, f"{prefix}denoms") == snake_denoms(value)
        elif key == "anticipatedPostingDate" and isinstance(value, dict):
            assert row.anticipated_posting_date == value["date"]
        else:
            assert getattr(row, prefix + snake(key)) == value, key


def check_results_section(section, results):
    """The modules of resultsSection, each onto TrialResults' own fields and its rows."""
    prefixes = {
        "participantFlowModule": "flow_",
        "baselineCharacteristicsModule": "baseline_",
        "adverseEventsModule": "events_",
    }
    for module, prefix in prefixes.items():
        values = section.get(module, {})
        lists = {k: x for k, x in values.items() if isinstance(x, list) and k != "denoms"}
        # The module's groups are the results' flow_groups or baseline_groups (events say so).
        check_object({prefix.replace("events_", "") + k: x for k, x in lists.items()}, results)
        check_object({k: x for k, x in values.items() if k not in lists}, results, prefix)
    check_object(section.get("outcomeMeasuresModule", {}), results)
    more = section.get("moreInfoModule", {})
    assert results.limitations_and_caveats == more.get("limitationsAndCaveats", {}).get(
        "description", ""
    )
    agreement = dict(more.get("certainAgreement", {}))
    if "otherDetails" in agreement:
        assert results.agreement_other_details == agreement.pop("otherDetails")
    check_object(agreement, results)
    check_object(more.get("pointOfContact", {}), results, "contact_")


@pytest.mark.django_db
@pytest.mark.parametrize("path", V2_WITH_RESULTS, ids=lambda p: p.name)
def test_every_value_of_an_api_v2_records_results_is_in_the_models(path):
    trial, report = import_one(path)
    assert report.warnings == []
    check_results_section(json.loads(path.read_bytes())["resultsSection"], m.load_results(trial))


def synthetic_results():
    """SYNTHETIC results, made up here, giving every field of the API v2 schema that the real
    records at hand leave out (deaths, units, reporting status, booleans...)."""
    stats = [{"groupId": "OG000", "value": "12.5", "spread": "NA", "comment": "Synthetic."}]
    return {
        "participantFlowModule": {
            "typeUnitsAnalyzed": "Eyes",
            "groups": [{"id": "FG000", "title": "Synthetic arm", "description": "Made up."}],
            "periods": [
                {
                    "title": "Overall Study",
                    "milestones": [
                        {
                            "type": "STARTED",
                            "comment": "A synthetic comment.",
                            "achievements": [
                                {"groupId": "FG000", "numSubjects": "10", "numUnits": "20"}
                            ],
                        }
                    ],
                    "dropWithdraws": [
                        {"type": "Death", "reasons": [{"groupId": "FG000", "numSubjects": "1"}]}
                    ],
                }
            ],
        },
        "baselineCharacteristicsModule": {
            "typeUnitsAnalyzed": "Eyes",
            "groups": [{"id": "BG000", "title": "Synthetic arm"}],
            "denoms": [{"units": "Participants", "counts": [{"groupId": "BG000", "value": "10"}]}],
            "measures": [
                {
                    "title": "Age",
                    "paramType": "MEAN",
                    "dispersionType": "STANDARD_DEVIATION",
                    "unitOfMeasure": "years",
                    "calculatePct": False,
                    "denomUnitsSelected": "Participants",
                    "classes": [
                        {"categories": [{"measurements": [{"groupId": "BG000", "value": "41.2"}]}]}
                    ],
                }
            ],
        },
        "outcomeMeasuresModule": {
            "outcomeMeasures": [
                {
                    "type": "PRIMARY",
                    "title": "Synthetic zanzibarite response",
                    "reportingStatus": "POSTED",
                    "anticipatedPostingDate": "2031-01",
                    "paramType": "MEDIAN",
                    "dispersionType": "CONFIDENCE_95",
                    "calculatePct": True,
                    "groups": [{"id": "OG000", "title": "Synthetic arm"}],
                    "classes": [{"title": "All", "categories": [{"measurements": stats}]}],
                    "analyses": [
                        {
                            "groupIds": ["OG000"],
                            "paramType": "Median difference",
                            "paramValue": "1.5",
                            "dispersionType": "STANDARD_ERROR_OF_MEAN",
                            "dispersionValue": "0.2",
                            "pValue": "<0.001",
                            "ciNumSides": "ONE_SIDED",
                            "ciPctValue": "97.5",
                            "ciLowerLimit": "NA",
                            "ciLowerLimitComment": "Not estimable.",
                            "testedNonInferiority": True,
                            "nonInferiorityType": "NON_INFERIORITY",
                        }
                    ],
                },
                {"type": "SECONDARY", "title": "Not yet posted", "reportingStatus": "NOT_POSTED"},
            ]
        },
        "adverseEventsModule": {
            "frequencyThreshold": "5",
            "allCauseMortalityComment": "Synthetic.",
            "eventGroups": [
                {
                    "id": "EG000",
                    "title": "Synthetic arm",
                    "deathsNumAffected": 1,
                    "deathsNumAtRisk": 10,
                    "seriousNumAffected": 0,
                    "seriousNumAtRisk": 10,
                    "otherNumAffected": 3,
                    "otherNumAtRisk": 10,
                }
            ],
            "otherEvents": [
                {
                    "term": "Headache",
                    "organSystem": "Nervous system disorders",
                    "sourceVocabulary": "MedDRA 26.0",
                    "assessmentType": "NON_SYSTEMATIC_ASSESSMENT",
                    "notes": "Synthetic.",
                    "stats": [
                        {"groupId": "EG000", "numEvents": 4, "numAffected": 3, "numAtRisk": 10}
                    ],
                }
            ],
        },
        "moreInfoModule": {
            "limitationsAndCaveats": {"description": "Synthetic caveat."},
            "certainAgreement": {
                "piSponsorEmployee": False,
                "restrictionType": "LTE60",
                "restrictiveAgreement": True,
                "otherDetails": "Synthetic details.",
            },
            "pointOfContact": {
                "title": "Synthetic Director",
                "organization": "Synthetic Org",
                "email": "results@example.org",
                "phone": "555-0100",
                "phoneExt": "12",
            },
        },
    }


def v2_study_with(results, *, updated="2025-04-06"):
    """The real API v2 record at hand (NCT03643276), given `results` and a last-update date."""
    study = json.loads((BUNDLED / "NCT03643276.json").read_bytes())
    study["resultsSection"] = results
    study["hasResults"] = True
    status = study["protocolSection"].setdefault("statusModule", {})
    status["lastUpdatePostDateStruct"] = {"date": updated, "type": "ACTUAL"}
    return study


def write(tmp_path, study, name="NCT03643276.json"):
    path = tmp_path / name
    path.write_text(json.dumps(study))
    return path


@pytest.mark.django_db
def test_every_field_of_the_api_v2_results_schema_lands(tmp_path):
    results = synthetic_results()
    trial, report = import_one(write(tmp_path, v2_study_with(results)))
    assert report.warnings == []
    check_results_section(results, m.load_results(trial))


@pytest.mark.django_db
def test_an_unknown_vocabulary_value_in_results_is_kept_and_reported(tmp_path):
    results = synthetic_results()
    results["outcomeMeasuresModule"]["outcomeMeasures"][0]["paramType"] = "TRIMMED_MEAN"
    trial, report = import_one(write(tmp_path, v2_study_with(results)))
    assert m.OutcomeMeasure.objects.get(title__startswith="Synthetic").param_type == "TRIMMED_MEAN"
    assert [w for _, w in report.warnings] == [
        "resultsSection.outcomeMeasuresModule.outcomeMeasures[0].paramType: unknown value "
        "'TRIMMED_MEAN' kept as given"
    ]


# --- Idempotence, replacement, refusal ----------------------------------------------------------


def every_results_row():
    """Every results row in the database, by model, with its values."""
    models = [
        m.TrialResults, m.FlowGroup, m.FlowPeriod, m.FlowStep, m.FlowCount, m.BaselineGroup,
        m.BaselineMeasure, m.OutcomeMeasure, m.OutcomeGroup, m.MeasureClass, m.MeasureCategory,
        m.Measurement, m.OutcomeAnalysis, m.EventGroup, m.AdverseEvent, m.EventStats,
    ]  # fmt: skip
    return {model.__name__: list(model.objects.order_by("pk").values()) for model in models}


@needs_shared
@pytest.mark.django_db
def test_importing_results_again_changes_nothing():
    import_one(TOWER_XML)
    before = every_results_row()
    report = import_paths([TOWER_XML], publish=True)
    assert report.unchanged == [TOWER]
    assert every_results_row() == before
    assert len(before["OutcomeMeasure"]) == 12 and len(before["AdverseEvent"]) > 100


@pytest.mark.django_db
def test_a_newer_record_replaces_the_results_whole(tmp_path):
    results = synthetic_results()
    import_one(write(tmp_path, v2_study_with(results)))
    newer = copy.deepcopy(results)
    outcomes = newer["outcomeMeasuresModule"]["outcomeMeasures"]
    outcomes[0]["classes"][0]["categories"][0]["measurements"][0]["value"] = "13.0"
    del outcomes[1]
    del newer["adverseEventsModule"]["otherEvents"]
    trial, report = import_one(write(tmp_path, v2_study_with(newer, updated="2025-05-01")))
    assert report.updated == ["NCT03643276"]
    outcome_values = m.Measurement.objects.filter(category__measure_class__outcome__isnull=False)
    assert list(outcome_values.values_list("value", flat=True)) == ["13.0"]
    assert m.OutcomeMeasure.objects.count() == 1
    assert m.AdverseEvent.objects.count() == m.EventStats.objects.count() == 0
    assert {
        "part": "Results",
        "row": "",
        "field": "",
        "old": "",
        "new": "replaced",
        "kept": "",
    } in (trial.import_changes)
    check_results_section(newer, m.load_results(trial))

    gone = v2_study_with(newer, updated="2025-06-01")
    del gone["resultsSection"]
    import_one(write(tmp_path, gone))
    assert m.TrialResults.objects.count() == m.Measurement.objects.count() == 0
    assert m.FlowStep.objects.count() == m.MeasureClass.objects.count() == 0


@pytest.mark.django_db
def test_a_refused_record_leaves_the_results_as_they_were(tmp_path):
    import_one(write(tmp_path, v2_study_with(synthetic_results())))
    before = every_results_row()

    broken = synthetic_results()
    broken["adverseEventsModule"]["eventGroups"][0]["deathsNumAffected"] = "one"
    report = import_paths([write(tmp_path, v2_study_with(broken, updated="2025-07-01"))])
    [(_, problem)] = report.failed
    assert problem == (
        "resultsSection.adverseEventsModule.eventGroups[0].deathsNumAffected must be a whole "
        "number, got text ('one')"
    )
    older = synthetic_results()
    del older["outcomeMeasuresModule"]
    report = import_paths([write(tmp_path, v2_study_with(older, updated="2020-01-01"))])
    assert len(report.older) == 1
    assert every_results_row() == before


# --- Reading them: a fixed number of queries ----------------------------------------------------


def read_everything(results):
    """Touch every row a page of results would show."""
    seen = [*results.flow_groups.all(), *results.baseline_groups.all()]
    seen += [*results.event_groups.all()]
    for period in results.flow_periods.all():
        for step in period.steps.all():
            seen += step.counts.all()
    for measure in [*results.baseline_measures.all(), *results.outcomes.all()]:
        for measure_class in measure.classes.all():
            for category in measure_class.categories.all():
                seen += category.measurements.all()
    for outcome in results.outcomes.all():
        seen += [*outcome.groups.all(), *outcome.analyses.all()]
    for event in results.adverse_events.all():
        seen += event.stats.all()
    return len(seen)


@needs_shared
@pytest.mark.django_db
def test_loading_a_trials_results_takes_the_same_queries_however_large(
    django_assert_num_queries,
):
    small = SHARED_DATA / "ctgov-legacy-xml" / "NCT03023878.xml"
    import_paths([small, TOWER_XML], publish=True)
    sizes = []
    for nct_id in ("NCT03023878", TOWER):
        trial = m.Trial.objects.get(nct_id=nct_id)
        # The results and their trial, then one query for each level of rows prefetched.
        with django_assert_num_queries(19):
            sizes.append(read_everything(m.load_results(trial)))
    assert sizes[1] > 2 * sizes[0]  # TOWER is much the larger, in the same number of queries


@pytest.mark.django_db
def test_a_trial_without_results_has_none():
    trial, _ = import_one(BUNDLED / "NCT03643276.json")
    assert m.load_results(trial) is None


@needs_shared
@pytest.mark.django_db
def test_a_trial_imported_before_results_were_read_gets_them_on_the_next_import():
    """The importer skips a record whose fingerprint (of every value it maps) is unchanged. The
    mapped values now hold the results, so a trial imported by the code before them, whose
    fingerprint was made without them, is rewritten once, with its registry date unchanged."""
    trial, _ = import_one(TOWER_XML)
    study = legacy_xml_to_study(TOWER_XML.read_text(encoding="utf-8"))
    mapped = map_study(study)
    portal = read_portal_section(study.get("portal"), mapped)

    def digest(values):
        text = json.dumps(
            {"mapped": values, "portal": portal}, sort_keys=True, default=str, ensure_ascii=False
        )
        return hashlib.sha256(text.encode()).hexdigest()

    assert digest(mapped.__dict__) == trial.source_digest  # the importer's fingerprint, exactly
    old = digest({k: x for k, x in mapped.__dict__.items() if k != "results"})
    m.TrialResults.objects.all().delete()
    m.Trial.objects.filter(pk=trial.pk).update(
        source_digest=hashlib.sha256(old.encode()).hexdigest()
    )

    report = import_paths([TOWER_XML], publish=True)
    assert report.updated == [TOWER]
    assert m.load_results(trial).outcomes.count() == 12
    assert import_paths([TOWER_XML], publish=True).unchanged == [TOWER]
