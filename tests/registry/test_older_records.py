"""An older record never overwrites newer data without a curator saying so.

The real case: TOWER (NCT02013167) as bundled was last updated on 5 March 2024; the registry's 2018
export of it (legacy XML, in ../shared/data) says 29 December 2017 and has no acronym. Imported over
the newer record it once silently replaced both.
"""

import copy
import json
from datetime import date
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse

from tests.conftest import BUNDLED, SHARED_DATA
from trials import models as m
from trials.registry.importer import OlderRecordError, import_paths, import_study

TOWER = "NCT02013167"
TOWER_2018 = SHARED_DATA / "ctgov-legacy-xml" / f"{TOWER}.xml"
needs_shared = pytest.mark.skipif(not TOWER_2018.exists(), reason="../shared/data not beside")

pytestmark = pytest.mark.django_db


@pytest.fixture
def tower():
    report = import_paths([BUNDLED / f"{TOWER}.json"], publish=True)
    assert report.created == [TOWER]
    return m.Trial.objects.get(nct_id=TOWER)


def kept_as_it_was(trial):
    trial.refresh_from_db()
    assert trial.last_update_post_date == date(2024, 3, 5)
    assert trial.acronym == "TOWER"


@needs_shared
def test_an_older_file_is_refused_with_both_dates_and_writes_nothing(tower):
    report = import_paths([TOWER_2018])
    assert report.updated == [] and report.failed == [] and len(report.older) == 1
    assert "1 older than the stored record (kept the newer)" in report.summary
    problem = report.older[0][1]
    assert "last updated on 29 December 2017" in problem
    assert "before the record already imported (5 March 2024)" in problem
    kept_as_it_was(tower)


@needs_shared
def test_the_command_says_so_and_does_not_fail(tower):
    """A deployment re-running the import of bundled records after a curator's live refresh
    must not stop: the newer record is kept and the command says so."""
    errors = StringIO()
    call_command("import_trials", str(TOWER_2018), stdout=StringIO(), stderr=errors)
    said = errors.getvalue()
    assert "kept the newer record" in said and "29 December 2017" in said and "5 March 2024" in said
    kept_as_it_was(tower)


def test_a_record_without_a_last_update_date_does_not_overwrite_one_with_it(tower, tmp_path):
    study = tower_study()
    del study["protocolSection"]["statusModule"]["lastUpdatePostDateStruct"]
    study["protocolSection"]["identificationModule"]["acronym"] = "UNDATED"
    path = tmp_path / "undated.json"
    path.write_text(json.dumps(study))
    report = import_paths([path])
    assert "gives no last-update date" in report.older[0][1]
    kept_as_it_was(tower)


def tower_study():
    return json.loads((BUNDLED / f"{TOWER}.json").read_text())


def test_the_same_day_an_older_registry_version_is_refused_and_a_newer_one_taken():
    """Synthetic versions of the real record: only the registry's version date differs."""
    stored = tower_study()
    stored.setdefault("derivedSection", {}).setdefault("miscInfoModule", {})["versionHolder"] = (
        "2024-03-07"
    )
    import_study(
        stored,
        source_name="v1.json",
        source_format=m.SourceFormat.API_V2_JSON,
        source_text=json.dumps(stored),
    )
    tower = m.Trial.objects.get(nct_id=TOWER)
    older = copy.deepcopy(stored)
    older["derivedSection"]["miscInfoModule"]["versionHolder"] = "2024-03-06"
    older["protocolSection"]["identificationModule"]["acronym"] = "OLDER"
    with pytest.raises(OlderRecordError, match="version of 2024-03-06, older than .*2024-03-07"):
        import_study(
            older, source_name="v0.json", source_format=m.SourceFormat.API_V2_JSON, source_text="{}"
        )
    kept_as_it_was(tower)
    newer = copy.deepcopy(stored)
    newer["derivedSection"]["miscInfoModule"]["versionHolder"] = "2024-03-08"
    newer["protocolSection"]["identificationModule"]["acronym"] = "TOWER2"
    result = import_study(
        newer, source_name="v2.json", source_format=m.SourceFormat.API_V2_JSON, source_text="{}"
    )
    assert result.action == "updated"


@needs_shared
def test_a_curator_can_apply_an_older_record_with_a_reason_kept_in_the_history(
    tower, curator_client
):
    url = reverse("admin:trials_trial_refresh", args=[tower.pk])
    with TOWER_2018.open("rb") as upload:
        preview = curator_client.post(url, {"file": upload, "_preview": "1"})
    page = preview.content.decode()
    assert "last updated on 29 December 2017" in page
    assert "What would change" in page  # the curator sees what it would undo
    assert 'name="older_reason"' in page and "Apply this older record anyway" in page
    kept_as_it_was(tower)

    applied = {
        "record": preview.context["record"].text,
        "record_name": TOWER_2018.name,
        "_apply": "1",
    }
    # Without a reason it is refused again, and nothing is written.
    refused = curator_client.post(url, applied)
    assert refused.status_code == 200 and "29 December 2017" in refused.content.decode()
    kept_as_it_was(tower)

    done = curator_client.post(url, {**applied, "older_reason": "The 2024 record lost the sites."})
    assert done.status_code == 302
    tower.refresh_from_db()
    assert tower.last_update_post_date == date(2017, 12, 29)
    latest = tower.history.latest()
    assert "with an older record: The 2024 record lost the sites." in latest.history_change_reason


def test_an_older_json_record_is_applied_from_the_refresh_page_only_with_a_reason(
    tower, curator_client, tmp_path
):
    """The same through the admin for API v2 JSON: a synthetic copy of the real record, dated
    before it."""
    study = tower_study()
    study["protocolSection"]["statusModule"]["lastUpdatePostDateStruct"]["date"] = "2019-06-01"
    study["protocolSection"]["identificationModule"]["acronym"] = "OLDER"
    path = tmp_path / "older.json"
    path.write_text(json.dumps(study))
    url = reverse("admin:trials_trial_refresh", args=[tower.pk])
    with path.open("rb") as upload:
        preview = curator_client.post(url, {"file": upload, "_preview": "1"})
    page = preview.content.decode()
    assert "last updated on 1 June 2019, before the record already imported (5 March 2024)" in page
    assert 'name="older_reason"' in page
    applied = {"record": preview.context["record"].text, "record_name": "older.json", "_apply": "1"}
    assert curator_client.post(url, applied).status_code == 200  # no reason: refused again
    kept_as_it_was(tower)
    reason = "The 2024 record named the wrong sponsor."
    assert curator_client.post(url, {**applied, "older_reason": reason}).status_code == 302
    tower.refresh_from_db()
    assert tower.acronym == "OLDER"
    assert tower.history.latest().history_change_reason.endswith(f"older record: {reason}")
    history = curator_client.get(reverse("admin:trials_trial_history", args=[tower.pk]))
    assert reason in history.content.decode()
