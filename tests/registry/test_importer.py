import copy
import json
import threading
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.core.management import CommandError, call_command

from tests.conftest import BUNDLED, FIRST_SEVEN, FIRST_SEVEN_IDS, shared_record
from trials.models import Arm, Contact, Intervention, Publication, PublicationState, Site, Trial
from trials.registry.importer import import_paths

V2_RECORD = shared_record("ctgov-v2/NCT03643276.json")
XML_RECORD = shared_record("ctgov-legacy-xml/NCT01207388.xml")

CHILD_MODELS = (Arm, Intervention, Site, Contact, Publication)


def v2_study():
    return json.loads(V2_RECORD.read_text())


def write_json(path, data):
    path.write_text(json.dumps(data))
    return path


def row_counts():
    return {model.__name__: model.objects.count() for model in (Trial, *CHILD_MODELS)}


def run_import(*args):
    """Run the command as a curator would; returns (stdout, stderr, the CommandError or None)."""
    from io import StringIO

    out, err = StringIO(), StringIO()
    try:
        call_command("import_trials", *map(str, args), stdout=out, stderr=err)
        failure = None
    except CommandError as error:
        failure = error
    return out.getvalue(), err.getvalue(), failure


# Idempotency


@pytest.mark.django_db
def test_importing_the_same_files_twice_changes_nothing():
    first = import_paths(FIRST_SEVEN, publish=True)
    counts = row_counts()
    ids = {
        model.__name__: sorted(model.objects.values_list("pk", flat=True)) for model in CHILD_MODELS
    }
    second = import_paths(FIRST_SEVEN, publish=True)
    assert len(first.created) == len(FIRST_SEVEN_IDS)
    assert second.created == [] and second.updated == []
    assert len(second.unchanged) == len(FIRST_SEVEN_IDS)
    assert row_counts() == counts
    # Not rewritten either: the same rows, not deleted and created again.
    assert ids == {
        model.__name__: sorted(model.objects.values_list("pk", flat=True)) for model in CHILD_MODELS
    }


@pytest.mark.django_db
def test_a_changed_record_updates_the_trial_without_duplicating_children(tmp_path):
    study = v2_study()
    import_paths([write_json(tmp_path / "a.json", study)])
    arms_before = Arm.objects.count()
    study["protocolSection"]["identificationModule"]["briefTitle"] = "A corrected title"
    report = import_paths([write_json(tmp_path / "a.json", study)])
    assert report.updated == ["NCT03643276"]
    assert Trial.objects.get().brief_title == "A corrected title"
    assert Arm.objects.count() == arms_before == 12


@pytest.mark.django_db
def test_new_trials_are_drafts_unless_published_and_reimport_keeps_the_state(tmp_path):
    import_paths([V2_RECORD])
    assert Trial.objects.get().publication_state == PublicationState.DRAFT
    import_paths([XML_RECORD], publish=True)
    assert Trial.objects.get(nct_id="NCT01207388").publication_state == PublicationState.PUBLISHED
    # --publish publishes new trials only: an existing draft stays a draft.
    study = v2_study()
    study["protocolSection"]["identificationModule"]["acronym"] = "AIEOP-BFM ALL 2017"
    import_paths([write_json(tmp_path / "changed.json", study)], publish=True)
    assert Trial.objects.get(nct_id="NCT03643276").publication_state == PublicationState.DRAFT


@pytest.mark.django_db
def test_curated_plain_language_text_survives_a_reimport(tmp_path):
    import_paths([BUNDLED / "NCT02101853.json"], publish=True)
    Trial.objects.filter(nct_id="NCT02101853").update(plain_summary="Written by our curator.")
    record = json.loads((BUNDLED / "NCT02101853.json").read_text())
    record["protocolSection"]["designModule"]["phases"] = ["PHASE3"]
    record["protocolSection"]["conditionsModule"]["keywords"] = ["relapse"]
    import_paths([write_json(tmp_path / "NCT02101853.json", record)], publish=True)
    trial = Trial.objects.get(nct_id="NCT02101853")
    assert trial.keywords == ["relapse"]
    assert trial.plain_summary == "Written by our curator."


