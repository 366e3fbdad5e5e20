"""Changed copies of a bundled record, as a later registry record of the same trial would be."""

import json

from tests.conftest import BUNDLED
from trials.registry.importer import import_paths

# A bundled trial that is recruiting, with four sites of their own status (two not yet open).
TRIAL = "NCT06607419"


def bundled_study(nct_id=TRIAL):
    return json.loads((BUNDLED / f"{nct_id}.json").read_text(encoding="utf-8"))


def reimport(tmp_path, study, *, posted="2026-02-10"):
    """Import `study` as the registry's newer record of its trial, posted on `posted`."""
    study["protocolSection"]["statusModule"]["lastUpdatePostDateStruct"] = {
        "date": posted,
        "type": "ACTUAL",
    }
    path = tmp_path / f"{posted}.json"
    path.write_text(json.dumps(study), encoding="utf-8")
    report = import_paths([path])
    assert not report.failed, report.failed
    return report


def sites(study):
    return study["protocolSection"]["contactsLocationsModule"]["locations"]


def changed_everywhere(study):
    """The record with a change of each kind an import records (the site names are the real
    ones; the changes themselves are made up for the test)."""
    status = study["protocolSection"]["statusModule"]
    status["overallStatus"] = "ACTIVE_NOT_RECRUITING"
    status["startDateStruct"] = {"date": "2024-06"}
    status["completionDateStruct"] = {"date": "2031-01-31"}
    eligibility = study["protocolSection"]["eligibilityModule"]
    eligibility["eligibilityCriteria"] += "\n* A criterion added for the test (synthetic)."
    eligibility["maximumAge"] = "21 Years"
    located = sites(study)
    located[0]["status"] = "RECRUITING"  # Hefei opens
    located[2]["status"] = "COMPLETED"  # Shanghai closes
    located[3]["status"] = "ACTIVE_NOT_RECRUITING"  # Ningbo stops recruiting
    del located[1]  # Fuzhou is gone
    located.append(
        {
            "facility": "Synthetic Test Hospital",
            "status": "NOT_YET_RECRUITING",
            "city": "Hangzhou",
            "country": "China",
        }
    )
    return study
