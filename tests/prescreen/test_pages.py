"""/could-i-join/ and the trial page's quick check: what a family reads, on both databases."""

import re

import pytest

from trials.models import Trial

TOWER = "NCT02013167"
AALL1331 = "NCT02101853"
ANSWERED = {"age": "10", "diagnosis": "b_all", "situation": "relapsed", "cns_disease": "no"}


def text(response):
    """The page's words, tags dropped, for reading order."""
    html = response.content.decode()
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def verdicts_in_order(response):
    return re.findall(r'class="result result-(\w+)"', response.content.decode())


def test_the_questions_come_first_each_answerable_with_i_dont_know(client, confirmed_trials):
    response = client.get("/could-i-join/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "result-" not in html  # no list before anything is answered
    for question in ("diagnosis", "ph_status", "situation", "had_blinatumomab", "cns_disease"):
        assert re.search(rf'name="{question}" value="unknown"[^>]*checked', html), question
    assert html.count('type="radio"') == 4 + 4 + 7 + 3 * 3  # the choices, "I don't know" in each
    words = text(response)
    assert "Only the trial team can decide who can join." in words
    assert "This is not medical advice" in words
    assert "Nothing you answer is stored." in words


def test_answers_give_every_published_trial_ranked_with_its_reasons(client, confirmed_trials):
    response = client.get("/could-i-join/", ANSWERED)
    assert response.status_code == 200
    order = verdicts_in_order(response)
    assert len(order) == Trial.objects.published().count() == 7
    # The trials one could ask to join now (open, not "probably not") first, may fit before ask;
    # then the rest, may fit, ask, probably not.
    ranks = ["may_fit", "ask_care_team", "probably_not"]
    listed = re.findall(
        r'result-(\w+)">\s*<article aria-labelledby="title-(\w+)"', response.content.decode()
    )
    is_open = {t.nct_id: t.is_open for t in Trial.objects.published()}
    keys = [(not (is_open[nct] and fit != "probably_not"), ranks.index(fit)) for fit, nct in listed]
    assert len(keys) == 7 and keys == sorted(keys)
    words = text(response)
    # TOWER takes adults: a ten-year-old probably does not fit, and the record's words say why.
    tower = words[words.index(f"{TOWER}") :]
    assert "The trial takes people aged 18 years and over; you said 10." in tower
    assert "Minimum age: 18 Years" in tower
    # The answers are printed with the list, so that a doctor sees what it rests on.
    assert "It has come back, and I am not sure how many times" in words


def test_within_a_verdict_open_trials_come_first(client, confirmed_trials):
    Trial.objects.filter(nct_id=AALL1331).update(overall_status="RECRUITING")
    Trial.objects.exclude(nct_id=AALL1331).update(overall_status="COMPLETED")
    response = client.get("/could-i-join/", {"diagnosis": "b_all"})
    html = response.content.decode()
    listed = re.findall(r'result-(\w+)">\s*<article aria-labelledby="title-(\w+)"', html)
    verdict_of = {nct: fit for fit, nct in listed}
    same_verdict = [nct for fit, nct in listed if fit == verdict_of[AALL1331]]
    assert len(same_verdict) > 1
    assert same_verdict[0] == AALL1331


def test_an_open_trial_to_ask_about_comes_before_a_closed_one_that_may_fit(
    client, confirmed_trials
):
    Trial.objects.update(overall_status="COMPLETED")
    answers = {
        "age": "40",
        "diagnosis": "b_all",
        "ph_status": "unknown",
        "situation": "first_relapse",
        "had_blinatumomab": "no",
        "had_transplant": "no",
        "cns_disease": "no",
    }
    response = client.get("/could-i-join/", answers)
    listed = re.findall(
        r'result-(\w+)">\s*<article aria-labelledby="title-(\w+)"', response.content.decode()
    )
    may_fit = [nct for fit, nct in listed if fit == "may_fit"]
    ask = [nct for fit, nct in listed if fit == "ask_care_team"]
    assert may_fit and ask, listed
    Trial.objects.filter(nct_id=ask[-1]).update(overall_status="RECRUITING")
    response = client.get("/could-i-join/", answers)
    listed = re.findall(
        r'result-(\w+)">\s*<article aria-labelledby="title-(\w+)"', response.content.decode()
    )
    assert listed[0] == ("ask_care_team", ask[-1])  # the only one that can be joined comes first


def test_a_place_orders_the_trials_nearest_first_within_a_verdict(client, confirmed_trials):
    Trial.objects.update(overall_status="COMPLETED")  # all alike but for distance
    response = client.get("/could-i-join/", {"near": "Milwaukee"})
    html = response.content.decode()
    assert "Nearest site:" in html
    items = re.findall(
        r'class="result result-(\w+)">.*?Nearest site: ([\d,.]+)', html, flags=re.DOTALL
    )
    for verdict in {v for v, _ in items}:
        distances = [float(d.replace(",", "")) for v, d in items if v == verdict]
        assert distances == sorted(distances)


@pytest.mark.parametrize(
    "query",
    [
        {"age": "abc", "diagnosis": "<script>", "situation": "zzz"},
        {"age": "-4", "ph_status": ["positive", "negative"], "page": "999"},
        {"age": "99999999999999999999", "had_transplant": "maybe", "near": "x" * 5000},
        {"cns_disease": "\x00", "page": "-1", "near": "Qqqqq"},
    ],
)
def test_answers_it_cannot_read_are_taken_as_i_dont_know_never_a_500(
    client, confirmed_trials, query
):
    response = client.get("/could-i-join/", query)
    assert response.status_code == 200
    words = text(response)
    assert "so we took it as" in words or "We could not find the place" in words
    assert "<script>" not in response.content.decode().replace("&lt;script&gt;", "")


def test_the_list_costs_a_fixed_number_of_queries(
    client, confirmed_trials, django_assert_num_queries
):
    # The trials with their columns, then their prior-treatment rules: two, however many.
    with django_assert_num_queries(2):
        client.get("/could-i-join/", ANSWERED)
    # A place: the nearest site of every trial, in one query more.
    with django_assert_num_queries(3):
        client.get("/could-i-join/", {**ANSWERED, "near": "Milwaukee"})
    # No answer yet: no query.
    with django_assert_num_queries(0):
        client.get("/could-i-join/")


def test_the_page_is_in_spanish_and_chinese(client, confirmed_trials):
    for prefix, words in (("/es", "Solo el equipo del ensayo"), ("/zh-hans", "只有试验团队")):
        response = client.get(f"{prefix}/could-i-join/", ANSWERED)
        assert response.status_code == 200
        assert words in response.content.decode()


def test_the_header_and_home_page_link_to_it(client, confirmed_trials):
    assert 'href="/could-i-join/"' in client.get("/").content.decode()
    assert 'href="/could-i-join/"' in client.get("/trials/").content.decode()


# The trial page's quick check


def quick_check_box(html):
    start = html.index('id="quick-check"')
    return html[start : html.index("</aside>", start)]


def test_the_trial_page_shows_the_criteria_as_a_checklist(client, confirmed_trials):
    html = client.get(f"/trials/{AALL1331}/").content.decode()
    box = quick_check_box(html)
    assert "After a first relapse" in box
    assert "Earlier blinatumomab" in box and "Not allowed" in box
    assert "Not stated" in box  # e.g. earlier CAR-T: the record says nothing
    assert 'lang="en"' in box  # the record's own words, quoted


def test_the_quick_check_answers_for_this_trial_alone(client, confirmed_trials):
    response = client.get(f"/trials/{AALL1331}/", {"age": "10", "had_blinatumomab": "yes"})
    html = response.content.decode()
    box = quick_check_box(html)
    assert "Probably does not fit" in box
    assert "The trial does not take people who have had this: Earlier blinatumomab." in box
    # Carried to the pre-screener, to check every trial with the same answers.
    assert "/could-i-join/?age=10&amp;had_blinatumomab=yes" in box


def test_a_trial_not_yet_confirmed_says_so_and_shows_no_checklist(client, bundled_trials):
    html = client.get(f"/trials/{AALL1331}/").content.decode()
    assert "Our curators have not yet checked this trial&#x27;s main criteria" in html or (
        "Our curators have not yet checked this trial's main criteria" in html
    )


def test_quick_check_answers_are_never_kept_in_the_page_cache(
    client, confirmed_trials, django_assert_max_num_queries, django_assert_num_queries
):
    client.get(f"/trials/{AALL1331}/")
    with django_assert_num_queries(0):  # the plain page is kept, as before
        client.get(f"/trials/{AALL1331}/")
    client.get(f"/trials/{AALL1331}/", {"age": "10"})
    with django_assert_max_num_queries(30) as queries:
        client.get(f"/trials/{AALL1331}/", {"age": "10"})
    assert len(queries) > 0  # made afresh: the answers were not stored


def test_the_trial_page_costs_one_query_more_for_its_rules(
    client, confirmed_trials, django_assert_num_queries
):
    # 23, as any trial page (tests/pages/test_pages.py): 21 before, the prior-treatment rules
    # and what changed. (AALL1331 lists its many sites a country at a time: one is chosen.)
    with django_assert_num_queries(23):
        client.get(f"/trials/{AALL1331}/", {"age": "10", "country": "Canada"})
