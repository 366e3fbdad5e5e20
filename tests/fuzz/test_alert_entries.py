"""The alert pages (trials/alerts/), given whatever a robot or a broken link may send: never a
server error, and a refused follow writes nothing."""

from urllib.parse import quote, urlencode

import pytest
from hypothesis import given
from hypothesis import strategies as st

from trials.models import Follow

from .conftest import count
from .strategies import junk, nct_ids, query_strings

pytestmark = pytest.mark.django_db


@pytest.fixture
def alerts_on(settings):
    settings.ALERTS_BY_EMAIL = True
    settings.SITE_URL = "http://testserver"
    settings.ALERTS_FOLLOWS_PER_CLIENT_PER_HOUR = 10**9  # every example reaches the form


def assert_no_server_error(response):
    assert response.status_code < 500, response.status_code
    assert b"Traceback" not in response.content


@given(
    email=st.one_of(junk, st.just("parent@example.org")),
    frequency=st.one_of(junk, st.sampled_from(["daily", "weekly"])),
    trial=st.one_of(junk, nct_ids),
    search=st.one_of(junk, query_strings.map(urlencode)),
    website=st.one_of(st.just(""), junk),
)
def test_the_follow_box_answers_any_post(
    client, bundled_trials, alerts_on, email, frequency, trial, search, website
):
    count("POST /alerts/follow/")
    before = Follow.objects.count()
    data = {"email": email, "frequency": frequency, "trial": trial, "search": search}
    response = client.post("/alerts/follow/", {**data, "website": website})
    assert_no_server_error(response)
    if response.status_code != 302:
        assert Follow.objects.count() == before


@given(token=junk, kind=st.sampled_from(["confirm", "manage", "unsubscribe"]))
def test_an_alert_link_answers_whatever_it_carries(client, alerts_on, token, kind):
    count(f"/alerts/{kind}/<token>/")
    path = f"/alerts/{kind}/{quote(token, safe='') or 'x'}/"
    assert_no_server_error(client.get(path))
    assert_no_server_error(client.post(path, {"follow": token, "action": token}))
