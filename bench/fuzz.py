"""`make fuzz`: the property-based tests of every public entry and of the importer (tests/fuzz/)
with the "fuzz" profile, FUZZ_EXAMPLES (10,000) cases each, on SQLite and, at the same time, on
PostgreSQL when DATABASE_URL names one. Each entry runs in its own pytest process, one after the
other per database. The cases run and the entries that failed go to bench/fuzz.json and
bench/LOAD.md; any failure fails the run.

FUZZ_SECONDS bounds each entry's run (default: none). When it is reached, that entry stops as if
interrupted (SIGINT) and what ran until then is recorded, marked "stopped by the time bound": a
bounded run is not a full one.
"""

import json
import os
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime

from bench.load.report import replace_section
from bench.run import LOGS, ROOT, revision, setting

TESTS = "tests/fuzz"
RESULTS_JSON = ROOT / "bench" / "fuzz.json"
INTERRUPTED = (2, 124)  # pytest stopped by SIGINT; timeout's own code


def main():
    LOGS.mkdir(parents=True, exist_ok=True)
    examples = int(setting("FUZZ_EXAMPLES", "10000"))
    seconds = float(setting("FUZZ_SECONDS", "0"))
    databases = {"SQLite": None}
    if os.environ.get("DATABASE_URL", "").startswith("postgres"):
        databases["PostgreSQL"] = os.environ["DATABASE_URL"]
    entries = collect()
    print(
        f"== {len(entries)} entries, {examples} cases each, on {', '.join(databases)}", flush=True
    )
    with ThreadPoolExecutor(max_workers=len(databases)) as pool:
        runs = dict(
            zip(
                databases,
                pool.map(
                    lambda item: run_database(*item, entries, examples, seconds),
                    databases.items(),
                ),
                strict=True,
            )
        )
    result = {
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "revision": revision(),
        "examples_asked": examples,
        "seconds_bound_per_entry": seconds or None,
        "runs": runs,
    }
    RESULTS_JSON.write_text(json.dumps(result, indent=2) + "\n")
    replace_section("fuzz", markdown(result))
    print("   written to bench/fuzz.json and bench/LOAD.md", flush=True)
    if any(run["failed"] for run in runs.values()):
        raise SystemExit("The fuzzing found failures: see above and bench/fuzz.json.")


def collect():
    found = subprocess.run(
        [sys.executable, "-m", "pytest", TESTS, "--collect-only", "-q", "-p", "no:cacheprovider"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={k: v for k, v in os.environ.items() if k != "DATABASE_URL"},
        check=True,
    )
    return [line for line in found.stdout.splitlines() if "::" in line]


def run_database(name, url, entries, examples, seconds):
    """Each entry in its own pytest process; returns the cases run, failures and time bounds."""
    run = {"cases": {}, "failed": [], "stopped_by_time_bound": [], "minutes": 0.0}
    started = datetime.now(UTC)
    for entry in entries:
        report = LOGS / f"fuzz-{name.lower()}.json"
        report.unlink(missing_ok=True)
        env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
        env.update(HYPOTHESIS_PROFILE="fuzz", FUZZ_EXAMPLES=str(examples), FUZZ_REPORT=str(report))
        if url:
            env["DATABASE_URL"] = url
        command = [sys.executable, "-m", "pytest", entry, "-p", "no:cacheprovider", "-q"]
        if seconds:
            command = ["timeout", "-s", "INT", "-k", "120", str(seconds), *command]
        with open(LOGS / f"fuzz-{name.lower()}.log", "a") as log:
            code = subprocess.run(command, cwd=ROOT, env=env, stdout=log, stderr=log).returncode
        found = json.loads(report.read_text()) if report.exists() else {"cases": {}, "failed": []}
        for key, count in found["cases"].items():
            run["cases"][key] = run["cases"].get(key, 0) + count
        run["failed"] += found["failed"] or ([] if code in (0, *INTERRUPTED) else [entry])
        if seconds and code in INTERRUPTED:
            run["stopped_by_time_bound"].append(entry)
        print(f"   {name}: {entry}: {found['cases']}, exit code {code}", flush=True)
    run["minutes"] = round((datetime.now(UTC) - started).total_seconds() / 60, 1)
    return run


def markdown(result):
    entries = sorted({entry for run in result["runs"].values() for entry in run["cases"]})
    names = list(result["runs"])
    bound = result["seconds_bound_per_entry"]
    lines = [
        f"Run {result['date']} at revision `{result['revision']}`, asking "
        f"{result['examples_asked']:,} cases an entry"
        + (f", each entry's run bounded to {bound:.0f} s" if bound else "")
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
        stopped = len(run["stopped_by_time_bound"])
        how = f"{stopped} entries stopped by the time bound" if stopped else "all ran to the end"
        failed = ", ".join(f"`{test}`" for test in run["failed"]) or "none"
        lines.append(f"- {name}: {run['minutes']} min, {how}; failed: {failed}.")
    return "\n".join(lines)


if __name__ == "__main__":
    main()
