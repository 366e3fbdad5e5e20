""" "What the trial found" on real trials' pages: the numbers as the registry gives them, the
plain words, the lay summary and its fallback, a trial without results, and the query count."""

import datetime
import json
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests import factories
from tests.conftest import BUNDLED
from tests.pages.test_trial_page import page_text
from trials.findings.build import for_trial_page
from trials.models import (
    MeasureCategory,
    MeasureClass,
    OutcomeGroup,
    OutcomeMeasure,
    ResultsSummary,
    Trial,
    TrialResults,
)
from trials.models import Measurement as MeasurementRow
from trials.registry.importer import import_paths

TOWER = "NCT02013167"


def tower_primary_outcome():
    """TOWER's primary outcome read straight from its bundled record, not through the importer:
    {group title: (value, lower, upper)}, and the record's analysis."""
    record = json.loads((BUNDLED / f"{TOWER}.json").read_text())
    measures = record["resultsSection"]["outcomeMeasuresModule"]["outcomeMeasures"]
    primary = next(m for m in measures if m["type"] == "PRIMARY")
    titles = {group["id"]: group["title"] for group in primary["groups"]}
    measurements = primary["classes"][0]["categories"][0]["measurements"]
    numbers = {
        titles[m["groupId"]]: (m["value"], m["lowerLimit"], m["upperLimit"]) for m in measurements
    }
    return primary, numbers, primary["analyses"][0]


def findings_html(client, nct_id):
    response = client.get(f"/trials/{nct_id}/")
    assert response.status_code == 200
    content = response.content.decode()
    start = content.find('<section id="found"')
    return content[start : content.find("</section>\n\n\n", start)] if start >= 0 else ""


def imported(*names):
    report = import_paths([BUNDLED / name for name in names], publish=True)
    assert not report.failed, report.failed


def test_towers_overall_survival_is_said_in_the_registrys_numbers(client, bundled_trials):
    primary, numbers, analysis = tower_primary_outcome()
    blinatumomab = numbers["Blinatumomab"]
    chemotherapy = numbers["Standard of Care Chemotherapy"]
    assert primary["title"] == "Overall Survival" and primary["unitOfMeasure"] == "months"
    text = page_text(client, TOWER)
    assert (
        f"In this trial, the registry reports a median of {blinatumomab[0]} months for “Overall "
        f"Survival” among people in the group “Blinatumomab”, compared with {chemotherapy[0]} "
        "months in the group “Standard of Care Chemotherapy”."
    ) in text
    assert (blinatumomab[0], chemotherapy[0]) == ("7.7", "4.0")  # as the record says
    # The table beside the chart, and the registry's own analysis in words.
    assert "Group Median (months) 95% confidence interval People analysed" in text
    for group, (value, lower, upper) in numbers.items():
        assert f"{group} {value} {lower} to {upper}" in text
    assert (
        f"Hazard Ratio (HR): {analysis['paramValue']} (95% confidence interval "
        f"{analysis['ciLowerLimit']} to {analysis['ciUpperLimit']})."
    ) in text
    assert f"p-value: {analysis['pValue']} (Stratified Log Rank)." in text
    # Never words the registry does not say.
    section = text[text.find("What the trial found") : text.find("Where it runs")]
    for word in ("better", "works", "cures", "proves", "effective"):
        assert word not in section.lower()


def test_towers_chart_is_an_image_with_its_title_description_and_a_bar_per_group(
    client, bundled_trials
):
    html = findings_html(client, TOWER)
    chart = re.search(r'<svg class="chart".*?</svg>', html, flags=re.S).group(0)
    labelled = re.search(r'aria-labelledby="([^"]+)"', chart).group(1).split()
    for element_id in labelled:
        assert f'id="{element_id}"' in chart
    assert 'role="img"' in chart and "<title" in chart and "<desc" in chart
    assert chart.count('<rect class="bar') == 2 and chart.count('class="whisker"') == 2
    assert "style=" not in html  # the CSP forbids inline styles


