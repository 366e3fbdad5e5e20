"""`make fuzz`: the property-based tests of every public entry and of the importer (tests/fuzz/)
with the "fuzz" profile, FUZZ_EXAMPLES (10,000) cases each, on SQLite and then on PostgreSQL when
DATABASE_URL names one. The cases run and the entries that failed go to bench/fuzz.json and
bench/LOAD.md; any failure fails the run.

FUZZ_SECONDS bounds each database's run (default: none). When it is reached the run stops as if
interrupted (SIGINT), and what ran until then is recorded as such, with "stopped by the time
bound": a bounded run is not a full one.
"""

import json
import os
import subprocess
import sys
from datetime import UTC, datetime

from bench.load.report import replace_section
from bench.run import LOGS, ROOT, revision, setting

TESTS = ["tests/fuzz"]
RESULTS_JSON = ROOT / "bench" / "fuzz.json"
INTERRUPTED = 2  # pytest's exit code when stopped by SIGINT


def main():
    LOGS.mkdir(parents=True, exist_ok=True)
    examples = int(setting("FUZZ_EXAMPLES", "10000"))
    seconds = float(setting("FUZZ_SECONDS", "0"))
    databases = {"SQLite": None}
    if os.environ.get("DATABASE_URL", "").startswith("postgres"):
        databases["PostgreSQL"] = os.environ["DATABASE_URL"]
    runs = {}
    for name, url in databases.items():
        report = LOGS / f"fuzz-{name.lower()}.json"
        report.unlink(missing_ok=True)
        env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
        env.update(HYPOTHESIS_PROFILE="fuzz", FUZZ_EXAMPLES=str(examples), FUZZ_REPORT=str(report))
        if url:
            env["DATABASE_URL"] = url
        print(f"== {name}: {examples} cases an entry", flush=True)
        command = [sys.executable, "-m", "pytest", *TESTS, "-p", "no:cacheprovider", "-q"]
        if seconds:
            command = ["timeout", "-s", "INT", "-k", "60", str(seconds), *command]
        started = datetime.now(UTC)
        code = subprocess.run(command, cwd=ROOT, env=env).returncode
        found = json.loads(report.read_text()) if report.exists() else {"cases": {}, "failed": []}
        runs[name] = {
            **found,
            "minutes": round((datetime.now(UTC) - started).total_seconds() / 60, 1),
            "stopped_by_time_bound": bool(seconds) and code in (INTERRUPTED, 124),
            "exit_code": code,
        }
    result = {
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "revision": revision(),
        "examples_asked": examples,
        "seconds_bound": seconds or None,
        "runs": runs,
    }
    RESULTS_JSON.write_text(json.dumps(result, indent=2) + "\n")
    replace_section("fuzz", markdown(result))
    print("   written to bench/fuzz.json and bench/LOAD.md", flush=True)
    if any(run["failed"] or run["exit_code"] not in (0, INTERRUPTED, 124) for run in runs.values()):
        raise SystemExit("The fuzzing found failures: see above and bench/fuzz.json.")


def markdown(result):
    entries = sorted({entry for run in result["runs"].values() for entry in run["cases"]})
    names = list(result["runs"])
    lines = [
        f"Run {result['date']} at revision `{result['revision']}`, asking "
        f"{result['examples_asked']:,} cases an entry"
        + (
            f", each database bounded to {result['seconds_bound']:.0f} s"
            if result["seconds_bound"]
            else ""
        )
        + ".",
        "",
        "| entry | " + " | ".join(f"cases on {name}" for name in names) + " |",
        "|---|" + "---:|" * len(names),
    ]
    for entry in entries:
        counts = [f"{result['runs'][name]['cases'].get(entry, 0):,}" for name in names]
        lines.append(f"| `{entry}` | " + " | ".join(counts) + " |")
    lines.append("")
    for name, run in result["runs"].items():
        how = "stopped by the time bound" if run["stopped_by_time_bound"] else "ran to the end"
        failed = ", ".join(f"`{test}`" for test in run["failed"]) or "none"
        lines.append(f"- {name}: {run['minutes']} min, {how}; failed: {failed}.")
    return "\n".join(lines)


if __name__ == "__main__":
    main()