# Formats


@pytest.mark.django_db
def test_a_page_of_studies_imports_each_study(tmp_path):
    other = v2_study()
    other["protocolSection"]["identificationModule"]["nctId"] = "NCT99999991"  # synthetic ID
    page = write_json(
        tmp_path / "page.json", {"studies": [v2_study(), other], "nextPageToken": "x"}
    )
    report = import_paths([page])
    assert sorted(report.created) == ["NCT03643276", "NCT99999991"]


@pytest.mark.django_db
def test_a_folder_is_walked_for_json_and_xml_and_other_files_are_ignored(tmp_path):
    (tmp_path / "nested").mkdir()
    (tmp_path / "nested" / "b.xml").write_text(XML_RECORD.read_text())
    (tmp_path / "a.json").write_text(V2_RECORD.read_text())
    (tmp_path / "notes.txt").write_text("not a record")
    report = import_paths([tmp_path])
    assert sorted(report.created) == ["NCT01207388", "NCT03643276"]
    assert report.failed == []


@pytest.mark.django_db
def test_a_month_only_date_is_never_given_a_day():
    import_paths([XML_RECORD])
    trial = Trial.objects.get()
    assert (trial.start_date.isoformat(), trial.start_date_precision) == ("2010-11-01", "MONTH")
    assert (trial.completion_date_precision, trial.completion_date_type) == ("MONTH", "ESTIMATED")


# Bad input: one line naming the file and the problem, nothing written, non-zero exit


def broken(mutate):
    study = v2_study()
    mutate(study)
    return study


def set_path(study, path, value):
    *parents, last = path
    node = study
    for key in parents:
        node = node[key] if isinstance(node, list) else node.setdefault(key, {})
    node[last] = value


def delete_nct_id(study):
    del study["protocolSection"]["identificationModule"]["nctId"]


BAD_RECORDS = {
    "missing NCT ID": (delete_nct_id, "no NCT ID"),
    "malformed NCT ID": (
        lambda s: set_path(s, ["protocolSection", "identificationModule", "nctId"], "NCT123"),
        "malformed NCT ID 'NCT123'",
    ),
    "text where a number must be": (
        lambda s: set_path(
            s, ["protocolSection", "designModule", "enrollmentInfo", "count"], "lots"
        ),
        "enrollmentInfo.count must be a whole number",
    ),
    "a number where a list must be": (
        lambda s: set_path(s, ["protocolSection", "conditionsModule", "conditions"], 5),
        "conditionsModule.conditions must be a list of texts",
    ),
    "an object where a list must be": (
        lambda s: set_path(
            s, ["protocolSection", "armsInterventionsModule", "armGroups"], {"a": 1}
        ),
        "armGroups must be a list",
    ),
    "a date that does not exist": (
        lambda s: set_path(
            s, ["protocolSection", "statusModule", "startDateStruct", "date"], "2018-02-30"
        ),
        "not a real date",
    ),
    "a malformed age": (
        lambda s: set_path(s, ["protocolSection", "eligibilityModule", "maximumAge"], "seventeen"),
        "not an age",
    ),
    "minimum age above maximum": (
        lambda s: set_path(s, ["protocolSection", "eligibilityModule", "minimumAge"], "20 Years"),
        "above maximum age",
    ),
    # A PubMed ID that is not a number no longer refuses the record: tests/registry/
    # test_record_quirks.py (the API v2 schema says only "string").
}


