"""How many cases each fuzzed entry ran, and which entries failed, written where FUZZ_REPORT names
a file (`make fuzz` records them in bench/LOAD.md). The file is rewritten after every case, so a
run stopped by its time bound, or killed, still says how far it got."""

import json
import os
from collections import Counter

import pytest

CASES = Counter()
FAILED = []


@pytest.fixture(autouse=True)
def no_rate_limit(settings):
    """Thousands of cases from one address: the limit (tested in tests/machines/) would answer
    most of them 429, and the entries themselves would go untested."""
    settings.API_RATE_LIMIT = None


def count(entry):
    CASES[entry] += 1
    write_report()


def write_report():
    path = os.environ.get("FUZZ_REPORT")
    if path:
        # Written aside and moved into place: a run killed mid-write leaves the last whole file.
        with open(path + ".new", "w") as out:
            json.dump({"cases": dict(sorted(CASES.items())), "failed": FAILED}, out, indent=2)
        os.replace(path + ".new", path)


def pytest_runtest_logreport(report):
    if report.failed:
        FAILED.append(report.nodeid)
        write_report()
