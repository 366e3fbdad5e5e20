"""Whatever anyone puts in the query string of /trials/, the answer is never a server error.
(tests/fuzz/ has the same promise for every public entry, with valid values mixed in.)"""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from trials.listing.filters import TrialFilter

PARAMETERS = sorted(TrialFilter.base_filters) + ["page", "start_after", "start_before"]

# Text of any kind: control characters, NUL, surrogates removed by the client, long strings.
anything = st.one_of(
    st.text(max_size=300),
    st.text(alphabet=st.characters(codec="utf-8"), min_size=1000, max_size=6000),
    st.sampled_from(["-1", "0", "1e309", "NaN", "99999999999", "2024-02-30", "PHASE2", "<script>"]),
    st.integers().map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(str),
)
query_strings = st.dictionaries(
    st.sampled_from(PARAMETERS), st.lists(anything, min_size=1, max_size=3), max_size=6
)


# The bundled trials are imported once for all examples: the page only reads them.
@pytest.mark.django_db
@given(params=query_strings)
def test_no_query_string_breaks_the_results_page(client, bundled_trials, params):
    response = client.get("/trials/", params)
    assert response.status_code < 500
    if response.status_code == 200:
        assert b"<script>" not in response.content