@pytest.mark.django_db
@pytest.mark.parametrize("case", BAD_RECORDS)
def test_an_invalid_record_is_refused_with_one_line_and_nothing_written(tmp_path, case):
    mutate, message = BAD_RECORDS[case]
    bad = write_json(tmp_path / "bad.json", broken(mutate))
    out, err, failure = run_import(bad, XML_RECORD)
    assert failure is not None
    error_lines = err.strip().splitlines()
    assert len(error_lines) == 1
    assert str(bad) in error_lines[0] and message in error_lines[0]
    assert "Traceback" not in out + err
    # The good record in the same run still lands; the bad one wrote nothing.
    assert list(Trial.objects.values_list("nct_id", flat=True)) == ["NCT01207388"]
    assert "1 created, 0 updated, 0 unchanged, 1 failed" in out


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("content", "message"),
    [
        ('{"protocolSection": {', "not valid JSON"),
        ("[1, 2, 3]", "not a ClinicalTrials.gov study"),
        ('{"studies": "none"}', '"studies" must be a list'),
        ("<clinical_study><nct_id>", "not well-formed XML"),
        ("<html><body>Not found</body></html>", "expected <clinical_study>"),
    ],
)
def test_a_broken_file_is_named_with_its_problem(tmp_path, content, message):
    suffix = ".xml" if content.startswith("<") else ".json"
    bad = tmp_path / f"broken{suffix}"
    bad.write_text(content)
    out, err, failure = run_import(bad)
    assert failure is not None
    assert f"error: {bad}: " in err and message in err
    assert Trial.objects.count() == 0


@pytest.mark.django_db
def test_a_missing_path_and_no_arguments_fail_clearly(tmp_path):
    _, err, failure = run_import(tmp_path / "nowhere.json")
    assert failure is not None and "no such file" in err
    _, _, failure = run_import()
    assert "Name files or folders" in str(failure)


@pytest.mark.django_db
def test_a_failure_mid_record_rolls_the_whole_record_back(tmp_path, monkeypatch):
    import_paths([V2_RECORD])
    before = row_counts()
    study = v2_study()
    study["protocolSection"]["identificationModule"]["briefTitle"] = "Half-written?"

    def explode(*args, **kwargs):
        raise RuntimeError("disk full")

    # After the trial and its rows are written: the title must not stay half-written.
    monkeypatch.setattr("trials.registry.importer.write_suggestions", explode)
    with pytest.raises(RuntimeError):
        import_paths([write_json(tmp_path / "a.json", study)])
    assert row_counts() == before
    assert Trial.objects.get().brief_title != "Half-written?"


# Values the schema does not know yet


@pytest.mark.django_db
def test_an_unknown_vocabulary_value_is_kept_and_reported(tmp_path):
    study = v2_study()
    study["protocolSection"]["statusModule"]["overallStatus"] = "RECRUITING_BY_LOTTERY"
    study["protocolSection"]["designModule"]["phases"] = ["PHASE3", "PHASE5"]
    out, _, failure = run_import(write_json(tmp_path / "new-values.json", study))
    assert failure is None
    trial = Trial.objects.get()
    assert trial.overall_status == "RECRUITING_BY_LOTTERY"
    assert trial.phases == ["PHASE3", "PHASE5"]
    assert any("RECRUITING_BY_LOTTERY" in warning for warning in trial.import_warnings)
    assert "warning: NCT03643276:" in out and "PHASE5" in out


@pytest.mark.django_db
def test_progress_is_reported_on_long_runs(tmp_path, monkeypatch):
    from trials.management.commands import import_trials

    monkeypatch.setattr(import_trials, "PROGRESS_EVERY", 5)  # every 100 in real runs
    studies = []
    for number in range(11):
        study = copy.deepcopy(v2_study())
        study["protocolSection"]["identificationModule"]["nctId"] = f"NCT9{number:07d}"  # synthetic
        studies.append(study)
    out, _, failure = run_import(write_json(tmp_path / "many.json", {"studies": studies}))
    assert failure is None
    assert "... 5 records read: 5 created" in out
    assert "... 10 records read: 10 created" in out
    assert "Imported: 11 created, 0 updated, 0 unchanged, 0 failed." in out


# Live reads from the registry, served here from recorded JSON


