"""Eligibility criteria text -> inclusion and exclusion lists (trials.eligibility).

The real texts are the first seven bundled trials' own, read from data/trials/; the small texts
marked "synthetic" are made up here to pin one rule each. Every parse is checked by
`assert_nothing_dropped`: apart from headings and list markers, every word of the input is in
some Item, and no Item holds a word the input does not.
"""

import json
import re
from collections import Counter

import pytest

from tests.conftest import BUNDLED, FIRST_SEVEN_IDS
from trials.eligibility import Criteria, Item, parse_criteria

# ---------------------------------------------------------------------------------------------
# Helpers


def bundled_text(nct_id):
    """The eligibility criteria of a bundled trial, as the importer would read them."""
    json_path = BUNDLED / f"{nct_id}.json"
    if json_path.exists():
        study = json.loads(json_path.read_text())
    else:
        from trials.registry.legacy_xml import legacy_xml_to_study

        study = legacy_xml_to_study((BUNDLED / f"{nct_id}.xml").read_text())
    return study["protocolSection"]["eligibilityModule"]["eligibilityCriteria"]


def walk(items):
    for item in items:
        yield item
        yield from walk(item.children)


def all_items(criteria):
    return [*walk(criteria.other), *walk(criteria.inclusion), *walk(criteria.exclusion)]


def texts(items):
    return [item.text for item in items]


# A list marker the parser may drop: "*", "-", "•", "1.", "2)", "(3)", "a.", "B)", "iv.".
MARKER = re.compile(r"[*+•◦▪-]|\(?(\d{1,3}|[A-Za-z]|[ivxIVX]{1,5})[.)]")


def words(text):
    text = re.sub(r"\\(.)", r"\1", text)  # the input's markdown escapes, undone
    text = re.sub(r"([•◦▪])", r" \1 ", text)  # "•Patients": the bullet is a word of its own
    found = (word.strip("*_#") for word in text.split())  # "**bold**", "## heading"
    return [word for word in found if word]


def looks_like_heading(line):
    return bool(re.search(r"inclusion|exclusion", line, re.IGNORECASE)) and len(line.split()) <= 10


def assert_nothing_dropped(text, criteria):
    """Every word of the input is in some Item, except headings and list markers; no Item holds
    a word that is not in the input."""
    given = Counter(words(text))
    produced = Counter(words(" ".join(item.text for item in all_items(criteria))))
    assert not produced - given, f"words not in the input: {produced - given}"
    headings = Counter(
        word for line in text.splitlines() if looks_like_heading(line) for word in words(line)
    )
    dropped = [word for word in (given - produced - headings) if not MARKER.fullmatch(word)]
    assert not dropped, f"words dropped: {dropped}"


def assert_tidy(criteria):
    for item in all_items(criteria):
        assert item.text and item.text == item.text.strip(), item
        assert not re.search(r"\\[<>\[\]*&_]", item.text), f"escape left in {item.text!r}"


def parse(text):
    """parse_criteria, with the checks that hold for every input."""
    criteria = parse_criteria(text)
    if criteria is not None:
        assert_nothing_dropped(text, criteria)
        assert_tidy(criteria)
    return criteria


def outline(items):
    """[Item('a', [Item('b')])] -> ['a', ['b']]: a nested list that is easy to compare."""
    shape = []
    for item in items:
        shape.append(item.text)
        if item.children:
            shape.append(outline(item.children))
    return shape


def test_the_checker_catches_a_dropped_word():
    text = "Inclusion Criteria:\n\n* Age 18 or over\n* Signed consent"
    short = Criteria(inclusion=[Item("Age 18 or over"), Item("Signed")])
    with pytest.raises(AssertionError, match="dropped"):
        assert_nothing_dropped(text, short)
    invented = Criteria(inclusion=[Item("Age 18 or over"), Item("Signed consent form")])
    with pytest.raises(AssertionError, match="not in the input"):
        assert_nothing_dropped(text, invented)


# ---------------------------------------------------------------------------------------------
# The first seven bundled trials


