"""Every public entry, given whatever a visitor, a robot or a broken link may send: never a server
error, never a traceback, and a refused report writes nothing.

The bundled trials are imported once per test; the pages only read them (a report is the only
write, and each example checks its own). HYPOTHESIS_PROFILE picks how many examples (tests/
conftest.py: "ci" in `make test`, "fuzz" in `make fuzz`)."""

from urllib.parse import quote

import pytest
from django.core.cache import cache
from hypothesis import given
from hypothesis import strategies as st

from trials.models import ProblemReport

from .conftest import count
from .strategies import junk, nct_ids, query_strings

pytestmark = pytest.mark.django_db


def assert_no_server_error(response):
    assert response.status_code < 500, response.status_code
    assert b"Traceback" not in response.content


@given(params=query_strings)
def test_the_results_page_answers_any_query_string(client, bundled_trials, params):
    count("/trials/")
    assert_no_server_error(client.get("/trials/", params))


@given(params=query_strings, file_format=st.sampled_from(["csv", "json", "ris"]))
def test_the_exports_answer_any_query_string(client, bundled_trials, params, file_format):
    count("/trials/export.*")
    response = client.get(f"/trials/export.{file_format}", params)
    assert_no_server_error(response)


@given(params=query_strings)
def test_the_widget_answers_any_query_string(client, bundled_trials, params):
    count("/embed/")
    assert_no_server_error(client.get("/embed/", params))


@given(params=query_strings)
def test_the_home_page_answers_any_query_string(client, bundled_trials, params):
    count("/")
    assert_no_server_error(client.get("/", params))


@given(nct_id=nct_ids, near=st.one_of(st.none(), junk, st.sampled_from(["Boston", "TX"])))
def test_a_trial_address_answers_whatever_it_names(client, bundled_trials, nct_id, near):
    count("/trials/<id>/")
    params = {} if near is None else {"near": near}
    response = client.get(f"/trials/{quote(nct_id, safe='')}/", params)
    assert_no_server_error(response)


@given(params=query_strings)
def test_the_search_feed_answers_any_query_string(client, bundled_trials, params):
    count("/trials/feed/")
    assert_no_server_error(client.get("/trials/feed/", params))


@given(nct_id=nct_ids, since=junk)
def test_a_trials_changes_answer_any_date_and_address(client, bundled_trials, nct_id, since):
    count("/trials/<id>/?since= and /trials/<id>/feed/")
    quoted = quote(nct_id, safe="")
    assert_no_server_error(client.get(f"/trials/{quoted}/", {"since": since}))
    assert_no_server_error(client.get(f"/trials/{quoted}/feed/"))


reports = st.fixed_dictionaries(
    {},
    optional={
        "kind": st.one_of(st.sampled_from(ProblemReport.Kind.values), junk),
        "message": st.one_of(st.just("The site in Boston closed last month."), junk),
        "email": st.one_of(st.just("parent@example.org"), junk),
        "page": st.one_of(st.sampled_from(["/trials/", "//evil.example", "http://x"]), junk),
        "website": st.one_of(st.just(""), junk),
        "csrfmiddlewaretoken": junk,
    },
)


@given(report=reports, nct_id=st.one_of(st.none(), nct_ids))
def test_a_problem_report_is_stored_whole_or_not_at_all(client, bundled_trials, report, nct_id):
    count("/report/")
    cache.clear()  # each example within the hourly limit, so the form itself is reached
    before = ProblemReport.objects.count()
    url = "/report/" if nct_id is None else f"/trials/{quote(nct_id, safe='')}/report/"
    response = client.post(url, report)
    assert_no_server_error(response)
    stored = ProblemReport.objects.count() - before
    if response.status_code == 302:
        assert stored == 1
        assert ProblemReport.objects.latest("pk").message.strip()
    else:
        assert stored == 0
