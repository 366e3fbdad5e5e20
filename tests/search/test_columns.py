"""The columns rebuilt from a trial and its rows (search.columns.derived_columns): one list of
them, which the history leaves out and every rebuild writes."""

from trials.models import Trial
from trials.models.trial import DERIVED_COLUMNS
from trials.search.columns import derived_columns


def test_a_rebuild_writes_exactly_the_derived_columns_and_the_history_leaves_them_out():
    columns = derived_columns(
        {},
        interventions=[],
        known_drugs=[],
        aliases_of=lambda names: [],
        secondary_ids=[],
        collaborators=[],
        officials=[],
        sites=[],
    )
    assert set(columns) == set(DERIVED_COLUMNS)
    kept = {field.name for field in Trial.history.model._meta.fields}
    assert not set(DERIVED_COLUMNS) & kept


def test_the_columns_hold_the_text_its_search_finds():
    columns = derived_columns(
        {"brief_title": "Tumour boards", "conditions": ["Leukaemia"]},
        interventions=[{"name": "Blinatumomab", "other_names": ["AMG 103"], "type": "DRUG"}],
        known_drugs=["Blinatumomab"],
        aliases_of=lambda names: ["Blincyto"],
        secondary_ids=[],
        collaborators=[],
        officials=[],
        sites=[{"facility": "", "city": "Leeds", "state": "", "country": "United Kingdom"}],
    )
    # Lines with British words are indexed again in American spelling (whole lines: phrases).
    assert columns["search_primary"] == "Tumour boards\ntumor boards"
    assert columns["search_secondary"] == "Leukaemia\nBlinatumomab\nAMG 103\nBlincyto\nleukemia"
    assert columns["search_other"] == "Leeds"
    assert columns["site_countries"] == ["United Kingdom"]
    assert columns["intervention_types"] == ["DRUG"]