@pytest.mark.parametrize("nct_id", FIRST_SEVEN_IDS)
def test_every_bundled_trial_parses_without_losing_text(nct_id):
    criteria = parse(bundled_text(nct_id))
    assert criteria is not None
    assert criteria.other == []  # none of them has a preamble or a donor section


def test_cbc_all_2024_nct06607419():
    criteria = parse(bundled_text("NCT06607419"))
    assert len(criteria.inclusion) == 5
    assert criteria.inclusion[0].text == "Age older than 1 month to younger than 18 years."
    # The unbulleted "A. ...; B. ..." line after a point ending in ":" is that point's two
    # sub-points (a letter list that had lost its line break).
    fourth = criteria.inclusion[3]
    assert fourth.text == "Meet one of the following situations:"
    assert texts(fourth.children) == [
        "Provisional low-risk: D19MRD ≥ 0.1%;",
        "Provisional intermediate-risk: D19MRD ≥ 0.01%;",
    ]
    assert criteria.inclusion[4].text.startswith("Subjects in the sytudy group")  # sic
    assert len(criteria.exclusion) == 11
    assert criteria.exclusion[0].text == "sIgM+;"
    assert "ABL kinase inhibitors for > 7 days" in criteria.exclusion[8].text  # was "\>"
    assert criteria.exclusion[-1].text == "D46MRD ≥1%."
    assert all(not item.children for item in criteria.exclusion)


def test_blinatumomab_bridging_nct04556084():
    criteria = parse(bundled_text("NCT04556084"))
    assert len(criteria.inclusion) == 13
    assert len(criteria.exclusion) == 6
    first = criteria.inclusion[0]
    assert first.text.startswith("Diagnosis of B-ALL in hematologic complete remission")
    assert first.text.endswith("that meets one of the following:")
    # Three indented sub-points, two with "*" and one with "•"; the "OR" and "AND ..." lines
    # under them are continuation lines of the sub-point above.
    assert len(first.children) == 3
    relapse, biology, persistent = first.children
    assert relapse.text == "Patients in first relapse or greater; OR"
    assert biology.text.startswith("Patients with very-high risk biology ALL")
    assert biology.text.endswith("Ph-like ALL); OR")
    assert persistent.text.startswith("Patients who have persistent MRD")
    assert persistent.text.endswith(
        "AND with the intent of going on to an allogeneic hematopoietic cell transplantation "
        "(HCT) independent of this study"
    )
    organs = criteria.inclusion[4]
    assert (
        organs.text
        == "Have acceptable organ function as defined within 7 days of study registration:"
    )
    assert [child.text.split(":")[0] for child in organs.children] == [
        "Renal",
        "Hepatic",
        "Cardiac",
    ]
    assert organs.children[1].text.startswith("Hepatic: ALT < 5 x upper limit of normal")
    # Only those two points have sub-points.
    assert [item for item in criteria.inclusion if item.children] == [first, organs]
    assert criteria.inclusion[-1].text.startswith("Voluntary written consent")
    assert criteria.exclusion[4].text == "Known allergy to blinatumomab"


def test_tower_nct02013167_has_the_newer_pages_exclusion_criteria():
    criteria = parse(bundled_text("NCT02013167"))
    assert len(criteria.exclusion) == 9
    assert criteria.exclusion[3].text == "Isolated extramedullary disease"
    last = criteria.exclusion[-1].text
    assert "(alanine or aspartate transaminase [ALT or AST]" in last  # was "\[ALT or AST\]"
    assert last.endswith("calculated creatinine clearance < 60 mL/min.")  # was "\<"


def test_blast_nct01207388_from_legacy_xml():
    criteria = parse(bundled_text("NCT01207388"))
    assert len(criteria.inclusion) == 6
    assert len(criteria.exclusion) == 7
    assert (
        criteria.inclusion[1].text == "Presence of minimal residual disease at a level of ≥ 10^-3"
    )
    assert criteria.exclusion[-1].text == "Previous treatment with blinatumomab"
    assert not any(item.children for item in all_items(criteria))


