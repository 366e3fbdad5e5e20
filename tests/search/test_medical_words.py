"""The disease's own words search right, on both databases (trials/search/medical.py).

A regression table over made-up trials (tests/factories.py, NCT9... IDs; their text is invented
for the test, not trial facts): each query, the trials it must find, and those it must not find.
"""

import html

import pytest
from django.db import connection  # noqa: F401 (read by a skip condition)

from tests.factories import trial
from tests.search.test_search import listed, on_postgresql, page_text
from trials.search.medical import read_query, split_age_words

pytestmark = pytest.mark.django_db

OPEN, CLOSED = "RECRUITING", "COMPLETED"


@pytest.fixture
def catalogue():
    made = {
        "ball_open": trial(
            brief_title="Blinatumomab for relapsed B-cell acute lymphoblastic leukemia",
            conditions=["Acute Lymphoblastic Leukemia"],
            overall_status=OPEN,
            std_ages=["CHILD", "ADULT"],
        ),
        "all_closed": trial(
            brief_title="Relapsed leukemia: relapsed acute lymphocytic leukemia after relapse",
            brief_summary="Relapsed leukemia in adults; relapsed disease. Relapsed leukemia.",
            conditions=["Acute Lymphocytic Leukemia", "Relapsed Leukemia"],
            overall_status=CLOSED,
            std_ages=["ADULT"],
        ),
        "gvhd": trial(
            brief_title="Allogeneic transplant: preventing graft-versus-host disease",
            conditions=["Graft vs Host Disease"],
            overall_status=OPEN,
            std_ages=["ADULT"],
        ),
        "lung": trial(
            brief_title="Small cell lung cancer for all comers",
            brief_summary="All patients with small cell lung cancer may take part.",
            conditions=["Small Cell Lung Cancer"],
            overall_status=OPEN,
            std_ages=["ADULT"],
        ),
        "ph_negative": trial(
            brief_title="Blinatumomab in Philadelphia chromosome negative B-ALL",
            conditions=["B-ALL"],
            overall_status=OPEN,
            std_ages=["ADULT"],
        ),
        "breast": trial(
            brief_title="Triple negative breast cancer",
            brief_summary="For HER2-negative disease.",
            conditions=["Breast Cancer"],
            overall_status=OPEN,
            std_ages=["ADULT"],
        ),
        "ph_positive": trial(
            brief_title="Ponatinib and blinatumomab in Ph-positive acute lymphoblastic leukemia",
            conditions=["Philadelphia Chromosome Positive ALL"],
            overall_status=OPEN,
            std_ages=["ADULT"],
        ),
        "mrd": trial(
            brief_title="Blinatumomab for minimal residual disease in complete remission",
            conditions=["B-ALL"],
            overall_status=OPEN,
            std_ages=["CHILD"],
        ),
    }
    return {name: made_trial.nct_id for name, made_trial in made.items()}


ALL_TRIALS = {"ball_open", "all_closed", "ph_negative", "ph_positive", "mrd"}

# query -> (trials it must find, trials it must not find)
REGRESSIONS = {
    "ALL": (ALL_TRIALS, {"gvhd", "lung", "breast"}),
    "all": (ALL_TRIALS, {"gvhd", "lung", "breast"}),
    "B-ALL": (ALL_TRIALS, {"gvhd", "lung"}),
    "LLA": (ALL_TRIALS, {"gvhd", "lung"}),
    "acute lymphocytic leukemia": ({"ball_open", "all_closed"}, {"gvhd", "lung"}),
    "leucemia linfoblástica aguda": ({"ball_open", "all_closed"}, {"gvhd", "lung"}),
    "Ph-negative": ({"ph_negative"}, {"breast", "ph_positive"}),
    "Ph negative ALL": ({"ph_negative"}, {"breast", "ph_positive"}),
    "Ph+": ({"ph_positive"}, {"ph_negative", "breast"}),
    "Philadelphia positive": ({"ph_positive"}, {"ph_negative"}),
    "MRD": ({"mrd"}, {"ball_open", "gvhd"}),
    "CR": ({"mrd"}, {"ball_open"}),
    "leucemia niños": ({"ball_open"}, {"all_closed", "gvhd", "lung"}),
    "relapsed leukemia child": ({"ball_open"}, {"all_closed", "gvhd"}),
    "r/r ALL": ({"ball_open", "all_closed"}, {"ph_negative", "gvhd"}),
    "small cell": ({"lung"}, {"ball_open", "all_closed"}),
}


@pytest.mark.parametrize("query", REGRESSIONS)
def test_the_regression_table(client, catalogue, query):
    must, must_not = REGRESSIONS[query]
    found = listed(client, q=query)
    assert {catalogue[name] for name in must} <= set(found), query
    assert not {catalogue[name] for name in must_not} & set(found), query


@pytest.mark.parametrize("query", ["ALL", "Ph-negative", "LLA", "MRD"])
def test_the_vocabulary_is_never_corrected_into_other_words(client, query):
    trial(brief_title="Allogeneic transplant for graft-versus-host disease", overall_status=OPEN)
    trial(brief_title="Triple negative breast cancer", overall_status=OPEN)
    page = page_text(client, q=query)
    assert "Showing results for" not in page
    assert "No trials" in page or "0 trials" in page


def test_open_trials_come_first_among_the_best_matches(client, catalogue):
    """A closed trial that names the words more often is still listed after an open one."""
    found = listed(client, q="relapsed leukemia")
    assert found.index(catalogue["ball_open"]) < found.index(catalogue["all_closed"])


