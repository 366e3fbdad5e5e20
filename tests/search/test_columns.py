"""The columns rebuilt from a trial and its rows (search.columns.derived_columns): one list of
them, which the history leaves out and every rebuild writes."""

import json

import pytest
from django.contrib.postgres.search import SearchQuery
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests import factories
from tests.conftest import BUNDLED
from trials.models import Trial
from trials.models.trial import DERIVED_COLUMNS
from trials.registry.importer import import_study
from trials.search.columns import derived_columns, drug_aliases, weighted_vector


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
        aliases = drug_aliases(["Blinatumomab", "Ácido fólico"], [("Blinatumomab", "BLINCYTO")])

    assert aliases == ["AMG 103", "BLINCYTO", "Blincyto", "Folic acid"]
    read = [q["sql"] for q in queries.captured_queries if "trials_intervention" in q["sql"]]
    assert read and all("WHERE" in sql for sql in read)


@pytest.mark.skipif(
    "connection.vendor != 'postgresql'",
    reason="PostgreSQL full-text search (run with DATABASE_URL)",
)
@pytest.mark.django_db
def test_an_import_stores_the_vector_of_the_text_it_writes_in_the_same_statement():
    """The columns and their vector go in one UPDATE, whose SET reads the row as it was: the
    vector must be built from the new text, or a changed title would be searched by the old."""
    study = json.loads((BUNDLED / "NCT02013167.json").read_text())
    import_study(study, source_name="first", source_format="json", source_text=json.dumps(study))
    identification = study["protocolSection"]["identificationModule"]
    identification["briefTitle"] = "Zanzibarine trial"
    study["protocolSection"]["statusModule"]["lastUpdatePostDateStruct"]["date"] = "2030-01-01"
    import_study(study, source_name="again", source_format="json", source_text=json.dumps(study))

    trial = Trial.objects.annotate(afresh=weighted_vector()).get(nct_id="NCT02013167")
    assert "Zanzibarine" in trial.search_primary
    assert trial.search_vector == trial.afresh
    assert Trial.objects.filter(search_vector=SearchQuery("zanzibarine")).exists()
