"""The words the page says of a trial's numbers, on plain objects (no database)."""

import pytest

from trials.findings import sentences
from trials.findings.build import Analysis, Measurement, Outcome
from trials.findings.values import Value

FORBIDDEN = ("better", "works", "cure", "because", "caused", "proves", "effective")


def outcome(rows, **fields):
    fields.setdefault("title", "Overall Survival")
    fields.setdefault("param_type", "MEDIAN")
    fields.setdefault("unit", "months")
    fields.setdefault("dispersion_type", "CONFIDENCE_95")
    return Outcome(slug="finding-1", rows=rows, **fields).finish()


def m(group, value, shade=0, comment=""):
    return Measurement(group=group, shade=shade, value=Value.read(value), comment=comment)


def test_two_groups_are_compared_in_the_registrys_numbers_the_drugs_group_first():
    said = outcome(
        [("", [m("Standard of Care Chemotherapy", "4.0"), m("Blinatumomab", "7.7", 1)])]
    ).sentence
    assert said == (
        "In this trial, the registry reports a median of 7.7 months for “Overall Survival” among "
        "people in the group “Blinatumomab”, compared with 4.0 months in the group “Standard of "
        "Care Chemotherapy”."
    )
    assert not any(word in said.lower() for word in FORBIDDEN)


def test_one_group_percent():
    said = outcome(
        [("", [m("Blinatumomab", "77.9")])],
        title="Percentage of Participants With an MRD Response",
        param_type="NUMBER",
        unit="percentage of participants",
    ).sentence
    assert "reports 77.9% for “Percentage of Participants With an MRD Response”" in said
    assert "the group “Blinatumomab”" in said


def test_a_value_that_is_not_a_number_is_said_to_be_not_given():
    said = outcome(
        [
            (
                "",
                [
                    m("HC3 Chemotherapy", "7.4"),
                    m("Blinatumomab", "NA", 1, comment="NA=not estimable"),
                ],
            )
        ]
    ).sentence
    # The drug's group has no number: the group with one leads, the other is said to have none.
    assert said == (
        "In this trial, the registry reports a median of 7.4 months for “Overall Survival” among "
        "people in the group “HC3 Chemotherapy”. For the group “Blinatumomab” it gives no number "
        "(its note: “NA=not estimable”)."
    )


def test_no_number_at_all_and_several_categories():
    assert "gives no number yet" in outcome([("", [m("A", "NA")])]).sentence
    said = outcome([("TEAE", [m("A", "28")]), ("Fatal", [m("A", "0")])]).sentence
    assert "2 categories" in said


def test_an_analysis_in_words_gives_only_the_registrys_numbers():
    lines = sentences.analysis_lines(
        Analysis(
            groups=["Standard of Care Chemotherapy", "Blinatumomab"],
            estimate_type="Hazard Ratio (HR)",
            estimate=Value.read("0.71"),
            ci_percent="95",
            ci_lower=Value.read("0.55"),
            ci_upper=Value.read("0.93"),
            p_value="0.012",
            method="Stratified Log Rank",
        )
    )
    assert lines == [
        "Comparing “Standard of Care Chemotherapy” and “Blinatumomab”:",
        "Hazard Ratio (HR): 0.71 (95% confidence interval 0.55 to 0.93).",
        "p-value: 0.012 (Stratified Log Rank).",
    ]


@pytest.mark.parametrize(
    ("dispersion", "expected"),
    [
        ("CONFIDENCE_95", "95% confidence interval 5.6 to 9.6"),
        ("95% Confidence Interval", "95% confidence interval 5.6 to 9.6"),
        ("CONFIDENCE_975", "97.5% confidence interval 5.6 to 9.6"),
        ("FULL_RANGE", "range 5.6 to 9.6"),
        ("INTER_QUARTILE_RANGE", "interquartile range 5.6 to 9.6"),
        ("STANDARD_DEVIATION", "standard deviation 1.2"),
        ("NA", ""),
    ],
)
def test_spreads_in_words(dispersion, expected):
    said = sentences.spread_words(
        dispersion, Value.read("7.7"), Value.read("1.2"), Value.read("5.6"), Value.read("9.6")
    )
    assert said == expected


def test_people_n_of_m():
    assert sentences.people(49, 109, "45") == "49 of 109 people (45%)"
    assert sentences.people(None, 109, "") == "not given"


def test_the_tables_spread_cells_and_headings():
    seven, low, high = Value.read("7.7"), Value.read("5.6"), Value.read("NA")
    assert sentences.spread_cell("CONFIDENCE_95", Value.read(""), low, high) == "5.6 to not given"
    assert sentences.spread_heading("CONFIDENCE_95") == "95% confidence interval"
    assert sentences.spread_cell("STANDARD_DEVIATION", Value.read("1.2"), low, high) == "1.2"
    assert sentences.spread_cell("NA", Value.read("1.2"), low, high) == ""
    assert sentences.value_heading("MEDIAN", "months") == "Median (months)"
    assert sentences.value_heading("Count of Participants", "Participants") == (
        "Count of participants (Participants)"
    )
    assert seven.is_number


def test_a_one_sided_interval_says_so():
    lines = sentences.analysis_lines(
        Analysis(
            groups=["Blinatumomab"],
            estimate_type="Proportion",
            estimate=Value.read("0.78"),
            ci_percent="95",
            ci_sides="ONE_SIDED",
            ci_lower=Value.read("0.70"),
            ci_upper=Value.read("NA"),
        )
    )
    assert lines == ["Proportion: 0.78 (one-sided 95% confidence interval 0.70 to not given)."]