def test_age_words_become_the_age_filter_which_the_page_shows_and_can_undo(client, catalogue):
    page = html.unescape(page_text(client, q="leukemia child"))
    assert "We read “child” as the age group Child (under 18)" in page
    assert 'name="age_group" value="CHILD" checked>' in page
    # The search box keeps the words searched, without the age word.
    assert 'name="q" id="id_q" value="leukemia"' in page
    # Unticking the age group (the form sent again without it) searches every age.
    assert catalogue["all_closed"] in listed(client, q="leukemia")


def test_a_chosen_age_group_wins_over_age_words(client, catalogue):
    found = listed(client, q="leukemia child", age_group="ADULT")
    assert catalogue["all_closed"] not in found  # "child" stays a word to search: none says it
    assert found == []


def test_reading_a_query():
    reading = read_query("Ph-negative B-ALL in CR near home")
    assert {c.name for c in reading.concepts} == {
        "acute lymphoblastic leukemia",
        "Philadelphia chromosome-negative",
        "complete remission",
    }
    assert reading.rest == "in near home"
    # Lower-case "all" and "cr" inside other words are everyday words, not abbreviations.
    assert read_query("all trials for cr patients").concepts == ()
    assert split_age_words("leukemia Kids and teens") == (
        "leukemia and",
        ["CHILD"],
        ["Kids", "teens"],
    )


def test_a_concepts_own_words_are_not_age_words():
    assert split_age_words("adolescents and young adults ALL") == (
        "adolescents and young adults ALL",
        [],
        [],
    )
    assert split_age_words("ALL Ph+ child") == ("ALL Ph+", ["CHILD"], ["child"])


@on_postgresql
def test_a_spelling_correction_keeps_the_age_filter_read_from_the_words(client):
    """The corrected search is the filter's own data: "child" stays the age filter."""
    child = trial(brief_title="Blinatumomab for a child", std_ages=["CHILD"]).nct_id
    trial(brief_title="Blinatumomab for adults", std_ages=["ADULT"])
    assert listed(client, q="blinatumumab child") == [child]


@pytest.mark.parametrize("query", ["ALL", "acute lymphoblastic leukemia", "relapsed ALL"])
def test_a_record_in_british_spelling_is_found_by_the_disease_words(client, query):
    british = trial(
        brief_title="Blinatumomab for relapsed acute lymphoblastic leukaemia",
        overall_status="RECRUITING",
    ).nct_id
    assert british in listed(client, q=query)


# Spanish and Chinese words (curators' search terms, migration 0018) -> their English twin: each
# must list the same trials, in the same order, and find some.
TWINS = {
    "leucemia linfoblástica aguda": "acute lymphoblastic leukemia",
    "leucemia linfoblastica aguda": "acute lymphoblastic leukemia",
    "Leucemia Linfoblástica Aguda": "acute lymphoblastic leukemia",
    "leucemia linfocítica aguda": "acute lymphoblastic leukemia",
    "LLA": "ALL",
    "lla": "all",
    "leucemia": "leukemia",
    "leucemia en niños": "leukemia children",
    "leucemia en ninos": "leukemia children",
    "LLA en adultos": "ALL adults",
    "recaída": "relapsed",
    "leucemia recidivante": "relapsed leukemia",
    "trasplante": "transplant",
    "急性淋巴细胞白血病": "acute lymphoblastic leukemia",
    "白血病": "leukemia",
    "复发": "relapsed",
    "复发的白血病": "relapsed leukemia",
    "儿童急性淋巴细胞白血病": "children acute lymphoblastic leukemia",
    "成人 白血病": "adults leukemia",
    "移植": "transplant",
    "完全缓解": "complete remission",
    "微小残留病": "minimal residual disease",
    "贝林妥欧单抗": "blinatumomab",
}


@pytest.mark.parametrize("query", TWINS)
def test_spanish_and_chinese_words_find_what_their_english_twins_find(client, catalogue, query):
    english = listed(client, q=TWINS[query])
    assert english, TWINS[query]
    assert listed(client, q=query) == english, query


@pytest.mark.parametrize("query", ["niños", "儿童", "leucemia niños", "白血病 儿童"])
def test_age_words_in_spanish_and_chinese_become_the_age_filter(client, catalogue, query):
    page = html.unescape(page_text(client, q=query))
    assert 'name="age_group" value="CHILD" checked>' in page
    typed = "niños" if "niños" in query else "儿童"
    assert f"We read “{typed}” as the age group Child (under 18)" in page
    # The box keeps the rest as typed: the visitor's own words, not their English.
    rest = query.replace(typed, "").strip()
    assert f'name="q" id="id_q" value="{rest}"' in page


def test_the_chinese_brand_name_finds_what_blincyto_finds(client, bundled_trials):
    """The real trials, whose records' drug approvals name the brand (bundled `portal` data)."""
    english = listed(client, q="Blincyto")
    assert english
    assert listed(client, q="倍利妥") == english


def test_a_search_term_a_curator_adds_counts_at_once(
    client, catalogue, django_capture_on_commit_callbacks
):
    """Terms are the curators' (the admin): a new one finds its trials with no deployment."""
    from trials.models import SearchTerm

    assert listed(client, q="leucémico") == []
    with django_capture_on_commit_callbacks(execute=True):
        SearchTerm.objects.create(word="leucémico", language="es", means="leukemia")
    assert listed(client, q="leucemico") == listed(client, q="leukemia") != []


@on_postgresql
def test_curated_spanish_text_is_stemmed_as_spanish(client):
    """PostgreSQL: the curators' Spanish columns get the 'spanish' configuration, so another form
    of a Spanish word finds them (here a verb: "estudiaron" for "estudia")."""
    made = trial(plain_summary_es="El equipo estudia un medicamento nuevo para la leucemia.")
    trial(brief_title="Another made-up trial")
    assert listed(client, q="estudiaron") == [made.nct_id]
