"""The columns rebuilt from a trial and its rows (search.columns.derived_columns): one list of
them, which the history leaves out and every rebuild writes."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests import factories
from trials.models import Trial
from trials.models.trial import DERIVED_COLUMNS
from trials.search.columns import derived_columns, drug_aliases


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


@pytest.mark.django_db
def test_a_trials_drug_aliases_read_only_the_interventions_of_its_drugs():
    """Reading every intervention of the catalogue made a curator's save take over 30 s at
    50,000 trials (`make loadtest`, bench/LOAD.md): the database picks the drug's rows."""
    factories.trial(
        interventions=[{"name": "BLINATUMOMAB", "other_names": ["Blincyto", "AMG 103"]}]
    )
    factories.trial(
        interventions=[
            *({"name": f"Another drug {n}", "other_names": [f"AD-{n}"]} for n in range(30)),
            {"name": "Ácido fólico", "other_names": ["Folic acid"]},
        ]
    )

    with CaptureQueriesContext(connection) as queries:
        aliases = drug_aliases(["Blinatumomab", "Ácido fólico"])

    assert aliases == ["AMG 103", "Blincyto", "Folic acid"]
    read = [q["sql"] for q in queries.captured_queries if "trials_intervention" in q["sql"]]
    assert read and all("WHERE" in sql for sql in read)
