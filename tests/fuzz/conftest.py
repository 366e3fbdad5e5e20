"""How many cases each fuzzed entry ran, and which entries failed, written at the end of the run
where FUZZ_REPORT names a file (`make fuzz` records them in bench/LOAD.md). A run stopped by its
time bound (SIGINT) still writes how far it got."""

import json
import os
from collections import Counter

CASES = Counter()
FAILED = []


def pytest_runtest_logreport(report):
    if report.failed:
        FAILED.append(report.nodeid)


def pytest_sessionfinish(session, exitstatus):
    path = os.environ.get("FUZZ_REPORT")
    if path:
        with open(path, "w") as out:
            json.dump({"cases": dict(sorted(CASES.items())), "failed": FAILED}, out, indent=2)
