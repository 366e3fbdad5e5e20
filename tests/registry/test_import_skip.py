"""Re-importing a record the portal already holds, word for word, is skipped before it is read
(one query, nothing written), so that a refresh of the whole registry runs at hundreds of records
a second; a record that changed in any way is imported in full."""

import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.conftest import shared_record
from trials.models import Site, Trial
from trials.registry.importer import import_study

V2_RECORD = shared_record("ctgov-v2/NCT03643276.json")
XML_RECORD = shared_record("ctgov-legacy-xml/NCT01207388.xml")


def import_text(text, *, name="NCT03643276.json", source_format="API_V2_JSON"):
    from trials.registry.sources import read_text

    (record,) = read_text(text, name=name, source_format=source_format)
    return import_study(
        record.study, source_name=name, source_format=source_format, source_text=text
    )


@pytest.mark.django_db
def test_an_unchanged_record_is_skipped_with_one_query_and_writes_nothing(
    django_assert_num_queries,
):
    text = V2_RECORD.read_text()
    first = import_text(text)
    trial = Trial.objects.get(nct_id=first.nct_id)
    history = trial.history.count()
    with django_assert_num_queries(1):
        again = import_text(text)
    assert (again.nct_id, again.action) == (first.nct_id, "unchanged")
    assert again.warnings == first.warnings
    trial.refresh_from_db()
    assert trial.history.count() == history
    assert Trial.objects.get(pk=trial.pk).imported_at == trial.imported_at


@pytest.mark.django_db
def test_an_unchanged_legacy_xml_record_is_skipped_too(django_assert_num_queries):
    text = XML_RECORD.read_text()
    import_text(text, name="NCT01207388.xml", source_format="LEGACY_XML")
    sites = Site.objects.count()
    with django_assert_num_queries(1):
        again = import_text(text, name="NCT01207388.xml", source_format="LEGACY_XML")
    assert again.action == "unchanged"
    assert Site.objects.count() == sites > 0


@pytest.mark.django_db
def test_a_changed_record_is_not_skipped():
    study = json.loads(V2_RECORD.read_text())
    first = import_text(json.dumps(study))
    study["protocolSection"]["identificationModule"]["briefTitle"] += " (amended)"
    again = import_text(json.dumps(study))
    assert again.action == "updated"
    assert Trial.objects.get(nct_id=first.nct_id).brief_title.endswith(" (amended)")


@pytest.mark.django_db
def test_a_record_only_written_differently_is_read_in_full_and_found_unchanged(
    django_assert_num_queries,
):
    # The same values, other whitespace: the text differs, so the record is read and mapped, and
    # the fingerprint of its values finds nothing to write.
    study = json.loads(V2_RECORD.read_text())
    import_text(json.dumps(study))
    with CaptureQueriesContext(connection) as queries:
        again = import_text(json.dumps(study, indent=4))
    assert again.action == "unchanged"
    assert len(queries) > 1
    with django_assert_num_queries(1):  # and, that text noted, skipped from then on
        assert import_text(json.dumps(study, indent=4)).action == "unchanged"


@pytest.mark.django_db
def test_a_new_trials_rows_are_written_without_reading_any_back():
    with CaptureQueriesContext(connection) as queries:
        import_text(XML_RECORD.read_text(), name="NCT01207388.xml", source_format="LEGACY_XML")
    site_reads = [q["sql"] for q in queries if q["sql"].startswith('SELECT "trials_site"."id"')]
    assert site_reads == []
    assert Site.objects.count() == 75


@pytest.mark.django_db
def test_a_record_imported_by_other_code_is_read_again_once(django_assert_num_queries):
    # After a release, what a record maps to may have changed: the stored fingerprint of the text
    # was made by other code, so the record is read in full once (and, its values the same,
    # nothing is rewritten); the next import of it is skipped again.
    text = V2_RECORD.read_text()
    first = import_text(text)
    Trial.objects.filter(nct_id=first.nct_id).update(source_text_digest="made by other code")
    with CaptureQueriesContext(connection) as queries:
        assert import_text(text).action == "unchanged"
    assert len(queries) > 1
    with django_assert_num_queries(1):
        assert import_text(text).action == "unchanged"


@pytest.mark.django_db
def test_a_dry_run_of_an_unchanged_record_writes_nothing():
    text = V2_RECORD.read_text()
    first = import_text(text)
    Trial.objects.filter(nct_id=first.nct_id).update(source_text_digest="")
    from trials.registry.sources import read_text

    (record,) = read_text(text, name="NCT03643276.json", source_format="API_V2_JSON")
    result = import_study(
        record.study,
        source_name="NCT03643276.json",
        source_format="API_V2_JSON",
        source_text=text,
        dry_run=True,
    )
    assert result.action == "unchanged"
    assert Trial.objects.get(nct_id=first.nct_id).source_text_digest == ""


@pytest.mark.django_db
def test_a_record_of_the_wrong_shape_is_refused_in_words_before_the_skip_reads_it():
    # Found by tests/fuzz: the fast skip read the NCT ID before the record was checked, so a
    # protocolSection given as a list raised AttributeError instead of the record's refusal.
    from trials.registry.record import RecordError

    first = import_text(V2_RECORD.read_text())
    study = json.loads(V2_RECORD.read_text())
    study["protocolSection"] = [study["protocolSection"]]
    before = Trial.objects.get(nct_id=first.nct_id).imported_at
    with pytest.raises(RecordError):
        import_text(json.dumps(study))
    assert Trial.objects.get(nct_id=first.nct_id).imported_at == before