def test_aieop_bfm_all_2017_nct03643276():
    criteria = parse(bundled_text("NCT03643276"))
    assert len(criteria.inclusion) == 8
    assert len(criteria.exclusion) == 11
    # "meeting one of the following criteria:" is followed by two points at the same level, then
    # the list goes on; nothing in the text says where its sub-list ends, so they stay flat.
    assert criteria.inclusion[1].text.endswith("meeting one of the following criteria:")
    assert criteria.inclusion[1].children == []
    assert criteria.inclusion[2].text == "biphenotypic with a dominant T or B lineage assignment"
    assert criteria.inclusion[5].text.startswith("age < 18 years (up to 17 years and 365 days)")
    assert criteria.inclusion[-1].text.endswith("or in the case of pregnancy of the patient.")
    assert criteria.exclusion[0].text == "Ph+ (BCR-ABL1 or t(9;22)-positive) ALL"
    assert "(pearl index <1)" in criteria.exclusion[8].text


def test_cog_aall1331_nct02101853():
    # The registry's own criteria (its XML of June 2020): the merge keeps them over the patient
    # page's six reworded points (data/merge/NCT02101853.json, keepOlder).
    criteria = parse(bundled_text("NCT02101853"))
    assert (len(criteria.inclusion), len(criteria.exclusion)) == (21, 13)
    assert criteria.inclusion[0].text.startswith("First relapse of B-ALL, allowable sites")
    assert criteria.exclusion[1].text.startswith("Patients with Burkitt leukemia/lymphoma")
    assert "I have Burkitt leukemia/lymphoma" not in bundled_text("NCT02101853")


def test_tower_nct02013167_inclusion_from_the_registry_exclusion_from_the_newer_page():
    # The page lists only who cannot join; who can join comes from the registry's 2017 XML.
    criteria = parse(bundled_text("NCT02013167"))
    assert len(criteria.inclusion) == 8
    assert criteria.inclusion[0].text.startswith("Subjects with Philadelphia negative B-precursor")
    assert len(criteria.exclusion) == 9  # the page's list; the 2017 XML had one more


def test_real_world_consolidation_nct07117136_run_on_numbered_list():
    # The record has the four inclusion points on one line: "1. aged ... 2) diagnosed ... 3) ...".
    criteria = parse(bundled_text("NCT07117136"))
    assert texts(criteria.inclusion) == [
        "aged 18 years or older",
        "diagnosed with B-ALL on or after December 1st 2023",
        "Not received blinatumomab in an interventional clinical trial setting",
        "Willing and able to give informed consent (or retrospective data for deceased patients",
    ]
    assert texts(criteria.exclusion) == ["N/A"]


# ---------------------------------------------------------------------------------------------
# Synthetic texts, one rule each


def test_synthetic_numbered_lists_with_lettered_and_roman_sub_points():
    text = (
        "Inclusion Criteria:\n"
        "1. Age 18 or over\n"
        "2) Adequate organ function:\n"
        "   a. bilirubin below 1.5 mg/dL\n"
        "   b. creatinine clearance of 60 mL/min or more\n"
        "      i. measured, or\n"
        "      ii. calculated\n"
        "(3) Signed consent\n"
        "\n"
        "Exclusion Criteria:\n"
        "A. Active infection\n"
        "B) Pregnancy\n"
    )
    criteria = parse(text)
    assert outline(criteria.inclusion) == [
        "Age 18 or over",
        "Adequate organ function:",
        [
            "bilirubin below 1.5 mg/dL",
            "creatinine clearance of 60 mL/min or more",
            ["measured, or", "calculated"],
        ],
        "Signed consent",
    ]
    assert outline(criteria.exclusion) == ["Active infection", "Pregnancy"]


def test_synthetic_unindented_sub_points_after_a_colon_change_style():
    text = (
        "Inclusion Criteria:\n"
        "1. Adequate organ function:\n"
        "a. bilirubin normal\n"
        "b. creatinine normal\n"
        "2. Signed consent\n"
        "\n"
        "Exclusion Criteria:\n"
        "* Any of these:\n"
        "* infection\n"  # same style: nothing says it is a sub-point, so it is not
    )
    criteria = parse(text)
    assert outline(criteria.inclusion) == [
        "Adequate organ function:",
        ["bilirubin normal", "creatinine normal"],
        "Signed consent",
    ]
    assert outline(criteria.exclusion) == ["Any of these:", "infection"]