def test_towers_serious_adverse_events_and_who_took_part(client, bundled_trials):
    record = json.loads((BUNDLED / f"{TOWER}.json").read_text())["resultsSection"]
    groups = record["adverseEventsModule"]["eventGroups"]
    text = page_text(client, TOWER)
    for group in groups:
        affected, at_risk = group["seriousNumAffected"], group["seriousNumAtRisk"]
        assert f"{affected} of {at_risk} people ({round(100 * affected / at_risk)}%)" in text
    started = next(
        m
        for m in record["participantFlowModule"]["periods"][0]["milestones"]
        if m["type"] == "STARTED"
    )
    assert [a["numSubjects"] for a in started["achievements"]] == ["134", "271"]
    assert "Started 134 271" in text
    assert "Why the others did not complete Withdrawal by Subject 15 14" in text
    assert "Death 85 160" in text


def test_a_value_the_registry_does_not_give_is_not_given_never_zero(client, bundled_trials):
    # AALL1331's event-free survival: the blinatumomab group's median was not reached ("NA").
    imported("NCT02393859.xml")
    html = findings_html(client, "NCT02393859")
    chart = re.search(r'<svg class="chart".*?</svg>', html, flags=re.S).group(0)
    assert chart.count('<rect class="bar') == 1  # one bar: chemotherapy's median
    assert "not given" in chart
    text = page_text(client, "NCT02393859")
    assert "For the group “Blinatumomab” it gives no number (its note: “NA=not estimable" in text
    assert "Blinatumomab not given (NA) The registry notes: NA=not estimable" in text
    # Its record's "Total, all-cause mortality": 16 of 54 with chemotherapy, 8 of 54 with
    # blinatumomab.
    assert "Deaths, from any cause 16 of 54 people (30%) 8 of 54 people (15%)" in text


def test_a_trial_without_results_shows_no_section(client, bundled_trials):
    trial = Trial.objects.get(nct_id="NCT02101853")
    assert not TrialResults.objects.filter(trial=trial).exists()
    content = client.get("/trials/NCT02101853/").content.decode()
    assert 'id="found"' not in content and 'href="#found"' not in content
    # The page keeps its source, its last update and the note to talk with the care team.
    text = page_text(client, "NCT02101853")
    assert "Source: NCT02101853 on ClinicalTrials.gov" in text
    assert "Last updated" in text and "Talk with your care team" in text


def test_a_lay_summary_is_shown_instead_of_the_generated_sentences(client, bundled_trials):
    tower = Trial.objects.get(nct_id=TOWER)
    ResultsSummary.objects.create(
        trial=tower,
        language="en",
        text="A test summary written for this test, not a curator's.",
        reviewed_by="A. Reviewer, test fixture",
        reviewed_on=datetime.date(2026, 11, 2),
    )
    html = findings_html(client, TOWER)
    assert "A test summary written for this test" in html
    assert "reviewed by A. Reviewer, test fixture on 2 November 2026" in html
    assert 'class="plain generated"' not in html
    assert 'lang="en"' not in html  # the page is in English already
    text = page_text(client, TOWER)
    assert (
        "Source: NCT02013167 on ClinicalTrials.gov" in text and "Talk with your care team" in text
    )


def test_a_cached_page_shows_a_summary_as_soon_as_a_curator_saves_it(
    client, bundled_trials, django_capture_on_commit_callbacks
):
    assert "A second test summary" not in findings_html(client, TOWER)  # now kept in the cache
    with django_capture_on_commit_callbacks(execute=True):
        summary = ResultsSummary.objects.create(
            trial=Trial.objects.get(nct_id=TOWER), language="en", text="A second test summary."
        )
    assert "A second test summary" in findings_html(client, TOWER)
    with django_capture_on_commit_callbacks(execute=True):
        summary.delete()
    assert "A second test summary" not in findings_html(client, TOWER)


