"""The pre-screener and the trial page's quick check, given whatever a visitor, a robot or a
broken link may send as answers: never a server error, never a traceback."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from trials.prescreen.answers import QuestionsForm

from .conftest import count
from .strategies import junk

pytestmark = pytest.mark.django_db

QUESTIONS = sorted(QuestionsForm.base_fields)
VALID = {
    name: [value for value, _ in field.choices]
    for name, field in QuestionsForm.base_fields.items()
    if hasattr(field, "choices")
}
VALID["age"] = ["0", "10", "17", "18", "65", "120"]
VALID["near"] = ["Boston", "53226", "Texas", "Germany", "北京"]


def answer_for(name):
    return st.one_of(st.sampled_from(VALID[name]), junk)


# A question may come several times (?age=10&age=junk), and a page number too.
answers = st.lists(
    st.sampled_from([*QUESTIONS, "page", "units"]).flatmap(
        lambda name: st.tuples(st.just(name), answer_for(name) if name in VALID else junk)
    ),
    max_size=10,
)


def assert_no_server_error(response):
    assert response.status_code < 500, response.status_code
    assert b"Traceback" not in response.content


@given(params=answers)
def test_the_pre_screener_answers_any_query_string(client, bundled_trials, params):
    count("/could-i-join/")
    assert_no_server_error(client.get("/could-i-join/", params))


@given(params=answers)
def test_the_quick_check_answers_any_query_string(client, bundled_trials, params):
    count("/trials/<id>/ quick check")
    assert_no_server_error(client.get("/trials/NCT02101853/", params))