def test_synthetic_dash_and_dot_bullets():
    text = (
        "Inclusion criteria\n"
        "- Age 18 or over\n"
        "-   Signed consent\n"
        "Exclusion criteria\n"
        "• Pregnancy\n"
        "•Active infection\n"
        "  - hepatitis B\n"
    )
    criteria = parse(text)
    assert outline(criteria.inclusion) == ["Age 18 or over", "Signed consent"]
    assert outline(criteria.exclusion) == ["Pregnancy", "Active infection", ["hepatitis B"]]


@pytest.mark.parametrize(
    "inclusion_heading, exclusion_heading",
    [
        ("Inclusion Criteria:", "Exclusion Criteria:"),
        ("Inclusion criteria", "Exclusion criteria"),
        ("INCLUSION CRITERIA:", "EXCLUSION CRITERIA:"),
        ("Key Inclusion Criteria:", "Key Exclusion Criteria:"),
        ("**Inclusion Criteria:**", "## Exclusion Criteria"),
        ("Inclusion criteria -", "Exclusion criteria."),
        ("Inclusion Criteria for Patients:", "Main exclusion criterion:"),
        ("inclusion:", "Exclusion :"),
    ],
)
def test_synthetic_heading_wording_case_and_punctuation(inclusion_heading, exclusion_heading):
    text = f"{inclusion_heading}\n\n* Age 18 or over\n\n{exclusion_heading}\n\n* Pregnancy\n"
    criteria = parse(text)
    assert outline(criteria.inclusion) == ["Age 18 or over"]
    assert outline(criteria.exclusion) == ["Pregnancy"]
    assert criteria.other == []


def test_synthetic_heading_with_the_first_point_on_its_line():
    text = "Inclusion criteria: age 18 or over\nwith ALL\nExclusion criteria: pregnancy"
    criteria = parse(text)
    assert outline(criteria.inclusion) == ["age 18 or over with ALL"]
    assert outline(criteria.exclusion) == ["pregnancy"]


def test_synthetic_heading_that_says_more_is_kept_with_its_points_under_it():
    text = (
        "Inclusion Criteria for Part A:\n* CD19-positive\n\n"
        "Inclusion Criteria for Part B\n* CD22-positive\n\n"
        "Exclusion Criteria:\n* Pregnancy\n"
    )
    criteria = parse(text)
    assert outline(criteria.inclusion) == [
        "Inclusion Criteria for Part A:",
        ["CD19-positive"],
        "Inclusion Criteria for Part B",
        ["CD22-positive"],
    ]
    assert outline(criteria.exclusion) == ["Pregnancy"]


def test_synthetic_preamble_and_donor_sections_go_to_other():
    text = (
        "Patients must meet all of the criteria below.\n\n"
        "Inclusion Criteria:\n* Age 18 or over\n\n"
        "Exclusion Criteria:\n* Pregnancy\n\n"
        "Donor inclusion criteria\n* HLA-matched sibling\n\n"
        "Inclusion Criteria for Donors:\n* Age 16 or over\n\n"
        "**Donor exclusion criteria:** active infection\n"
    )
    criteria = parse(text)
    assert outline(criteria.other) == [
        "Patients must meet all of the criteria below.",
        "Donor inclusion criteria",
        ["HLA-matched sibling"],
        "Inclusion Criteria for Donors:",
        ["Age 16 or over"],
        "Donor exclusion criteria:",
        ["active infection"],
    ]
    assert outline(criteria.inclusion) == ["Age 18 or over"]
    assert outline(criteria.exclusion) == ["Pregnancy"]


