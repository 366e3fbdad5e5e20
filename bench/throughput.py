"""`make bench`'s throughput question: many visitors at once, not one after another.

CLIENTS threads (16) each ask the benchmark's questions in turn, starting at different ones, for
SECONDS (30), of one server at a time: the portal with its cache, the portal without one, and
Datasette with its equivalent of each question (the same mix, question for question). Reported:
requests a second, errors (any answer but 200, or none), and the latencies seen under that load.
Then each gunicorn worker's resident memory, as the operating system counts it after the load
(pages shared with the other workers, such as the gazetteer's index, count in each).
"""

import threading
import time
from pathlib import Path

from bench.measure import percentiles

CLIENTS = 16
SECONDS = 30


def run_load(client, paths, *, clients=CLIENTS, seconds=SECONDS):
    """Ask `paths` over and over from `clients` threads for `seconds`; returns the figures."""
    latencies, errors, lock = [], [0], threading.Lock()
    deadline = time.perf_counter() + seconds

    def visitor(start):
        mine, failed, turn = [], 0, start
        while time.perf_counter() < deadline:
            try:
                response = client.get(paths[turn % len(paths)])
                failed += response.status != 200
                mine.append(response.seconds * 1000)
            except OSError:  # refused, reset, timed out: an error, not a crash of the bench
                failed += 1
            turn += 1
        with lock:
            latencies.extend(mine)
            errors[0] += failed

    started = time.perf_counter()
    threads = [threading.Thread(target=visitor, args=(n,)) for n in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    return {
        "clients": clients,
        "seconds": round(elapsed, 1),
        "requests": len(latencies),
        "requests_per_second": round(len(latencies) / elapsed, 1),
        "errors": errors[0],
        **percentiles(latencies),
    }


def throughput(asked, clients, *, concurrency=CLIENTS, seconds=SECONDS, say=print):
    """The load run of each server: the questions Datasette can be asked too, so both serve the
    same mix (the portal's own paths for "ours" and "ours_uncached", the peer's for "peer")."""
    both = [question for question in asked if question.peer]
    found = {"questions": [question.key for question in both]}
    for name, client in clients.items():
        paths = [question.peer if name == "peer" else question.ours for question in both]
        found[name] = run_load(client, paths, clients=concurrency, seconds=seconds)
        say(f"   load, {name}: {found[name]}")
    return found


def resident_mb(pid):
    """A process's resident memory in MB (VmRSS), or None when it has gone."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return None
    for line in status.splitlines():
        if line.startswith("VmRSS:"):
            return round(int(line.split()[1]) / 1024, 1)
    return None


def children(pid):
    """The processes `pid` started (gunicorn's workers), from /proc (Linux)."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:  # the parent's pid follows the state
            found.append(int(stat.parent.name))
    return sorted(found)


def worker_memory(pid):
    """{"master": MB, "workers": [MB, ...]} of a gunicorn started as process `pid`."""
    return {
        "master": resident_mb(pid),
        "workers": [mb for mb in map(resident_mb, children(pid)) if mb is not None],
    }
