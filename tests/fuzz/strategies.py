"""What a visitor, a robot or a broken link may send: valid values of every public parameter mixed
with junk of every kind."""

from hypothesis import strategies as st

from trials.listing.filters import SORTS, TrialFilter
from trials.vocabularies import (
    AgencyClass,
    InterventionType,
    Phase,
    Sex,
    StandardAge,
    Status,
    StudyType,
)

# Every parameter the list reads: the FilterSet's, the date range's halves and the page.
PARAMETERS = sorted({*TrialFilter.base_filters, "page", "start_after", "start_before"})

# Values the portal understands, so that examples reach the code behind the filters, not only
# the checks in front of them. Places are ones the gazetteer knows (a city, a ZIP code, a state,
# its abbreviation, a province, a country).
VALID = {
    "status": Status.values,
    "phase": Phase.values,
    "study_type": StudyType.values,
    "age_group": StandardAge.values,
    "sex": Sex.values,
    "sponsor_class": AgencyClass.values,
    "intervention_type": InterventionType.values,
    "healthy_volunteers": ["yes", "no"],
    "has_results": ["yes", "no"],
    "confirmed": ["yes"],
    "sort": list(SORTS),
    "country": ["United States", "Germany", "France", "China", "Italy"],
    "city": ["Boston", "Milwaukee", "Hefei", "Paris", "Houston"],
    "near": ["Boston", "53226", "Texas", "TX", "Ontario", "Germany", "USA", "Hefei", "São Paulo"],
    "q": ["blinatumomab", "ALL", "Ph+", "leukaemia", '"acute lymphoblastic"', "-MRD or CAR-T"],
    "radius": ["1", "25", "100", "500", "5000", "2.5"],
    "age": ["0", "1.5", "17", "18", "65", "120"],
    "page": ["1", "2", "3", "last", "500"],
    "updated_since": ["2020-01-01", "2024-02-29"],
    "start_after": ["2015-01-01"],
    "start_before": ["2030-12-31"],
}

junk = st.one_of(
    st.text(max_size=300),
    st.text(alphabet=st.characters(codec="utf-8"), min_size=1000, max_size=6000),
    st.sampled_from(
        [
            "",
            " ",
            "-1",
            "0",
            "1e309",
            "-1e309",
            "NaN",
            "inf",
            "99999999999999999999999",
            "2024-02-30",
            "0000-00-00",
            "9999-12-31",
            "PHASE2",
            "<script>",
            "%00",
            "\x00",
            "'; --",
            "\\",
            "NCT",
            "𝔘𝔫𝔦𝔠𝔬𝔡𝔢",
            "١٢٣",
        ]  # fmt: skip
    ),
    st.integers().map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(str),
)


def value_for(name):
    return st.one_of(st.sampled_from(VALID[name]), junk) if name in VALID else junk


# A parameter may come several times (?status=RECRUITING&status=junk).
query_strings = st.lists(
    st.sampled_from(PARAMETERS).flatmap(
        lambda name: st.tuples(st.just(name), st.lists(value_for(name), min_size=1, max_size=3))
    ),
    max_size=7,
).map(lambda pairs: [(name, value) for name, values in pairs for value in values])

# Trial addresses: real and unknown NCT IDs in any case, and things that only look like one.
nct_ids = st.one_of(
    st.sampled_from(["NCT02013167", "nct02013167", "NCT04556084", "NCT01207388"]),
    st.from_regex(r"\A[Nn][Cc][Tt][0-9]{8}\Z"),
    st.text(max_size=40),
)
