"""A trial's posted results are searchable by what they measured: their outcome titles."""

import pytest

from tests.registry.test_results_import import import_one, synthetic_results, v2_study_with, write
from tests.search.test_search import listed
from trials import models as m

pytestmark = pytest.mark.django_db


def test_a_word_only_in_a_results_outcome_title_finds_the_trial(
    client, tmp_path, django_capture_on_commit_callbacks
):
    """ "Zanzibarite" stands only in the (synthetic) title of an outcome the results measured."""
    study = v2_study_with(synthetic_results())
    results = study.pop("resultsSection")
    import_one(write(tmp_path, study))
    assert listed(client, q="zanzibarite") == []

    study["resultsSection"] = results
    study["protocolSection"]["statusModule"]["lastUpdatePostDateStruct"]["date"] = "2025-05-01"
    with django_capture_on_commit_callbacks(execute=True):  # the import empties the page cache
        import_one(write(tmp_path, study))
    assert listed(client, q="zanzibarite") == ["NCT03643276"]
    assert listed(client, q="zanzibarite response") == ["NCT03643276"]


def test_every_outcome_title_of_the_bundled_results_is_in_the_search_text(bundled_trials):
    with_results = m.Trial.objects.filter(results__isnull=False)
    assert with_results.count() >= 2  # TOWER and BLAST among the first seven
    for trial in with_results:
        for title in trial.results.outcomes.values_list("title", flat=True):
            assert title in trial.search_tertiary