def test_a_summary_in_the_pages_language_else_the_english_one_marked_as_english(
    client, bundled_trials, settings
):
    tower = Trial.objects.get(nct_id=TOWER)
    english = ResultsSummary.objects.create(
        trial=tower, language="en", text="English words.", reviewed_by="R", reviewed_on=None
    )
    findings = for_trial_page(tower, "es")
    assert findings.summary == english and findings.summary_lang == "en"
    english_page = findings_html(client, TOWER)  # and kept in the cache, for English
    assert "English words." in english_page and 'lang="en"' not in english_page
    # The page in Spanish (the language the site runs in here) marks the English summary: a
    # page kept per language, not the English one from the cache.
    settings.USE_I18N, settings.LANGUAGE_CODE = True, "es"
    assert '<div class="plain lay-summary" lang="en">' in findings_html(client, TOWER)
    spanish = ResultsSummary.objects.create(
        trial=tower, language="es", text="Palabras en español.", reviewed_by="R"
    )
    findings = for_trial_page(tower, "es")
    assert findings.summary == spanish and findings.summary_lang == ""
    assert for_trial_page(tower, "zh-hans").summary == english


def test_the_results_publications_are_linked(client, db):
    # A made-up trial (NCT9... IDs) with one made-up outcome and a results paper.
    trial = factories.trial(brief_title="Made-up trial with results", has_results=True)
    results = TrialResults.objects.create(trial=trial, digest="made-up")
    outcome = OutcomeMeasure.objects.create(
        results=results, position=0, type="PRIMARY", title="Made-up measure", param_type="NUMBER"
    )
    OutcomeGroup.objects.create(outcome=outcome, position=0, group_id="OG000", title="Group A")
    category = MeasureCategory.objects.create(
        measure_class=MeasureClass.objects.create(outcome=outcome, position=0), position=0
    )
    MeasurementRow.objects.create(category=category, position=0, group_id="OG000", value="3")
    factories.publication(trial, citation="A made-up results paper.", pmid="99999999")
    factories.publication(
        trial, citation="A made-up results paper.", pmid="99999998", reference_type="RESULT"
    )
    html = findings_html(client, trial.nct_id)
    assert 'href="https://pubmed.ncbi.nlm.nih.gov/99999998/"' in html
    assert "99999999" not in html  # not said to be a results paper by its record


@pytest.mark.parametrize(
    ("nct_id", "file"),
    [
        (TOWER, None),
        # MT103-205: 7 groups in its primary outcome; MT103-211: 15 outcomes.
        ("NCT01471782", "NCT01471782.xml"),
        ("NCT01466179", "NCT01466179.xml"),
    ],
)
def test_the_findings_cost_the_same_queries_however_many_outcomes_and_groups(
    bundled_trials, nct_id, file
):
    if file:
        imported(file)
    trial = Trial.objects.for_trial_page().get(nct_id=nct_id)
    list(trial.publications.all())
    with CaptureQueriesContext(connection) as queries:
        findings = for_trial_page(trial, "en")
    assert findings.outcomes
    # load_results (models/results.py): the results with their trial, then one query per kind of
    # row (18, baseline included); the lay summaries: one. The same for every trial.
    assert len(queries) == FINDINGS_QUERIES, [q["sql"][:80] for q in queries]


def test_pages_with_findings_cost_a_fixed_number_of_queries(
    client, bundled_trials, django_assert_num_queries
):
    # TOWER: 2 groups, 12 outcomes, 187 serious adverse events; MT103-205: 7 groups in one
    # outcome; MT103-211: 15 outcomes. The 43 of each: the 23 of any trial page
    # (tests/pages/test_pages.py), the 20 of its findings (above), however large they are.
    # TOWER and AALL1331 list their many sites a country at a time (trial_page.MANY_SITES):
    # asked with a country, as a page listing sites.
    imported("NCT01471782.xml", "NCT01466179.xml")
    for url in (f"/trials/{TOWER}/?country=Italy", "/trials/NCT01471782/", "/trials/NCT01466179/"):
        with django_assert_num_queries(23 + FINDINGS_QUERIES):
            assert client.get(url).status_code == 200
    # A trial the registry posts no results for asks for none: no query more than before.
    assert Trial.objects.get(nct_id="NCT02101853").has_results is False
    with django_assert_num_queries(23):
        assert client.get("/trials/NCT02101853/?country=Canada").status_code == 200


FINDINGS_QUERIES = 20