def test_synthetic_sentences_about_criteria_are_points_not_headings():
    text = (
        "Inclusion Criteria:\n"
        "* Met the inclusion criteria of the parent study\n"
        "* Exclusion criteria of the parent study: not met\n"
        "Inclusion of women and minorities\n"  # a continuation line, not a heading
    )
    criteria = parse(text)
    assert outline(criteria.inclusion) == [
        "Met the inclusion criteria of the parent study",
        "Exclusion criteria of the parent study: not met Inclusion of women and minorities",
    ]
    assert criteria.exclusion == []


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   \n\n  ",
        None,
        "Patients with relapsed B-ALL aged 18 or over.\n\n* Age 18 or over\n* Signed consent",
        "Inclusion and exclusion criteria:\n* Age 18 or over",
        "Inclusion Criteria:\n\nExclusion Criteria:\n",
        "Inclusion Criteria:\n*\n* \n",
    ],
    ids=[
        "empty",
        "blank",
        "none",
        "no-headings",
        "both-in-one-heading",
        "headings-only",
        "empty-bullets",
    ],
)
def test_synthetic_text_without_structure_gives_none(text):
    assert parse(text) is None


def test_synthetic_deep_nesting_and_back_out():
    text = (
        "Inclusion Criteria:\n\n"
        "* level 1\n"
        "  * level 2\n"
        "    * level 3\n"
        "      * level 4\n"
        "    * level 3 again\n"
        "* level 1 again\n"
        "   * level 2, indented by three\n"
        "\n"
        "Exclusion Criteria:\n\n"
        "* none\n"
    )
    criteria = parse(text)
    assert outline(criteria.inclusion) == [
        "level 1",
        ["level 2", ["level 3", ["level 4"], "level 3 again"]],
        "level 1 again",
        ["level 2, indented by three"],
    ]


def test_synthetic_markdown_escapes_are_undone():
    text = (
        "Inclusion Criteria:\n\n"
        "* Platelets \\> 50 \\* 10^9/L and ANC \\< 1.0 \\[G/L\\]\n"
        "* Fit \\& well, score\\_total 2\n"
        "\\* An escaped star starts no bullet\n"
    )
    criteria = parse(text)
    assert outline(criteria.inclusion) == [
        "Platelets > 50 * 10^9/L and ANC < 1.0 [G/L]",
        "Fit & well, score_total 2 * An escaped star starts no bullet",
    ]


def test_synthetic_continuation_lines_and_paragraphs():
    text = (
        "Exclusion Criteria:\n\n"
        "* Pregnant or lactating.\n"
        "  Women must have a negative test\n"
        "within 7 days.\n"
        "\n"
        "  A second paragraph of the same point.\n"
        "* Known allergy\n"
        "\n"
        "Patients with a history of allergy may join after review.\n"
    )
    criteria = parse(text)
    assert outline(criteria.exclusion) == [
        "Pregnant or lactating. Women must have a negative test within 7 days. "
        "A second paragraph of the same point.",
        "Known allergy",
        "Patients with a history of allergy may join after review.",
    ]


def test_synthetic_points_as_paragraphs_without_markers():
    text = (
        "Inclusion Criteria:\n\nAge 18 or over\n\nSigned consent\n\r\n"
        "Exclusion Criteria:\r\n\r\nNone"  # Windows line ends, too
    )
    criteria = parse(text)
    assert outline(criteria.inclusion) == ["Age 18 or over", "Signed consent"]
    assert outline(criteria.exclusion) == ["None"]


def test_synthetic_run_on_lists_split_only_when_clearly_lists():
    text = (
        "Inclusion Criteria:\n"
        "1. Toxicity of grade 1 or 2. Patients with grade 3 are excluded\n"
        "\n"
        "Exclusion Criteria:\n"
        "a) infection; b) pregnancy; c) allergy\n"
    )
    criteria = parse(text)
    assert outline(criteria.inclusion) == [
        "Toxicity of grade 1 or 2. Patients with grade 3 are excluded"
    ]
    assert outline(criteria.exclusion) == ["infection;", "pregnancy;", "allergy"]


def test_synthetic_marker_alone_on_its_line():
    text = "Inclusion Criteria:\n1.\nAge 18 or over\n2.\nSigned consent\n*\n"
    criteria = parse(text)
    assert outline(criteria.inclusion) == ["Age 18 or over", "Signed consent"]