@contextmanager
def registry_server(studies):
    """A local stand-in for the ClinicalTrials.gov API v2, answering from `studies`."""
    requests = []

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):
            requests.append(self.path)
            if self.path.startswith("/api/v2/studies/"):
                nct_id = self.path.rsplit("/", 1)[1]
                body = studies.get(nct_id)
                status = 200 if body else 404
            elif self.path.startswith("/api/v2/studies?"):
                status = 200
                if "pageToken=2" in self.path:
                    body = {"studies": list(studies.values())[1:]}
                else:
                    body = {"studies": list(studies.values())[:1], "nextPageToken": "2"}
            else:
                status, body = 404, None
            payload = json.dumps(body or {"message": "not found"}).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.end_headers()
            self.wfile.write(payload)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/api/v2", requests
    finally:
        server.shutdown()


@pytest.mark.django_db
def test_fetch_reads_named_trials_live_and_reports_unknown_ids(settings):
    recorded = {"NCT03643276": v2_study()}
    with registry_server(recorded) as (url, requests):
        settings.CTGOV_API_URL = url
        out, err, failure = run_import("--fetch", "NCT03643276", "NCT00000000")
    assert Trial.objects.get().nct_id == "NCT03643276"
    assert "error: NCT00000000: " in err and "404" in err
    assert failure is not None  # one of the two failed
    assert "1 created, 0 updated, 0 unchanged, 1 failed" in out


@pytest.mark.django_db
def test_query_follows_the_registrys_pages(settings):
    xml_as_v2 = v2_study()
    xml_as_v2["protocolSection"]["identificationModule"]["nctId"] = "NCT99999992"  # synthetic
    recorded = {"NCT03643276": v2_study(), "NCT99999992": xml_as_v2}
    with registry_server(recorded) as (url, requests):
        settings.CTGOV_API_URL = url
        out, _, failure = run_import("--query", "blinatumomab")
    assert failure is None
    assert sorted(Trial.objects.values_list("nct_id", flat=True)) == ["NCT03643276", "NCT99999992"]
    assert len(requests) == 2 and "query.term=blinatumomab" in requests[0]


@pytest.mark.django_db
def test_an_unreachable_registry_is_a_clear_error(settings):
    settings.CTGOV_API_URL = "http://127.0.0.1:9/api/v2"  # nothing listens on the discard port
    _, err, failure = run_import("--fetch", "NCT03643276")
    assert failure is not None
    assert "cannot reach the registry" in err
    assert Trial.objects.count() == 0


def test_legacy_list_items_without_blank_lines_between_them_stay_apart():
    from trials.registry.legacy_xml import clean_textblock

    text = """
        Inclusion Criteria:

          -  first point that wraps
             onto a second line
          -  second point
    """
    assert clean_textblock(text) == (
        "Inclusion Criteria:\n\n* first point that wraps onto a second line\n* second point"
    )


@pytest.mark.django_db
def test_a_search_the_registry_cannot_answer_is_a_clear_error(settings):
    settings.CTGOV_API_URL = "http://127.0.0.1:9/api/v2"
    out, err, failure = run_import("--query", "blinatumomab")
    assert failure is not None
    assert "error: --query blinatumomab: " in err and "cannot reach the registry" in err
    assert "0 created, 0 updated, 0 unchanged, 1 failed" in out


@pytest.mark.django_db
def test_a_new_arm_is_one_history_entry_with_its_interventions():
    import_paths([V2_RECORD])
    arms = Arm.objects.filter(interventions__isnull=False).distinct()
    assert arms
    for arm in arms:
        [entry] = arm.history.all()
        assert entry.history_type == "+"
        recorded = {link.intervention for link in entry.interventions.all()}
        assert recorded == set(arm.interventions.all())


@pytest.mark.django_db
def test_a_new_row_is_in_the_history_as_the_import_wrote_it():
    import_paths([V2_RECORD])
    for site in Site.objects.all():
        [entry] = site.history.all()
        assert (entry.history_type, entry.history_user) == ("+", None)
        assert entry.history_change_reason.startswith("Import from ")
        assert entry.instance == site  # every column as written
        assert all(
            getattr(entry, field.attname) == getattr(site, field.attname)
            for field in Site._meta.concrete_fields
        )
