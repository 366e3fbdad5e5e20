"""The first "near" search in a fresh process: the gazetteer's index file mapped (README,
"Deploying"), the place found. Run by `make bench`; alone: `python -m bench.first_near Boston`.
Prints one JSON object: the milliseconds of Django's start-up, of the first place resolved, and
the process's peak resident memory."""

import json
import os
import resource
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def measure(place="Boston", env=None):
    """Runs this module in a new process (a fresh interpreter) and returns what it printed."""
    found = subprocess.run(
        [sys.executable, "-m", "bench.first_near", place],
        cwd=ROOT,
        env=env or os.environ,
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(found.stdout.splitlines()[-1])


def main(place):
    started = time.perf_counter()
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
    django.setup()
    set_up = time.perf_counter()
    from trials.places.gazetteer import resolve_place

    found = resolve_place(place)
    done = time.perf_counter()
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kB on Linux
    print(
        json.dumps(
            {
                "place": place,
                "found": found.name if found else None,
                "setup_ms": round(1000 * (set_up - started)),
                "first_near_ms": round(1000 * (done - set_up), 1),
                "peak_rss_mb": round(peak),
            }
        )
    )


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "Boston")
